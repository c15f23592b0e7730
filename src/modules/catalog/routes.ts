import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorFromRequest } from '../../platform/audit/index.ts';
import type { ApiRegistry } from '../../platform/http/api.ts';
import { listOf, paging, serializedFor } from '../../platform/http/api.ts';
import { AppError, type FieldIssue, validate } from '../../platform/http/errors.ts';
import { pageContext, sendPage } from '../../web/layout.ts';
import { fromFormFields, type ProcedureFormFields, toFormFields } from './admin-form.ts';
import { legacyToOnline, onlineLevels, agencyLevels, type ProcedureBody } from './format.ts';
import { type CatalogService, ImportRefused } from './service.ts';
import { adminListView, auditView, importView, procedureFormView } from './views/admin.ts';
import { domainView, homeView, procedureView, searchView } from './views/public.ts';

const IMPORT_LIMIT_BYTES = 20 * 1024 * 1024;

const searchQuery = z.strictObject({
  q: z.string().max(200).default('').describe('Search words, with or without Vietnamese accents; typos are tolerated'),
  domain: z.string().regex(/^[a-z0-9-]{1,60}$/).optional().describe('Only procedures of this domain code'),
  level: z.enum(agencyLevels).optional().describe('Only procedures handled at this level'),
  onlineLevel: z.enum(onlineLevels).optional().describe('Only procedures with this online service level'),
  ...paging,
  lang: z.enum(['vi', 'en']).optional(),
});

const procedureSummary = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  domainCode: z.string(),
  domainName: z.string(),
  onlineLevel: z.enum(onlineLevels),
  processingDays: z.number().int(),
  levels: z.array(z.string()),
  feeTotal: z.number().int().describe('Sum of the fee lines, integer VND'),
});

const procedureDetail = z.object({
  code: z.string(),
  status: z.enum(['active', 'retired']),
  version: z.number().int(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  domain: z.object({ code: z.string(), name: z.string(), nameEn: z.string() }),
  implementers: z.array(z.object({ level: z.string().optional(), agencyCode: z.string().optional(), name: z.string(), nameEn: z.string() })),
  upcoming: z.object({ version: z.number().int(), effectiveFrom: z.string() }).nullable(),
  procedure: z.record(z.string(), z.unknown()).describe('The procedure in the catalog exchange format'),
});

const domainItem = z.object({ code: z.string(), name: z.string(), nameEn: z.string(), description: z.string(), procedureCount: z.number().int() });
const agencyItem = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  level: z.string(),
  kind: z.string(),
  parentCode: z.string().nullable(),
  adminUnitCode: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
});

const formSchema = z.object({
  code: z.string().default(''),
  name: z.string().default(''),
  nameEn: z.string().default(''),
  domain: z.string().default(''),
  implementers: z.string().default(''),
  onlineLevel: z.string().default('INFO'),
  processingDays: z.string().default(''),
  processingNote: z.string().default(''),
  cutoffHour: z.string().default(''),
  applicants: z.union([z.string(), z.array(z.string())]).default([]).transform((v) => (Array.isArray(v) ? v : [v])),
  fees: z.string().default(''),
  documents: z.string().default(''),
  steps: z.string().default(''),
  result: z.string().default(''),
  legalBasis: z.string().default(''),
  keywords: z.string().default(''),
  effectiveFrom: z.string().default(''),
});

