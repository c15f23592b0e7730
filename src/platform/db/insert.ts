import { CompiledQuery, type Insertable, type Kysely } from 'kysely';

export interface InsertOptions {
  /** `on conflict (column) do nothing`: a row whose key exists is left out. */
  ignoreConflictOn?: string;
}

/** Statements of more rows than this are compiled each time (their SQL grows with the rows). */
const MAX_REUSED_ROWS = 16;

/** Compiled statements by the adapter they were compiled for (one per engine), then by shape. */
const compiled = new WeakMap<object, Map<string, string | null>>();

/**
 * Inserts rows with a statement compiled by Kysely once per table, column list and row count,
 * then reused with new parameters. Kysely builds and compiles every query afresh: on the
 * submission path that cost more of the request thread than SQLite running the inserts
 * (a V8 profile of `bench:dossiers`: a seventh of the thread in Kysely's builders).
 *
 * Only plain values are reused this way (strings, numbers, null): a shape with anything else,
 * or rows that name different columns, goes through Kysely every time. The first statement of
 * each shape is checked against Kysely's own compilation, parameters included, and a shape that
 * does not match is never reused. Returns the number of rows inserted.
 */
export async function insertRows<DB, T extends keyof DB & string>(db: Kysely<DB>, table: T, rows: readonly Insertable<DB[T]>[], opts: InsertOptions = {}): Promise<number> {
  if (!rows.length) return 0;
  const columns = plainColumns(rows as readonly Record<string, unknown>[]);
  const viaKysely = () => {
    // biome-ignore lint/suspicious/noExplicitAny: the table is checked by the signature; Kysely's types cannot follow a generic schema here
    const untyped = db as Kysely<any>;
    let query = untyped.insertInto(table).values(rows as Record<string, unknown>[]);
    if (opts.ignoreConflictOn) query = query.onConflict((oc) => oc.column(opts.ignoreConflictOn as string).doNothing());
    return query;
  };
  if (!columns || rows.length > MAX_REUSED_ROWS) return affected(await viaKysely().executeTakeFirst());
  const parameters: unknown[] = [];
  for (const row of rows as readonly Record<string, unknown>[]) for (const c of columns) parameters.push(row[c]);
  const adapter = db.getExecutor().adapter;
  let byShape = compiled.get(adapter);
  if (!byShape) {
    byShape = new Map();
    compiled.set(adapter, byShape);
  }
  const shape = `${table}\u0000${columns.join(',')}\u0000${rows.length}\u0000${opts.ignoreConflictOn ?? ''}`;
  let sql = byShape.get(shape);
  if (sql === undefined) {
    const query = viaKysely().compile();
    const same = query.parameters.length === parameters.length && query.parameters.every((p, i) => p === parameters[i]);
    sql = same ? query.sql : null;
    byShape.set(shape, sql);
  }
  if (sql === null) return affected(await viaKysely().executeTakeFirst());
  const result = await db.executeQuery(CompiledQuery.raw(sql, parameters));
  return Number(result.numAffectedRows ?? 0n);
}

/** The columns every row sets, in order, if all rows set the same ones to plain values. */
function plainColumns(rows: readonly Record<string, unknown>[]): string[] | null {
  const first = rows[0] as Record<string, unknown>;
  const columns = Object.keys(first).filter((c) => first[c] !== undefined);
  for (const row of rows) {
    let set = 0;
    for (const key in row) {
      const value = row[key];
      if (value === undefined) continue;
      if (value !== null && typeof value !== 'string' && typeof value !== 'number') return null;
      set++;
    }
    if (set !== columns.length || columns.some((c) => row[c] === undefined)) return null;
  }
  return columns;
}

function affected(result: { numInsertedOrUpdatedRows?: bigint } | undefined): number {
  return Number(result?.numInsertedOrUpdatedRows ?? 0n);
}
