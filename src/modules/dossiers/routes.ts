import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorFromRequest } from '../../platform/audit/index.ts';
import type { SessionAccount } from '../../platform/auth/policy.ts';
import { type ApiRegistry, listOf, paging } from '../../platform/http/api.ts';
import type { StagedFile } from '../../platform/files/index.ts';
import { AppError } from '../../platform/http/errors.ts';
import { statuses } from './lifecycle.ts';
import type { Action } from './policy.ts';
import { actionSchemas, type DossierService, submitSchema } from './service.ts';

const codeParam = z.strictObject({ code: z.string().min(5).max(80).describe('Dossier code (mã hồ sơ), e.g. 000.01.01.H26-261127-0001') });
const statusEnum = z.enum(Object.keys(statuses) as [keyof typeof statuses]);

const eventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string().nullable(),
  actorAgency: z.string().nullable(),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).describe('The event: `type` plus its fields'),
});

export const dossierViewSchema = z.object({
  id: z.string(),
  code: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  channel: z.enum(['online', 'counter', 'post']),
  status: statusEnum,
  nationalStatus: z.number().int().describe('Status code of the national portal sync API: 1 new … 10 result returned'),
  stage: z.string(),
  receivingAgency: z.string(),
  holderAgency: z.string(),
  holderRole: z.string().nullable(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  applicant: z.object({ name: z.string(), personalId: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() }),
  form: z.record(z.string(), z.unknown()),
  submittedAt: z.string(),
  receivedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  paused: z.boolean(),
  late: z.boolean(),
  decision: z.enum(['granted', 'denied']).nullable(),
  paymentDue: z
    .object({ stage: z.enum(['submission', 'result']), amount: z.number().int().describe('VND'), lines: z.array(z.object({ name: z.string(), amount: z.number().int() })) })
    .nullable()
    .describe('The fee owed online before the dossier goes on (status WAITING_PAYMENT); null when nothing is owed'),
  history: z.array(eventSchema),
  actions: z.array(z.string()).describe('What the caller may do now'),
  attachments: z.array(
    z.object({ id: z.string(), slot: z.string(), fileName: z.string(), mediaType: z.string(), size: z.number().int(), sha256: z.string(), createdAt: z.string() }),
  ),
});

const inboxItem = z.object({
  id: z.string(),
  code: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  applicantName: z.string(),
  status: z.string(),
  stage: z.string(),
  channel: z.string(),
  submittedAt: z.string(),
  dueAt: z.string().nullable(),
  late: z.boolean(),
  assigneeId: z.string().nullable(),
});

export const inboxBoxes = ['new', 'to-assign', 'mine', 'approval', 'due-soon', 'late', 'waiting', 'results', 'all'] as const;

/**
 * A multipart submission: the JSON payload first, then the files, each made durable as it
 * streams in; the dossier and its papers then commit together, or the files are dropped.
 */
async function submitWithPapers(request: FastifyRequest, service: DossierService, who: { account: SessionAccount | null; actor: ReturnType<typeof actorFromRequest> }) {
  if (!who.account) throw new AppError(401, 'UNAUTHENTICATED', 'http.unauthenticated');
  const id = randomUUID();
  const staged: StagedFile[] = [];
  let payload: unknown;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.fieldname !== 'payload') continue;
        try {
          payload = JSON.parse(String(part.value));
        } catch {
          throw new AppError(400, 'MALFORMED_JSON', 'http.malformedJson', { fields: [{ field: 'payload', key: 'http.malformedJson' }] });
        }
        continue;
      }
      if (payload === undefined) throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields: [{ field: 'payload', key: 'dossiers.payloadFirst' }] });
      const slots = await service.slotsFor(payload);
      const slot = slots.find((s) => s.slot === part.fieldname);
      if (!slot) throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields: [{ field: part.fieldname, key: 'dossiers.unknownSlot' }] });
      staged.push(await service.stagePaper({ ownerId: id, slot: slot.slot, slotLabel: slot.label, fileName: part.filename, data: part.file, allowed: slot.allowed }));
    }
    if (payload === undefined) throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields: [{ field: 'payload', key: 'http.required' }] });
    return await service.submit(payload, who, { id, staged });
  } catch (err) {
    await service.discardPapers(staged);
    throw err;
  }
}

function requireAccount(request: FastifyRequest): SessionAccount {
  if (!request.account) throw new AppError(401, 'UNAUTHENTICATED', 'http.unauthenticated');
  return request.account;
}

/** The operations other systems rely on keep these operationIds. */
const actionOperations: { action: Action; path: string; operationId: string; summary: string }[] = [
  { action: 'receive', path: 'receive', operationId: 'receiveDossier', summary: 'Accept a dossier at the counter (receipt, form 01); the deadline starts' },
  { action: 'requestSupplement', path: 'request-supplement', operationId: 'requestSupplement', summary: 'Ask once for missing papers (form 02); the clock stops' },
  { action: 'refuse', path: 'refuse', operationId: 'refuseDossier', summary: 'Refuse a dossier at intake, with the reason (form 03)' },
  { action: 'assign', path: 'assign', operationId: 'assignDossier', summary: 'Assign the dossier to one specialist of the holding agency' },
  { action: 'transfer', path: 'transfer', operationId: 'transferDossier', summary: 'Hand the dossier to another agency or level (recorded hand-over)' },
  { action: 'sendForApproval', path: 'send-for-approval', operationId: 'sendForApproval', summary: 'Send the processed dossier to the leader for approval' },
  { action: 'returnForRework', path: 'return-for-rework', operationId: 'returnForRework', summary: 'Send the dossier back to the specialist with the reason' },
  { action: 'approve', path: 'approve', operationId: 'approveDossier', summary: 'Decide: grant, or deny with reasons' },
  { action: 'returnResult', path: 'return-result', operationId: 'returnResult', summary: 'Hand the result over (counter, online or post); closes the dossier' },
  { action: 'issueApology', path: 'apology', operationId: 'issueApology', summary: 'Apologise for lateness with a new date (form 04)' },
  { action: 'stop', path: 'stop', operationId: 'stopDossier', summary: 'Stop processing with the reason (2025 form 05)' },
  { action: 'supplement', path: 'supplement', operationId: 'supplementDossier', summary: 'The applicant provides what was asked for' },
  { action: 'withdraw', path: 'withdraw', operationId: 'withdrawDossier', summary: 'The applicant withdraws the dossier' },
];

