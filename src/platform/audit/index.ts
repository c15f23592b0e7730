import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database, Db, Engine } from '../db/index.ts';

export interface AuditEntry {
  actorId?: string | null;
  actorLabel?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  requestId?: string | null;
  outcome?: 'ok' | 'denied' | 'failed';
  before?: unknown;
  after?: unknown;
}

/** Who did it and from where: taken from the request by the routes, passed down to services. */
export interface Actor {
  id: string | null;
  label: string | null;
  ip: string | null;
  requestId: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);
const CHAIN_LOCK = 727_001;

export interface VerifyResult {
  ok: boolean;
  checked: number;
  brokenAt?: number;
  reason?: string;
}

type Row = Database['audit_log'];
type Executor = Db | Transaction<Database>;

/**
 * The append-only audit log. Each row carries the hash of the previous one, so editing or
 * deleting a row breaks the chain and `verify` finds it.
 */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
  ) {}

  /** Appends an entry; pass the caller's transaction so the entry commits with the change it records. */
  async record(entry: AuditEntry, trx?: Transaction<Database>): Promise<void> {
    if (trx) return this.append(trx, entry);
    await this.db.transaction().execute((t) => this.append(t, entry));
  }

  private async append(trx: Executor, entry: AuditEntry): Promise<void> {
    // Several app instances append to one chain: serialise them on PostgreSQL; SQLite already is.
    if (this.engine === 'postgres') await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
    const last = await trx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const row = {
      at: new Date().toISOString(),
      actor_id: entry.actorId ?? null,
      actor_label: entry.actorLabel ?? null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      ip: entry.ip ?? null,
      request_id: entry.requestId ?? null,
      outcome: entry.outcome ?? 'ok',
      before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    await trx
      .insertInto('audit_log')
      .values({ ...row, hash: hashRow(row) })
      .execute();
  }

  /** Walks the whole chain in order and reports the first row that does not fit. */
  async verify(): Promise<VerifyResult> {
    let prev = GENESIS_HASH;
    let checked = 0;
    let after = 0;
    for (;;) {
      const rows = await this.db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(1000).execute();
      if (rows.length === 0) return { ok: true, checked };
      for (const r of rows) {
        if (r.prev_hash !== prev) return { ok: false, checked, brokenAt: r.seq, reason: 'previous hash does not match (a row was removed or reordered)' };
        if (hashRow(r) !== r.hash) return { ok: false, checked, brokenAt: r.seq, reason: 'row content does not match its hash (the row was edited)' };
        prev = r.hash;
        checked++;
        after = r.seq;
      }
    }
  }

  async list(opts: { targetTypes?: string[]; targetId?: string; limit?: number; beforeSeq?: number } = {}) {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(opts.limit ?? 50);
    if (opts.targetTypes?.length) q = q.where('target_type', 'in', opts.targetTypes);
    if (opts.targetId) q = q.where('target_id', '=', opts.targetId);
    if (opts.beforeSeq) q = q.where('seq', '<', opts.beforeSeq);
    return q.execute();
  }
}

function hashRow(r: Omit<Row, 'seq' | 'hash'>): string {
  const canonical = JSON.stringify([
    r.prev_hash,
    r.at,
    r.actor_id,
    r.actor_label,
    r.action,
    r.target_type,
    r.target_id,
    r.ip,
    r.request_id,
    r.outcome,
    r.before_json,
    r.after_json,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export function actorFromRequest(request: { id: string; ip: string; account?: { id: string; label: string } | null }): Actor {
  return { id: request.account?.id ?? null, label: request.account?.label ?? null, ip: request.ip, requestId: request.id };
}
