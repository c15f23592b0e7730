import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { type Database, type Db, type Engine, insertRows } from '../db/index.ts';

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
type Content = Omit<Row, 'seq' | 'hash' | 'prev_hash' | 'chain_pos'>;

/** Entries sealed into the chain by one transaction, at most. */
const SEAL_BATCH = 500;

/**
 * The append-only audit log. Each row carries the hash of the previous one in the chain, so
 * editing or deleting a row breaks the chain and `verify` finds it.
 *
 * SQLite has one writer at a time: an entry is chained as it is written. On PostgreSQL, chaining
 * in the writer's transaction would make every audited change in the city wait for the one
 * before it to commit (the chain's head is locked from the read of it to the commit). There, an
 * entry commits unchained with the change it records and `seal` chains the committed entries
 * soon after, in the order they became visible, one sealer at a time (an advisory lock). The
 * app seals every few hundred milliseconds and before `verify`; an entry is tamper-evident once
 * sealed.
 */
export class AuditLog {
  private sealing: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
  ) {}

  /** Appends an entry; pass the caller's transaction so the entry commits with the change it records. */
  record(entry: AuditEntry, trx?: Transaction<Database>): Promise<void> {
    return this.recordAll([entry], trx);
  }

  /** Appends several entries with one statement. */
  async recordAll(entries: AuditEntry[], trx?: Transaction<Database>): Promise<void> {
    if (!entries.length) return;
    const contents = entries.map(toContent);
    // On PostgreSQL an append is one insert; on SQLite reading the head and writing after it
    // must not interleave with another append.
    if (trx || this.engine === 'postgres') return this.append(trx ?? this.db, contents);
    await this.db.transaction().execute((t) => this.append(t, contents));
  }

  private async append(trx: Executor, entries: Content[]): Promise<void> {
    if (this.engine === 'postgres') {
      await insertRows(
        trx,
        'audit_log',
        entries.map((content) => ({ ...content, prev_hash: null, hash: null, chain_pos: null })),
      );
      return;
    }
    const links = chain(await head(trx), entries);
    await insertRows(
      trx,
      'audit_log',
      entries.map((content, i) => ({ ...content, ...(links[i] as Link) })),
    );
  }

  /**
   * Chains the entries committed since the last seal (PostgreSQL; on SQLite every entry is
   * chained as it is written). Returns how many it chained.
   */
  async seal(): Promise<number> {
    if (this.engine !== 'postgres') return 0;
    let sealed = 0;
    for (;;) {
      const n = await this.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
        // Read after the lock is held: each statement sees what committed before it began.
        const pending = await trx.selectFrom('audit_log').selectAll().where('hash', 'is', null).orderBy('seq').limit(SEAL_BATCH).execute();
        if (!pending.length) return 0;
        const links = chain(await head(trx), pending);
        const values = pending.map((r, i) => {
          const link = links[i] as Link;
          return sql`(${r.seq}::bigint, ${link.prev_hash}, ${link.hash}, ${link.chain_pos}::bigint)`;
        });
        await sql`update audit_log as a set prev_hash = v.prev_hash, hash = v.hash, chain_pos = v.chain_pos
          from (values ${sql.join(values)}) as v (seq, prev_hash, hash, chain_pos) where a.seq = v.seq`.execute(trx);
        return pending.length;
      });
      sealed += n;
      if (n < SEAL_BATCH) return sealed;
    }
  }

  /** Seals every `intervalMs` until `stopSealing` (PostgreSQL only; nothing to do on SQLite). */
  startSealing(intervalMs: number, onError: (err: unknown) => void): void {
    if (this.engine !== 'postgres' || this.sealing) return;
    this.sealing = setInterval(() => void this.seal().catch(onError), intervalMs);
    this.sealing.unref();
  }

  /** Stops the timer and seals what has committed, so a stopping instance leaves nothing behind. */
  async stopSealing(): Promise<void> {
    if (this.sealing) clearInterval(this.sealing);
    this.sealing = undefined;
    await this.seal();
  }

  /** Seals, then walks the whole chain in order and reports the first row that does not fit. */
  async verify(): Promise<VerifyResult> {
    await this.seal();
    let prev = GENESIS_HASH;
    let checked = 0;
    let after = 0;
    for (;;) {
      const rows = await this.db.selectFrom('audit_log').selectAll().where('chain_pos', '>', after).orderBy('chain_pos').limit(1000).execute();
      if (rows.length === 0) return { ok: true, checked };
      for (const r of rows) {
        if (r.prev_hash !== prev) return { ok: false, checked, brokenAt: r.seq, reason: 'previous hash does not match (a row was removed or reordered)' };
        if (hashRow(r) !== r.hash) return { ok: false, checked, brokenAt: r.seq, reason: 'row content does not match its hash (the row was edited)' };
        prev = r.hash;
        checked++;
        after = r.chain_pos ?? after;
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

interface Link {
  prev_hash: string;
  hash: string;
  chain_pos: number;
}

function toContent(entry: AuditEntry): Content {
  return {
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
  };
}

/** The last chained entry. */
function head(ex: Executor): Promise<{ hash: string | null; chain_pos: number | null } | undefined> {
  return ex.selectFrom('audit_log').select(['hash', 'chain_pos']).where('chain_pos', 'is not', null).orderBy('chain_pos', 'desc').limit(1).executeTakeFirst();
}

/** The links of `entries`, in order, after `last`. */
function chain(last: { hash: string | null; chain_pos: number | null } | undefined, entries: Content[]): Link[] {
  let prev = last?.hash ?? GENESIS_HASH;
  let pos = last?.chain_pos ?? 0;
  return entries.map((content) => {
    const hash = hashRow({ ...content, prev_hash: prev });
    const link = { prev_hash: prev, hash, chain_pos: ++pos };
    prev = hash;
    return link;
  });
}

function hashRow(r: Content & { prev_hash: string | null }): string {
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