export function registerCatalogRoutes(app: FastifyInstance, api: ApiRegistry, service: CatalogService, opts: { timeZone: string }): void {
  const timeZone = () => opts.timeZone;
  const today = () => service.currentDate();

  // ---- JSON API

  api.add({
    method: 'GET',
    url: '/api/v1/procedures',
    operationId: 'searchProcedures',
    summary: 'Search the procedure catalog',
    description: 'Accent-free, typo-tolerant search over procedure names and the everyday words citizens use. Without q, lists every active procedure by name.',
    tags: ['catalog'],
    query: searchQuery,
    response: listOf(procedureSummary),
    handler: async ({ query }, _request, reply) => {
      const result = await service.search(query.q, query, query.page, query.pageSize);
      return serializedFor(reply, result, () => ({ ...result, page: query.page, pageSize: query.pageSize }));
    },
  });

  api.add({
    method: 'GET',
    url: '/api/v1/procedures/:code',
    operationId: 'getProcedure',
    summary: 'A procedure by its national code, as in force today',
    tags: ['catalog'],
    params: z.strictObject({ code: z.string().max(60).describe('National TTHC code, e.g. 1.001193') }),
    query: z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('The version in force on this date (YYYY-MM-DD); today by default'), lang: z.enum(['vi', 'en']).optional() }),
    response: procedureDetail,
    errors: { 404: 'No such procedure' },
    handler: async ({ params, query }) => {
      const p = await service.getProcedure(params.code, { date: query.date });
      if (!p) throw new AppError(404, 'PROCEDURE_NOT_FOUND', 'catalog.notFound', { params: { code: params.code } });
      const { body, versions: _versions, ...rest } = p;
      return { ...rest, procedure: body as unknown as Record<string, unknown> };
    },
  });

  api.add({
    method: 'GET',
    url: '/api/v1/domains',
    operationId: 'listDomains',
    summary: 'Domains of procedures, with the number of active procedures in each',
    tags: ['catalog'],
    query: z.strictObject({ ...paging, pageSize: paging.pageSize.default(100), lang: z.enum(['vi', 'en']).optional() }),
    response: listOf(domainItem),
    handler: async ({ query }) => {
      const all = await service.listDomains();
      const start = (query.page - 1) * query.pageSize;
      return { items: all.slice(start, start + query.pageSize), total: all.length, page: query.page, pageSize: query.pageSize };
    },
  });

  api.add({
    method: 'GET',
    url: '/api/v1/agencies',
    operationId: 'listAgencies',
    summary: 'Agencies of the administrative structure in force (or of the one named)',
    tags: ['catalog'],
    query: z.strictObject({
      structure: z.string().regex(/^[a-z0-9-]{2,60}$/).optional().describe('Structure code, e.g. hanoi-3-levels; the one in force today by default'),
      level: z.enum(agencyLevels).optional(),
      parent: z.string().max(20).optional().describe('Only the agencies directly under this agency code'),
      ...paging,
      lang: z.enum(['vi', 'en']).optional(),
    }),
    response: listOf(agencyItem).extend({ structure: z.string().nullable() }),
    handler: async ({ query }) => {
      const r = await service.listAgencies(query);
      return { items: r.items, total: r.total, page: query.page, pageSize: query.pageSize, structure: r.structure };
    },
  });

  // ---- Public pages

  app.get('/', async (request, reply) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('catalog.home.title'), body: homeView(ctx, await service.listDomains()) });
  });

  app.get('/procedures', async (request, reply) => {
    const ctx = pageContext(request, reply);
    const input = validate(searchQuery.extend({ pageSize: paging.pageSize }).loose(), normaliseFilters(request.query));
    const [domains, result] = await Promise.all([service.listDomains(), service.search(input.q, input, input.page, input.pageSize)]);
    return sendPage(reply, ctx, {
      title: input.q ? `${input.q} – ${ctx.t('catalog.search.button')}` : ctx.t('catalog.home.title'),
      body: searchView(ctx, input, domains, result),
    });
  });

  app.get('/domains/:code', async (request, reply) => {
    const ctx = pageContext(request, reply);
    const { code } = request.params as { code: string };
    const { page } = validate(z.object({ page: paging.page }).loose(), request.query);
    const domain = await service.getDomain(code);
    if (!domain) throw new AppError(404, 'DOMAIN_NOT_FOUND', 'catalog.domainNotFound', { params: { code } });
    const pageSize = 50;
    const result = await service.search('', { domain: code }, page, pageSize);
    return sendPage(reply, ctx, {
      title: ctx.locale === 'en' ? domain.nameEn : domain.name,
      body: domainView(ctx, domain, result, page, pageSize),
      breadcrumbs: [
        { href: '/', label: ctx.t('web.nav.home') },
        { href: '/procedures', label: ctx.t('web.nav.procedures') },
      ],
    });
  });

  app.get('/procedures/:code', async (request, reply) => {
    const ctx = pageContext(request, reply);
    const { code } = request.params as { code: string };
    const p = await service.getProcedure(code);
    if (!p) throw new AppError(404, 'PROCEDURE_NOT_FOUND', 'catalog.notFound', { params: { code } });
    return sendPage(reply, ctx, {
      title: ctx.locale === 'en' && p.body.nameEn ? p.body.nameEn : p.body.name,
      body: procedureView(ctx, p),
      breadcrumbs: [
        { href: '/', label: ctx.t('web.nav.home') },
        { href: `/domains/${p.domain.code}`, label: ctx.locale === 'en' ? p.domain.nameEn : p.domain.name },
      ],
    });
  });

  // ---- Admin pages (city admins: permission catalog.manage)

  app.get('/admin/catalog', async (request, reply) => {
    await request.authorize('catalog.manage');
    const ctx = pageContext(request, reply);
    const q = validate(z.object({ page: paging.page, status: z.enum(['active', 'retired']).optional(), flash: z.string().max(300).optional() }).loose(), request.query);
    const { items, total } = await service.listProceduresForAdmin({ status: q.status, page: q.page, pageSize: 50 });
    return sendPage(reply, ctx, {
      title: ctx.t('catalog.admin.title'),
      body: adminListView(ctx, { items, total, page: q.page, pageSize: 50, status: q.status, flash: q.flash, timeZone: timeZone() }),
    });
  });

  const domainOptions = async () => (await service.listDomains()).map((d) => ({ code: d.code, name: d.name }));

  app.get('/admin/catalog/new', async (request, reply) => {
    await request.authorize('catalog.manage');
    const ctx = pageContext(request, reply);
    const fields = validate(formSchema, {}) as ProcedureFormFields;
    fields.effectiveFrom = today();
    fields.applicants = ['citizen'];
    return sendPage(reply, ctx, { title: ctx.t('catalog.admin.new'), body: procedureFormView(ctx, { mode: 'new', fields, issues: [], domains: await domainOptions() }) });
  });

  app.get('/admin/catalog/:code/edit', async (request, reply) => {
    await request.authorize('catalog.manage');
    const ctx = pageContext(request, reply);
    const { code } = request.params as { code: string };
    const p = await service.getProcedure(code, { includeRetired: true });
    if (!p) throw new AppError(404, 'PROCEDURE_NOT_FOUND', 'catalog.notFound', { params: { code } });
    const fields = toFormFields(p.body, today());
    return sendPage(reply, ctx, {
      title: ctx.t('catalog.admin.edit', { code }),
      body: procedureFormView(ctx, { mode: 'edit', fields, issues: [], domains: await domainOptions() }),
    });
  });

  const saveFromForm = async (mode: 'new' | 'edit', request: FastifyRequest, reply: FastifyReply) => {
    const ctx = pageContext(request, reply);
    const fields = validate(formSchema, request.body) as ProcedureFormFields;
    const code = mode === 'edit' ? (request.params as { code: string }).code : fields.code;
    if (mode === 'edit') fields.code = code;
    let legacy: number | undefined;
    if (mode === 'edit') {
      const old = await service.getProcedure(code, { includeRetired: true });
      if (!old) throw new AppError(404, 'PROCEDURE_NOT_FOUND', 'catalog.notFound', { params: { code } });
      const oldBody: ProcedureBody = old.body;
      if (oldBody.legacyLevel && legacyToOnline(oldBody.legacyLevel) === fields.onlineLevel) legacy = oldBody.legacyLevel;
    }
    const { input, issues } = fromFormFields(fields, legacy);
    let problems: FieldIssue[] = issues;
    let outcome: string | undefined;
    if (!problems.length) {
      try {
        outcome = await service.saveProcedure(input, actorFromRequest(request), mode === 'edit' ? code : undefined);
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        problems = err.fields;
      }
    }
    if (problems.length) {
      return sendPage(
        reply,
        ctx,
        { title: ctx.t('catalog.admin.edit', { code }), body: procedureFormView(ctx, { mode, fields, issues: problems, domains: await domainOptions() }) },
        400,
      );
    }
    const flash = outcome === 'unchanged' ? ctx.t('catalog.admin.unchanged') : ctx.t('catalog.admin.saved', { code });
    return reply.redirect(`/admin/catalog?flash=${encodeURIComponent(flash)}`, 303);
  };

  app.post('/admin/catalog', async (request, reply) => {
    await request.authorize('catalog.manage');
    return saveFromForm('new', request, reply);
  });

  app.post('/admin/catalog/:code', async (request, reply) => {
    await request.authorize('catalog.manage');
    return saveFromForm('edit', request, reply);
  });

  app.post('/admin/catalog/:code/status', async (request, reply) => {
    await request.authorize('catalog.manage');
    const ctx = pageContext(request, reply);
    const { code } = request.params as { code: string };
    const { status } = validate(z.object({ status: z.enum(['active', 'retired']) }).loose(), request.body);
    await service.setStatus(code, status, actorFromRequest(request));
    const flash = ctx.t(status === 'retired' ? 'catalog.admin.retired' : 'catalog.admin.restored', { code });
    return reply.redirect(`/admin/catalog?flash=${encodeURIComponent(flash)}`, 303);
  });

  app.get('/admin/catalog/export.json', async (request, reply) => {
    await request.authorize('catalog.manage');
    reply.header('content-disposition', `attachment; filename="catalog-${today()}.json"`);
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(await service.exportCatalog(), null, 2));
  });

  app.get('/admin/catalog/audit', async (request, reply) => {
    await request.authorize('catalog.manage');
    const ctx = pageContext(request, reply);
    const q = validate(z.object({ before: z.coerce.number().int().positive().optional() }).loose(), request.query);
    const rows = await service.auditTrail(q.before);
    const last = rows[rows.length - 1];
    return sendPage(reply, ctx, { title: ctx.t('catalog.audit.title'), body: auditView(ctx, rows, timeZone(), rows.length === 50 ? last?.seq : undefined) });
  });

  app.get('/admin/catalog/import', async (request, reply) => {
    await request.authorize('catalog.manage');
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('catalog.admin.import'), body: importView(ctx, { csrf: ctx.csrf() }) });
  });

  app.post('/admin/catalog/import', async (request, reply) => {
    await request.authorize('catalog.manage');
    const ctx = pageContext(request, reply);
    const file = await request.file({ limits: { fileSize: IMPORT_LIMIT_BYTES, files: 1 } });
    const text = file ? (await file.toBuffer()).toString('utf8') : '';
    if (!text.trim()) {
      return sendPage(reply, ctx, { title: ctx.t('catalog.admin.import'), body: importView(ctx, { csrf: ctx.csrf(), message: ctx.t('catalog.import.noFile') }) }, 400);
    }
    try {
      const summary = await service.importCatalogText(text, actorFromRequest(request));
      return reply.redirect(`/admin/catalog?flash=${encodeURIComponent(ctx.t('catalog.import.done', { ...summary }))}`, 303);
    } catch (err) {
      if (!(err instanceof ImportRefused)) throw err;
      return sendPage(
        reply,
        ctx,
        { title: ctx.t('catalog.admin.import'), body: importView(ctx, { csrf: ctx.csrf(), issues: err.issues, message: ctx.t(err.key, err.params) }) },
        422,
      );
    }
  });
}

/** Empty filter values from the no-JavaScript form ("Tất cả") mean "no filter". */
function normaliseFilters(query: unknown): Record<string, unknown> {
  const q = { ...(query as Record<string, unknown>) };
  for (const key of ['domain', 'level', 'onlineLevel']) if (q[key] === '') delete q[key];
  return q;
}
