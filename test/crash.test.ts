import { createHash, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierTables } from '../src/modules/dossiers/tables.ts';
import { DiskStorage } from '../src/platform/files/index.ts';
import { csrfToken, TestClient } from './helpers/client.ts';
import { type TestDatabase, testEngine } from './helpers/db.ts';
import { type ServerProcess, sleep, startTestServer, type TestServer } from './helpers/server-process.ts';

/**
 * Crash safety of submission (issue "Electronic one-stop shop"): citizens submit concurrently
 * to the real server (`src/main.ts`, a separate process) while it is killed with SIGKILL three
 * times and started again on the same database. Each submission is multipart, with one or two
 * papers. Whatever the server acknowledged with a dossier code must be there afterwards, whole
 * (its row, its `submitted` event, its papers byte for byte, its notifications), exactly once;
 * codes stay unique and the agency's daily sequence has no gap and no repeat.
 */
const PASSWORD = 'Demo@2026pass';
const CITIZEN = '0912345678';
/** Phường Ba Đình in the 2-level structure: implements 1.001193 (birth registration). */
const WARD = '000.00.61.H26';
const CLIENTS = 6;
const KILLS = 3;

let test: TestServer;
let db: TestDatabase;
let server: ServerProcess;
/** Where the server keeps attachments: `${EGOV_DATA_DIR}/files`. */
let filesDir = '';

beforeAll(async () => {
  test = await startTestServer();
  ({ db, server } = test);
  filesDir = path.join(test.env.EGOV_DATA_DIR ?? '', 'files');
}, 90_000);

afterAll(() => test?.dispose());

const fixtures = path.resolve(import.meta.dirname, 'fixtures/files');
const samplePdf = readFileSync(path.join(fixtures, 'sample.pdf'));
const samplePng = readFileSync(path.join(fixtures, 'sample.png'));

