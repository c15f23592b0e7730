import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { compactVerify, createLocalJWKSet } from 'jose';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { loadTestCatalog } from '../../../test/helpers/catalog.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { testActor } from '../../../test/helpers/platform.ts';
import { decodeQr, renderPages } from '../../platform/pdf/testing.ts';

/**
 * Signed results over real HTTP on a real database: a granted dossier ends with a PAdES-signed
 * PDF that poppler's pdfsig validates; its QR statement checks offline against the JWKS; the
 * public verification tells an authentic copy from a changed one and from a non-PDF; a leader
 * of the issuing agency revokes it; key rotation and a PKCS#12 import keep old results valid.
 */
vi.setConfig({ testTimeout: 60_000 });
const run = promisify(execFile);
const PASSWORD = 'Demo@2026pass';
const WARD = '000.01.01.H26';
const DISTRICT = '000.00.01.H26';
const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../../../test/fixtures/files', name));

let t: TestApp;
const as = async (login: string) => new TestClient(t.url).signIn(login, PASSWORD);
let tmp = '';

beforeAll(async () => {
  t = await createTestApp({ listen: true, demo: false });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'egov-results-'));
  await loadTestCatalog(t);
  await t.app.auth.service.ensureDemoAccounts();
  const admin = { id: 'system', kind: 'officer' as const, label: 'system', agencyCode: '000.00.00.H26', roles: ['city_admin' as const] };
  const officers = [
    { fullName: 'Hoàng Minh Tuấn', email: 'motcua.phucxa@test.vn', agencyCode: WARD, roles: ['counter_clerk'] },
    { fullName: 'Đỗ Văn Lãnh', email: 'lanhdao.phucxa@test.vn', agencyCode: WARD, roles: ['leader'] },
    { fullName: 'Vũ Thị Chuyên', email: 'chuyenvien.phucxa@test.vn', agencyCode: WARD, roles: ['specialist'] },
    { fullName: 'Ngô Quận Trưởng', email: 'lanhdao.badinh@test.vn', agencyCode: DISTRICT, roles: ['leader'] },
  ];
  for (const o of officers) {
    const r = await t.app.auth.service.createOfficer({ ...o, password: PASSWORD, passwordConfirm: PASSWORD } as never, admin as never, testActor);
    if (!r.ok) throw new Error(`officer ${o.email}: ${JSON.stringify(r.error)}`);
  }
});
afterAll(async () => {
  await t?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A dossier of the ward taken through the API to the leader's decision. */
async function decided(decision: 'granted' | 'denied'): Promise<string> {
  const code = await awaitingDecision();
  const leader = await as('lanhdao.phucxa@test.vn');
  const approved = await leader.api('POST', `/api/v1/dossiers/${code}/approve`, { decision, summary: 'Cấp Giấy khai sinh cho cháu Nguyễn Văn Bình' });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return code;
}

/** A dossier of the ward taken through the API to the point where the leader decides. */
async function awaitingDecision(): Promise<string> {
  const citizen = await as('0912345678');
  const submitted = await citizen.api('POST', '/api/v1/dossiers', {
    procedureCode: '1.001193',
    receivingAgency: WARD,
    applicant: { fullName: 'Nguyễn Văn An', personalId: '001090012345', phone: '0912345678', email: 'citizen@example.vn', address: 'Số 1 Phúc Xá, Ba Đình, Hà Nội' },
    form: { requestContent: 'Đăng ký khai sinh cho con Nguyễn Văn Bình' },
  });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
  const code: string = submitted.body.code;
  const [clerk, leader, specialist] = await Promise.all([as('motcua.phucxa@test.vn'), as('lanhdao.phucxa@test.vn'), as('chuyenvien.phucxa@test.vn')]);
  expect((await clerk.api('POST', `/api/v1/dossiers/${code}/receive`, {})).status).toBe(200);
  const specialistId = (await t.app.dossiers.service.specialists(WARD))[0]?.id;
  expect((await leader.api('POST', `/api/v1/dossiers/${code}/assign`, { assigneeId: specialistId })).status).toBe(200);
  expect((await specialist.api('POST', `/api/v1/dossiers/${code}/send-for-approval`, {})).status).toBe(200);
  return code;
}

async function download(code: string): Promise<Buffer> {
  const res = await (await as('lanhdao.phucxa@test.vn')).get(`/backoffice/dossiers/${code}/result.pdf`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  return Buffer.from(await res.arrayBuffer());
}

async function pdfsig(pdf: Buffer): Promise<string> {
  const file = path.join(tmp, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  // pdfsig exits non-zero when a signature does not verify; its report is what we check.
  return run('pdfsig', [file]).then(
    (r) => r.stdout,
    (err: { stdout?: string }) => err.stdout ?? '',
  );
}

async function verifyFile(pdf: Buffer, fileName = 'ket-qua.pdf', headers: Record<string, string> = {}) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(pdf)]), fileName);
  const res = await fetch(`${t.url}/api/v1/results/verify`, { method: 'POST', body: form, headers });
  return { status: res.status, body: await res.json() };
}

