import { randomInt, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Actor } from '../../platform/audit/index.ts';
import { personalIdSchema } from '../../platform/auth/index.ts';
import type { SessionAccount } from '../../platform/auth/policy.ts';
import { AppError, fromZodIssues, validate } from '../../platform/http/errors.ts';
import type { Attachment, AttachmentService, StagedFile } from '../../platform/files/index.ts';
import type { Platform } from '../../platform/index.ts';
import { fold } from '../../platform/text/fold.ts';
import { localDate } from '../../platform/calendar/zone.ts';
import { t } from '../../platform/i18n/index.ts';
import { defaultWorkflow, onlineFee } from '../catalog/format.ts';
import type { CatalogService, ProcedureDetail } from '../catalog/index.ts';
import { alteredFields, type RegistryService, type VerifiedClaims } from '../registry/index.ts';
import { answersSchema, formOf } from './answers.ts';
import { DOSSIER_OWNER, DRAFT_OWNER, type PaperSlot, paperSlots } from './papers.ts';
import { type DossierEvent, type DossierState, type EventData, isLate, project, statuses } from './lifecycle.ts';
import { type Action, availableActions, canRead, checkAction, type DossierActor, defaultPolicy, type Refusal } from './policy.ts';
import { type DossierTrx, DossierStore, type InboxBox, involved } from './store.ts';
import type { DossierRow } from './tables.ts';

/** Working-day arithmetic, supplied by the platform calendar. */
export interface DeadlinePort {
  dueAt(receivedAt: Date, workingDays: number, cutoffHour?: number): Promise<Date>;
  /** Working days left between `from` and the due instant (0 when already due). */
  remaining(from: Date, dueAt: Date): Promise<number>;
  /** The new due instant when the clock restarts at `at` with `days` left. */
  resume(at: Date, days: number): Promise<Date>;
  /** The end of office hours on a date (YYYY-MM-DD): what a promised date means. */
  dayEnd(date: string): Promise<Date>;
}

/** A message to the applicant, written to the outbox in the caller's transaction. */
export interface NotifyPort {
  /** Queues the messages in the transaction. `dedupeKey`: a message with the same key is enqueued once, whichever instance tries. */
  enqueue(trx: DossierTrx, messages: { message: { channel: 'email' | 'sms'; to: string; subject: string; text: string; ref: string }; dedupeKey?: string }[]): Promise<void>;
}

export interface DossierDeps {
  catalog: CatalogService;
  files?: AttachmentService;
  deadlines: DeadlinePort;
  notify?: NotifyPort;
  codeFormat?: string;
  publicUrl?: string;
  /** Verified prefill from the population registry, with the citizen's consent. */
  registry?: Pick<RegistryService, 'canPrefill' | 'prefill'>;
  /** Issues the signed result document when a dossier is granted (the results module). */
  results?: ResultPort;
}

/** The signed result of a granted dossier, issued in the decision's transaction: both commit or neither. */
/** What the granting decision hands over to issue the result, inside its transaction. */
export interface ResultRequest {
  dossierId: string;
  dossierCode: string;
  procedureCode: string;
  procedureName: string;
  /** The procedure version's date (the dossier's submission), to read its result as it was. */
  procedureDate: string;
  holderName: string;
  issuerAgency: string;
  summary: string;
  signerName: string;
  /** When the decision was made (ISO); the result is dated and signed then. Now when absent. */
  decidedAt?: string;
}

export interface ResultPort {
  /**
   * Makes the result ready before the transaction: `issue` records it inside; `discard`
   * removes what was made ahead when the transaction does not commit.
   */
  prepare(dossier: ResultRequest): Promise<{ issue(trx: DossierTrx, actor: Actor): Promise<void>; discard(): Promise<void> }>;
}

const text = (max: number) => z.string().trim().min(1).max(max);

export const applicantSchema = z.strictObject({
  fullName: text(200),
  personalId: personalIdSchema,
  phone: z.string().trim().regex(/^0\d{9}$/, 'dossiers.phone').optional(),
  email: z.string().trim().email('dossiers.email').max(200).optional(),
  address: text(500),
});

export const submitSchema = z.strictObject({
  procedureCode: z.string().max(60),
  receivingAgency: z.string().regex(/^\d{3}\.\d{2}\.\d{2}\.[GH]\d{2}$/, 'catalog.agencyCode'),
  applicant: applicantSchema,
  form: z.record(z.string().max(60), z.string().max(5000)).default({}),
  channel: z.enum(['online', 'counter', 'post']).default('online'),
});
export type SubmitInput = z.input<typeof submitSchema>;

