import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesDir, makePdf } from '../../../test/fixtures/files/make.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testActor, testPlatform } from '../../../test/helpers/platform.ts';
import { AppError, errorBody } from '../http/errors.ts';
import type { Platform } from '../index.ts';
import { createFiles, DEFAULT_ALLOWED, type DiskStorage, type Files, MEDIA_TYPES, type MediaType, type SaveInput, type StagedFile } from './index.ts';

const MAX_FILE = 4096;
const MAX_OWNER = 10_000;
const fixture = (name: string) => readFileSync(path.join(fixturesDir, name));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const ALL: MediaType[] = [...DEFAULT_ALLOWED, MEDIA_TYPES.docx];

/** A valid PDF of exactly `size` bytes (padding in a comment before %%EOF). */
function pdfOfSize(size: number): Buffer {
  const base = makePdf();
  const eof = base.lastIndexOf('%%EOF');
  const pad = size - base.length;
  if (pad < 2) throw new Error('too small');
  return Buffer.concat([base.subarray(0, eof), Buffer.from(`%${'x'.repeat(pad - 2)}\n`), base.subarray(eof)]);
}

let t: TestDatabase;
let dataDir: string;
let platform: Platform;
let files: Files;
let storage: DiskStorage;

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'egov-files-svc-'));
  platform = testPlatform(t, {
    EGOV_DATA_DIR: dataDir,
    EGOV_UPLOAD_MAX_FILE_BYTES: String(MAX_FILE),
    EGOV_UPLOAD_MAX_DOSSIER_BYTES: String(MAX_OWNER),
  });
  files = createFiles(platform);
  storage = files.storage as DiskStorage;
});

afterAll(async () => {
  await t.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

function input(over: Partial<SaveInput> & Pick<SaveInput, 'data'>): SaveInput {
  return {
    ownerType: 'dossier',
    ownerId: randomUUID(),
    slot: 'giayKhaiSinh',
    slotLabel: 'Bản sao giấy khai sinh',
    fileName: 'giay-khai-sinh.pdf',
    allowed: DEFAULT_ALLOWED,
    ...over,
  };
}

const save = (i: SaveInput) => t.handle.db.transaction().execute((trx) => files.service.save(trx, i, testActor));

async function blobKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const b of storage.list()) keys.push(b.key);
  return keys.sort();
}

function tempFiles(): string[] {
  const root = path.join(dataDir, 'files');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.startsWith('.tmp-'))
    .map((e) => e.name);
}

async function rowsFor(ownerId: string) {
  return t.handle.db.selectFrom('attachments').selectAll().where('owner_id', '=', ownerId).execute();
}

/** Runs `fn`, expects an AppError, and checks that nothing at all was stored. */
async function expectRefused(i: SaveInput, fn: () => Promise<unknown> = () => save(i)): Promise<AppError> {
  const before = await blobKeys();
  const rowsBefore = await rowsFor(i.ownerId);
  const err = await fn().then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect(await rowsFor(i.ownerId)).toEqual(rowsBefore);
  expect(await blobKeys()).toEqual(before);
  expect(tempFiles()).toEqual([]);
  return err as AppError;
}