export function registerDossierApi(api: ApiRegistry, service: DossierService, opts: { trackPerMinute: number }): void {
  api.add({
    method: 'POST',
    url: '/api/v1/dossiers',
    operationId: 'submitDossier',
    summary: 'Submit a dossier (citizens online; counter clerks for walk-in and postal dossiers)',
    tags: ['dossiers'],
    security: 'session',
    body: submitSchema,
    multipart: 'The papers: a part named `payload` with the JSON body first, then one file part per paper, named by its slot (giay-to-1, giay-to-2… in the order of the procedure’s required papers). PDF, JPEG or PNG, checked by content.',
    response: z.object({ id: z.string(), code: z.string(), trackingSecret: z.string().describe('Second factor printed on the receipt, for public tracking') }),
    errors: { 401: 'Not signed in', 403: 'Not allowed for this channel', 404: 'Unknown procedure', 409: 'Procedure not available online', 413: 'A file or the dossier is too large', 415: 'A file of a type not allowed' },
    handler: async ({ body }, request, reply) => {
      const who = { account: request.account, actor: actorFromRequest(request) };
      const result = request.isMultipart() ? await submitWithPapers(request, service, who) : await service.submit(body, who);
      reply.code(201);
      return result;
    },
  });

  api.add({
    method: 'GET',
    url: '/api/v1/dossiers/:code',
    operationId: 'getDossier',
    summary: 'A dossier with its full history, as the caller may see it',
    tags: ['dossiers'],
    security: 'session',
    params: codeParam,
    response: dossierViewSchema,
    errors: { 401: 'Not signed in', 404: 'No such dossier for this caller' },
    handler: async ({ params }, request) => {
      const view = await service.getByCode(params.code, requireAccount(request));
      if (!view) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
      return view;
    },
  });

  api.add({
    method: 'GET',
    url: '/api/v1/track',
    operationId: 'trackDossier',
    summary: 'Public tracking by dossier code and the key printed on the receipt',
    tags: ['dossiers'],
    rateLimit: { max: opts.trackPerMinute, timeWindow: 60_000 },
    query: z.strictObject({ code: z.string().min(5).max(80), secret: z.string().min(4).max(20).describe('The tracking key from the receipt'), lang: z.enum(['vi', 'en']).optional() }),
    response: z.object({
      code: z.string(),
      procedureName: z.string(),
      status: statusEnum,
      nationalStatus: z.number().int(),
      holderAgency: z.string(),
      holderAgencyName: z.string(),
      submittedAt: z.string(),
      receivedAt: z.string().nullable(),
      dueAt: z.string().nullable(),
      paused: z.boolean(),
      late: z.boolean(),
      decision: z.enum(['granted', 'denied']).nullable(),
      steps: z.array(z.object({ at: z.string(), type: z.string() })),
    }),
    errors: { 404: 'No dossier with this code and key' },
    handler: async ({ query }) => {
      const found = await service.track(query.code, query.secret);
      if (!found) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
      return found;
    },
  });

  api.add({
    method: 'GET',
    url: '/api/v1/inbox',
    operationId: 'listInbox',
    summary: 'The officer’s inbox: dossiers held by their agency, by box, ordered by deadline',
    tags: ['dossiers'],
    security: 'session',
    query: z.strictObject({
      box: z.enum(inboxBoxes).default('all'),
      q: z.string().max(100).optional().describe('A dossier code, a 12-digit personal ID or part of the applicant’s name'),
      ...paging,
      lang: z.enum(['vi', 'en']).optional(),
    }),
    response: listOf(inboxItem).extend({
      totalCapped: z.boolean().describe('true when the box holds more than `total` dossiers (boxes count up to 1,000)'),
    }),
    errors: { 401: 'Not signed in', 403: 'Not an officer' },
    handler: async ({ query }, request) => {
      const account = await request.authorize('backoffice.enter');
      const { items, total, totalCapped } = await service.inbox(account, query.box, query);
      return { items, total, totalCapped, page: query.page, pageSize: query.pageSize };
    },
  });

  for (const op of actionOperations) {
    api.add({
      method: 'POST',
      url: `/api/v1/dossiers/:code/${op.path}`,
      operationId: op.operationId,
      summary: op.summary,
      tags: ['dossiers'],
      security: 'session',
      params: codeParam,
      body: actionSchemas[op.action],
      response: dossierViewSchema,
      errors: { 401: 'Not signed in', 403: 'Not allowed: another agency, another role, or not assigned', 404: 'No such dossier', 409: 'Not possible in the dossier’s current state' },
      handler: async ({ params, body }, request) => {
        const account = requireAccount(request);
        const view = await service.getByCode(params.code, account);
        if (!view) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
        return service.act(view.id, op.action, body, { account, actor: actorFromRequest(request) });
      },
    });
  }
}