export const actionSchemas = {
  receive: z.strictObject({ note: z.string().max(2000).optional() }),
  requestSupplement: z.strictObject({
    items: z.array(z.strictObject({ name: text(300), reason: text(1000) })).min(1).max(50),
    note: z.string().max(2000).optional(),
  }),
  refuse: z.strictObject({ reason: text(2000) }),
  assign: z.strictObject({ assigneeId: z.string().min(1).max(60) }),
  transfer: z.strictObject({ toAgency: z.string().regex(/^\d{3}\.\d{2}\.\d{2}\.[GH]\d{2}$/, 'catalog.agencyCode'), note: z.string().max(2000).optional() }),
  sendForApproval: z.strictObject({ note: z.string().max(2000).optional() }),
  returnForRework: z.strictObject({ reason: text(2000) }),
  approve: z.strictObject({ decision: z.enum(['granted', 'denied']), summary: text(2000), reason: z.string().max(2000).optional() }),
  returnResult: z.strictObject({ method: z.enum(['counter', 'online', 'post']).default('counter') }),
  issueApology: z.strictObject({ reason: text(2000), newDueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'catalog.date') }),
  stop: z.strictObject({ reason: text(2000) }),
  supplement: z.strictObject({ note: text(2000) }),
  withdraw: z.strictObject({ reason: text(2000) }),
} satisfies Record<Action, z.ZodType>;

const refusalStatus: Record<Refusal, number> = {
  DOSSIER_OUT_OF_SCOPE: 403,
  DOSSIER_WRONG_ROLE: 403,
  DOSSIER_NOT_ASSIGNED: 403,
  DOSSIER_WRONG_STATE: 409,
  SUPPLEMENT_ALREADY_REQUESTED: 409,
};

/** Inbox boxes count their dossiers up to this many; past it they say "more than". */
const INBOX_COUNT_UP_TO = 1000;

const SECRET_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export interface DossierView {
  id: string;
  code: string;
  procedureCode: string;
  procedureName: string;
  channel: DossierRow['channel'];
  status: DossierState['status'];
  nationalStatus: number;
  stage: DossierState['stage'];
  receivingAgency: string;
  holderAgency: string;
  holderRole: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  applicant: { name: string; personalId: string | null; phone: string | null; email: string | null };
  form: Record<string, unknown>;
  submittedAt: string;
  receivedAt: string | null;
  dueAt: string | null;
  paused: boolean;
  late: boolean;
  decision: 'granted' | 'denied' | null;
  /** The fee owed online now (the dossier waits for it), or null. */
  paymentDue: DossierState['paymentDue'];
  history: DossierEvent[];
  actions: Action[];
  attachments: Pick<Attachment, 'id' | 'slot' | 'fileName' | 'mediaType' | 'size' | 'sha256' | 'createdAt'>[];
}

/** The one-stop shop's use cases. Every change is an appended event, authorized in one place. */
export class DossierService {
  readonly store: DossierStore;

  constructor(
    private readonly platform: Platform,
    private readonly deps: DossierDeps,
  ) {
    this.store = new DossierStore(platform.db, platform.engine);
  }

  /** The registry's verified prefill, when it is wired in (the apply pages offer it). */
  get registry(): DossierDeps['registry'] {
    return this.deps.registry;
  }

