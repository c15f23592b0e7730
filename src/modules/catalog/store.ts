import type { Transaction } from 'kysely';
import type { Database, Db } from '../../platform/db/index.ts';

type Executor = Db | Transaction<Database>;

/** Kysely queries for the catalog's tables (agencies, domains, procedures), and nothing else. */
export class CatalogStore {
  constructor(readonly db: Db) {}

  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async revision(): Promise<number> {
    const row = await this.db.selectFrom('catalog_state').select('revision').where('id', '=', 1).executeTakeFirst();
    return row?.revision ?? 0;
  }

  /** Bumped in the same transaction as any catalog change; search indexes watch it. */
  async bumpRevision(trx: Executor): Promise<void> {
    await trx.updateTable('catalog_state').set((eb) => ({ revision: eb('revision', '+', 1) })).where('id', '=', 1).execute();
  }

  async countProcedures(): Promise<number> {
    const row = await this.db.selectFrom('procedures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  // Domains

  listDomains(ex: Executor = this.db) {
    return ex.selectFrom('domains').selectAll().orderBy('position').orderBy('name').execute();
  }

  async domainCounts(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('procedures')
      .select(['domain_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'active')
      .groupBy('domain_code')
      .execute();
    return new Map(rows.map((r) => [r.domain_code, Number(r.n)]));
  }

  getDomain(code: string) {
    return this.db.selectFrom('domains').selectAll().where('code', '=', code).executeTakeFirst();
  }

  async upsertDomain(trx: Executor, d: Database['domains']): Promise<void> {
    const existing = await trx.selectFrom('domains').select('code').where('code', '=', d.code).executeTakeFirst();
    if (existing) {
      await trx.updateTable('domains').set({ name: d.name, name_en: d.name_en, description: d.description }).where('code', '=', d.code).execute();
    } else {
      await trx.insertInto('domains').values(d).execute();
    }
  }

  async maxDomainPosition(trx: Executor): Promise<number> {
    const row = await trx.selectFrom('domains').select((eb) => eb.fn.max<number>('position').as('p')).executeTakeFirst();
    return Number(row?.p ?? 0);
  }

  // Procedures

  getProcedure(code: string, ex: Executor = this.db) {
    return ex.selectFrom('procedures').selectAll().where('code', '=', code).executeTakeFirst();
  }

  listVersions(code: string, ex: Executor = this.db) {
    return ex.selectFrom('procedure_versions').selectAll().where('procedure_code', '=', code).orderBy('version', 'desc').execute();
  }

  insertProcedure(trx: Executor, p: Database['procedures']) {
    return trx.insertInto('procedures').values(p).execute();
  }

  updateProcedure(trx: Executor, code: string, patch: Partial<Database['procedures']>) {
    return trx.updateTable('procedures').set(patch).where('code', '=', code).execute();
  }

  insertVersion(trx: Executor, v: Database['procedure_versions']) {
    return trx.insertInto('procedure_versions').values(v).execute();
  }

  /** Closes the open-ended previous version the day before a new one takes effect. */
  closeVersion(trx: Executor, code: string, version: number, effectiveTo: string) {
    return trx
      .updateTable('procedure_versions')
      .set({ effective_to: effectiveTo })
      .where('procedure_code', '=', code)
      .where('version', '=', version)
      .where('effective_to', 'is', null)
      .execute();
  }

  /** Every version of every procedure (optionally only active ones), for indexing and export. */
  allVersions(opts: { activeOnly: boolean }) {
    let q = this.db
      .selectFrom('procedure_versions as v')
      .innerJoin('procedures as p', 'p.code', 'v.procedure_code')
      .select(['v.procedure_code', 'v.version', 'v.effective_from', 'v.effective_to', 'v.body', 'p.status', 'p.domain_code', 'p.current_version'])
      .orderBy('v.procedure_code')
      .orderBy('v.version');
    if (opts.activeOnly) q = q.where('p.status', '=', 'active');
    return q.execute();
  }

  listProcedures(opts: { domain?: string; status?: 'active' | 'retired'; offset: number; limit: number }) {
    let q = this.db.selectFrom('procedures').selectAll();
    if (opts.domain) q = q.where('domain_code', '=', opts.domain);
    if (opts.status) q = q.where('status', '=', opts.status);
    return q.orderBy('name').offset(opts.offset).limit(opts.limit).execute();
  }

  async countProceduresWhere(opts: { domain?: string; status?: 'active' | 'retired' }): Promise<number> {
    let q = this.db.selectFrom('procedures').select((eb) => eb.fn.countAll<number>().as('n'));
    if (opts.domain) q = q.where('domain_code', '=', opts.domain);
    if (opts.status) q = q.where('status', '=', opts.status);
    return Number((await q.executeTakeFirst())?.n ?? 0);
  }

  // Agencies

  async upsertStructure(trx: Executor, s: Database['agency_structures']): Promise<void> {
    await trx.deleteFrom('agencies').where('structure_code', '=', s.code).execute();
    await trx.deleteFrom('agency_structures').where('code', '=', s.code).execute();
    await trx.insertInto('agency_structures').values(s).execute();
  }

  async insertAgencies(trx: Executor, rows: Database['agencies'][]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) await trx.insertInto('agencies').values(rows.slice(i, i + 200)).execute();
  }

  listStructures() {
    return this.db.selectFrom('agency_structures').selectAll().orderBy('effective_from').execute();
  }

  /** The structure in force on `date` (YYYY-MM-DD). */
  structureOn(date: string) {
    return this.db
      .selectFrom('agency_structures')
      .selectAll()
      .where('effective_from', '<=', date)
      .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', date)]))
      .orderBy('effective_from', 'desc')
      .executeTakeFirst();
  }

  listAgencies(opts: { structure: string; level?: string; parent?: string; offset: number; limit: number }) {
    let q = this.db.selectFrom('agencies').selectAll().where('structure_code', '=', opts.structure);
    if (opts.level) q = q.where('level', '=', opts.level as 'city');
    if (opts.parent) q = q.where('parent_code', '=', opts.parent);
    return q.orderBy('code').offset(opts.offset).limit(opts.limit).execute();
  }

  async countAgencies(opts: { structure: string; level?: string; parent?: string }): Promise<number> {
    let q = this.db.selectFrom('agencies').select((eb) => eb.fn.countAll<number>().as('n')).where('structure_code', '=', opts.structure);
    if (opts.level) q = q.where('level', '=', opts.level as 'city');
    if (opts.parent) q = q.where('parent_code', '=', opts.parent);
    return Number((await q.executeTakeFirst())?.n ?? 0);
  }

  /** Agency names by code, across structures (newest structure wins). */
  async agencyNames(codes: string[]): Promise<Map<string, { name: string; name_en: string }>> {
    if (!codes.length) return new Map();
    const rows = await this.db
      .selectFrom('agencies as a')
      .innerJoin('agency_structures as s', 's.code', 'a.structure_code')
      .select(['a.code', 'a.name', 'a.name_en', 's.effective_from'])
      .where('a.code', 'in', codes)
      .orderBy('s.effective_from')
      .execute();
    return new Map(rows.map((r) => [r.code, { name: r.name, name_en: r.name_en }]));
  }

  /** An agency by code, from the newest structure that has it. */
  getAgency(code: string) {
    return this.db
      .selectFrom('agencies as a')
      .innerJoin('agency_structures as s', 's.code', 'a.structure_code')
      .selectAll('a')
      .where('a.code', '=', code)
      .orderBy('s.effective_from', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async agencyExists(code: string): Promise<boolean> {
    const row = await this.db.selectFrom('agencies').select('code').where('code', '=', code).limit(1).executeTakeFirst();
    return Boolean(row);
  }
}