/** The AppError a promise rejects with. */
async function caught(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => new Error('expected an error'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** A stream of `total` bytes in 64 KiB chunks starting with `head`, counting what was read. */
function countingStream(head: Buffer, total: number) {
  const chunk = 64 * 1024;
  const state = { read: 0 };
  const stream = new Readable({
    read() {
      if (state.read >= total) return void this.push(null);
      const n = Math.min(chunk, total - state.read);
      const buf = Buffer.alloc(n, 0x20);
      if (state.read === 0) head.copy(buf);
      state.read += n;
      this.push(buf);
    },
  });
  return { stream, state };
}

describe('attachments', () => {
  it('accepts each allowed type, stores the detected type and the right SHA-256', async () => {
    const cases: [string, MediaType, string][] = [
      ['sample.pdf', MEDIA_TYPES.pdf, 'Tờ khai.pdf'],
      ['sample.jpg', MEDIA_TYPES.jpeg, 'Ảnh chân dung.jpg'],
      ['sample.png', MEDIA_TYPES.png, 'Chữ ký.png'],
      ['sample.docx', MEDIA_TYPES.docx, 'Đơn đề nghị.docx'],
    ];
    for (const [name, mediaType, fileName] of cases) {
      const data = fixture(name);
      for (const asStream of [false, true]) {
        const i = input({ data: asStream ? Readable.from([data]) : data, fileName, allowed: ALL });
        const saved = await save(i);
        expect(saved).toMatchObject({ mediaType, size: data.length, sha256: sha256(data), fileName, ownerId: i.ownerId, createdBy: testActor.id });
        const [row] = await rowsFor(i.ownerId);
        expect(row).toMatchObject({ media_type: mediaType, sha256: sha256(data), size: data.length, file_name: fileName, slot: 'giayKhaiSinh' });
        // The storage key is random, never the user's name, and the bytes on disk are the upload.
        expect(row?.storage_key).toMatch(/^\d{12}-[0-9a-f-]{36}$/);
        expect(readFileSync(storage.pathFor(row?.storage_key as string))).toEqual(data);
      }
    }
    expect(tempFiles()).toEqual([]);
  });

  it('refuses HTML, EXE and ZIP renamed .pdf with a Vietnamese message, storing nothing', async () => {
    const cases: [string, string][] = [
      ['html-renamed.pdf', 'trang web (HTML)'],
      ['exe-renamed.pdf', 'chương trình Windows (EXE)'],
      ['zip-renamed.pdf', 'tệp nén ZIP'],
    ];
    for (const [name, detected] of cases) {
      for (const asStream of [false, true]) {
        const data = fixture(name);
        const i = input({ data: asStream ? Readable.from([data]) : data, fileName: 'giay-khai-sinh.pdf' });
        const err = await expectRefused(i);
        expect(err.status).toBe(415);
        expect(err.code).toBe('FILE_TYPE_NOT_ALLOWED');
        const body = errorBody(err, 'vi');
        expect(body.error.message).toBe(
          `Tệp «giay-khai-sinh.pdf» ở mục «Bản sao giấy khai sinh» là ${detected}, không thuộc loại được chấp nhận ở đây (PDF, JPEG, PNG). Vui lòng chọn đúng tệp, hoặc chuyển sang một trong các định dạng này rồi tải lên lại.`,
        );
        expect(body.error.fields).toEqual([{ field: 'giayKhaiSinh', message: body.error.message }]);
        expect(errorBody(err, 'en').error.message).toContain('(accepted: PDF, JPEG, PNG)');
      }
    }
  });

  it('stores a PNG named .pdf as a PNG (never the client’s type), or refuses it where PNG is not allowed', async () => {
    const data = fixture('png-renamed.pdf');
    const saved = await save(input({ data, fileName: 'scan.pdf' }));
    expect(saved.mediaType).toBe(MEDIA_TYPES.png);
    expect(saved.fileName).toBe('scan.pdf.png');
    const err = await expectRefused(input({ data, fileName: 'scan.pdf', allowed: [MEDIA_TYPES.pdf] }));
    expect(errorBody(err, 'vi').error.message).toContain('là ảnh PNG, không thuộc loại được chấp nhận ở đây (PDF)');
  });

  it('accepts DOCX only where the slot allows it, and never an XLSX or a DOCM named .docx', async () => {
    const docx = fixture('sample.docx');
    const refused = await expectRefused(input({ data: docx, fileName: 'don.docx' }));
    expect(errorBody(refused, 'vi').error.message).toContain('là tài liệu Word (DOCX), không thuộc loại được chấp nhận ở đây (PDF, JPEG, PNG)');
    expect((await save(input({ data: docx, fileName: 'don.docx', allowed: ALL }))).mediaType).toBe(MEDIA_TYPES.docx);
    const xlsx = await expectRefused(input({ data: fixture('xlsx-renamed.docx'), fileName: 'don.docx', allowed: ALL }));
    expect(errorBody(xlsx, 'vi').error.message).toContain('là bảng tính Excel (XLSX)');
    const docm = await expectRefused(input({ data: Readable.from([fixture('docm-renamed.docx')]), fileName: 'don.docx', allowed: ALL }));
    expect(errorBody(docm, 'vi').error.message).toContain('có chứa macro (DOCM)');
  });

  it('refuses empty and damaged files', async () => {
    const empty = await expectRefused(input({ data: Buffer.alloc(0) }));
    expect([empty.status, empty.code]).toEqual([400, 'FILE_EMPTY']);
    const truncated = await expectRefused(input({ data: Readable.from([fixture('truncated.pdf')]) }));
    expect([truncated.status, truncated.code]).toEqual([422, 'FILE_DAMAGED']);
    expect(errorBody(truncated, 'vi').error.message).toContain('Tệp PDF «giay-khai-sinh.pdf» ở mục «Bản sao giấy khai sinh» bị hỏng');
  });

  it('enforces the per-file limit from the configuration', async () => {
    expect((await save(input({ data: pdfOfSize(MAX_FILE) }))).size).toBe(MAX_FILE);
    for (const data of [pdfOfSize(MAX_FILE + 1), Readable.from([pdfOfSize(MAX_FILE + 1)])]) {
      const err = await expectRefused(input({ data }));
      expect([err.status, err.code]).toEqual([413, 'FILE_TOO_LARGE']);
      expect(errorBody(err, 'vi').error.message).toContain('vượt quá dung lượng tối đa 4 KB cho mỗi tệp');
    }
  });

  it('takes a stream the multipart parser cut at its own limit (truncated) as too large', async () => {
    const part = Object.assign(Readable.from([fixture('sample.png')]), { truncated: true });
    const err = await expectRefused(input({ data: part }));
    expect(err.code).toBe('FILE_TOO_LARGE');
  });

  it('enforces the per-owner total', async () => {
    const ownerId = randomUUID();
    await save(input({ ownerId, data: pdfOfSize(4000), slot: 'a' }));
    await save(input({ ownerId, data: pdfOfSize(4000), slot: 'b' }));
    // 8000 used of 10000: 2000 more fits, 2001 does not.
    const err = await expectRefused(input({ ownerId, data: Readable.from([pdfOfSize(2001)]), slot: 'c' }));
    expect([err.status, err.code]).toEqual([413, 'OWNER_QUOTA_EXCEEDED']);
    expect(errorBody(err, 'vi').error.message).toContain('tổng dung lượng các tệp của hồ sơ sẽ vượt quá 10000 B (đã dùng 8000 B)');
    expect(err.fields[0]?.field).toBe('c');
    await save(input({ ownerId, data: pdfOfSize(2000), slot: 'c' }));
    expect((await files.service.listFor('dossier', ownerId)).map((a) => a.slot)).toEqual(['a', 'b', 'c']);
    // Other owners are not affected.
    expect((await save(input({ data: pdfOfSize(4000) }))).size).toBe(4000);
  });

  it('stops reading a stream as soon as it passes the limit', async () => {
    const total = 50 * 1024 * 1024;
    const big = countingStream(Buffer.from('%PDF-1.7\n'), total);
    const err = await expectRefused(input({ data: big.stream }));
    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(big.state.read).toBeLessThan(total);
    expect(big.state.read).toBeLessThanOrEqual(MAX_FILE + 3 * 64 * 1024);
    expect(big.stream.destroyed).toBe(true);
    // Content that is not an accepted type is refused from its first bytes.
    const html = countingStream(Buffer.from('<!DOCTYPE html><html><body>'), total);
    const refused = await expectRefused(input({ data: html.stream }));
    expect(refused.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(html.state.read).toBeLessThanOrEqual(3 * 64 * 1024);
  });

  it('serialises concurrent uploads to one owner, so the total cannot be exceeded', async () => {
    const ownerId = randomUUID();
    const results = await Promise.allSettled(
      [1, 2, 3].map((n) => save(input({ ownerId, slot: `s${n}`, data: Readable.from([pdfOfSize(4000)]) }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => (r.reason as AppError).code)).toEqual(['OWNER_QUOTA_EXCEEDED']);
    const rows = await rowsFor(ownerId);
    expect(rows.reduce((s, r) => s + Number(r.size), 0)).toBe(8000);
  });

  it('leaves an orphan blob when the transaction rolls back, which sweepOrphans removes', async () => {
    const kept = await save(input({ data: fixture('sample.png') }));
    const keptRow = (await rowsFor(kept.ownerId))[0];
    const before = await blobKeys();
    const i = input({ data: fixture('sample.pdf') });
    await expect(
      t.handle.db.transaction().execute(async (trx) => {
        await files.service.save(trx, i, testActor);
        throw new Error('the dossier could not be submitted');
      }),
    ).rejects.toThrow('could not be submitted');
    expect(await rowsFor(i.ownerId)).toEqual([]);
    const after = await blobKeys();
    const orphans = after.filter((k) => !before.includes(k));
    expect(orphans).toHaveLength(1);
    // Too recent for a sweep with a cutoff in the past: it may belong to an upload in progress.
    expect((await files.service.sweepOrphans(new Date(Date.now() - 3600_000))).deleted).toBe(0);
    const report = await files.service.sweepOrphans(new Date(Date.now() + 1000));
    expect(report.deleted).toBeGreaterThanOrEqual(1);
    expect(await storage.exists(orphans[0] as string)).toBe(false);
    // Blobs with rows are never swept.
    expect(await storage.exists(keptRow?.storage_key as string)).toBe(true);
    for (const key of await blobKeys()) {
      expect((await t.handle.db.selectFrom('attachments').select('id').where('storage_key', '=', key).execute()).length).toBe(1);
    }
  });

  it('stage outside the transaction, attach inside it; re-checks the total when attaching', async () => {
    const ownerId = randomUUID();
    const staged = await files.service.stage(input({ ownerId, data: Readable.from([pdfOfSize(4000)]) }));
    expect(await storage.exists(staged.storageKey)).toBe(true);
    expect(await rowsFor(ownerId)).toEqual([]);
    const attached = await t.handle.db.transaction().execute((trx) => files.service.attach(trx, staged, testActor));
    expect(attached.sha256).toBe(staged.sha256);
    // Two staged at once both fit alone, but not together: the second attach is refused and its blob dropped.
    const a = await files.service.stage(input({ ownerId, slot: 'x', data: pdfOfSize(4000) }));
    const b = await files.service.stage(input({ ownerId, slot: 'y', data: pdfOfSize(4000) }));
    await t.handle.db.transaction().execute((trx) => files.service.attach(trx, a, testActor));
    const err = await caught(t.handle.db.transaction().execute((trx) => files.service.attach(trx, b, testActor)));
    expect(err.code).toBe('OWNER_QUOTA_EXCEEDED');
    expect(await storage.exists(b.storageKey)).toBe(false);
    expect(await rowsFor(ownerId)).toHaveLength(2);
  });

  it('attaches papers to a new owner in one go, checking the owner’s limit on the papers themselves', async () => {
    const ownerId = randomUUID();
    const size = Math.floor(MAX_OWNER / 3) + 1;
    const staged: StagedFile[] = [];
    for (const slot of ['a', 'b', 'c']) staged.push(await files.service.stage(input({ ownerId, slot, data: pdfOfSize(size) })));
    const err = await caught(t.handle.db.transaction().execute((trx) => files.service.attachToNewOwner(trx, staged, testActor)));
    expect([err.status, err.code]).toEqual([413, 'OWNER_QUOTA_EXCEEDED']);
    expect(await rowsFor(ownerId)).toEqual([]);
    // The refused attempt wrote no audit entry either.
    expect(await t.handle.db.selectFrom('audit_log').select('seq').where('target_id', '=', ownerId).execute()).toEqual([]);
    const attached = await t.handle.db.transaction().execute((trx) => files.service.attachToNewOwner(trx, staged.slice(0, 2), testActor));
    expect(attached.map((a) => a.slot)).toEqual(['a', 'b']);
    expect((await rowsFor(ownerId)).map((r) => r.storage_key).sort()).toEqual(staged.slice(0, 2).map((s) => s.storageKey).sort());
    const entries = await t.handle.db.selectFrom('audit_log').select(['action', 'target_id']).where('target_id', '=', ownerId).orderBy('seq').execute();
    expect(entries).toEqual([
      { action: 'attachment.add', target_id: ownerId },
      { action: 'attachment.add', target_id: ownerId },
    ]);
  });

  it('opens a file only for the owner it belongs to, and lists an owner’s files', async () => {
    const data = fixture('sample.jpg');
    const saved = await save(input({ data, fileName: 'Ảnh thẻ.jpg', slot: 'anhThe' }));
    const opened = await files.service.open(saved.id, { ownerType: 'dossier', ownerId: saved.ownerId });
    const chunks: Buffer[] = [];
    for await (const c of opened.stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(data);
    expect(opened.meta).toEqual(saved);
    // The id of another dossier's file is "not found", whatever the caller checked.
    for (const owner of [
      { ownerType: 'dossier', ownerId: randomUUID() },
      { ownerType: 'result', ownerId: saved.ownerId },
    ]) {
      const err = await caught(files.service.open(saved.id, owner));
      expect([err.status, err.code]).toEqual([404, 'NOT_FOUND']);
    }
    expect(await files.service.listFor('dossier', saved.ownerId)).toEqual([saved]);
    expect(await files.service.listFor('dossier', randomUUID())).toEqual([]);
  });

  it('verify recomputes the SHA-256 and finds a flipped byte or a missing blob', async () => {
    const saved = await save(input({ data: fixture('sample.pdf') }));
    expect(await files.service.verify(saved.id)).toMatchObject({ ok: true, actualSha256: saved.sha256 });
    const row = (await rowsFor(saved.ownerId))[0];
    const file = storage.pathFor(row?.storage_key as string);
    const bytes = readFileSync(file);
    bytes[100] = (bytes[100] as number) ^ 0x01;
    writeFileSync(file, bytes);
    const report = await files.service.verify(saved.id);
    expect(report.ok).toBe(false);
    expect(report.actualSha256).not.toBe(saved.sha256);
    expect(report.actualSize).toBe(saved.size);
    await storage.delete(row?.storage_key as string);
    expect(await files.service.verify(saved.id)).toMatchObject({ ok: false, actualSha256: null, actualSize: null });
  });

  it('remove drops the row in the transaction and leaves the blob to the sweep', async () => {
    const saved = await save(input({ data: fixture('sample.png') }));
    const owner = { ownerType: 'dossier', ownerId: saved.ownerId };
    const key = (await rowsFor(saved.ownerId))[0]?.storage_key as string;
    // A rolled-back removal loses nothing.
    await t.handle.db
      .transaction()
      .execute(async (trx) => {
        expect(await files.service.remove(trx, saved.id, owner, testActor)).toBe(true);
        throw new Error('rollback');
      })
      .catch(() => {});
    expect(await files.service.verify(saved.id)).toMatchObject({ ok: true });
    expect(await t.handle.db.transaction().execute((trx) => files.service.remove(trx, saved.id, { ...owner, ownerId: 'other' }, testActor))).toBe(false);
    expect(await t.handle.db.transaction().execute((trx) => files.service.remove(trx, saved.id, owner, testActor))).toBe(true);
    expect(await storage.exists(key)).toBe(true);
    await files.service.sweepOrphans(new Date(Date.now() + 1000));
    expect(await storage.exists(key)).toBe(false);
  });

  it('records additions and removals, with the SHA-256, in the audit log', async () => {
    const saved = await save(input({ data: fixture('sample.pdf') }));
    const entries = await platform.audit.list({ targetId: saved.ownerId });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'attachment.add', target_type: 'dossier', actor_id: testActor.id });
    expect(JSON.parse(entries[0]?.after_json ?? '{}')).toMatchObject({ id: saved.id, sha256: saved.sha256, mediaType: 'application/pdf' });
    expect((await platform.audit.verify()).ok).toBe(true);
  });
});
