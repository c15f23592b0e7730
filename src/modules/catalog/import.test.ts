import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testActor, testPlatform } from '../../../test/helpers/platform.ts';
import { agenciesFile, catalogFile } from '../../../test/fixtures/catalog.ts';
import { ImportRefused, CatalogService } from './service.ts';

describe('catalog import, versions and retirement', () => {
  let t: TestDatabase;
  let service: CatalogService;

  beforeAll(async () => {
    t = await createTestDatabase();
    service = new CatalogService(testPlatform(t, { EGOV_CITY_CODE: 'H24' }));
    await service.importAgenciesText(JSON.stringify(agenciesFile), testActor);
  });
  afterAll(() => t.dispose());

  it('imports a valid file and substitutes the configured city code', async () => {
    const summary = await service.importCatalogText(JSON.stringify(catalogFile, null, 2), testActor);
    expect(summary).toEqual({ domains: 3, created: 5, updated: 0, unchanged: 0 });
    const lltp = await service.getProcedure('2.001417');
    expect(lltp?.implementers).toEqual([{ agencyCode: '000.00.06.H24', name: 'Sở Tư pháp', nameEn: 'Department of Justice' }]);
    const agencies = await service.listAgencies({ page: 1, pageSize: 10 });
    expect(agencies.items.map((a) => a.code)).toContain('000.00.00.H24');
  });

  it('is idempotent: the same file again changes nothing', async () => {
    const summary = await service.importCatalogText(JSON.stringify(catalogFile), testActor);
    expect(summary).toEqual({ domains: 3, created: 0, updated: 0, unchanged: 5 });
  });

  it('refuses a broken file whole, naming the line of each problem', async () => {
    const broken = structuredClone(catalogFile) as typeof catalogFile & { procedures: Record<string, unknown>[] };
    broken.procedures.push({ ...broken.procedures[0], code: '1.999999', name: 'Thủ tục mới hợp lệ' });
    (broken.procedures[1] as Record<string, unknown>).processingDays = -3;
    (broken.procedures[2] as Record<string, unknown>).colour = 'red';
    (broken.procedures[3] as Record<string, unknown>).domain = 'khong-co';
    const text = JSON.stringify(broken, null, 2);
    const before = await service.exportCatalog();
    const err = await service.importCatalogText(text, testActor).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRefused);
    const issues = (err as ImportRefused).issues;
    const lines = text.split('\n');
    const daysIssue = issues.find((i) => i.path === 'procedures.1.processingDays');
    expect(daysIssue).toBeDefined();
    expect(lines[(daysIssue?.line ?? 0) - 1]).toContain('"processingDays": -3');
    const colourIssue = issues.find((i) => i.path === 'procedures.2.colour');
    expect(lines[(colourIssue?.line ?? 0) - 1]).toContain('"colour"');
    expect(colourIssue?.key).toBe('http.unknownField');
    // The schema errors are reported first; a file that only has a referential error is refused too.
    const onlyDomain = structuredClone(catalogFile);
    (onlyDomain.procedures[3] as Record<string, unknown>).domain = 'khong-co';
    const text2 = JSON.stringify(onlyDomain, null, 2);
    const err2 = (await service.importCatalogText(text2, testActor).catch((e) => e)) as ImportRefused;
    expect(err2.issues).toHaveLength(1);
    expect(text2.split('\n')[(err2.issues[0]?.line ?? 0) - 1]).toContain('"domain": "khong-co"');
    // Nothing was written: the valid new procedure of the refused file does not exist.
    expect(await service.getProcedure('1.999999')).toBeNull();
    expect(await service.exportCatalog()).toEqual(before);
  });

  it('reports JSON syntax errors with their line', async () => {
    const err = (await service.importCatalogText('{\n  "formatVersion": 1,\n  "domains": [,]\n}', testActor).catch((e) => e)) as ImportRefused;
    expect(err).toBeInstanceOf(ImportRefused);
    expect(err.issues[0]?.line).toBe(3);
  });

  it('keeps old versions and shows the one in force on a date', async () => {
    const next = structuredClone(catalogFile.procedures[0]) as Record<string, unknown>;
    next.processingDays = 3;
    next.effectiveFrom = '2099-01-01';
    expect(await service.saveProcedure(next, testActor, '1.001193')).toBe('updated');
    const now = await service.getProcedure('1.001193');
    expect(now?.body.processingDays).toBe(1);
    expect(now?.upcoming).toEqual({ version: 2, effectiveFrom: '2099-01-01' });
    const later = await service.getProcedure('1.001193', { date: '2099-06-01' });
    expect(later?.version).toBe(2);
    expect(later?.body.processingDays).toBe(3);
    expect(now?.versions.map((v) => [v.version, v.effectiveTo])).toEqual([
      [2, null],
      [1, '2098-12-31'],
    ]);
  });

  it('retires a procedure: gone from search and the public view, kept for admins', async () => {
    expect((await service.search('ly lich tu phap', {}, 1, 10)).items[0]?.code).toBe('2.001417');
    await service.setStatus('2.001417', 'retired', testActor);
    expect((await service.search('ly lich tu phap', {}, 1, 10)).items.map((i) => i.code)).not.toContain('2.001417');
    expect(await service.getProcedure('2.001417')).toBeNull();
    expect((await service.getProcedure('2.001417', { includeRetired: true }))?.status).toBe('retired');
  });

  it('writes every change to the audit trail with before and after', async () => {
    const trail = await service.auditTrail();
    const update = trail.find((r) => r.action === 'catalog.procedure.update' && r.target_id === '1.001193');
    expect(update?.actor_label).toBe('Test Admin');
    expect(JSON.parse(update?.before_json ?? '{}').processingDays).toBe(1);
    expect(JSON.parse(update?.after_json ?? '{}').processingDays).toBe(3);
    expect(trail.some((r) => r.action === 'catalog.procedure.retire' && r.target_id === '2.001417')).toBe(true);
  });
});