/** The papers of submission `n`: a PDF, and a PNG for even `n`; unique bytes, still valid files. */
function papersOf(n: number) {
  const papers = [{ slot: 'giay-to-1', name: `Tờ khai khai sinh ${n}.pdf`, type: 'application/pdf', data: Buffer.concat([samplePdf, Buffer.from(`%egov crash ${n}\n`)]) }];
  if (n % 2 === 0) papers.push({ slot: 'giay-to-2', name: `Giấy chứng sinh ${n}.png`, type: 'image/png', data: Buffer.concat([samplePng, Buffer.from(`egov crash ${n}`)]) });
  return papers;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** POST /api/v1/dossiers as multipart: the JSON payload first, then the papers. */
async function submit(client: TestClient, token: string, n: number): Promise<{ status: number; body: Ack | null }> {
  const form = new FormData();
  form.append('payload', JSON.stringify(application(n)));
  for (const p of papersOf(n)) form.append(p.slot, new Blob([new Uint8Array(p.data)], { type: p.type }), p.name);
  const res = await client.request('POST', '/api/v1/dossiers', form, { 'x-csrf-token': token, accept: 'application/json' });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function application(n: number) {
  return {
    procedureCode: '1.001193',
    receivingAgency: WARD,
    applicant: {
      fullName: `Nguyễn Văn Thử ${n}`,
      personalId: '001090012345',
      phone: '0912345678',
      email: 'citizen@example.vn',
      address: `Số ${n} phố Đội Cấn, phường Ba Đình, Hà Nội`,
    },
    form: { requestContent: `Đăng ký khai sinh cho con, lần nộp số ${n}` },
  };
}

interface Ack {
  /** Which submission: its payload and papers are `application(n)` and `papersOf(n)`. */
  n: number;
  id: string;
  code: string;
  trackingSecret: string;
}

async function until(condition: () => boolean, what: () => string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}\nserver output:\n${server.output()}`);
    await sleep(10);
  }
}

describe(`submissions survive SIGKILL of the server (${testEngine})`, () => {
  it('every acknowledged dossier is stored whole, exactly once, and codes stay unique and gap-free', { timeout: 120_000 }, async () => {
    const started = Date.now();
    // Several sessions of the demo citizen, each taking one submission at a time.
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => new TestClient(server.url).signIn(CITIZEN, PASSWORD)));
    // The CSRF token of each session (it stays valid across restarts: the secret is fixed).
    const tokens = await Promise.all(clients.map(async (c) => csrfToken(await (await c.get('/')).text())));

    const acked: Ack[] = [];
    /** Cut off by a kill (reset, truncated answer): no code came back. */
    const lost: { n: number; reason: string }[] = [];
    let refused = 0;
    const unexpected: { n: number; status: number; body: unknown }[] = [];
    let next = 0;
    let inFlight = 0;
    let stopping = false;

    const submitLoop = async (client: TestClient, token: string) => {
      while (!stopping) {
        const n = ++next;
        inFlight++;
        try {
          const res = await submit(client, token, n);
          if (res.status === 201 && res.body) acked.push({ ...res.body, n });
          // A killed server answers nothing; any status but 201 (a 5xx too) is a real failure.
          else unexpected.push({ n, status: res.status, body: res.body });
        } catch (err) {
          const cause = (err as Error & { cause?: { code?: string } }).cause;
          // Nobody listening (the server is down): the request never reached it.
          if (cause?.code === 'ECONNREFUSED') refused++;
          // The server died under the request (reset, truncated body): no code came back.
          else lost.push({ n, reason: String(cause ?? err) });
        } finally {
          inFlight--;
        }
        if (!server.running) await sleep(100);
      }
    };
    const loops = clients.map((c, i) => submitLoop(c, tokens[i] ?? ''));

    const kills: { acked: number; inFlight: number; downMs: number }[] = [];
    const state = () => JSON.stringify({ acked: acked.length, inFlight, refused, lost: lost.slice(-5), unexpected: unexpected.slice(-5), kills });
    try {
      for (let k = 0; k < KILLS; k++) {
        const before = acked.length;
        await until(() => acked.length >= before + 2, () => `submissions before kill ${k + 1}: ${state()}`);
        await sleep(randomInt(0, 400));
        const atKill = { acked: acked.length, inFlight };
        await server.kill('SIGKILL');
        const down = Date.now();
        // The clients keep trying against the dead port for a moment.
        await sleep(randomInt(50, 300));
        // The demo city is in the database since the first start: a restart need not reload it.
        await server.start({ EGOV_DEMO: 'auto' });
        kills.push({ ...atKill, downMs: Date.now() - down });
      }
      const before = acked.length;
      await until(() => acked.length >= before + 5, () => `submissions after the last restart: ${state()}`);
    } finally {
      stopping = true;
      await Promise.all(loops);
    }

    expect(unexpected, 'only 201, or no answer from a killed server, is expected').toEqual([]);
    expect(kills).toHaveLength(KILLS);
    // Every kill hit submissions in flight: the crash is mid-request, not between requests.
    for (const k of kills) expect(k.inFlight).toBeGreaterThan(0);

    // ---- what the database holds, read through a separate connection
    const d = db.handle.db.withTables<DossierTables>();
    const rows = await d.selectFrom('dossiers').selectAll().execute();
    const events = await d.selectFrom('dossier_events').selectAll().execute();
    const counters = await d.selectFrom('dossier_code_counters').selectAll().execute();
    const attachments = await d.selectFrom('attachments').selectAll().where('owner_type', '=', 'dossier').execute();
    const outbox = await d.selectFrom('outbox_messages').select(['id', 'payload', 'status', 'locked_by']).execute();
    const byCode = new Map(rows.map((r) => [r.code, r]));

    // Codes: unique among acknowledged responses and among stored rows.
    expect(new Set(acked.map((a) => a.code)).size).toBe(acked.length);
    expect(byCode.size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);

    // Every acknowledged submission is there, exactly as it was sent.
    const eventsOf = new Map<string, typeof events>();
    for (const e of events) eventsOf.set(e.dossier_id, [...(eventsOf.get(e.dossier_id) ?? []), e]);
    for (const a of acked) {
      const row = byCode.get(a.code);
      expect(row, `acknowledged ${a.code} is missing`).toBeDefined();
      if (!row) continue;
      const sent = application(a.n);
      expect(row).toMatchObject({
        id: a.id,
        tracking_secret: a.trackingSecret,
        procedure_code: sent.procedureCode,
        receiving_agency: WARD,
        holder_agency: WARD,
        status: 'NEW',
        channel: 'online',
        applicant_name: sent.applicant.fullName,
        applicant_personal_id: sent.applicant.personalId,
        applicant_phone: sent.applicant.phone,
        applicant_email: sent.applicant.email,
        event_count: 1,
      });
      expect(JSON.parse(row.form_json)).toEqual({ applicant: sent.applicant, answers: sent.form });
    }

    // Every stored dossier (acknowledged or not) is whole: its events match the projection,
    // its one `submitted` event is there, and so are its two notifications (e-mail and SMS).
    const messagesFor = new Map<string, string[]>();
    for (const m of outbox) {
      const payload = JSON.parse(m.payload) as { channel: string; ref?: string };
      if (payload.ref) messagesFor.set(payload.ref, [...(messagesFor.get(payload.ref) ?? []), payload.channel]);
    }
    const papersOfDossier = new Map<string, typeof attachments>();
    for (const a of attachments) papersOfDossier.set(a.owner_id, [...(papersOfDossier.get(a.owner_id) ?? []), a]);
    for (const row of rows) {
      // Which submission it was (acknowledged or not): the number is in the applicant's name.
      const n = Number(/ (\d+)$/.exec(row.applicant_name)?.[1]);
      expect(JSON.parse(row.form_json), row.code).toEqual({ applicant: application(n).applicant, answers: application(n).form });
      const stored = (papersOfDossier.get(row.id) ?? []).map((a) => ({ slot: a.slot, fileName: a.file_name, mediaType: a.media_type, size: Number(a.size), sha256: a.sha256 }));
      const sent = papersOf(n).map((p) => ({ slot: p.slot, fileName: p.name, mediaType: p.type, size: p.data.length, sha256: sha256(p.data) }));
      expect(stored.sort((x, y) => x.slot.localeCompare(y.slot)), `papers of ${row.code}`).toEqual(sent);
      const own = (eventsOf.get(row.id) ?? []).sort((x, y) => x.seq - y.seq);
      expect(own.length, `events of ${row.code}`).toBe(row.event_count);
      expect(own.map((e) => [e.seq, e.type])).toEqual([[1, 'submitted']]);
      expect(messagesFor.get(row.code)?.sort(), `notifications of ${row.code}`).toEqual(['email', 'sms']);
    }
    expect(events.length).toBe(rows.length);
    // Every committed paper's bytes are on disk with the size and SHA-256 of its row, those of
    // dossiers whose answer was lost included. Blobs of submissions that rolled back are
    // orphans (left for AttachmentService.sweepOrphans); they are only counted.
    const storage = new DiskStorage(filesDir);
    for (const a of attachments) {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of await storage.get(a.storage_key)) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      expect({ size, sha256: hash.digest('hex') }, `blob of paper ${a.id}`).toEqual({ size: Number(a.size), sha256: a.sha256 });
    }
    let blobs = 0;
    for await (const _ of storage.list()) blobs++;
    const orphans = blobs - attachments.length;
    // No paper and no notification for a submission that rolled back.
    for (const a of attachments) expect(rows.some((r) => r.id === a.owner_id), `paper ${a.id} without a dossier`).toBe(true);
    for (const ref of messagesFor.keys()) expect(byCode.has(ref), `notification for ${ref} without a dossier`).toBe(true);

    // Per agency and day the numbers run 1..n without a gap or a repeat (the counter is
    // updated in the submission's transaction), and the counter stands at n.
    const seqs = new Map<string, number[]>();
    for (const r of rows) {
      const m = /^(.+)-(\d{6})-(\d{4,})$/.exec(r.code);
      expect(m, r.code).not.toBeNull();
      if (!m) continue;
      const key = `${m[1]}|${m[2]}`;
      seqs.set(key, [...(seqs.get(key) ?? []), Number(m[3])]);
    }
    for (const [key, list] of seqs) {
      list.sort((x, y) => x - y);
      expect(list, `sequence of ${key}`).toEqual(Array.from({ length: list.length }, (_, i) => i + 1));
      const [agency, day] = key.split('|');
      expect(counters.find((c) => c.agency_code === agency && c.day === day)?.last_seq).toBe(list.length);
    }

    // And through the API of the restarted server: public tracking with the receipt key, and
    // the citizen's own view with each paper downloaded byte for byte.
    const citizen = clients[0] as TestClient;
    for (let i = 0; i < acked.length; i += 8) {
      await Promise.all(
        acked.slice(i, i + 8).map(async (a) => {
          const track = await fetch(`${server.url}/api/v1/track?code=${encodeURIComponent(a.code)}&secret=${a.trackingSecret}`);
          expect({ status: track.status, body: await track.json() }, a.code).toMatchObject({ status: 200, body: { code: a.code, status: 'NEW', steps: [{ type: 'submitted' }] } });
          const view = await citizen.api('GET', `/api/v1/dossiers/${encodeURIComponent(a.code)}`);
          expect(view.status, a.code).toBe(200);
          const papers = view.body.attachments as { id: string; slot: string }[];
          expect(papers.map((p) => p.slot).sort(), a.code).toEqual(papersOf(a.n).map((p) => p.slot));
          for (const p of papers) {
            const file = await citizen.get(`/my/dossiers/${encodeURIComponent(a.code)}/papers/${p.id}`);
            expect(file.status, `${a.code} ${p.slot}`).toBe(200);
            const expected = papersOf(a.n).find((x) => x.slot === p.slot)?.data;
            expect(Buffer.from(await file.arrayBuffer()).equals(expected ?? Buffer.alloc(0)), `${a.code} ${p.slot} bytes`).toBe(true);
          }
        }),
      );
    }

    console.info(
      `[crash ${testEngine}] ${Math.round((Date.now() - started) / 100) / 10}s: ${next} attempts, ${acked.length} acknowledged, ` +
        `${lost.length} cut off by a kill, ${refused} refused while down, ${rows.length - acked.length} committed but unacknowledged, ${attachments.length} papers (+${orphans} orphan blobs); kills ${JSON.stringify(kills)}; ` +
        `outbox ${outbox.filter((m) => m.status === 'sent').length} sent, ${outbox.filter((m) => m.status === 'pending').length} pending ` +
        `(${outbox.filter((m) => m.status === 'pending' && m.locked_by && !m.locked_by.includes(`:${server.pid}:`)).length} leased by a killed instance)`,
    );
  });
});
