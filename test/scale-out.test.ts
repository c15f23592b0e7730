import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierTables } from '../src/modules/dossiers/tables.ts';
import { AuditLog } from '../src/platform/audit/index.ts';
import { TestClient } from './helpers/client.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { type ServerProcess, scratchDir, serverEnv, serverProcess, sleep } from './helpers/server-process.ts';

/**
 * Scale-out (issue "Electronic one-stop shop"): two instances of the real server on one
 * PostgreSQL database take citizens' submissions and the counter clerk's actions at the same
 * time. Dossier codes stay unique and gap-free, a dossier is received once however many
 * instances try at once, and every outbox message is sent exactly once although both
 * instances' workers poll the same outbox.
 *
 * PostgreSQL only: several instances are supported only on PostgreSQL (README, "Running on
 * PostgreSQL"). A SQLite database is a local file for one process; what two processes on one
 * file would show is SQLite's locking, not the platform's design, so on SQLite this is skipped.
 */
const PASSWORD = 'Demo@2026pass';
const CITIZEN = '0912345678';
/** The demo counter clerk of phường Ba Đình (2-level structure), which implements 1.001193. */
const CLERK = 'motcua.badinh@hanoi.gov.vn';
const WARD = '000.00.61.H26';
const SUBMISSIONS = 60;
const IN_FLIGHT = 8;

const application = (n: number) => ({
  procedureCode: '1.001193',
  receivingAgency: WARD,
  applicant: { fullName: `Trần Thị Mở Rộng ${n}`, personalId: '001090012345', phone: '0912345678', email: 'citizen@example.vn', address: `Số ${n} Đội Cấn, Ba Đình, Hà Nội` },
  form: { requestContent: `Đăng ký khai sinh, hồ sơ số ${n}` },
});

const pick = (m: { channel: string; to: string } | undefined) => ({ channel: m?.channel, to: m?.to });

