import { type Kysely, sql, type Transaction } from 'kysely';
import { type Database, type Db, type Engine, insertRows } from '../../platform/db/index.ts';
import { codeTemplate, fillSequence } from './code.ts';
import type { DossierEvent, DossierState } from './lifecycle.ts';
import { statuses } from './lifecycle.ts';
import type { DossierEventRow, DossierRow, DossierTables } from './tables.ts';

export type DossierDb = Kysely<Database & DossierTables>;
export type DossierTrx = Transaction<Database & DossierTables>;

/** Which daily sequence a new dossier is numbered in, and the configured code format. */
export interface Numbering {
  agency: string;
  day: string;
  format: string | undefined;
}

/** Kysely queries for the dossiers module's tables, and nothing else's. */
export class DossierStore {
  readonly db: DossierDb;
  constructor(
    db: Db,
    private readonly engine: Engine,
  ) {
    this.db = db.withTables<DossierTables>();
  }

  transaction<T>(fn: (trx: DossierTrx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  /**
   * The next number in the agency's daily sequence, in the caller's transaction: the counter
   * row is locked until commit, so concurrent submissions get consecutive numbers and a
   * rolled-back submission gives its number back (gap-free).
   */
  async nextSequence(trx: DossierTrx, agencyCode: string, day: string): Promise<number> {
    const row = await trx
      .insertInto('dossier_code_counters')
      .values({ agency_code: agencyCode, day, last_seq: 1 })
      .onConflict((oc) => oc.columns(['agency_code', 'day']).doUpdateSet({ last_seq: (eb) => eb('dossier_code_counters.last_seq', '+', 1) }))
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    return row.last_seq;
  }

  /**
   * Inserts a dossier that is to get the next number of its agency's day; `code()` yields its
   * code. SQLite runs one writer at a time, so the number is taken at once and the row goes in
   * under its code. On PostgreSQL the counter row stays locked from its first use until commit
   * and concurrent submissions to the agency wait that long, so the row goes in under a
   * placeholder and `code()` numbers it: the caller calls it last.
   */
  async insertNumbered(trx: DossierTrx, row: Omit<DossierRow, 'code'>, numbering: Numbering): Promise<{ code(): Promise<string> }> {
    if (this.engine !== 'postgres') {
      const code = fillSequence(codeTemplate(numbering.format, numbering), await this.nextSequence(trx, numbering.agency, numbering.day));
      await this.insertDossier(trx, { ...row, code });
      return { code: async () => code };
    }
    await this.insertDossier(trx, { ...row, code: `~${row.id}` });
    return { code: () => this.numberPlaceholder(trx, row.id, numbering) };
  }

  /**
   * PostgreSQL: numbering and the update in one statement, the database's formatting checked
   * against `formatDossierCode`'s.
   */
  private async numberPlaceholder(trx: DossierTrx, id: string, p: Numbering): Promise<string> {
    const template = codeTemplate(p.format, p);
    const seqText = sql`c.last_seq::text`;
    const pieces = template
      .split(/(\{seq\d\})/)
      .filter(Boolean)
      .map((piece) => {
        const width = /^\{seq(\d)\}$/.exec(piece)?.[1];
        return width === undefined
          ? sql`${piece}::text`
          : sql`(case when length(${seqText}) >= ${Number(width)}::int then ${seqText} else lpad(${seqText}, ${Number(width)}::int, '0') end)`;
      });
    const { rows } = await sql<{ code: string; last_seq: number }>`with c as (
        insert into dossier_code_counters (agency_code, day, last_seq) values (${p.agency}, ${p.day}, 1)
        on conflict (agency_code, day) do update set last_seq = dossier_code_counters.last_seq + 1
        returning last_seq)
      update dossiers set code = ${sql.join(pieces, sql` || `)} from c where dossiers.id = ${id}
      returning dossiers.code, c.last_seq`.execute(trx);
    const row = rows[0];
    if (!row) throw new Error(`dossier ${id} to number was not found`);
    const expected = fillSequence(template, Number(row.last_seq));
    if (row.code !== expected) throw new Error(`the database formatted dossier code ${row.code}, expected ${expected}`);
    return row.code;
  }

  async insertDossier(trx: DossierTrx, row: DossierRow): Promise<void> {
    await insertRows(trx, 'dossiers', [row]);
  }

  async appendEvent(trx: DossierTrx, dossierId: string, e: DossierEvent): Promise<void> {
    await insertRows(trx, 'dossier_events', [
      {
        dossier_id: dossierId,
        seq: e.seq,
        type: e.data.type,
        at: e.at,
        actor_id: e.actorId,
        actor_label: e.actorLabel,
        actor_agency: e.actorAgency,
        reason: e.reason,
        data_json: JSON.stringify(e.data),
      },
    ]);
  }

  async load(idOrCode: { id?: string; code?: string }): Promise<{ row: DossierRow; events: DossierEvent[] } | null> {
    let q = this.db.selectFrom('dossiers').selectAll();
    q = idOrCode.id ? q.where('id', '=', idOrCode.id) : q.where('code', '=', idOrCode.code ?? '');
    const row = await q.executeTakeFirst();
    if (!row) return null;
    return { row, events: await this.events(this.db, row.id) };
  }

  async events(ex: DossierDb | DossierTrx, id: string): Promise<DossierEvent[]> {
    const rows = await ex.selectFrom('dossier_events').selectAll().where('dossier_id', '=', id).orderBy('seq').execute();
    return rows.map(eventOf);
  }

  /** Writes the projection of the new state; refuses if someone else changed the dossier meanwhile. */
  async saveProjection(trx: DossierTrx, id: string, expectedEvents: number, s: DossierState, eventCount: number, now: string): Promise<boolean> {
    const result = await trx
      .updateTable('dossiers')
      .set({
        status: s.status,
        national_status: statuses[s.status],
        stage: s.stage,
        holder_agency: s.holderAgency,
        holder_role: s.holderRole,
        assignee_id: s.assigneeId,
        received_at: s.receivedAt,
        due_at: s.dueAt,
        paused_at: s.pausedAt,
        closed_at: s.closedAt,
        involved_agencies: involved(s.involvedAgencies),
        event_count: eventCount,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('event_count', '=', expectedEvents)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  inbox(opts: { agency: string; box: InboxBox; officerId: string; now: string; soon: string; q?: QueryFilter; offset: number; limit: number }) {
    let q = this.db.selectFrom('dossiers').select(listColumns).where('holder_agency', '=', opts.agency);
    q = applyBox(q, opts);
    q = applyFilter(q, opts.q);
    return q.orderBy('due_at').orderBy('submitted_at').offset(opts.offset).limit(opts.limit).execute();
  }

  /**
   * How many dossiers the box holds, counting no further than `upTo` + 1: an agency's "all" box
   * holds every dossier it ever had (50,000 for a busy ward), and counting them all on every
   * inbox page cost more than the page itself.
   */
  async inboxCount(opts: { agency: string; box: InboxBox; officerId: string; now: string; soon: string; q?: QueryFilter; upTo: number }): Promise<number> {
    let q = this.db.selectFrom('dossiers').select('id').where('holder_agency', '=', opts.agency);
    q = applyBox(q, opts);
    q = applyFilter(q, opts.q);
    const row = await this.db
      .selectFrom(q.limit(opts.upTo + 1).as('box'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Open dossiers whose clock runs and that fall due in [from, to]. */
  dueBetween(from: string, to: string) {
    return this.db
      .selectFrom('dossiers')
      .select(['id', 'code', 'holder_agency', 'assignee_id', 'due_at'])
      .where('closed_at', 'is', null)
      .where('status', 'in', ['RECEIVED', 'PROCESSING'])
      .where('paused_at', 'is', null)
      .where('due_at', '>=', from)
      .where('due_at', '<=', to)
      .execute();
  }

  byApplicant(accountId: string, limit: number) {
    return this.db.selectFrom('dossiers').select(listColumns).where('applicant_account_id', '=', accountId).orderBy('submitted_at', 'desc').limit(limit).execute();
  }

  // Drafts

  getDraft(accountId: string, procedureCode: string) {
    return this.db.selectFrom('dossier_drafts').selectAll().where('account_id', '=', accountId).where('procedure_code', '=', procedureCode).executeTakeFirst();
  }

  async saveDraft(accountId: string, procedureCode: string, data: unknown, id: string, now: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('dossier_drafts').where('account_id', '=', accountId).where('procedure_code', '=', procedureCode).execute();
      await trx.insertInto('dossier_drafts').values({ id, account_id: accountId, procedure_code: procedureCode, data_json: JSON.stringify(data), updated_at: now }).execute();
    });
  }

  deleteDraft(trx: DossierTrx, accountId: string, procedureCode: string) {
    return trx.deleteFrom('dossier_drafts').where('account_id', '=', accountId).where('procedure_code', '=', procedureCode).execute();
  }
}

export type InboxBox = 'new' | 'mine' | 'due-soon' | 'late' | 'waiting' | 'to-assign' | 'approval' | 'results' | 'all';
export type QueryFilter = { code?: string; personalId?: string; nameFolded?: string };

const listColumns = [
  'id',
  'code',
  'procedure_code',
  'procedure_name',
  'applicant_name',
  'status',
  'national_status',
  'stage',
  'holder_agency',
  'holder_role',
  'assignee_id',
  'submitted_at',
  'received_at',
  'due_at',
  'paused_at',
  'closed_at',
  'channel',
] as const;

// biome-ignore lint/suspicious/noExplicitAny: a Kysely builder of the dossiers table, any selection
type Q = any;

function applyBox(q: Q, o: { box: InboxBox; officerId: string; now: string; soon: string }): Q {
  switch (o.box) {
    case 'new':
      return q.where('status', '=', 'NEW');
    case 'to-assign':
      return q.where('status', 'in', ['RECEIVED', 'PROCESSING']).where('holder_role', '=', 'leader').where('stage', '=', 'processing');
    case 'mine':
      return q.where('assignee_id', '=', o.officerId).where('closed_at', 'is', null);
    case 'approval':
      return q.where('status', '=', 'PROCESSING').where('stage', '=', 'approval');
    case 'due-soon':
      return q.where('closed_at', 'is', null).where('status', 'not in', ['DONE']).where('paused_at', 'is', null).where('due_at', '>=', o.now).where('due_at', '<=', o.soon);
    case 'late':
      return q.where('closed_at', 'is', null).where('status', 'not in', ['DONE']).where('paused_at', 'is', null).where('due_at', '<', o.now);
    case 'waiting':
      // Waiting for the applicant: papers asked for, or a fee not yet paid.
      return q.where('status', 'in', ['WAITING_SUPPLEMENT', 'WAITING_PAYMENT']);
    case 'results':
      return q.where('status', '=', 'DONE');
    case 'all':
      return q;
  }
}

function applyFilter(q: Q, f?: QueryFilter): Q {
  if (!f) return q;
  if (f.code) q = q.where('code', '=', f.code);
  if (f.personalId) q = q.where('applicant_personal_id', '=', f.personalId);
  if (f.nameFolded) q = q.where('applicant_name_folded', 'like', `%${f.nameFolded.replace(/[%_]/g, '')}%`);
  return q;
}

/** Involved agencies as a delimited string, searchable with LIKE on both engines. */
export function involved(codes: string[]): string {
  return `|${codes.join('|')}|`;
}

/** A stored event row as the lifecycle sees it. */
export function eventOf(r: DossierEventRow): DossierEvent {
  return { seq: r.seq, at: r.at, actorId: r.actor_id, actorLabel: r.actor_label, actorAgency: r.actor_agency, reason: r.reason, data: JSON.parse(r.data_json) };
}
