import { Validator } from '@seriousme/openapi-schema-validator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { loadTestCatalog } from './helpers/catalog.ts';

type Param = { name: string; in: 'query' | 'path'; required: boolean; schema: Record<string, unknown> };
type Operation = { operationId: string; parameters: Param[] };

describe('OpenAPI document and API robustness', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    t = await createTestApp({ listen: true, demo: false });
    await loadTestCatalog(t);
    doc = await (await fetch(`${t.url}/api/openapi.json`)).json();
  });
  afterAll(() => t.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has the stable operationIds other systems rely on', () => {
    const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    for (const id of ['searchProcedures', 'getProcedure', 'listDomains', 'listAgencies']) expect(ids).toContain(id);
  });

  it('the docs page lists every operation', async () => {
    const page = await (await fetch(`${t.url}/api/docs`)).text();
    for (const id of ['searchProcedures', 'getProcedure', 'listDomains', 'listAgencies']) expect(page).toContain(id);
  });

  // Any value, well-formed or not, for every parameter of every GET operation: never a 5xx.
  const anyValue = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.integer().map(String),
    fc.constantFrom('', ' ', '-1', '0', '501', '1e309', 'NaN', '%', '%00', '../../etc/passwd', "' or 1=1 --", '<script>', 'đăng ký', 'FULL', 'commune', 'ho-tich'),
  );

  it('answers random input to every operation with 2xx or a 4xx that names the problem, never 5xx', async () => {
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => method === 'get')
        .map(([, op]) => ({ path, op })),
    );
    for (const { path, op } of ops) {
      await fc.assert(
        fc.asyncProperty(
          fc.record(Object.fromEntries(op.parameters.map((p) => [p.name, p.required ? anyValue : fc.option(anyValue, { nil: undefined })]))),
          fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), anyValue, { maxKeys: 2 }), { nil: undefined }),
          async (values, extra) => {
            let url = path;
            const query = new URLSearchParams();
            for (const p of op.parameters) {
              const v = values[p.name];
              if (v === undefined) continue;
              if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(v || 'x'));
              else query.append(p.name, v);
            }
            for (const [k, v] of Object.entries(extra ?? {})) query.append(k, v);
            const res = await fetch(`${t.url}${url}?${query}`);
            expect(res.status, `${op.operationId} ${url}?${query}`).toBeLessThan(500);
            const body = await res.json();
            if (res.status >= 400) {
              expect(typeof body.error.code).toBe('string');
              expect(body.error.message.length).toBeGreaterThan(0);
            }
          },
        ),
        { numRuns: 60 },
      );
    }
  }, 120_000);
});
