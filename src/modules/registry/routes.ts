import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorFromRequest } from '../../platform/audit/index.ts';
import { NotAuthenticated, type SessionAccount } from '../../platform/auth/policy.ts';
import { type ApiRegistry, listOf, paging } from '../../platform/http/api.ts';
import { AppError, type FieldIssue } from '../../platform/http/errors.ts';
import { formValue } from '../../web/forms.ts';
import { pageContext, sendPage } from '../../web/layout.ts';
import { lookupSchema, type LookupDossier, type RegistryService } from './service.ts';
import { accessLogPage, lookupPage } from './views.ts';

/** How the registry reads a dossier: through the dossiers module, as the account may see it. */
export interface DossierLookupPort {
  find(code: string, account: SessionAccount): Promise<(LookupDossier & { people: { personalId: string; label: string }[] }) | null>;
}

const addressSchema = z.object({ street: z.string(), unitCode: z.string().describe('Administrative unit code of the commune or ward'), unitName: z.string() });
const relationSchema = z.enum(['head', 'spouse', 'child', 'parent', 'other']);
const personSchema = z.object({
  personalId: z.string(),
  fullName: z.string(),
  birthDate: z.string().describe('YYYY-MM-DD'),
  gender: z.enum(['male', 'female']),
  relation: relationSchema,
  permanentAddress: addressSchema,
  currentAddress: addressSchema,
});
const householdSchema = z.object({
  id: z.string(),
  headPersonalId: z.string(),
  address: addressSchema,
  members: z.array(personSchema.pick({ personalId: true, fullName: true, birthDate: true, gender: true, relation: true })),
});
const accessEntry = z.object({
  at: z.string(),
  kind: z.enum(['prefill', 'officer']).describe('`prefill`: you shared your data with an application; `officer`: an officer looked you up for a dossier'),
  who: z.string().nullable(),
  agency: z.string().nullable().describe('The officer’s agency code'),
  dossierCode: z.string().nullable(),
  procedureCode: z.string().nullable(),
  purpose: z.string(),
  outcome: z.enum(['found', 'not_found']),
});

/**
 * The one gate for a lookup: the dossier must exist for the officer, and the officer must hold
 * `registry.lookup` in the agency that holds it (policy.ts). Refusals are audited by `authorize`.
 */
async function authorizedDossier(request: FastifyRequest, dossiers: DossierLookupPort, code: string) {
  const account = await request.authorize('backoffice.enter');
  const dossier = await dossiers.find(code, account);
  if (!dossier) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
  await request.authorize('registry.lookup', dossier.holderAgency);
  return { account, dossier };
}

export function registerRegistryApi(api: ApiRegistry, service: RegistryService, dossiers: DossierLookupPort): void {
  api.add({
    method: 'POST',
    url: '/api/v1/dossiers/:code/registry-lookups',
    operationId: 'lookupPerson',
    summary: 'Look up a person named in a dossier in the population registry, stating why',
    description:
      'Officers only, for a dossier their agency holds, and only for people the dossier names (the applicant, or a personal ID in its form). The lookup, with its purpose, is recorded and shown to the person (`getMyDataAccessLog`).',
    tags: ['registry'],
    security: 'session',
    params: z.strictObject({ code: z.string().min(5).max(80).describe('Dossier code') }),
    body: lookupSchema,
    response: z.object({ lookupId: z.string(), person: personSchema.nullable().describe('null when the registry has no such person'), household: householdSchema.nullable() }),
    errors: { 401: 'Not signed in', 403: 'Not an officer of the agency holding the dossier', 404: 'No such dossier for this caller', 503: 'The registry cannot answer now (nothing is guessed)' },
    handler: async ({ params, body }, request) => {
      const { account, dossier } = await authorizedDossier(request, dossiers, params.code);
      return service.lookupForDossier(account, dossier, body, actorFromRequest(request));
    },
  });

  api.add({
    method: 'GET',
    url: '/api/v1/me/data-access',
    operationId: 'getMyDataAccessLog',
    summary: 'Who read my data in the population registry: when, who, which agency, for which dossier, why',
    description: 'For a citizen whose personal ID is verified; newest first.',
    tags: ['registry'],
    security: 'session',
    query: z.strictObject({ ...paging, lang: z.enum(['vi', 'en']).optional() }),
    response: listOf(accessEntry),
    errors: { 401: 'Not signed in', 403: 'Not a citizen with a verified personal ID' },
    handler: async ({ query }, request) => {
      if (!request.account) throw new NotAuthenticated();
      const log = await service.accessLog(request.account, query);
      if (!log) throw new AppError(403, 'REGISTRY_IDENTITY_NOT_VERIFIED', 'registry.identityNotVerified');
      return { items: log.items, total: log.total, page: query.page, pageSize: query.pageSize };
    },
  });
}

export function registerRegistryPages(app: FastifyInstance, service: RegistryService, dossiers: DossierLookupPort, opts: { timeZone: string; agencyName(code: string): Promise<string | null> }): void {
  const page = async (request: FastifyRequest, reply: FastifyReply, code: string, extra: { issues?: FieldIssue[]; values?: Record<string, string>; notice?: string; result?: Parameters<typeof lookupPage>[1]['result'] } = {}) => {
    const { dossier } = await authorizedDossier(request, dossiers, code);
    const ctx = pageContext(request, reply);
    const people = dossier.people;
    const status = extra.issues?.length ? 400 : extra.notice ? 503 : 200;
    return sendPage(reply, ctx, { title: ctx.t('registry.lookup.title'), body: lookupPage(ctx, { code: dossier.code, people, issues: extra.issues ?? [], values: extra.values ?? {}, notice: extra.notice, result: extra.result }) }, status);
  };

  app.get('/backoffice/dossiers/:code/registry-lookup', async (request, reply) => page(request, reply, (request.params as { code: string }).code));

  app.post('/backoffice/dossiers/:code/registry-lookup', async (request, reply) => {
    const { code } = request.params as { code: string };
    const { account, dossier } = await authorizedDossier(request, dossiers, code);
    const values = { personalId: formValue(request.body, 'personalId'), purpose: formValue(request.body, 'purpose') };
    try {
      const result = await service.lookupForDossier(account, dossier, values, actorFromRequest(request));
      // The result is personal data: shown once, never cached by the browser.
      reply.header('cache-control', 'no-store');
      return page(request, reply, code, { result });
    } catch (err) {
      if (err instanceof AppError && err.status === 400) return page(request, reply, code, { issues: err.fields, values });
      if (err instanceof AppError && err.status === 503) return page(request, reply, code, { values, notice: pageContext(request, reply).t(err.key) });
      throw err;
    }
  });

  app.get('/account/data-access', async (request, reply) => {
    const account = request.account;
    if (!account) throw new NotAuthenticated();
    if (account.kind !== 'citizen') throw new AppError(403, 'FORBIDDEN', 'http.forbidden');
    const ctx = pageContext(request, reply);
    const log = await service.accessLog(account, { page: 1, pageSize: 200 });
    const names = new Map<string, string | null>();
    for (const i of log?.items ?? []) if (i.agency && !names.has(i.agency)) names.set(i.agency, await opts.agencyName(i.agency));
    const items = log ? log.items.map((i) => ({ ...i, agencyName: (i.agency && names.get(i.agency)) || undefined })) : null;
    reply.header('cache-control', 'private, no-store');
    return sendPage(reply, ctx, { title: ctx.t('registry.log.title'), body: accessLogPage(ctx, { items, timeZone: opts.timeZone }) });
  });
}