describe.skipIf(!process.env.DATABASE_URL)('two instances on one PostgreSQL', () => {
  let db: TestDatabase;
  let scratch: { dir: string; remove(): void };
  let servers: ServerProcess[] = [];
  /** Deliveries the notifier adapters reported in the instances' logs: outbox id → "pid channel". */
  const deliveries = new Map<number, string[]>();

  beforeAll(async () => {
    // Not migrated here: both instances start at the same moment on an empty database and
    // migrate it together (README: "safely from several instances at once").
    db = await createTestDatabase({ migrate: false });
    scratch = scratchDir();
    // `info` so that the log adapters' one line per delivered message reaches us.
    // Both instances also look for dossiers nearly due every second: the warnings to officers
    // (keyed per dossier, due date and recipient) must be enqueued and sent once in all.
    const env = serverEnv(db.database, scratch.dir, { EGOV_OUTBOX_POLL_MS: '50', EGOV_DEADLINE_CHECK_MS: '1000', EGOV_LOG_LEVEL: 'info' });
    const onStdoutLine = (line: string, pid: number) => {
      if (!line.includes('recorded, not sent')) return;
      const entry = JSON.parse(line) as { outboxId?: number; channel?: string };
      if (typeof entry.outboxId !== 'number') return;
      deliveries.set(entry.outboxId, [...(deliveries.get(entry.outboxId) ?? []), `${pid} ${entry.channel}`]);
    };
    // Both start together on an empty database and both load the demo city (EGOV_DEMO=on):
    // the startup lock makes them take turns instead of colliding on the same rows.
    servers = await Promise.all([{ ...env }, { ...env }].map((e) => serverProcess({ env: e, onStdoutLine })));
    await Promise.all(servers.map((s) => s.start()));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill('SIGKILL')));
    await db?.dispose();
    scratch?.remove();
  });

  it('codes stay unique, each dossier is received once and each outbox message is sent exactly once', { timeout: 120_000 }, async () => {
    const started = Date.now();
    const [a, b] = servers;
    if (!a || !b) throw new Error('servers did not start');
    // Sessions live in the database and the secret is shared: a session opened on one instance
    // is used on the other (requests carry absolute URLs; the client keeps its cookies).
    const citizens = await Promise.all(Array.from({ length: 4 }, (_, i) => new TestClient(i % 2 ? b.url : a.url).signIn(CITIZEN, PASSWORD)));
    const clerkA = await new TestClient(a.url).signIn(CLERK, PASSWORD);
    const clerkB = await new TestClient(b.url).signIn(CLERK, PASSWORD);

    const codes: string[] = [];
    const refused: { n: number; status: number; body: unknown }[] = [];
    const receives: { code: string; results: { status: number; error?: string }[] }[] = [];
    const races: Promise<void>[] = [];
    let next = 0;

    /** The clerk receives `code` on both instances at once, each with the other's session. */
    const race = async (code: string) => {
      const results = await Promise.all([
        clerkA.api('POST', `${b.url}/api/v1/dossiers/${code}/receive`, {}),
        clerkB.api('POST', `${a.url}/api/v1/dossiers/${code}/receive`, {}),
      ]);
      receives.push({ code, results: results.map((r) => ({ status: r.status, error: r.body?.error?.code })) });
    };
    const submitLoop = async (lane: number) => {
      const citizen = citizens[lane % citizens.length] as TestClient;
      for (let n = ++next; n <= SUBMISSIONS; n = ++next) {
        const target = n % 2 ? a : b;
        const res = await citizen.api('POST', `${target.url}/api/v1/dossiers`, application(n));
        if (res.status !== 201) {
          refused.push({ n, status: res.status, body: res.body });
          continue;
        }
        codes.push(res.body.code);
        // Officer actions run while the other lanes keep submitting.
        races.push(race(res.body.code));
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, (_, lane) => submitLoop(lane)));
    await Promise.all(races);

    expect(refused).toEqual([]);
    expect(codes).toHaveLength(SUBMISSIONS);
    expect(new Set(codes).size).toBe(SUBMISSIONS);
    // One instance receives; the other is told the dossier is no longer new.
    for (const r of receives) {
      const [ok, other] = [...r.results].sort((x, y) => x.status - y.status);
      expect({ code: r.code, ok: ok?.status, other: other?.status }).toEqual({ code: r.code, ok: 200, other: 409 });
      expect(['DOSSIER_WRONG_STATE', 'DOSSIER_CHANGED']).toContain(other?.error);
    }

    // Drained: nothing pending, and nothing new enqueued for a few deadline checks.
    const d = db.handle.db.withTables<DossierTables>();
    const deadline = Date.now() + 45_000;
    let total = -1;
    let stableSince = Date.now();
    for (;;) {
      const counts = await d.selectFrom('outbox_messages').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
      const now = Date.now();
      const all = counts.reduce((sum, c) => sum + Number(c.n), 0);
      if (all !== total) [total, stableSince] = [all, now];
      const pending = Number(counts.find((c) => c.status === 'pending')?.n ?? 0);
      if (pending === 0 && now - stableSince >= 2_500) break;
      if (now > deadline) throw new Error(`outbox not drained: ${JSON.stringify(counts)}\n${a.output()}\n${b.output()}`);
      await sleep(100);
    }
    const drainedAt = Date.now();

    const rows = await d.selectFrom('dossiers').selectAll().execute();
    const events = await d.selectFrom('dossier_events').select(['dossier_id', 'seq', 'type']).orderBy('dossier_id').orderBy('seq').execute();
    const outbox = await d.selectFrom('outbox_messages').selectAll().execute();
    const log = await d.selectFrom('notification_log').select(['id', 'outbox_id', 'channel', 'recipient', 'ref']).execute();

    // Codes: unique, and the ward's daily sequence is 1..n with no gap or repeat.
    expect(rows).toHaveLength(SUBMISSIONS);
    expect(new Set(rows.map((r) => r.code))).toEqual(new Set(codes));
    const seqs = rows.map((r) => Number(r.code.slice(r.code.lastIndexOf('-') + 1))).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: SUBMISSIONS }, (_, i) => i + 1));

    // Every dossier was received exactly once, and its projection matches its events.
    for (const row of rows) {
      expect(events.filter((e) => e.dossier_id === row.id).map((e) => `${e.seq} ${e.type}`), row.code).toEqual(['1 submitted', '2 received']);
      expect(row).toMatchObject({ status: 'RECEIVED', event_count: 2 });
    }

    // The outbox: each message sent, once, at the first attempt.
    expect(outbox.filter((m) => m.status !== 'sent' || m.attempts !== 1).map((m) => ({ id: m.id, status: m.status, attempts: m.attempts, error: m.last_error }))).toEqual([]);
    // Each submitted and each received event enqueued an e-mail and an SMS to the applicant (who
    // gave both); the rest are deadline warnings, one per dossier and recipient at most.
    const warnings = outbox.filter((m) => m.dedupe_key?.startsWith('due-warning:'));
    const toApplicant = outbox.filter((m) => !m.dedupe_key?.startsWith('due-warning:'));
    expect(toApplicant).toHaveLength(SUBMISSIONS * 2 * 2);
    const warned = warnings.map((m) => JSON.parse(m.payload) as { ref: string; to: string });
    expect(new Set(warned.map((w) => `${w.ref} ${w.to}`)).size).toBe(warnings.length);
    for (const w of warned) expect(codes).toContain(w.ref);
    // The notification log: exactly one entry per outbox message, on its channel, to its recipient.
    expect(log).toHaveLength(outbox.length);
    expect(new Set(log.map((l) => l.outbox_id)).size).toBe(outbox.length);
    const messages = new Map(outbox.map((m) => [m.id, JSON.parse(m.payload) as { channel: string; to: string }]));
    for (const l of log) expect({ channel: l.channel, to: l.recipient }, `log ${l.id} for outbox ${l.outbox_id}`).toEqual(pick(messages.get(l.outbox_id ?? -1)));
    for (const code of codes) {
      const sent = log.filter((l) => l.ref === code && (l.recipient === 'citizen@example.vn' || l.recipient === '0912345678'));
      expect(sent.map((l) => l.channel).sort(), code).toEqual(['email', 'email', 'sms', 'sms']);
    }

    // And the adapters were called exactly once per message, by one instance or the other.
    const waitLogs = Date.now() + 5_000;
    while (deliveries.size < outbox.length && Date.now() < waitLogs) await sleep(50);
    expect([...deliveries.keys()].sort((x, y) => x - y)).toEqual(outbox.map((m) => m.id).sort((x, y) => x - y));
    expect([...deliveries].filter(([, who]) => who.length !== 1)).toEqual([]);

    // The audit chain, appended to by both instances (sign-ins, refused receives), still holds.
    expect(await new AuditLog(db.handle.db, 'postgres').verify()).toMatchObject({ ok: true });

    const byInstance: Record<string, number> = {};
    for (const [, who] of deliveries) for (const w of who) byInstance[`pid ${w.split(' ')[0]}`] = (byInstance[`pid ${w.split(' ')[0]}`] ?? 0) + 1;
    const refusals: Record<string, number> = {};
    for (const r of receives) for (const x of r.results) if (x.status !== 200) refusals[x.error ?? '?'] = (refusals[x.error ?? '?'] ?? 0) + 1;
    console.info(
      `[scale-out] ${Math.round((drainedAt - started) / 100) / 10}s to submit ${SUBMISSIONS} through both, race ${receives.length} receives on both ` +
        `and drain ${outbox.length} messages (${warnings.length} deadline warnings); deliveries ${JSON.stringify(byInstance)}; refusals ${JSON.stringify(refusals)}`,
    );
  });
});