async function verifyToken(token: string) {
  const res = await fetch(`${t.url}/api/v1/results/verify`, { method: 'POST', body: JSON.stringify({ token }), headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: await res.json() };
}

async function qrToken(pdf: Buffer): Promise<string> {
  const [page] = await renderPages(pdf, 300, { first: 1, last: 1 });
  const url = new URL(decodeQr(page as Buffer) ?? '');
  expect(url.pathname).toBe('/verify');
  return url.searchParams.get('t') ?? '';
}

const countRows = async () => ({
  results: Number((await t.app.handle.db.selectFrom('results' as never).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  audit: Number((await t.app.handle.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
});

describe('a granted dossier gets a signed result', () => {
  let code = '';
  let pdf: Buffer = Buffer.alloc(0);

  it('is signed with PAdES (ETSI.CAdES.detached) and pdfsig finds the signature valid', async () => {
    code = await decided('granted');
    pdf = await download(code);
    const report = await pdfsig(pdf);
    expect(report).toContain('Signature Type: ETSI.CAdES.detached');
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Total document signed');
    expect(report).toContain('CN=Ủy ban nhân dân phường Phúc Xá');
  });

  it('the uploaded PDF is authentic and shows only what is printed on it', async () => {
    const { status, body } = await verifyFile(pdf);
    expect(status).toBe(200);
    expect(body.authentic).toBe(true);
    expect(Object.keys(body.result).sort()).toEqual(['documentType', 'issuedAt', 'issuer', 'issuerCode', 'number', 'revoked', 'revokedAt']);
    expect(body.result).toMatchObject({ documentType: 'Giấy khai sinh', issuer: 'Ủy ban nhân dân phường Phúc Xá', issuerCode: WARD, revoked: false });
    expect(body.result.number).toMatch(/^\d{6}\/\d{4}\/KQ$/);
  });

  it('one byte changed anywhere makes it not authentic, and reveals nothing', async () => {
    for (const at of [100, Math.floor(pdf.length / 2), pdf.length - 20]) {
      const tampered = Buffer.from(pdf);
      tampered[at] = (tampered[at] ?? 0) ^ 0x01;
      const { status, body } = await verifyFile(tampered);
      expect(status).toBe(200);
      expect(body).toEqual({ authentic: false });
    }
    // Appending after the signature (an incremental update) is a change too.
    expect((await verifyFile(Buffer.concat([pdf, Buffer.from('\n% more\n%%EOF\n')]))).body).toEqual({ authentic: false });
  });

  it('the QR code carries a statement that verifies offline against the published JWKS, and on line', async () => {
    const token = await qrToken(pdf);
    const jwks = await (await fetch(`${t.url}/.well-known/jwks.json`)).json();
    const { payload, protectedHeader } = await compactVerify(token, createLocalJWKSet(jwks));
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ doc: 'Giấy khai sinh', iss: WARD });
    expect((await verifyToken(token)).body).toMatchObject({ authentic: true, result: { issuerCode: WARD, revoked: false } });
    // A statement with a changed signature is not accepted.
    const at = token.lastIndexOf('.') + 10;
    const forged = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    expect((await verifyToken(forged)).body).toEqual({ authentic: false });
  });

  it('the certificate that signed it is published with the development CA', async () => {
    const res = await fetch(`${t.url}/.well-known/egov-certificates.pem`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('PRIVATE KEY');
    const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    const certs = pems.map((p) => new X509Certificate(p));
    expect(certs[0]?.subject).toContain('egov Development CA');
    const row = await t.app.results.service.store.find({ sha256: sha(pdf) });
    const signer = await t.app.results.service.store.db.selectFrom('signing_keys').select('cert_sha256').where('kid', '=', row?.key_id ?? '').executeTakeFirstOrThrow();
    expect(certs.map((c) => sha(c.raw))).toContain(signer.cert_sha256);
    expect(certs.find((c) => sha(c.raw) === signer.cert_sha256)?.checkIssued(certs[0] as X509Certificate)).toBe(true);
  });

  it('the JWKS publishes public keys only', async () => {
    const jwks = await (await fetch(`${t.url}/.well-known/jwks.json`)).json();
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
      expect(k.d).toBeUndefined();
    }
  });

  it('a file that is not a PDF is refused with a message naming the field, and nothing changes', async () => {
    const before = await countRows();
    const png = await verifyFile(fixture('png-renamed.pdf'), 'anh.pdf');
    expect(png.status).toBe(415);
    expect(png.body.error.fields).toEqual([{ field: 'file', message: 'Tệp «anh.pdf» không phải là tệp PDF. Vui lòng tải lên đúng tệp PDF kết quả đã nhận.' }]);
    const html = await verifyFile(fixture('html-renamed.pdf'), 'trang.pdf', { 'accept-language': 'en' });
    expect(html.status).toBe(415);
    expect(html.body.error.fields[0].message).toBe('The file “trang.pdf” is not a PDF file. Please upload the result PDF file you received.');
    expect((await verifyFile(fixture('truncated.pdf'))).status).toBe(422);
    expect((await verifyFile(Buffer.alloc(0))).status).toBe(400);
    // A PDF that is not ours is simply not authentic.
    expect((await verifyFile(fixture('sample.pdf'))).body).toEqual({ authentic: false });
    expect(await countRows()).toEqual(before);
  });

  it('the citizen downloads the same file from the tracking page with the receipt key, not without it', async () => {
    const secret = await t.app.dossiers.service.trackingSecret((await t.app.dossiers.service.store.load({ code }))?.row.id ?? '');
    const ok = await fetch(`${t.url}/track/result.pdf?code=${encodeURIComponent(code)}&secret=${secret}`);
    expect(ok.status).toBe(200);
    expect(Buffer.from(await ok.arrayBuffer()).equals(pdf)).toBe(true);
    expect((await fetch(`${t.url}/track/result.pdf?code=${encodeURIComponent(code)}&secret=AAAAAA`)).status).toBe(404);
    const citizen = await as('0912345678');
    expect(await (await citizen.get(`/my/dossiers/${code}`)).text()).toContain(`href="/my/dossiers/${code}/result.pdf"`);
    const mine = await citizen.get(`/my/dossiers/${code}/result.pdf`);
    expect(mine.status).toBe(200);
    expect(Buffer.from(await mine.arrayBuffer()).equals(pdf)).toBe(true);
    // Without signing in: nothing (the sign-in page).
    const anonymous = await fetch(`${t.url}/my/dossiers/${code}/result.pdf`, { redirect: 'manual' });
    expect(anonymous.headers.get('content-type')).not.toBe('application/pdf');
    expect([401, 303]).toContain(anonymous.status);
  });

  it('only a leader of the issuing agency revokes it, with a reason; verification then says revoked', async () => {
    const row = await t.app.results.service.find({ dossierCode: code });
    const url = `/api/v1/results/${row?.id}/revoke`;
    expect((await (await as('lanhdao.badinh@test.vn')).api('POST', url, { reason: 'Sai thông tin' })).status).toBe(403);
    expect((await (await as('chuyenvien.phucxa@test.vn')).api('POST', url, { reason: 'Sai thông tin' })).status).toBe(403);
    const leader = await as('lanhdao.phucxa@test.vn');
    const empty = await leader.api('POST', url, { reason: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields[0].field).toBe('reason');
    expect((await verifyFile(pdf)).body.result.revoked).toBe(false);
    const done = await leader.api('POST', url, { reason: 'Cấp nhầm, thông tin người được cấp không đúng' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await leader.api('POST', url, { reason: 'Lần nữa' })).status).toBe(409);
    const { body } = await verifyFile(pdf);
    expect(body).toMatchObject({ authentic: true, result: { revoked: true } });
    expect(body.result.revokedAt).toBeTruthy();
    expect((await verifyToken(await qrToken(pdf))).body.result.revoked).toBe(true);
    const audit = await t.app.handle.db.selectFrom('audit_log').select(['action', 'target_id']).where('action', 'in', ['result.issued', 'result.revoked']).where('target_id', '=', row?.id ?? '').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['result.issued', 'result.revoked']);
  });

  it('a denied dossier gets no result', async () => {
    const denied = await decided('denied');
    expect(await t.app.results.service.find({ dossierCode: denied })).toBeUndefined();
  });
});

describe('keys: rotation and PKCS#12 import keep old results verifiable', () => {
  it('after rotation new results use the new key and old ones still verify', async () => {
    const old = await download(await decided('granted'));
    const oldKid = (await t.app.results.service.store.find({ sha256: sha(old) }))?.key_id;
    const agency = { code: WARD, name: 'Ủy ban nhân dân phường Phúc Xá' };
    const newKid = await t.app.signing.rotate(agency);
    expect(newKid).not.toBe(oldKid);
    const fresh = await download(await decided('granted'));
    const freshRow = await t.app.results.service.store.find({ sha256: sha(fresh) });
    expect(freshRow?.key_id).toBe(newKid);
    expect((await verifyFile(old)).body.authentic).toBe(true);
    expect((await verifyToken(await qrToken(old))).body.authentic).toBe(true);
    expect((await verifyFile(fresh)).body.authentic).toBe(true);
    const jwks = await (await fetch(`${t.url}/.well-known/jwks.json`)).json();
    const mine = jwks.keys.filter((k: { 'x-agency': string }) => k['x-agency'] === WARD);
    expect(mine.find((k: { kid: string }) => k.kid === oldKid)?.['x-status']).toBe('retired');
    expect(mine.find((k: { kid: string }) => k.kid === newKid)?.['x-status']).toBe('active');
  });

  it('two first signatures of an agency at once agree on one key', async () => {
    const db = t.app.results.service.store.db;
    const agency = { code: '000.00.98.H26', name: 'Cơ quan thử đồng thời' };
    const keys = await Promise.all([0, 1].map(() => db.transaction().execute((trx) => t.app.signing.active(trx as never, agency))));
    expect(keys[0]?.kid).toBe(keys[1]?.kid);
    expect(await db.selectFrom('signing_keys').select('kid').where('agency_code', '=', agency.code).execute()).toEqual([{ kid: keys[0]?.kid }]);
  });

  it('an agency key imported from a PKCS#12 file signs from then on, with its own chain', async () => {
    const p12 = makeP12('Ủy ban nhân dân phường Phúc Xá', 'p12-secret');
    const file = path.join(tmp, 'agency.p12');
    writeFileSync(file, p12);
    // The command line, as an operator runs it, in its own process on the same database.
    const env = { ...process.env, EGOV_DATA_DIR: t.app.config.dataDir, EGOV_SECRET: t.app.config.secret, EGOV_SIGNING_PASSPHRASE: t.app.config.signing.passphrase, EGOV_P12_PASSPHRASE: 'p12-secret', EGOV_LOG_LEVEL: 'silent' };
    if (t.db.database.kind === 'postgres') Object.assign(env, { DATABASE_URL: t.db.database.url });
    else Object.assign(env, { EGOV_DATA_DIR: path.dirname(t.db.database.file) });
    const out = await run(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../../cli.ts'), 'signing', 'import-p12', WARD, file], { env, cwd: path.resolve(import.meta.dirname, '../../..') });
    expect(out.stdout).toMatch(/000\.01\.01\.H26: signing key .+ is now active/);
    const pdf = await download(await decided('granted'));
    const report = await pdfsig(pdf);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    // The imported certificate (no OU, no C), not one of the development CA's.
    expect(report).toContain('Signer full Distinguished Name: CN=Ủy ban nhân dân phường Phúc Xá\n');
    expect((await verifyFile(pdf)).body.authentic).toBe(true);
  });
});

describe('results made ahead of the decision', () => {
  it('two decisions of one agency at once get consecutive numbers, each printed on its own signed document', async () => {
    const codes = [await awaitingDecision(), await awaitingDecision()];
    const blobs = async () => {
      let n = 0;
      for await (const _ of t.app.files.storage.list()) n++;
      return n;
    };
    const before = { blobs: await blobs(), files: (await t.app.handle.db.selectFrom('attachments').select('id').execute()).length };
    const leader = await as('lanhdao.phucxa@test.vn');
    // Both documents are drawn before either decision commits, under the same foreseen number:
    // the second to commit must draw its own again.
    const decisions = await Promise.all(codes.map((code) => leader.api('POST', `/api/v1/dossiers/${code}/approve`, { decision: 'granted', summary: 'Cấp Giấy khai sinh' })));
    expect(decisions.map((d) => d.status)).toEqual([200, 200]);
    const rows = await Promise.all(codes.map((code) => t.app.results.service.store.find({ dossierCode: code })));
    const seqs = rows.map((r) => Number(r?.number.split('/')[0])).sort((a, b) => a - b);
    expect(seqs[1]).toBe((seqs[0] as number) + 1);
    for (const [i, code] of codes.entries()) {
      const verified = await verifyFile(await download(code));
      expect(verified.body).toMatchObject({ authentic: true, result: { number: rows[i]?.number } });
    }
    // The document made ahead for the number the other decision took is not left behind.
    const after = { blobs: await blobs(), files: (await t.app.handle.db.selectFrom('attachments').select('id').execute()).length };
    expect(after.files - before.files).toBe(2);
    expect(after.blobs - before.blobs).toBe(2);
  });
});

describe('nothing half-written', () => {
  it('when the result cannot be signed, the decision fails with it and nothing is stored', async () => {
    const db = t.app.results.service.store.db;
    const active = { kid: await t.app.signing.rotate({ code: WARD, name: 'Ủy ban nhân dân phường Phúc Xá' }) };
    const key = await db.selectFrom('signing_keys').select('private_key_enc').where('kid', '=', active.kid).executeTakeFirstOrThrow();
    // The agency's key cannot be opened: it is sealed under another passphrase, as with a wrong
    // EGOV_SIGNING_PASSPHRASE. (Flipping a few ciphertext characters is not enough: when they
    // land inside one of the RSA numbers the key still opens and signs, wrongly.)
    const sealedElsewhere = createPrivateKey({ key: key.private_key_enc, format: 'pem', passphrase: t.app.config.signing.passphrase })
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'not the configured passphrase' })
      .toString();
    await db.updateTable('signing_keys').set({ private_key_enc: sealedElsewhere }).where('kid', '=', active.kid).execute();
    try {
      const stored = async () => ({
        results: (await countRows()).results,
        attachments: (await db.selectFrom('attachments').select('id').where('owner_type', '=', 'result').execute()).length,
        issued: (await db.selectFrom('audit_log').select('seq').where('action', '=', 'result.issued').execute()).length,
      });
      const before = await stored();
      await expect(decided('granted')).rejects.toThrow();
      const code = (await db.selectFrom('dossiers' as never).select('code' as never).orderBy('submitted_at' as never, 'desc').executeTakeFirstOrThrow()) as { code: string };
      const after = await (await as('lanhdao.phucxa@test.vn')).api('GET', `/api/v1/dossiers/${code.code}`);
      expect(after.body.status).not.toBe('DONE');
      expect(after.body.decision).toBeNull();
      expect(await stored()).toEqual(before);
    } finally {
      await db.updateTable('signing_keys').set({ private_key_enc: key.private_key_enc }).where('kid', '=', active.kid).execute();
    }
  });
});

describe('public verification is rate-limited per address', () => {
  it('the API and the page each refuse the request past the limit with 429', async () => {
    const limited = await createTestApp({ listen: true, demo: false, env: { EGOV_VERIFY_RATE_LIMIT_PER_MIN: '2' } });
    try {
      const api = () => fetch(`${limited.url}/api/v1/results/verify`, { method: 'POST', body: JSON.stringify({ token: 'x.y.z' }), headers: { 'content-type': 'application/json' } });
      expect([(await api()).status, (await api()).status, (await api()).status]).toEqual([200, 200, 429]);
      const page = () => fetch(`${limited.url}/verify?t=x.y.z`);
      expect([(await page()).status, (await page()).status, (await page()).status]).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A PKCS#12 file as a CA would issue it: the agency's key, its certificate and the CA's. */
function makeP12(agencyName: string, passphrase: string): Buffer {
  const caKeys = forge.pki.rsa.generateKeyPair(2048);
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = '01';
  ca.validity.notBefore = new Date(Date.now() - 60_000);
  ca.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  ca.setSubject([{ name: 'commonName', value: 'Test Agency CA' }]);
  ca.setIssuer([{ name: 'commonName', value: 'Test Agency CA' }]);
  ca.setExtensions([{ name: 'basicConstraints', cA: true }]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '02';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: agencyName, valueTagClass: forge.asn1.Type.UTF8 } as unknown as forge.pki.CertificateField]);
  cert.setIssuer(ca.subject.attributes);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());
  const asn = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert, ca], passphrase, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
}