  /** A citizen (online) or a clerk (counter, post) submits; the dossier gets its code at once. */
  async submit(
    input: unknown,
    who: { account: SessionAccount | null; actor: Actor },
    papers: { id?: string; staged?: StagedFile[]; fromDraft?: string; verified?: VerifiedClaims } = {},
  ): Promise<{ id: string; code: string; trackingSecret: string }> {
    const v = validate(submitSchema, input);
    // Verified registry data is a claim, not autofill: any change to it is refused, by field.
    const claims = papers.verified;
    if (claims) {
      const altered = alteredFields(claims, v.applicant);
      if (claims.personalId !== who.account?.verifiedPersonalId && !altered.includes('personalId')) altered.push('personalId');
      if (altered.length) {
        throw new AppError(400, 'VERIFIED_FIELD_CHANGED', 'http.validation', { fields: altered.map((f) => ({ field: `applicant.${f}`, key: 'registry.claimChanged' })) });
      }
    }
    const officer = who.account?.kind === 'officer' ? who.account : null;
    if (v.channel !== 'online' && !(officer?.roles.includes('counter_clerk') && officer.agencyCode === v.receivingAgency)) {
      throw new AppError(403, 'DOSSIER_WRONG_ROLE', 'dossiers.refusal.DOSSIER_WRONG_ROLE');
    }
    if (v.channel === 'online' && who.account?.kind !== 'citizen') throw new AppError(401, 'UNAUTHENTICATED', 'http.unauthenticated');
    const procedure = await this.deps.catalog.getProcedure(v.procedureCode);
    if (!procedure) throw new AppError(404, 'PROCEDURE_NOT_FOUND', 'catalog.notFound', { params: { code: v.procedureCode } });
    if (v.channel === 'online' && procedure.body.onlineLevel === 'INFO') {
      throw new AppError(409, 'PROCEDURE_NOT_ONLINE', 'dossiers.notOnline', { fields: [{ field: 'procedureCode', key: 'dossiers.notOnline' }] });
    }
    if (!(await this.deps.catalog.implementedBy(procedure, v.receivingAgency))) {
      throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields: [{ field: 'receivingAgency', key: 'dossiers.wrongAgency' }] });
    }
    const answers = answersSchema(formOf(procedure), await this.deps.catalog.addressUnitCodes()).safeParse(v.form);
    if (!answers.success) throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields: fromZodIssues(answers.error.issues, 'form') });
    const slots = new Set(paperSlots(procedure).map((p) => p.slot));
    const strange = (papers.staged ?? []).find((f) => !slots.has(f.slot));
    if (strange) throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields: [{ field: strange.slot, key: 'dossiers.unknownSlot' }] });
    const now = new Date();
    const nowIso = now.toISOString();
    const id = papers.id ?? randomUUID();
    const trackingSecret = Array.from({ length: 6 }, () => SECRET_ALPHABET[randomInt(SECRET_ALPHABET.length)]).join('');
    const code = await this.store.transaction(async (trx) => {
      const first: DossierEvent = {
        seq: 1,
        at: nowIso,
        actorId: who.actor.id,
        actorLabel: who.actor.label,
        actorAgency: officer?.agencyCode ?? null,
        reason: null,
        data: { type: 'submitted', channel: v.channel, receivingAgency: v.receivingAgency },
      };
      // A fee paid online with the application: the dossier waits for it before the counter sees it.
      const events = [first, ...paymentRequest(procedure, v.channel, 'submission', first)];
      const s = project(events);
      const numbering = { agency: v.receivingAgency, day: localDay(now, this.platform.config.timeZone), format: this.deps.codeFormat };
      const numbered = await this.store.insertNumbered(trx, {
        id,
        tracking_secret: trackingSecret,
        procedure_code: procedure.code,
        procedure_version: procedure.version,
        procedure_name: procedure.body.name,
        rule_set: ruleSetOn(nowIso),
        channel: v.channel,
        receiving_agency: v.receivingAgency,
        holder_agency: s.holderAgency,
        holder_role: s.holderRole,
        assignee_id: null,
        stage: s.stage,
        status: s.status,
        national_status: statuses[s.status],
        applicant_account_id: who.account?.kind === 'citizen' ? who.account.id : null,
        applicant_name: v.applicant.fullName,
        applicant_name_folded: fold(v.applicant.fullName),
        applicant_personal_id: v.applicant.personalId,
        applicant_phone: v.applicant.phone ?? null,
        applicant_email: v.applicant.email ?? null,
        form_json: JSON.stringify({
          applicant: v.applicant,
          answers: Object.fromEntries(Object.entries(answers.data).filter(([, x]) => x !== undefined)),
          // Which applicant facts came verified from the registry, under which consent.
          ...(claims ? { verified: { source: 'registry', consentId: claims.consentId, at: claims.at, fields: Object.keys(claims.values), values: claims.values, household: claims.household } } : {}),
        }),
        submitted_at: nowIso,
        received_at: null,
        due_at: null,
        paused_at: null,
        closed_at: null,
        involved_agencies: involved(s.involvedAgencies),
        event_count: events.length,
        updated_at: nowIso,
      }, numbering);
      for (const e of events) await this.store.appendEvent(trx, id, e);
      // The papers commit with the dossier: a code is never given for a dossier without them.
      const files = this.deps.files;
      if (files) {
        await files.attachToNewOwner(trx as never, papers.staged ?? [], who.actor);
        if (papers.fromDraft) await files.reassign(trx as never, { ownerType: DRAFT_OWNER, ownerId: papers.fromDraft }, { ownerType: DOSSIER_OWNER, ownerId: id }, who.actor);
      }
      if (who.account?.kind === 'citizen') await this.store.deleteDraft(trx, who.account.id, procedure.code);
      // The shared step last, so concurrent submissions to one agency wait for each other briefly.
      const code = await numbered.code();
      await this.notifyApplicant(trx, { code, email: v.applicant.email, phone: v.applicant.phone }, 'submitted', { code, secret: trackingSecret });
      return code;
    });
    return { id, code, trackingSecret };
  }

  /**
   * Applies one action: authorize, append the event, update the projection, notify. Everything
   * the event needs (deadlines, agencies, officers) is read before the transaction; the write
   * then succeeds only if nobody appended an event meanwhile (else it is tried again).
   */
  async act(id: string, action: Action, input: unknown, who: { account: SessionAccount; actor: Actor }, papers: StagedFile[] = []): Promise<DossierView> {
    const v = validate(actionSchemas[action], input ?? {}) as Record<string, unknown>;
    const actor = toDossierActor(who.account);
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.store.load({ id });
      if (!loaded) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
      const state = project(loaded.events);
      const applicant = loaded.row.applicant_account_id;
      if (!canRead(state, actor, applicant)) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
      const refusal = checkAction(state, action, actor, applicant, defaultPolicy);
      if (refusal) {
        await this.platform.audit.record({
          actorId: who.actor.id,
          actorLabel: who.actor.label,
          ip: who.actor.ip,
          requestId: who.actor.requestId,
          action: 'dossier.denied',
          outcome: 'denied',
          targetType: 'dossier',
          targetId: loaded.row.code,
          after: { action, refusal, status: state.status },
        });
        throw new AppError(refusalStatus[refusal], refusal, `dossiers.refusal.${refusal}`);
      }
      const nowDate = new Date();
      const now = nowDate.toISOString();
      const data = await this.eventData(action, v, state, loaded.row, nowDate);
      const reason = v.reason ?? v.note ?? null;
      const event: DossierEvent = {
        seq: loaded.events.length + 1,
        at: now,
        actorId: who.account.id,
        actorLabel: who.account.label,
        actorAgency: who.account.agencyCode,
        reason: typeof reason === 'string' ? reason : null,
        data,
      };
      // A fee paid online before the result: a granted decision then waits for the payment.
      const added = [event, ...(data.type === 'approved' && data.decision === 'granted' ? paymentRequest(await this.procedureOf(loaded.row), loaded.row.channel, 'result', event) : [])];
      const next = project([...loaded.events, ...added]);
      // The signed result is made now and recorded inside the transaction, with the decision.
      const result =
        data.type === 'approved' && data.decision === 'granted'
          ? await this.deps.results?.prepare({
              dossierId: id,
              dossierCode: loaded.row.code,
              procedureCode: loaded.row.procedure_code,
              procedureName: loaded.row.procedure_name,
              procedureDate: loaded.row.submitted_at.slice(0, 10),
              holderName: loaded.row.applicant_name,
              issuerAgency: state.holderAgency,
              summary: data.summary,
              signerName: who.account.label,
              decidedAt: now,
            })
          : undefined;
      let written: boolean;
      try {
        written = await this.store.transaction(async (trx) => {
          // The conditional update takes the row lock first, so concurrent writers queue here.
          if (!(await this.store.saveProjection(trx, id, loaded.row.event_count, next, added.length + loaded.events.length, now))) return false;
          for (const e of added) await this.store.appendEvent(trx, id, e);
          // Papers that come with an action (the result document, supplied papers) commit with it.
          for (const staged of papers) await this.deps.files?.attach(trx as never, staged, who.actor);
          await result?.issue(trx, who.actor);
          for (const e of added) {
            await this.notifyApplicant(
              trx,
              { code: loaded.row.code, email: loaded.row.applicant_email, phone: loaded.row.applicant_phone },
              e.data.type,
              { code: loaded.row.code, secret: loaded.row.tracking_secret },
            );
          }
          return true;
        });
      } catch (err) {
        await result?.discard();
        throw err;
      }
      if (written) break;
      // Another action came first: the next attempt makes the result again.
      await result?.discard();
      if (attempt >= 3) throw new AppError(409, 'DOSSIER_CHANGED', 'dossiers.changed');
    }
    const view = await this.get(id, who.account);
    if (!view) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
    return view;
  }

  private async eventData(action: Action, v: Record<string, unknown>, s: DossierState, row: DossierRow, now: Date): Promise<EventData> {
    switch (action) {
      case 'receive': {
        const p = await this.procedureOf(row);
        const days = p?.body.processingDays ?? 0;
        const due = await this.deps.deadlines.dueAt(now, days, p?.body.cutoffHour);
        return { type: 'received', dueAt: due.toISOString(), workingDays: days };
      }
      case 'requestSupplement':
        return { type: 'supplement_requested', stage: s.status === 'NEW' ? 'intake' : 'processing', items: v.items as { name: string; reason: string }[] };
      case 'supplement': {
        if (s.stage === 'intake' || !s.dueAt || !s.pausedAt) return { type: 'supplemented', dueAt: null };
        const left = await this.deps.deadlines.remaining(new Date(s.pausedAt), new Date(s.dueAt));
        return { type: 'supplemented', dueAt: (await this.deps.deadlines.resume(now, left)).toISOString() };
      }
      case 'refuse':
        return { type: 'refused' };
      case 'assign': {
        const officer = await this.officer(String(v.assigneeId));
        if (!officer || officer.agencyCode !== s.holderAgency || !officer.roles.includes('specialist')) {
          throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields: [{ field: 'assigneeId', key: 'dossiers.badAssignee' }] });
        }
        return { type: 'assigned', assigneeId: officer.id, assigneeName: officer.fullName };
      }
      case 'transfer': {
        const to = await this.deps.catalog.getAgency(String(v.toAgency));
        if (!to || to.code === s.holderAgency) {
          throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields: [{ field: 'toAgency', key: 'dossiers.badAgency' }] });
        }
        return { type: 'transferred', toAgency: to.code, toAgencyName: to.name };
      }
      case 'sendForApproval':
        return { type: 'sent_for_approval' };
      case 'returnForRework':
        return { type: 'returned_for_rework' };
      case 'approve':
        return { type: 'approved', decision: v.decision as 'granted', summary: String(v.summary) };
      case 'returnResult':
        return { type: 'result_returned', method: v.method as 'counter' };
      case 'issueApology': {
        const newDue = await this.deps.deadlines.dayEnd(String(v.newDueDate));
        if (s.dueAt && newDue.toISOString() <= s.dueAt) {
          throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields: [{ field: 'newDueDate', key: 'dossiers.apologyDate' }] });
        }
        return { type: 'apology_issued', newDueAt: newDue.toISOString() };
      }
      case 'stop':
        return { type: 'stopped' };
      case 'withdraw':
        return { type: 'withdrawn' };
    }
  }

  private async procedureOf(row: DossierRow): Promise<ProcedureDetail | null> {
    return this.deps.catalog.getProcedure(row.procedure_code, { includeRetired: true, date: row.submitted_at.slice(0, 10) });
  }

  private async officer(id: string): Promise<{ id: string; fullName: string; agencyCode: string | null; roles: string[] } | null> {
    const row = await this.platform.db.selectFrom('accounts').select(['id', 'full_name', 'agency_code', 'kind', 'status']).where('id', '=', id).executeTakeFirst();
    if (row?.kind !== 'officer' || row.status !== 'active') return null;
    const roles = await this.platform.db.selectFrom('account_roles').select('role').where('account_id', '=', id).execute();
    return { id: row.id, fullName: row.full_name, agencyCode: row.agency_code, roles: roles.map((r) => r.role) };
  }

  /** Officers of an agency who can be assigned (specialists), for the assignment form. */
  async specialists(agencyCode: string) {
    return this.platform.db
      .selectFrom('accounts as a')
      .innerJoin('account_roles as r', 'r.account_id', 'a.id')
      .select(['a.id', 'a.full_name'])
      .where('a.agency_code', '=', agencyCode)
      .where('a.status', '=', 'active')
      .where('r.role', '=', 'specialist')
      .orderBy('a.full_name')
      .execute();
  }

  /** The dossier as `account` may see it, or null when it does not exist for them. */
  async get(id: string, account: SessionAccount): Promise<DossierView | null> {
    const loaded = await this.store.load({ id });
    if (!loaded) return null;
    const actor = toDossierActor(account);
    const state = project(loaded.events);
    if (!canRead(state, actor, loaded.row.applicant_account_id)) return null;
    const attachments = this.deps.files ? await this.deps.files.listFor(DOSSIER_OWNER, id) : [];
    return this.view(loaded.row, loaded.events, state, availableActions(state, actor, loaded.row.applicant_account_id), attachments);
  }

  async getByCode(code: string, account: SessionAccount): Promise<DossierView | null> {
    const loaded = await this.store.load({ code });
    return loaded ? this.get(loaded.row.id, account) : null;
  }

  /** Public tracking: the code plus the secret printed on the receipt, so codes cannot be enumerated. */
  async track(code: string, secret: string) {
    const loaded = await this.store.load({ code });
    if (!loaded || !timingSafeEqualText(loaded.row.tracking_secret, secret.trim().toUpperCase())) return null;
    const s = project(loaded.events);
    const holder = await this.deps.catalog.getAgency(s.holderAgency);
    return {
      code: loaded.row.code,
      procedureName: loaded.row.procedure_name,
      status: s.status,
      nationalStatus: statuses[s.status],
      holderAgency: s.holderAgency,
      holderAgencyName: holder?.name ?? s.holderAgency,
      submittedAt: loaded.row.submitted_at,
      receivedAt: s.receivedAt,
      dueAt: s.dueAt,
      paused: s.pausedAt !== null,
      late: isLate(s, new Date().toISOString()),
      decision: s.decision,
      steps: loaded.events.map((e) => ({ at: e.at, type: e.data.type })),
    };
  }

  /**
   * One page of a box. `total` is exact up to `countUpTo` (1,000 by default); past it the box
   * says "more than" (`totalCapped`) and the officer pages on or searches.
   */
  async inbox(account: SessionAccount, box: InboxBox, opts: { page: number; pageSize: number; q?: string; countUpTo?: number }) {
    const upTo = opts.countUpTo ?? INBOX_COUNT_UP_TO;
    if (!account.agencyCode) return { items: [], total: 0, totalCapped: false };
    const now = new Date();
    const soon = await this.deps.deadlines.dueAt(now, 2);
    const filter = parseQuery(opts.q);
    const args = { agency: account.agencyCode, box, officerId: account.id, now: now.toISOString(), soon: soon.toISOString(), q: filter };
    const [items, total] = await Promise.all([
      this.store.inbox({ ...args, offset: (opts.page - 1) * opts.pageSize, limit: opts.pageSize }),
      this.store.inboxCount({ ...args, upTo }),
    ]);
    const nowIso = now.toISOString();
    return {
      items: items.map((r) => ({
        id: r.id,
        code: r.code,
        procedureCode: r.procedure_code,
        procedureName: r.procedure_name,
        applicantName: r.applicant_name,
        status: r.status,
        stage: r.stage,
        channel: r.channel,
        submittedAt: r.submitted_at,
        dueAt: r.due_at,
        late: Boolean(r.due_at && !r.paused_at && !r.closed_at && r.status !== 'DONE' && r.due_at < nowIso),
        assigneeId: r.assignee_id,
      })),
      total: Math.min(total, upTo),
      totalCapped: total > upTo,
    };
  }

  /**
   * Warns the officers who hold a dossier that will be late unless it moves: open dossiers due
   * within the next working day. One warning per dossier and due date, however often it runs
   * and on however many instances, so an apology can be issued in time.
   */
  async warnDueSoon(now = new Date()): Promise<number> {
    const notify = this.deps.notify;
    if (!notify) return 0;
    const horizon = await this.deps.deadlines.dueAt(now, 1);
    const rows = await this.store.dueBetween(now.toISOString(), horizon.toISOString());
    let warned = 0;
    for (const r of rows) {
      const recipients = await this.platform.db
        .selectFrom('accounts as a')
        .innerJoin('account_roles as ar', 'ar.account_id', 'a.id')
        .select(['a.email'])
        .where('a.status', '=', 'active')
        .where('a.agency_code', '=', r.holder_agency)
        .where((eb) => (r.assignee_id ? eb('a.id', '=', r.assignee_id) : eb('ar.role', '=', 'leader')))
        .distinct()
        .execute();
      const params = { code: r.code, due: r.due_at ?? '' };
      const messages = recipients.flatMap(({ email }) =>
        email
          ? [
              {
                message: { channel: 'email' as const, to: email, subject: t('vi', 'dossiers.warn.subject', params), text: t('vi', 'dossiers.warn.body', params), ref: r.code },
                dedupeKey: `due-warning:${r.id}:${r.due_at}:${email}`,
              },
            ]
          : [],
      );
      if (!messages.length) continue;
      await this.store.transaction((trx) => notify.enqueue(trx, messages));
      warned += messages.length;
    }
    return warned;
  }

  /**
   * The deadline of each stage after receipt, from the procedure's workflow budgets (or the
   * default split): processing, then approval, then result, each counted in working days.
   */
  async stageDeadlines(d: Pick<DossierView, 'procedureCode' | 'submittedAt' | 'receivedAt'>): Promise<Partial<Record<'processing' | 'approval' | 'result', string>>> {
    if (!d.receivedAt) return {};
    const p = await this.deps.catalog.getProcedure(d.procedureCode, { includeRetired: true, date: d.submittedAt.slice(0, 10) });
    if (!p) return {};
    const workflow = p.body.workflow ?? defaultWorkflow(p.body.processingDays);
    const out: Partial<Record<'processing' | 'approval' | 'result', string>> = {};
    let days = 0;
    for (const step of workflow.steps) {
      days += step.budgetDays;
      out[step.stage] = (await this.deps.deadlines.dueAt(new Date(d.receivedAt), days, p.body.cutoffHour)).toISOString();
    }
    return out;
  }

  /**
   * The fee the applicant owes online now, as an order for the payment service; refused unless
   * the dossier is theirs and waits for payment.
   */
  async paymentOrder(code: string, account: SessionAccount): Promise<PaymentOrder> {
    const loaded = await this.store.load({ code });
    if (!loaded || account.kind !== 'citizen' || loaded.row.applicant_account_id !== account.id) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
    const s = project(loaded.events);
    if (s.status !== 'WAITING_PAYMENT' || !s.paymentDue) throw new AppError(409, 'PAYMENT_NOT_DUE', 'payments.notDue');
    return {
      dossierId: loaded.row.id,
      code: loaded.row.code,
      agencyCode: s.receivingAgency,
      procedureCode: loaded.row.procedure_code,
      procedureName: loaded.row.procedure_name,
      payerName: loaded.row.applicant_name,
      ...s.paymentDue,
    };
  }

  /**
   * Records a payment the gateway confirmed, in the payment service's transaction, so the payment
   * row and the dossier's event commit together. False (nothing written) when the dossier no
   * longer waits for this amount, e.g. it was paid already by another attempt.
   */
  async recordPayment(trx: DossierTrx, dossierId: string, payment: { ref: string; amount: number }): Promise<boolean> {
    const row = await trx.selectFrom('dossiers').selectAll().where('id', '=', dossierId).executeTakeFirst();
    if (!row) return false;
    const events = await this.store.events(trx, dossierId);
    const s = project(events);
    if (s.status !== 'WAITING_PAYMENT' || s.paymentDue?.amount !== payment.amount) return false;
    const now = new Date().toISOString();
    const event: DossierEvent = {
      seq: events.length + 1,
      at: now,
      actorId: null,
      actorLabel: 'VNPay',
      actorAgency: null,
      reason: null,
      data: { type: 'payment_confirmed', paymentRef: payment.ref, amount: payment.amount },
    };
    // Another writer between our read and this update: roll the whole payment back; the
    // gateway repeats its IPN, or the next status query confirms it.
    if (!(await this.store.saveProjection(trx, dossierId, row.event_count, project([...events, event]), event.seq, now))) {
      throw new AppError(409, 'DOSSIER_CHANGED', 'dossiers.changed');
    }
    await this.store.appendEvent(trx, dossierId, event);
    await this.notifyApplicant(trx, { code: row.code, email: row.applicant_email, phone: row.applicant_phone }, 'payment_confirmed', { code: row.code, secret: row.tracking_secret });
    return true;
  }

  /** What the account already knows about its holder, to prefill the application form. */
  async applicantDefaults(accountId: string): Promise<{ fullName?: string; personalId?: string; phone?: string; email?: string }> {
    const a = await this.platform.db.selectFrom('accounts').select(['full_name', 'personal_id', 'phone', 'email']).where('id', '=', accountId).executeTakeFirst();
    if (!a) return {};
    return { fullName: a.full_name, personalId: a.personal_id ?? undefined, phone: a.phone ?? undefined, email: a.email ?? undefined };
  }

  async trackingSecret(id: string): Promise<string> {
    const loaded = await this.store.load({ id });
    return loaded?.row.tracking_secret ?? '';
  }

  async mine(accountId: string) {
    return this.store.byApplicant(accountId, 100);
  }

  /** The upload slots of the procedure named in a (not yet validated) submission payload. */
  async slotsFor(payload: unknown): Promise<PaperSlot[]> {
    const code = (payload as { procedureCode?: unknown } | null)?.procedureCode;
    const p = typeof code === 'string' ? await this.deps.catalog.getProcedure(code) : null;
    if (!p) throw new AppError(404, 'PROCEDURE_NOT_FOUND', 'catalog.notFound', { params: { code: String(code ?? '') } });
    return paperSlots(p);
  }

  /** Receives one paper for a dossier being submitted: checked by content, durable, not yet attached. */
  stagePaper(input: { ownerId: string; slot: string; slotLabel: string; fileName: string; data: Readable; allowed: PaperSlot['allowed'] }): Promise<StagedFile> {
    if (!this.deps.files) throw new AppError(503, 'FILES_UNAVAILABLE', 'http.internal');
    // The owner is the id the new dossier will have: nothing can be stored under it yet.
    return this.deps.files.stage({ ownerType: DOSSIER_OWNER, ...input }, { newOwner: true });
  }

  /** Papers uploaded to a citizen's draft so far: they become the dossier's at submission. */
  async draftPapers(accountId: string, procedureCode: string): Promise<Attachment[]> {
    return this.deps.files ? this.deps.files.listFor(DRAFT_OWNER, draftKey(accountId, procedureCode)) : [];
  }

  /** Adds (or replaces) the paper of one slot in the draft. */
  async addDraftPaper(accountId: string, procedureCode: string, slot: PaperSlot, upload: { fileName: string; data: Readable }, actor: Actor): Promise<void> {
    const files = this.deps.files;
    if (!files) throw new AppError(503, 'FILES_UNAVAILABLE', 'http.internal');
    const owner = { ownerType: DRAFT_OWNER, ownerId: draftKey(accountId, procedureCode) };
    const previous = (await files.listFor(owner.ownerType, owner.ownerId)).filter((a) => a.slot === slot.slot);
    const staged = await files.stage({ ...owner, slot: slot.slot, slotLabel: slot.label, fileName: upload.fileName, data: upload.data, allowed: slot.allowed });
    try {
      await this.store.transaction(async (trx) => {
        for (const old of previous) await files.remove(trx as never, old.id, owner, actor);
        await files.attach(trx as never, staged, actor);
      });
    } catch (err) {
      await files.discard(staged);
      throw err;
    }
  }

  async discardPapers(staged: StagedFile[]): Promise<void> {
    for (const f of staged) await this.deps.files?.discard(f);
  }

  /** An attachment of a dossier the account may read, to be served by the caller. */
  async openAttachment(code: string, attachmentId: string, account: SessionAccount) {
    const view = await this.getByCode(code, account);
    if (!view || !this.deps.files) return null;
    return this.deps.files.open(attachmentId, { ownerType: DOSSIER_OWNER, ownerId: view.id }).catch(() => null);
  }

  private view(row: DossierRow, events: DossierEvent[], s: DossierState, actions: Action[], attachments: Attachment[] = []): DossierView {
    return {
      id: row.id,
      code: row.code,
      procedureCode: row.procedure_code,
      procedureName: row.procedure_name,
      channel: row.channel,
      status: s.status,
      nationalStatus: statuses[s.status],
      stage: s.stage,
      receivingAgency: s.receivingAgency,
      holderAgency: s.holderAgency,
      holderRole: s.holderRole,
      assigneeId: s.assigneeId,
      assigneeName: s.assigneeName,
      applicant: { name: row.applicant_name, personalId: row.applicant_personal_id, phone: row.applicant_phone, email: row.applicant_email },
      form: JSON.parse(row.form_json),
      submittedAt: row.submitted_at,
      receivedAt: s.receivedAt,
      dueAt: s.dueAt,
      paused: s.pausedAt !== null,
      late: isLate(s, new Date().toISOString()),
      decision: s.decision,
      paymentDue: s.paymentDue,
      history: events,
      actions,
      attachments: attachments.map((a) => ({ id: a.id, slot: a.slot, fileName: a.fileName, mediaType: a.mediaType, size: a.size, sha256: a.sha256, createdAt: a.createdAt })),
    };
  }

  private async notifyApplicant(
    trx: DossierTrx,
    to: { code: string; email?: string | null; phone?: string | null },
    event: string,
    params: { code: string; secret: string },
  ): Promise<void> {
    if (!this.deps.notify) return;
    const key = `dossiers.notify.${event}`;
    const body = t('vi', key, params);
    if (body === key) return;
    const link = `${this.deps.publicUrl ?? ''}/track?code=${encodeURIComponent(params.code)}`;
    const subject = t('vi', 'dossiers.notify.subject', params);
    await this.deps.notify.enqueue(trx, [
      ...(to.email ? [{ message: { channel: 'email' as const, to: to.email, subject, text: `${body}\n${link}`, ref: to.code } }] : []),
      ...(to.phone ? [{ message: { channel: 'sms' as const, to: to.phone, subject, text: body, ref: to.code } }] : []),
    ]);
  }
}

