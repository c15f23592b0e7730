import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { demoAccounts, parsePersonalId } from '../../platform/auth/index.ts';
import type { Role, SessionAccount } from '../../platform/auth/policy.ts';
import { zonedInstant } from '../../platform/calendar/index.ts';
import type { Platform } from '../../platform/index.ts';
import type { ResultTables } from '../results/index.ts';
import { seededRandom } from '../../platform/random/seeded.ts';
import { type DemoSeedResult, finishDemoResults, planDemoDossiers, seedDemoDossiers } from './demo.ts';
import { type DossierEvent, type EventType, project, type Status, statuses } from './lifecycle.ts';
import { type Action, checkAction, type DossierActor } from './policy.ts';
import type { DossierRow } from './tables.ts';

/**
 * The demo dossiers on a real database with the demo city, catalog and accounts: every row is
 * the projection of its events, every event is one the service would have accepted from its
 * actor, deadlines come from the working-day calendar, and the inboxes have something in them.
 */
let t: TestApp;
let platform: Platform;
let result: DemoSeedResult;
let rows: DossierRow[] = [];
const history = new Map<string, DossierEvent[]>();
const officers = new Map<string, { fullName: string; agencyCode: string | null; roles: Role[] }>();
let citizenId = '';

const WARD = '000.00.61.H26';
const JUSTICE = '000.00.02.H26';
const CITIZEN_ID_NUMBER = '001090012345';

async function session(login: string): Promise<SessionAccount> {
  const a = await t.app.handle.db.selectFrom('accounts').selectAll().where((eb) => eb.or([eb('email', '=', login), eb('phone', '=', login)])).executeTakeFirstOrThrow();
  const roles = await t.app.handle.db.selectFrom('account_roles').select('role').where('account_id', '=', a.id).execute();
  return { id: a.id, kind: a.kind, label: a.full_name, agencyCode: a.agency_code, roles: roles.map((r) => r.role as Role) };
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  platform = { config: t.app.config, db: t.app.handle.db, engine: t.app.handle.engine, audit: t.app.audit };
  result = await seedDemoDossiers(t.app.dossiers.service, platform, { catalog: t.app.catalog.service, results: t.app.results.port });
  const store = t.app.dossiers.service.store;
  rows = await store.db.selectFrom('dossiers').selectAll().execute();
  for (const r of rows) history.set(r.id, await store.events(store.db, r.id));
  for (const demo of demoAccounts) {
    const s = await session(demo.login);
    if (s.kind === 'citizen') citizenId = s.id;
    else officers.set(s.id, { fullName: s.label, agencyCode: s.agencyCode, roles: s.roles });
  }
});
afterAll(() => t?.close());

const eventsOf = (row: DossierRow): DossierEvent[] => history.get(row.id) ?? [];
const stateOf = (row: DossierRow) => project(eventsOf(row));
const localDay = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: t.app.config.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));

