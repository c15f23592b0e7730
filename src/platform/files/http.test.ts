import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesDir } from '../../../test/fixtures/files/make.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testActor, testPlatform } from '../../../test/helpers/platform.ts';
import { AppError, errorBody } from '../http/errors.ts';
import { createFiles, DEFAULT_ALLOWED, type Files, sendAttachment } from './index.ts';

const MAX_FILE = 64 * 1024;
const fixture = (name: string) => readFileSync(path.join(fixturesDir, name));

let t: TestDatabase;
let dataDir: string;
let files: Files;
let app: FastifyInstance;
let baseUrl: string;

/**
 * The way a module's routes are meant to use the files module: stage the upload from the
 * multipart stream outside the transaction, attach it inside; serve after the access check.
 */
beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'egov-files-http-'));
  const platform = testPlatform(t, { EGOV_DATA_DIR: dataDir, EGOV_UPLOAD_MAX_FILE_BYTES: String(MAX_FILE) });
  files = createFiles(platform);
  app = Fastify();
  // The parser's own limit above ours, so the service's (Vietnamese) message is what is seen.
  await app.register(multipart, { limits: { fileSize: platform.config.uploads.maxFileBytes + 1, files: 1 } });
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof AppError) return reply.code(err.status).send(errorBody(err, 'vi'));
    return reply.code(500).send({ error: { code: 'INTERNAL', message: String(err) } });
  });
  app.post<{ Params: { id: string } }>('/dossiers/:id/files', async (req, reply) => {
    const part = await req.file();
    if (!part) throw new AppError(400, 'NO_FILE', 'no file');
    const staged = await files.service.stage({
      ownerType: 'dossier',
      ownerId: req.params.id,
      slot: part.fieldname,
      fileName: part.filename,
      data: part.file,
      allowed: DEFAULT_ALLOWED,
    });
    const saved = await t.handle.db.transaction().execute((trx) => files.service.attach(trx, staged, testActor));
    return reply.code(201).send(saved);
  });
  app.get<{ Params: { id: string; fileId: string } }>('/dossiers/:id/files/:fileId', async (req, reply) => {
    // (the route's own access check on dossier :id goes here)
    const opened = await files.service.open(req.params.fileId, { ownerType: 'dossier', ownerId: req.params.id });
    return sendAttachment(reply, opened);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  baseUrl = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
});

afterAll(async () => {
  await app.close();
  await t.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

function form(field: string, fileName: string, data: Buffer, type = 'application/pdf'): FormData {
  const body = new FormData();
  body.append(field, new Blob([new Uint8Array(data)], { type }), fileName);
  return body;
}

describe('attachments over HTTP (multipart upload, download)', () => {
  it('uploads a file and serves it back with safe headers and the Vietnamese name', async () => {
    const dossier = randomUUID();
    const data = fixture('sample.pdf');
    const res = await fetch(`${baseUrl}/dossiers/${dossier}/files`, { method: 'POST', body: form('toKhai', 'Giấy khai sinh (bản sao).pdf', data, 'application/octet-stream') });
    expect(res.status).toBe(201);
    const saved = (await res.json()) as { id: string; mediaType: string; fileName: string; size: number };
    expect(saved).toMatchObject({ mediaType: 'application/pdf', fileName: 'Giấy khai sinh (bản sao).pdf', size: data.length });

    const got = await fetch(`${baseUrl}/dossiers/${dossier}/files/${saved.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-length')).toBe(String(data.length));
    expect(got.headers.get('content-disposition')).toBe(
      `attachment; filename="Giay khai sinh (ban sao).pdf"; filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh%20%28b%E1%BA%A3n%20sao%29.pdf`,
    );
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await got.arrayBuffer())).toEqual(data);

    // Another dossier's path with this file's id: not found.
    expect((await fetch(`${baseUrl}/dossiers/${randomUUID()}/files/${saved.id}`)).status).toBe(404);
  });

  it('refuses an HTML page declared as application/pdf and named .pdf', async () => {
    const res = await fetch(`${baseUrl}/dossiers/${randomUUID()}/files`, { method: 'POST', body: form('toKhai', 'to-khai.pdf', fixture('html-renamed.pdf')) });
    expect(res.status).toBe(415);
    const body = (await res.json()) as { error: { code: string; message: string; fields: { field: string }[] } };
    expect(body.error.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(body.error.message).toContain('là trang web (HTML)');
    expect(body.error.fields[0]?.field).toBe('toKhai');
  });

  it('answers 413 to a large upload without waiting for all of it', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 0x20);
    Buffer.from('%PDF-1.7\n').copy(big);
    const before = await blobKeys();
    const started = Date.now();
    const res = await app.inject({
      method: 'POST',
      url: `/dossiers/${randomUUID()}/files`,
      ...multipartPayload('toKhai', 'lon.pdf', big),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('FILE_TOO_LARGE');
    expect(Date.now() - started).toBeLessThan(10_000);
    // And over a real socket.
    const real = await fetch(`${baseUrl}/dossiers/${randomUUID()}/files`, { method: 'POST', body: form('toKhai', 'lon.pdf', big) }).catch((e: unknown) => e);
    expect(real).toBeInstanceOf(Response);
    expect((real as Response).status).toBe(413);
    // Nothing of either upload was kept.
    expect(await blobKeys()).toEqual(before);
  });
});

async function blobKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const b of files.storage.list()) keys.push(b.key);
  return keys.sort();
}

function multipartPayload(field: string, fileName: string, data: Buffer) {
  const boundary = `----egov${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, data, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