/** What an applicant pays online for one dossier, handed to the payment service. */
export interface PaymentOrder {
  dossierId: string;
  code: string;
  agencyCode: string;
  procedureCode: string;
  procedureName: string;
  payerName: string;
  stage: 'submission' | 'result';
  amount: number;
  lines: { name: string; amount: number }[];
}

/** The `payment_requested` event that follows `after` when the procedure charges online at `stage`. */
function paymentRequest(procedure: ProcedureDetail | null, channel: DossierRow['channel'], stage: 'submission' | 'result', after: DossierEvent): DossierEvent[] {
  const fee = procedure ? onlineFee(procedure.body) : null;
  // Counter and postal applicants pay at the counter, as before.
  if (channel !== 'online' || fee?.stage !== stage) return [];
  return [{ seq: after.seq + 1, at: after.at, actorId: null, actorLabel: null, actorAgency: null, reason: null, data: { type: 'payment_requested', stage, amount: fee.amount, lines: fee.lines } }];
}

export function toDossierActor(account: SessionAccount): DossierActor {
  return account.kind === 'citizen'
    ? { kind: 'citizen', id: account.id }
    : { kind: 'officer', id: account.id, agencyCode: account.agencyCode, roles: account.roles };
}

export function draftKey(accountId: string, procedureCode: string): string {
  return `${accountId}:${procedureCode}`;
}

/** The search box takes a dossier code, a personal ID or (part of) a name. */
function parseQuery(q?: string): { code?: string; personalId?: string; nameFolded?: string } | undefined {
  const value = q?.trim();
  if (!value) return undefined;
  if (/^\d{12}$/.test(value)) return { personalId: value };
  if (/^[\d.A-Z]+-\d{6,8}-\d+$/i.test(value)) return { code: value.toUpperCase() };
  return { nameFolded: fold(value) };
}

/** YYMMDD of `date` in the city's time zone: the day part of the dossier code. */
/** The local day as the dossier code writes it: yyMMdd. */
function localDay(date: Date, timeZone: string): string {
  return localDate(date, timeZone).slice(2).replaceAll('-', '');
}

/** Dossiers received from 01/07/2025 are judged under the 2025 one-stop rules (Decree 118/2025). */
export function ruleSetOn(iso: string): '2018' | '2025' {
  return iso >= '2025-06-30T17:00:00.000Z' ? '2025' : '2018';
}

function timingSafeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
