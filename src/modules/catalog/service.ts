import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Transaction } from 'kysely';
import type { Actor } from '../../platform/audit/index.ts';
import type { Database } from '../../platform/db/index.ts';
import { AppError, type FieldIssue, fromZodIssues } from '../../platform/http/errors.ts';
import type { Platform } from '../../platform/index.ts';
import { locate, parseJsonWithLocations } from '../../platform/json/locate.ts';
import { localDate } from '../../platform/calendar/zone.ts';
import { fold } from '../../platform/text/fold.ts';
import {
  type AgencyStructureFile,
  agencyStructureFileSchema,
  type CatalogFile,
  catalogFileSchema,
  type ProcedureBody,
  procedureSchema,
} from './format.ts';
import { ProcedureIndex, type SearchDoc, type SearchFilters, SynonymTable } from './search.ts';
import { CatalogStore } from './store.ts';
import { deepFreeze } from '../../platform/json/freeze.ts';

export interface ProcedureSummary {
  code: string;
  name: string;
  nameEn: string;
  domainCode: string;
  domainName: string;
  domainNameEn: string;
  onlineLevel: 'INFO' | 'PARTIAL' | 'FULL';
  processingDays: number;
  levels: string[];
  feeTotal: number;
}

export interface Implementer {
  level?: 'city' | 'district' | 'commune';
  agencyCode?: string;
  name: string;
  nameEn: string;
}

export interface ProcedureDetail {
  code: string;
  status: 'active' | 'retired';
  version: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  domain: { code: string; name: string; nameEn: string };
  body: ProcedureBody;
  implementers: Implementer[];
  /** A later version already decided but not yet in force. */
  upcoming: { version: number; effectiveFrom: string } | null;
  versions: { version: number; effectiveFrom: string; effectiveTo: string | null; createdAt: string }[];
}

export interface ImportIssue {
  line: number;
  column: number;
  path: string;
  key: string;
  params?: Record<string, string | number>;
}

/** An import file that is refused whole; every problem carries its line in the file. */
export class ImportRefused extends AppError {
  constructor(readonly issues: ImportIssue[]) {
    super(422, 'CATALOG_IMPORT_REFUSED', 'catalog.import.refused', {
      params: { count: issues.length },
      fields: issues.map((i) => ({ field: i.path || '(file)', key: i.key, params: { ...i.params, line: i.line } })),
    });
  }
}

export interface ImportSummary {
  domains: number;
  created: number;
  updated: number;
  unchanged: number;
}

const levelNames = {
  city: { vi: 'Ủy ban nhân dân thành phố', en: 'City People’s Committee' },
  district: { vi: 'Ủy ban nhân dân cấp huyện (quận, huyện, thị xã)', en: 'District People’s Committee' },
  commune: { vi: 'Ủy ban nhân dân cấp xã (xã, phường, thị trấn)', en: 'Commune/ward People’s Committee' },
} as const;

export const today = (date = new Date(), timeZone = 'Asia/Ho_Chi_Minh') => localDate(date, timeZone);