describe('seeding the demo dossiers', () => {
  it('writes 300 dossiers and counts them by status', () => {
    expect(result.skipped).toBeUndefined();
    expect(result.created).toBe(300);
    expect(rows).toHaveLength(300);
    const byStatus: Record<string, number> = {};
    for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    expect(result.byStatus).toEqual(byStatus);
  });

  it('keeps every row equal to the projection of its stored events', () => {
    for (const row of rows) {
      const events = eventsOf(row);
      const first = events[0];
      const s = project(events);
      expect(first?.data.type).toBe('submitted');
      if (first?.data.type !== 'submitted') continue;
      expect(row, row.code).toMatchObject({
        status: s.status,
        national_status: statuses[s.status],
        stage: s.stage,
        receiving_agency: first.data.receivingAgency,
        channel: first.data.channel,
        holder_agency: s.holderAgency,
        holder_role: s.holderRole,
        assignee_id: s.assigneeId,
        submitted_at: first.at,
        received_at: s.receivedAt,
        due_at: s.dueAt,
        paused_at: s.pausedAt,
        closed_at: s.closedAt,
        involved_agencies: `|${s.involvedAgencies.join('|')}|`,
        event_count: events.length,
        updated_at: events.at(-1)?.at,
      });
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    }
  });

  it('covers every state the lifecycle can reach, and the sub-states the inboxes sort by', () => {
    const seen = new Set(rows.map((r) => r.status));
    const reachable = (Object.keys(statuses) as Status[]).filter((s) => s !== 'WAITING_PAYMENT'); // no event leads there yet
    for (const s of reachable) expect(seen, s).toContain(s);
    const states = rows.map((r) => ({ row: r, s: stateOf(r) }));
    const some = (label: string, pred: (x: (typeof states)[number]) => boolean, atLeast = 2) =>
      expect(states.filter(pred).length, label).toBeGreaterThanOrEqual(atLeast);
    some('assigned', ({ s }) => s.status === 'PROCESSING' && s.stage === 'processing' && s.assigneeId !== null);
    some('in approval', ({ s }) => s.status === 'PROCESSING' && s.stage === 'approval');
    some('held by another agency', ({ s }) => s.status === 'PROCESSING' && s.holderAgency !== s.receivingAgency);
    some('waiting for papers at intake', ({ s }) => s.status === 'WAITING_SUPPLEMENT' && s.pausedAt === null);
    some('waiting for papers in processing (clock stopped)', ({ s }) => s.status === 'WAITING_SUPPLEMENT' && s.pausedAt !== null);
    some('resumed after papers', ({ row }) => eventsOf(row).some((e) => e.data.type === 'supplemented' && e.data.dueAt !== null));
    some('late and open', ({ s }) => !s.closedAt && s.status !== 'DONE' && !s.pausedAt && s.dueAt !== null && s.dueAt < new Date().toISOString(), 10);
    some('decided late', ({ s }) => s.decidedAt !== null && s.dueAt !== null && s.decidedAt > s.dueAt);
    some('apologised', ({ s }) => s.apologies > 0, 4);
    some('denied', ({ s }) => s.decision === 'denied', 1);
    some('sent back for rework', ({ row }) => eventsOf(row).some((e) => e.data.type === 'returned_for_rework'));
    some('decided after a round trip between the ward and Sở Tư pháp', ({ s }) => s.decidedAt !== null && s.involvedAgencies.includes(WARD) && s.involvedAgencies.includes(JUSTICE));
    for (const c of ['online', 'counter', 'post']) some(`channel ${c}`, ({ row }) => row.channel === c, 5);
  });

  it('spreads the dossiers over levels: mostly the demo ward, then Sở Tư pháp, a few elsewhere', () => {
    const at = (code: string) => rows.filter((r) => r.receiving_agency === code).length;
    expect(at(WARD)).toBeGreaterThan(150);
    expect(at(JUSTICE)).toBeGreaterThan(50);
    const elsewhere = new Set(rows.map((r) => r.receiving_agency).filter((c) => c !== WARD && c !== JUSTICE));
    expect(elsewhere.size).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => r.involved_agencies.split('|').filter(Boolean).length > 1).length).toBeGreaterThan(10);
  });

  it('writes only histories the service would have accepted, with its deadlines and officers', async () => {
    const catalog = t.app.catalog.service;
    const calendar = t.app.calendar;
    const now = new Date().toISOString();
    // "The last ~60 days": receipts at most ~52 calendar days back, submissions a few days before.
    const earliest = new Date(Date.now() - 62 * 86_400_000).toISOString();
    const actionOf: Record<Exclude<EventType, 'submitted' | 'payment_requested' | 'payment_confirmed'>, Action> = {
      received: 'receive',
      supplement_requested: 'requestSupplement',
      supplemented: 'supplement',
      refused: 'refuse',
      assigned: 'assign',
      transferred: 'transfer',
      sent_for_approval: 'sendForApproval',
      returned_for_rework: 'returnForRework',
      approved: 'approve',
      result_returned: 'returnResult',
      apology_issued: 'issueApology',
      stopped: 'stop',
      withdrawn: 'withdraw',
    };
    const procedures = new Map<string, { days: number; cutoff?: number }>();
    for (const row of rows) {
      if (!procedures.has(row.procedure_code)) {
        const p = await catalog.getProcedure(row.procedure_code);
        expect(p, row.procedure_code).not.toBeNull();
        procedures.set(row.procedure_code, { days: p?.body.processingDays ?? -1, cutoff: p?.body.cutoffHour });
        expect(p && (await catalog.implementedBy(p, row.receiving_agency)), `${row.procedure_code} at ${row.receiving_agency}`).toBe(true);
        expect(row.procedure_name).toBe(p?.body.name);
      }
    }
    for (const row of rows) {
      const events = eventsOf(row);
      const proc = procedures.get(row.procedure_code) ?? { days: -1 };
      const first = events[0];
      expect((first?.at ?? '') >= earliest, row.code).toBe(true);
      if (first?.data.type === 'submitted' && first.data.channel === 'online') expect(first).toMatchObject({ actorAgency: null, actorId: row.applicant_account_id });
      else expect(first?.actorAgency).toBe(row.receiving_agency);
      for (let i = 1; i < events.length; i++) {
        const e = events[i] as DossierEvent;
        const before = project(events.slice(0, i));
        expect(e.at > (events[i - 1]?.at ?? ''), `${row.code} #${e.seq} in order`).toBe(true);
        expect(e.at <= now, `${row.code} #${e.seq} not in the future`).toBe(true);
        if (e.data.type === 'submitted') throw new Error(`${row.code}: submitted twice`);
        if (e.data.type === 'payment_requested' || e.data.type === 'payment_confirmed') throw new Error(`${row.code}: demo dossiers are not paid online`);
        const action = actionOf[e.data.type];
        let actor: DossierActor;
        if (e.actorAgency === null) actor = { kind: 'citizen', id: e.actorId ?? 'applicant-without-account' };
        else if (e.actorId === null) actor = { kind: 'officer', id: `desk:${e.actorAgency}`, agencyCode: e.actorAgency, roles: ['counter_clerk'] };
        else {
          const o = officers.get(e.actorId);
          expect(o, `${row.code} #${e.seq}: actor is a demo officer`).toBeDefined();
          expect(e.actorLabel).toBe(o?.fullName);
          actor = { kind: 'officer', id: e.actorId, agencyCode: o?.agencyCode ?? null, roles: o?.roles ?? [] };
        }
        const applicant = row.applicant_account_id ?? (actor.kind === 'citizen' ? actor.id : null);
        expect(checkAction(before, action, actor, applicant), `${row.code} #${e.seq} ${action} by ${e.actorLabel} in ${before.status}/${before.stage}`).toBeNull();

        const d = e.data;
        if (d.type === 'received') {
          const due = await calendar.dueDate({ receivedAt: new Date(e.at), workingDays: proc.days, cutoff: proc.cutoff === undefined ? undefined : { hour: proc.cutoff } });
          expect(d, row.code).toEqual({ type: 'received', dueAt: due.dueAt.toISOString(), workingDays: proc.days });
        } else if (d.type === 'assigned') {
          const o = officers.get(d.assigneeId);
          expect(o?.agencyCode).toBe(before.holderAgency);
          expect(o?.roles).toContain('specialist');
          expect(d.assigneeName).toBe(o?.fullName);
        } else if (d.type === 'transferred') {
          expect(d.toAgency).not.toBe(before.holderAgency);
          expect(d.toAgencyName).toBe((await catalog.getAgency(d.toAgency))?.name);
        } else if (d.type === 'apology_issued') {
          expect(d.newDueAt > (before.dueAt ?? ''), row.code).toBe(true);
          expect(d.newDueAt).toBe(zonedInstant(localDay(d.newDueAt), calendar.officeHours.end, calendar.timeZone).toISOString());
        } else if (d.type === 'supplemented' && before.pausedAt && before.dueAt) {
          const start = calendar.localDate(new Date(before.pausedAt));
          const end = calendar.localDate(new Date(before.dueAt));
          const left = end <= start ? 0 : await calendar.countWorkingDays(start, end);
          expect(d.dueAt).toBe((await calendar.resume({ remaining: left, resumedAt: new Date(e.at) })).dueAt.toISOString());
        } else if (d.type === 'supplement_requested') {
          expect(d.items.length).toBeGreaterThan(0);
          for (const item of d.items) expect(item.name.length * item.reason.length).toBeGreaterThan(0);
        }
      }
    }
  });

  it('gives unique codes from gap-free daily sequences, by agency and local day of submission', async () => {
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
    const groups = new Map<string, DossierRow[]>();
    for (const r of rows) {
      const m = /^(.+)-(\d{6})-(\d{4})$/.exec(r.code);
      expect(m, r.code).not.toBeNull();
      expect(m?.[1]).toBe(r.receiving_agency);
      expect(m?.[2]).toBe(localDay(r.submitted_at).slice(2).replaceAll('-', ''));
      const key = `${m?.[1]}|${m?.[2]}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const counters = await t.app.dossiers.service.store.db.selectFrom('dossier_code_counters').selectAll().execute();
    for (const [key, list] of groups) {
      const bySeq = [...list].sort((a, b) => a.code.localeCompare(b.code));
      expect(bySeq.map((r) => Number(r.code.slice(-4))), key).toEqual(bySeq.map((_, i) => i + 1));
      // Numbers follow the clock of the day.
      expect(bySeq.map((r) => r.submitted_at), key).toEqual(bySeq.map((r) => r.submitted_at).sort());
      const [agency, day] = key.split('|');
      expect(counters.find((c) => c.agency_code === agency && c.day === day)?.last_seq, key).toBe(list.length);
    }
    expect(counters).toHaveLength(groups.size);
  });

  it('fills the demo ward’s inbox: late, due within 2 working days, to assign, mine, approval, waiting, results', async () => {
    const service = t.app.dossiers.service;
    const page = { page: 1, pageSize: 100 };
    const clerk = await session('motcua.badinh@hanoi.gov.vn');
    const leader = await session('lanhdao.badinh@hanoi.gov.vn');
    const specialist = await session('chuyenvien.badinh@hanoi.gov.vn');
    const now = new Date().toISOString();
    for (const who of [clerk, leader]) {
      const late = await service.inbox(who, 'late', page);
      expect(late.total, `${who.label}: late`).toBeGreaterThanOrEqual(5);
      for (const i of late.items) expect(i.late && (i.dueAt ?? '') < now).toBe(true);
      const soon = await service.inbox(who, 'due-soon', page);
      expect(soon.total, `${who.label}: due soon`).toBeGreaterThanOrEqual(3);
      for (const i of soon.items) expect(!i.late && (i.dueAt ?? '') >= now).toBe(true);
    }
    expect((await service.inbox(clerk, 'new', page)).total).toBeGreaterThanOrEqual(5);
    expect((await service.inbox(clerk, 'waiting', page)).total).toBeGreaterThanOrEqual(5);
    expect((await service.inbox(clerk, 'results', page)).total).toBeGreaterThanOrEqual(5);
    expect((await service.inbox(leader, 'to-assign', page)).total).toBeGreaterThanOrEqual(5);
    expect((await service.inbox(leader, 'approval', page)).total).toBeGreaterThanOrEqual(3);
    expect((await service.inbox(specialist, 'mine', page)).total).toBeGreaterThanOrEqual(10);
    // A box counts no further than its cap, and says so; below it the count is exact.
    const exact = await service.inbox(clerk, 'all', { page: 1, pageSize: 5, countUpTo: 100_000 });
    expect(exact.totalCapped).toBe(false);
    expect(exact.total).toBeGreaterThan(10);
    const capped = await service.inbox(clerk, 'all', { page: 1, pageSize: 5, countUpTo: 10 });
    expect(capped).toMatchObject({ total: 10, totalCapped: true });
    expect(capped.items.map((i) => i.code)).toEqual(exact.items.map((i) => i.code));
    expect(await service.inbox(clerk, 'all', { page: 1, pageSize: 5, countUpTo: exact.total })).toMatchObject({ total: exact.total, totalCapped: false });
    const justice = await session('lanhdao.stp@hanoi.gov.vn');
    expect((await service.inbox(justice, 'late', page)).total).toBeGreaterThan(0);
    expect((await service.inbox(justice, 'to-assign', page)).total).toBeGreaterThan(0);
    // The officers can open what their inbox lists, with the buttons their role allows.
    const first = (await service.inbox(leader, 'to-assign', page)).items[0];
    const view = first && (await service.get(first.id, leader));
    expect(view?.actions).toContain('assign');
  });

  it('gives the demo citizen about ten dossiers of their own under “Hồ sơ của tôi”', async () => {
    const service = t.app.dossiers.service;
    const mine = await service.mine(citizenId);
    expect(mine).toHaveLength(10);
    const citizen = await session('0912345678');
    const actions = new Set<string>();
    for (const m of mine) {
      const view = await service.get(m.id, citizen);
      expect(view?.applicant.personalId).toBe(CITIZEN_ID_NUMBER);
      expect(view?.form).toMatchObject({ applicant: { fullName: 'Nguyễn Văn An' } });
      for (const a of view?.actions ?? []) actions.add(a);
    }
    expect(actions).toContain('supplement');
    expect(actions).toContain('withdraw');
    expect(new Set(mine.map((m) => m.status)).size).toBeGreaterThanOrEqual(5);
    expect(rows.filter((r) => r.applicant_personal_id === CITIZEN_ID_NUMBER).every((r) => r.applicant_account_id === citizenId)).toBe(true);
  });

  it('uses realistic applicants: varied names, valid personal IDs, Hanoi addresses, 09 phones', () => {
    const families = new Set<string>();
    for (const r of rows) {
      const form = JSON.parse(r.form_json) as { applicant: { fullName: string; personalId: string; phone?: string; email?: string; address: string }; answers: { requestContent: string }; demo: boolean };
      expect(form.demo).toBe(true);
      expect(form.applicant.fullName).toBe(r.applicant_name);
      expect(r.applicant_name.split(' ').length).toBeGreaterThanOrEqual(3);
      families.add(r.applicant_name.split(' ')[0] ?? '');
      const id = parsePersonalId(r.applicant_personal_id ?? '');
      expect(id.ok, r.applicant_personal_id ?? '').toBe(true);
      expect(form.applicant.phone).toMatch(/^09\d{8}$/);
      // Only the demo citizen, whose account this is, may be messaged.
      if (r.applicant_account_id === null) expect(r.applicant_phone).toBeNull();
      if (r.applicant_email && r.applicant_account_id === null) expect(r.applicant_email).toMatch(/^[a-z]+\.[a-z]+\d+@example\.com$/);
      expect(form.applicant.address).toMatch(/Hà Nội$/);
      expect(form.answers.requestContent.length).toBeGreaterThan(20);
    }
    for (const f of ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng']) expect(families).toContain(f);
    expect(families.size).toBeGreaterThanOrEqual(15);
    const others = rows.filter((r) => r.applicant_account_id === null).map((r) => r.applicant_personal_id);
    expect(new Set(others).size).toBe(others.length);
    expect(others).not.toContain(CITIZEN_ID_NUMBER);
  });

  it('issues each granted dossier its signed result, dated and signed at the decision', async () => {
    const granted = rows.flatMap((row) => {
      const decision = eventsOf(row).find((e) => e.data.type === 'approved' && e.data.decision === 'granted');
      return decision ? [{ row, decision }] : [];
    });
    expect(granted.length).toBeGreaterThan(20);
    expect(result.results).toBe(granted.length);
    const service = t.app.results.service;
    const issued = [];
    for (const { row, decision } of granted) {
      const r = await service.find({ dossierId: row.id });
      expect(r, row.code).toMatchObject({ dossier_code: row.code, issued_at: decision.at, issuer_agency: decision.actorAgency, holder_name: row.applicant_name, revoked_at: null });
      if (r) issued.push(r);
    }
    // Numbered per agency and year in the order of the decisions.
    const inOrder = [...issued].sort((a, b) => a.issued_at.localeCompare(b.issued_at));
    const byAgency = new Map<string, number[]>();
    for (const r of inOrder) {
      const key = `${r.issuer_agency} ${r.number.split('/')[1]}`;
      byAgency.set(key, [...(byAgency.get(key) ?? []), Number(r.number.split('/')[0])]);
    }
    for (const numbers of byAgency.values()) expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    // A downloaded result of weeks ago verifies: signature, certificate and our record all agree.
    const oldest = inOrder[0];
    if (!oldest) throw new Error('no result');
    expect(Date.now() - Date.parse(oldest.issued_at)).toBeGreaterThan(7 * 86_400_000);
    const opened = await service.open(oldest);
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
    expect(await service.verifyPdf(Buffer.concat(chunks), 'ket-qua.pdf')).toMatchObject({ authentic: true, result: { number: oldest.number, issuedAt: oldest.issued_at } });
  });

  it('does nothing the second time', async () => {
    const again = await seedDemoDossiers(t.app.dossiers.service, platform, { catalog: t.app.catalog.service });
    expect(again).toMatchObject({ created: 0, skipped: 'already-seeded' });
    const n = await t.app.dossiers.service.store.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(300);
  });

  it('plans the same dossiers for the same clock and seed, and other ones for another seed', async () => {
    const now = new Date('2026-03-18T03:30:00Z');
    const catalog = t.app.catalog.service;
    const strip = (plan: Awaited<ReturnType<typeof planDemoDossiers>>) => plan?.map((p) => ({ ...p, events: p.events.map((e) => ({ ...e, actorId: e.actorId ? 'x' : null })) }));
    const a = await planDemoDossiers(platform, { catalog, now, count: 60, random: seededRandom(7) });
    const b = await planDemoDossiers(platform, { catalog, now, count: 60, random: seededRandom(7) });
    const c = await planDemoDossiers(platform, { catalog, now, count: 60, random: seededRandom(8) });
    expect(a).toHaveLength(60);
    expect(b).toEqual(a);
    expect(strip(c)).not.toEqual(strip(a));
    for (const p of a ?? []) for (const e of p.events) expect(e.at <= now.toISOString()).toBe(true);
  });
});

describe('a demo whose first start stopped before its results were issued', () => {
  let u: TestApp;
  beforeAll(async () => {
    u = await createTestApp({ demo: true });
  });
  afterAll(() => u?.close());

  it('gets every granted dossier its result on the next start, numbered in the order of the decisions, once', async () => {
    const p: Platform = { config: u.app.config, db: u.app.handle.db, engine: u.app.handle.engine, audit: u.app.audit };
    const opts = { catalog: u.app.catalog.service, count: 80 };
    // A database with the demo accounts and no demo dossiers (started with EGOV_DEMO=on): nothing.
    expect(await finishDemoResults(u.app.dossiers.service, u.app.results.port)).toBe(0);
    // What a start killed right after the dossiers' transaction leaves: dossiers, no results.
    expect(await seedDemoDossiers(u.app.dossiers.service, p, opts)).toMatchObject({ created: expect.any(Number) });
    const db = u.app.dossiers.service.store.db.withTables<ResultTables>();
    const granted = await db
      .selectFrom('dossier_events')
      .select(['dossier_id', 'at'])
      .where('type', '=', 'approved')
      .where('data_json', 'like', '%"decision":"granted"%')
      .orderBy('at')
      .execute();
    expect(granted.length).toBeGreaterThan(3);
    expect(await db.selectFrom('results').select('id').execute()).toEqual([]);

    expect(await finishDemoResults(u.app.dossiers.service, u.app.results.port)).toBe(granted.length);
    const issued = await db.selectFrom('results').select(['dossier_id', 'issuer_agency', 'number', 'issued_at']).orderBy('issued_at').execute();
    expect(issued.map((r) => r.dossier_id).sort()).toEqual(granted.map((g) => g.dossier_id).sort());
    for (const r of issued) expect(r.issued_at).toBe(granted.find((g) => g.dossier_id === r.dossier_id)?.at);
    const byAgency = new Map<string, number[]>();
    for (const r of issued) byAgency.set(r.issuer_agency, [...(byAgency.get(r.issuer_agency) ?? []), Number(r.number.split('/')[0])]);
    for (const numbers of byAgency.values()) expect(numbers).toEqual(numbers.map((_, i) => i + 1));

    // Every later start goes over them again and issues nothing new.
    await finishDemoResults(u.app.dossiers.service, u.app.results.port);
    expect(await db.selectFrom('results').select(['dossier_id', 'number']).orderBy('number').execute()).toHaveLength(issued.length);
  });
});