function dayBefore(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The version in force on `date`: the highest version whose period covers it. */
export function versionInForce<V extends { version: number; effective_from: string; effective_to: string | null }>(
  versions: V[],
  date: string,
): V | undefined {
  let best: V | undefined;
  for (const v of versions) {
    if (v.effective_from <= date && (v.effective_to === null || v.effective_to >= date) && (!best || v.version > best.version)) best = v;
  }
  return best;
}

/** Distinct searches remembered per index (oldest dropped first). */
const RESULT_CACHE_SIZE = 2000;
/** Procedures (per code and date) and agencies remembered per catalog revision. */
const ENTRY_CACHE_SIZE = 5000;

export interface AgencyInfo {
  code: string;
  name: string;
  nameEn: string;
  level: 'city' | 'district' | 'commune';
  kind: string;
  parentCode: string | null;
}

interface AddressUnits {
  list: readonly { code: string; name: string }[];
  codes: ReadonlySet<string>;
}

interface RevisionCache {
  revision: number;
  checkedAt: number;
  /** By `code|date`; null remembers that there is none. */
  procedures: Map<string, ProcedureDetail | null>;
  agencies: Map<string, AgencyInfo | null>;
  addressUnits: Map<string, AddressUnits>;
}

export interface SearchPage {
  readonly items: ProcedureSummary[];
  readonly total: number;
}

/** Adds to a bounded cache, dropping the oldest entry when full. */
function remember<V>(map: Map<string, V>, key: string, value: V, size = ENTRY_CACHE_SIZE): void {
  if (map.size >= size) map.delete(map.keys().next().value as string);
  map.set(key, value);
}


export class CatalogService {
  private readonly store: CatalogStore;
  private index: {
    revision: number;
    checkedAt: number;
    index: ProcedureIndex;
    docs: Map<string, ProcedureSummary>;
    sorted: ProcedureSummary[];
    results: Map<string, ProcedureSummary[]>;
    pages: Map<string, SearchPage>;
  } | null = null;
  /**
   * What every dossier reads again and again (procedures, agencies, address units), kept for as
   * long as the catalog revision stays the same: any catalog or agency change moves it, and
   * other instances see the move within EGOV_SEARCH_REFRESH_MS, as with the search index.
   */
  private cache: RevisionCache | null = null;
  private rebuilding: Promise<void> | null = null;
  private synonyms = new SynonymTable({});

  constructor(private readonly platform: Platform) {
    this.store = new CatalogStore(platform.db);
  }

  private substituteCity(code: string): string {
    return code.replace(/\.HNN$/, `.${this.platform.config.cityCode}`);
  }

  /** Today's date (YYYY-MM-DD) in the city's time zone: the date rules are judged by. */
  currentDate(): string {
    return today(new Date(), this.platform.config.timeZone);
  }

  /** The catalog's part of the audit log, newest first. */
  auditTrail(beforeSeq?: number) {
    return this.platform.audit.list({ targetTypes: ['procedure', 'catalog', 'agency_structure'], beforeSeq, limit: 50 });
  }

  async isEmpty(): Promise<boolean> {
    return (await this.store.countProcedures()) === 0;
  }

  /** Loads the demo city (both administrative structures), its catalog and the search synonyms. */
  async loadDemoData(dataDir: string): Promise<void> {
    const system: Actor = { id: null, label: 'system:demo', ip: null, requestId: null };
    for (const file of ['hanoi-3-levels.json', 'hanoi-2-levels.json']) {
      await this.importAgenciesText(readFileSync(path.join(dataDir, 'agencies', file), 'utf8'), system);
    }
    await this.importCatalogText(readFileSync(path.join(dataDir, 'catalog/hanoi-catalog.json'), 'utf8'), system);
  }

  loadSynonyms(file: string): void {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { synonyms: Record<string, string[]> };
    this.synonyms = new SynonymTable(parsed.synonyms);
    this.forget();
  }

  // ---- import / export

  /** Validates a whole catalog file and imports it in one transaction, or refuses it whole. */
  async importCatalogText(text: string, actor: Actor): Promise<ImportSummary> {
    const parsed = parseJsonWithLocations(text);
    if (!parsed.ok) throw new ImportRefused(parsed.issues.map((i) => ({ ...i, key: 'catalog.import.syntax', params: { detail: i.message } })));
    const result = catalogFileSchema.safeParse(parsed.value);
    if (!result.success) {
      throw new ImportRefused(
        result.error.issues.flatMap((issue) =>
          fromZodIssues([issue]).map((f) => ({ ...locate(parsed, fieldPath(f.field)), path: f.field, key: f.key, params: f.params })),
        ),
      );
    }
    const file = result.data;
    const problems = await this.referentialProblems(file);
    if (problems.length) {
      throw new ImportRefused(problems.map((p) => ({ ...locate(parsed, p.path), path: p.path.join('.'), key: p.key, params: p.params })));
    }
    return this.importCatalog(file, actor);
  }

  private async referentialProblems(file: CatalogFile) {
    const problems: { path: (string | number)[]; key: string; params?: Record<string, string> }[] = [];
    const domainCodes = new Set([...(await this.store.listDomains()).map((d) => d.code), ...file.domains.map((d) => d.code)]);
    const seen = new Set<string>();
    for (const [i, p] of file.procedures.entries()) {
      if (seen.has(p.code)) problems.push({ path: ['procedures', i, 'code'], key: 'catalog.duplicateCode', params: { code: p.code } });
      seen.add(p.code);
      if (!domainCodes.has(p.domain)) problems.push({ path: ['procedures', i, 'domain'], key: 'catalog.unknownDomain', params: { code: p.domain } });
      for (const [j, impl] of p.implementers.entries()) {
        if ('agency' in impl && !(await this.store.agencyExists(this.substituteCity(impl.agency)))) {
          problems.push({ path: ['procedures', i, 'implementers', j, 'agency'], key: 'catalog.unknownAgency', params: { code: impl.agency } });
        }
      }
    }
    return problems;
  }

  async importCatalog(file: CatalogFile, actor: Actor): Promise<ImportSummary> {
    const summary: ImportSummary = { domains: file.domains.length, created: 0, updated: 0, unchanged: 0 };
    await this.store.transaction(async (trx) => {
      let position = await this.store.maxDomainPosition(trx);
      const existing = new Set((await this.store.listDomains(trx)).map((d) => d.code));
      for (const d of file.domains) {
        await this.store.upsertDomain(trx, {
          code: d.code,
          name: d.name,
          name_en: d.nameEn,
          description: d.description,
          position: existing.has(d.code) ? 0 : ++position,
        });
      }
      for (const p of file.procedures) {
        const outcome = await this.saveVersion(trx, this.normalise(p), actor);
        summary[outcome]++;
      }
      await this.store.bumpRevision(trx);
      await this.platform.audit.record({ ...auditActor(actor), action: 'catalog.import', targetType: 'catalog', after: summary }, trx);
    });
    this.forget();
    return summary;
  }

  private normalise(p: ProcedureBody): ProcedureBody {
    return {
      ...p,
      implementers: p.implementers.map((i) => ('agency' in i ? { agency: this.substituteCity(i.agency) } : i)),
    };
  }

  /** Writes a new version when the body changed; the procedure row follows the newest version. */
  private async saveVersion(trx: Transaction<Database>, body: ProcedureBody, actor: Actor): Promise<'created' | 'updated' | 'unchanged'> {
    const now = new Date().toISOString();
    const current = await this.store.getProcedure(body.code, trx);
    const serialized = JSON.stringify(body);
    if (!current) {
      await this.store.insertProcedure(trx, {
        code: body.code,
        domain_code: body.domain,
        name: body.name,
        name_en: body.nameEn ?? '',
        online_level: body.onlineLevel,
        status: 'active',
        current_version: 1,
        updated_at: now,
      });
      await this.store.insertVersion(trx, {
        procedure_code: body.code,
        version: 1,
        effective_from: body.effectiveFrom,
        effective_to: body.effectiveTo ?? null,
        body: serialized,
        created_at: now,
        created_by: actor.id,
      });
      await this.platform.audit.record({ ...auditActor(actor), action: 'catalog.procedure.create', targetType: 'procedure', targetId: body.code, after: body }, trx);
      return 'created';
    }
    const versions = await this.store.listVersions(body.code, trx);
    const latest = versions[0];
    if (latest && latest.body === serialized) return 'unchanged';
    const version = (latest?.version ?? 0) + 1;
    if (latest && latest.effective_to === null && body.effectiveFrom > latest.effective_from) {
      await this.store.closeVersion(trx, body.code, latest.version, dayBefore(body.effectiveFrom));
    }
    await this.store.insertVersion(trx, {
      procedure_code: body.code,
      version,
      effective_from: body.effectiveFrom,
      effective_to: body.effectiveTo ?? null,
      body: serialized,
      created_at: now,
      created_by: actor.id,
    });
    await this.store.updateProcedure(trx, body.code, {
      domain_code: body.domain,
      name: body.name,
      name_en: body.nameEn ?? '',
      online_level: body.onlineLevel,
      current_version: version,
      updated_at: now,
    });
    await this.platform.audit.record(
      {
        ...auditActor(actor),
        action: 'catalog.procedure.update',
        targetType: 'procedure',
        targetId: body.code,
        before: latest ? JSON.parse(latest.body) : null,
        after: body,
      },
      trx,
    );
    return 'updated';
  }

  async importAgenciesText(text: string, actor: Actor): Promise<{ structure: string; agencies: number }> {
    const parsed = parseJsonWithLocations(text);
    if (!parsed.ok) throw new ImportRefused(parsed.issues.map((i) => ({ ...i, key: 'catalog.import.syntax', params: { detail: i.message } })));
    const result = agencyStructureFileSchema.safeParse(parsed.value);
    if (!result.success) {
      throw new ImportRefused(
        result.error.issues.flatMap((issue) =>
          fromZodIssues([issue]).map((f) => ({ ...locate(parsed, fieldPath(f.field)), path: f.field, key: f.key, params: f.params })),
        ),
      );
    }
    const file: AgencyStructureFile = result.data;
    const codes = new Set<string>();
    const problems: ImportIssue[] = [];
    for (const [i, a] of file.agencies.entries()) {
      if (codes.has(a.code)) problems.push({ ...locate(parsed, ['agencies', i, 'code']), path: `agencies.${i}.code`, key: 'catalog.duplicateCode', params: { code: a.code } });
      codes.add(a.code);
    }
    for (const [i, a] of file.agencies.entries()) {
      if (a.parentCode && !codes.has(a.parentCode))
        problems.push({ ...locate(parsed, ['agencies', i, 'parentCode']), path: `agencies.${i}.parentCode`, key: 'catalog.unknownAgency', params: { code: a.parentCode } });
    }
    if (problems.length) throw new ImportRefused(problems);
    await this.store.transaction(async (trx) => {
      const s = file.structure;
      await this.store.upsertStructure(trx, { code: s.code, name: s.name, name_en: s.nameEn, effective_from: s.effectiveFrom, effective_to: s.effectiveTo });
      await this.store.insertAgencies(
        trx,
        file.agencies.map((a) => ({
          structure_code: s.code,
          code: this.substituteCity(a.code),
          name: a.name,
          name_en: a.nameEn,
          level: a.level,
          kind: a.kind,
          parent_code: a.parentCode ? this.substituteCity(a.parentCode) : null,
          admin_unit_code: a.adminUnitCode ?? null,
          address: a.address ?? null,
          phone: a.phone ?? null,
        })),
      );
      await this.platform.audit.record(
        { ...auditActor(actor), action: 'catalog.agencies.load', targetType: 'agency_structure', targetId: s.code, after: { agencies: file.agencies.length } },
        trx,
      );
      // Caches of agency data (address units) live as long as the revision: other instances see it move.
      await this.store.bumpRevision(trx);
    });
    this.forget();
    return { structure: file.structure.code, agencies: file.agencies.length };
  }

  /** The catalog as an import file: the newest version of every procedure, retired ones included. */
  async exportCatalog(): Promise<CatalogFile> {
    const domains = await this.store.listDomains();
    const rows = await this.store.allVersions({ activeOnly: false });
    const procedures = rows.filter((r) => r.version === r.current_version).map((r) => JSON.parse(r.body) as ProcedureBody);
    return {
      formatVersion: 1,
      domains: domains.map((d) => ({ code: d.code, name: d.name, nameEn: d.name_en, description: d.description })),
      procedures,
    };
  }

  // ---- admin edits

  /** Creates a procedure or records a new version of it; the input is validated like an import. */
  async saveProcedure(input: unknown, actor: Actor, expectCode?: string): Promise<'created' | 'updated' | 'unchanged'> {
    const result = procedureSchema.safeParse(input);
    if (!result.success) throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields: fromZodIssues(result.error.issues) });
    const body = this.normalise(result.data);
    const fields: FieldIssue[] = [];
    if (expectCode && body.code !== expectCode) fields.push({ field: 'code', key: 'catalog.codeChanged' });
    if (!(await this.store.getDomain(body.domain))) fields.push({ field: 'domain', key: 'catalog.unknownDomain', params: { code: body.domain } });
    for (const impl of body.implementers) {
      if ('agency' in impl && !(await this.store.agencyExists(impl.agency)))
        fields.push({ field: 'implementers', key: 'catalog.unknownAgency', params: { code: impl.agency } });
    }
    if (!expectCode && (await this.store.getProcedure(body.code))) fields.push({ field: 'code', key: 'catalog.duplicateCode', params: { code: body.code } });
    if (fields.length) throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields });
    const outcome = await this.store.transaction(async (trx) => {
      const o = await this.saveVersion(trx, body, actor);
      await this.store.bumpRevision(trx);
      return o;
    });
    this.forget();
    return outcome;
  }

  async setStatus(code: string, status: 'active' | 'retired', actor: Actor): Promise<void> {
    await this.store.transaction(async (trx) => {
      const current = await this.store.getProcedure(code, trx);
      if (!current) throw new AppError(404, 'PROCEDURE_NOT_FOUND', 'catalog.notFound', { params: { code } });
      if (current.status === status) return;
      await this.store.updateProcedure(trx, code, { status, updated_at: new Date().toISOString() });
      await this.store.bumpRevision(trx);
      await this.platform.audit.record(
        {
          ...auditActor(actor),
          action: status === 'retired' ? 'catalog.procedure.retire' : 'catalog.procedure.restore',
          targetType: 'procedure',
          targetId: code,
          before: { status: current.status },
          after: { status },
        },
        trx,
      );
    });
    this.forget();
  }

  // ---- reading

  async listDomains() {
    const [domains, counts] = await Promise.all([this.store.listDomains(), this.store.domainCounts()]);
    return domains.map((d) => ({ code: d.code, name: d.name, nameEn: d.name_en, description: d.description, procedureCount: counts.get(d.code) ?? 0 }));
  }

  async getDomain(code: string) {
    const d = await this.store.getDomain(code);
    return d ? { code: d.code, name: d.name, nameEn: d.name_en, description: d.description } : null;
  }

  async getProcedure(code: string, opts: { includeRetired?: boolean; date?: string } = {}): Promise<ProcedureDetail | null> {
    const date = opts.date ?? this.currentDate();
    const cache = await this.revisionCache();
    const key = `${code}|${date}`;
    let found = cache.procedures.get(key);
    if (found === undefined) {
      found = deepFreeze(await this.readProcedure(code, date));
      remember(cache.procedures, key, found);
    }
    return found && (found.status !== 'retired' || opts.includeRetired) ? found : null;
  }

  /** The procedure as shown on `date`: the version in force, else the next one, else the first. */
  private async readProcedure(code: string, date: string): Promise<ProcedureDetail | null> {
    const p = await this.store.getProcedure(code);
    if (!p) return null;
    const versions = await this.store.listVersions(code);
    const inForce = versionInForce(versions, date);
    const upcomingRow = versions.filter((v) => v.effective_from > date).sort((a, b) => a.effective_from.localeCompare(b.effective_from))[0];
    const shown = inForce ?? upcomingRow ?? versions[0];
    if (!shown) return null;
    const body = JSON.parse(shown.body) as ProcedureBody;
    const domain = await this.store.getDomain(body.domain);
    const agencyCodes = body.implementers.flatMap((i) => ('agency' in i ? [i.agency] : []));
    const names = await this.store.agencyNames(agencyCodes);
    return {
      code: p.code,
      status: p.status,
      version: shown.version,
      effectiveFrom: shown.effective_from,
      effectiveTo: shown.effective_to,
      domain: { code: body.domain, name: domain?.name ?? body.domain, nameEn: domain?.name_en ?? body.domain },
      body,
      implementers: body.implementers.map((i) =>
        'agency' in i
          ? { agencyCode: i.agency, name: names.get(i.agency)?.name ?? i.agency, nameEn: names.get(i.agency)?.name_en ?? i.agency }
          : { level: i.level, name: levelNames[i.level].vi, nameEn: levelNames[i.level].en },
      ),
      upcoming: upcomingRow && upcomingRow !== shown ? { version: upcomingRow.version, effectiveFrom: upcomingRow.effective_from } : null,
      versions: versions.map((v) => ({ version: v.version, effectiveFrom: v.effective_from, effectiveTo: v.effective_to, createdAt: v.created_at })),
    };
  }

  async listProceduresForAdmin(opts: { status?: 'active' | 'retired'; page: number; pageSize: number }) {
    const [items, total] = await Promise.all([
      this.store.listProcedures({ status: opts.status, offset: (opts.page - 1) * opts.pageSize, limit: opts.pageSize }),
      this.store.countProceduresWhere({ status: opts.status }),
    ]);
    return { items, total };
  }

  async listAgencies(opts: { structure?: string; level?: string; parent?: string; page: number; pageSize: number }) {
    const structure = opts.structure ? opts.structure : (await this.store.structureOn(this.currentDate()))?.code;
    if (!structure) return { structure: null, items: [], total: 0 };
    const [rows, total] = await Promise.all([
      this.store.listAgencies({ structure, level: opts.level, parent: opts.parent, offset: (opts.page - 1) * opts.pageSize, limit: opts.pageSize }),
      this.store.countAgencies({ structure, level: opts.level, parent: opts.parent }),
    ]);
    return {
      structure,
      total,
      items: rows.map((a) => ({
        code: a.code,
        name: a.name,
        nameEn: a.name_en,
        level: a.level,
        kind: a.kind,
        parentCode: a.parent_code,
        adminUnitCode: a.admin_unit_code,
        address: a.address,
        phone: a.phone,
      })),
    };
  }

  async getAgency(code: string): Promise<AgencyInfo | null> {
    const cache = await this.revisionCache();
    let found = cache.agencies.get(code);
    if (found === undefined) {
      const a = await this.store.getAgency(code);
      found = a ? Object.freeze({ code: a.code, name: a.name, nameEn: a.name_en, level: a.level, kind: a.kind, parentCode: a.parent_code }) : null;
      remember(cache.agencies, code, found);
    }
    return found;
  }

  /** Whether `agencyCode` may receive dossiers of the procedure (its level or the named agency). */
  async implementedBy(p: ProcedureDetail, agencyCode: string): Promise<boolean> {
    const agency = await this.getAgency(agencyCode);
    if (!agency) return false;
    return p.body.implementers.some((i) =>
      'agency' in i ? i.agency === agencyCode : i.level === agency.level && agency.kind === 'people-committee',
    );
  }

  /** The communes and wards of the structure in force: the units an address is given in. */
  async addressUnits(): Promise<readonly { code: string; name: string }[]> {
    return (await this.addressUnitsToday()).list;
  }

  /** The codes of today's address units, as one set kept with them. */
  async addressUnitCodes(): Promise<ReadonlySet<string>> {
    return (await this.addressUnitsToday()).codes;
  }

  private async addressUnitsToday(): Promise<AddressUnits> {
    const cache = await this.revisionCache();
    const date = this.currentDate();
    let units = cache.addressUnits.get(date);
    if (!units) {
      const structure = (await this.store.structureOn(date))?.code;
      const rows = structure ? await this.store.listAgencies({ structure, level: 'commune', offset: 0, limit: 5000 }) : [];
      // "Ủy ban nhân dân phường Ba Đình" → "Phường Ba Đình": the unit, not its committee.
      const unitName = (name: string) => name.replace(/^Ủy ban nhân dân (.)/u, (_m, first: string) => first.toUpperCase());
      const list = deepFreeze(rows.filter((a) => a.kind === 'people-committee').map((a) => ({ code: a.code, name: unitName(a.name) })));
      units = { list, codes: new Set(list.map((u) => u.code)) };
      cache.addressUnits.clear();
      cache.addressUnits.set(date, units);
    }
    return units;
  }

  /** Agencies that may receive dossiers of the procedure, in the structure in force today. */
  async receivingAgencies(p: ProcedureDetail): Promise<{ code: string; name: string }[]> {
    const structure = (await this.store.structureOn(this.currentDate()))?.code;
    if (!structure) return [];
    const out: { code: string; name: string }[] = [];
    for (const i of p.body.implementers) {
      if ('agency' in i) {
        const a = await this.getAgency(i.agency);
        if (a) out.push({ code: a.code, name: a.name });
      } else {
        const rows = await this.store.listAgencies({ structure, level: i.level, offset: 0, limit: 1000 });
        for (const a of rows) if (a.kind === 'people-committee') out.push({ code: a.code, name: a.name });
      }
    }
    return out;
  }

  listStructures() {
    return this.store.listStructures();
  }

  // ---- search

  /**
   * Searches active procedures (or lists them all, by name, when the query is empty). While the
   * index lives, the same question (query, filters, page) gets the same frozen page object, so
   * callers may key their own caches (the API's serialized body) on it.
   */
  async search(query: string, filters: SearchFilters, page: number, pageSize: number): Promise<SearchPage> {
    const idx = await this.currentIndex();
    // Citizens type the same few hundred things all day: ranked lists and pages are kept per
    // question for as long as this index lives (it is replaced on any catalog change).
    // Pages are found by the question as typed (no folding on the hot path), lists by its folded form.
    const filterKey = `${filters.domain ?? ''}|${filters.onlineLevel ?? ''}|${filters.level ?? ''}`;
    const pageKey = `${query}|${filterKey}|${page}|${pageSize}`;
    const cached = idx.pages.get(pageKey);
    if (cached) return cached;
    const key = `${fold(query).trim().replace(/\s+/g, ' ')}|${filterKey}`;
    let all = idx.results.get(key);
    if (!all) {
      all = query.trim()
        ? idx.index.search(query, filters).flatMap((r) => idx.docs.get(r.id as string) ?? [])
        : idx.sorted.filter(
            (d) =>
              (!filters.domain || d.domainCode === filters.domain) &&
              (!filters.onlineLevel || d.onlineLevel === filters.onlineLevel) &&
              (!filters.level || d.levels.includes(filters.level)),
          );
      remember(idx.results, key, all, RESULT_CACHE_SIZE);
    }
    const result: SearchPage = Object.freeze({ items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length });
    remember(idx.pages, pageKey, result, RESULT_CACHE_SIZE);
    return result;
  }

  /**
   * The search index is a cache of the database, rebuilt when the catalog revision moves.
   * Instances check the revision at most every EGOV_SEARCH_REFRESH_MS, so an edit made on one
   * instance reaches the others within that time.
   */
  private async currentIndex() {
    const refreshMs = this.platform.config.searchRefreshMs;
    const now = Date.now();
    if (this.index && now - this.index.checkedAt < refreshMs) return this.index;
    const revision = await this.store.revision();
    if (this.index && this.index.revision === revision) {
      this.index.checkedAt = now;
      return this.index;
    }
    this.rebuilding ??= this.rebuild(revision).finally(() => {
      this.rebuilding = null;
    });
    await this.rebuilding;
    if (!this.index) throw new Error('search index missing after rebuild');
    return this.index;
  }

  /** The caches of the current revision, checked against the database at most every EGOV_SEARCH_REFRESH_MS. */
  private async revisionCache(): Promise<RevisionCache> {
    const now = Date.now();
    if (this.cache && now - this.cache.checkedAt < this.platform.config.searchRefreshMs) return this.cache;
    const revision = await this.store.revision();
    if (this.cache?.revision === revision) {
      this.cache.checkedAt = now;
      return this.cache;
    }
    this.cache = { revision, checkedAt: now, procedures: new Map(), agencies: new Map(), addressUnits: new Map() };
    return this.cache;
  }

  /** After a change made here: this instance sees it at once. */
  private forget(): void {
    this.index = null;
    this.cache = null;
  }

  private async rebuild(revision: number): Promise<void> {
    const [rows, domains] = await Promise.all([this.store.allVersions({ activeOnly: true }), this.store.listDomains()]);
    const domainByCode = new Map(domains.map((d) => [d.code, d]));
    const byCode = new Map<string, typeof rows>();
    for (const r of rows) byCode.set(r.procedure_code, [...(byCode.get(r.procedure_code) ?? []), r]);
    const date = this.currentDate();
    const docs: SearchDoc[] = [];
    const summaries = new Map<string, ProcedureSummary>();
    for (const [code, versions] of byCode) {
      const v = versionInForce(versions, date) ?? versions[versions.length - 1];
      if (!v) continue;
      const body = JSON.parse(v.body) as ProcedureBody;
      const domain = domainByCode.get(body.domain);
      const levels = [...new Set(body.implementers.map((i) => ('level' in i ? i.level : 'city')))];
      docs.push({
        code,
        name: body.name,
        nameEn: body.nameEn ?? '',
        keywords: body.keywords,
        domainName: domain?.name ?? '',
        domainCode: body.domain,
        onlineLevel: body.onlineLevel,
        levels,
      });
      summaries.set(code, {
        code,
        name: body.name,
        nameEn: body.nameEn ?? '',
        domainCode: body.domain,
        domainName: domain?.name ?? body.domain,
        domainNameEn: domain?.name_en ?? body.domain,
        onlineLevel: body.onlineLevel,
        processingDays: body.processingDays,
        levels,
        feeTotal: body.fees.reduce((sum, f) => sum + f.amount, 0),
      });
    }
    const sorted = [...summaries.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    this.index = { revision, checkedAt: Date.now(), index: new ProcedureIndex(docs, this.synonyms), docs: summaries, sorted, results: new Map(), pages: new Map() };
  }
}

/** `procedures.3.fees.0.amount` → the JSON path ['procedures', 3, 'fees', 0, 'amount']. */
function fieldPath(field: string): (string | number)[] {
  return field === '(body)' ? [] : field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function auditActor(actor: Actor) {
  return { actorId: actor.id, actorLabel: actor.label, ip: actor.ip, requestId: actor.requestId };
}
