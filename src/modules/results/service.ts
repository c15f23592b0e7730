import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../../platform/audit/index.ts';
import { type AttachmentService, MEDIA_TYPES, type StagedFile, sniff } from '../../platform/files/index.ts';
import { AppError, validate } from '../../platform/http/errors.ts';
import type { Platform } from '../../platform/index.ts';
import { civilDateTime } from '../../platform/pdf/index.ts';
import { type ActiveKey, checkPdfSignature, jwksOf, type SigningExecutor, type SigningKeys, signPdf, signStatement, verifyStatement } from '../../platform/signing/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import { renderResultDocument } from './document.ts';
import { ResultStore, type ResultTrx } from './store.ts';
import type { ResultRow } from './tables.ts';
import type { ResultRequest } from '../dossiers/index.ts';

export const RESULT_OWNER = 'result';

export interface ResultDeps {
  catalog: Pick<CatalogService, 'getProcedure' | 'getAgency'>;
  files: AttachmentService;
  keys: SigningKeys;
  /** Where the public verification page is, for the QR code (the configured public URL). */
  publicUrl: string;
}

/** The dossiers module's request for a result (its port, implemented here). */
export type IssueInput = ResultRequest;

/**
 * What a verification may reveal: only what is printed on the document. A copy that is not
 * authentic reveals nothing at all.
 */
export interface Verification {
  authentic: boolean;
  result?: { number: string; documentType: string; issuer: string; issuerCode: string; issuedAt: string; revoked: boolean; revokedAt: string | null };
}

/** A result made ready before the decision's transaction (see `ResultService.prepare`). */
export interface PreparedResult {
  /** Issues the result in the decision's transaction (the dossier's existing one if it has one). */
  issue(trx: ResultTrx, actor: Actor): Promise<ResultRow>;
  /** Removes the document made ahead; call it when the transaction did not commit. */
  discard(): Promise<void>;
}

/** What the document shows that is read from the catalog before the transaction. */
interface DocumentRead {
  agencyName: string;
  parentName: string | undefined;
  documentType: string;
}

export const revokeSchema = z.strictObject({ reason: z.string().trim().min(1).max(1000) });

export class ResultService {
  readonly store: ResultStore;

  constructor(
    private readonly platform: Platform,
    private readonly deps: ResultDeps,
  ) {
    this.store = new ResultStore(platform.db);
  }

  /**
   * Prepares the signed result of a granted dossier before the decision's transaction, and
   * returns the step that issues it inside. On SQLite that transaction holds the only
   * connection, and drawing, signing and storing the PDF took some 60 ms in it, with every
   * other request waiting. So the document is made here, under the number the agency would
   * give next; inside, the step takes the number and, if it is the one foreseen (no other
   * result of the agency came in between) and the agency's key is the same, records the
   * document made ahead. Otherwise it makes the document again under the number it got: the
   * numbers stay gap-free and each document carries its own. If issuing fails, the decision
   * fails with it.
   */
  async prepare(input: IssueInput): Promise<PreparedResult> {
    const agency = await this.deps.catalog.getAgency(input.issuerAgency);
    const parent = agency?.parentCode ? await this.deps.catalog.getAgency(agency.parentCode) : null;
    const procedure = await this.deps.catalog.getProcedure(input.procedureCode, { includeRetired: true, date: input.procedureDate });
    const agencyName = agency?.name ?? input.issuerAgency;
    const read = { agencyName, parentName: parent?.name, documentType: documentTypeOf(procedure?.body.result, input.procedureName) };
    const issuedAt = input.decidedAt ? new Date(input.decidedAt) : new Date();
    const year = civilDateTime(issuedAt, this.platform.config.timeZone).year;
    const agencyRef = { code: input.issuerAgency, name: agencyName };
    // A document made ahead that cannot be made (a key that does not open) fails again inside,
    // where it fails the decision.
    const ahead = await (async () => {
      const seq = (await this.store.lastNumber(input.issuerAgency, year)) + 1;
      const key = await this.deps.keys.active(this.platform.db as unknown as SigningExecutor, agencyRef);
      return { seq, kid: key.kid, ...(await this.draw(input, read, issuedAt, seq, key)) };
    })().catch(() => null);
    let pending: StagedFile | null = ahead?.staged ?? null;
    return {
      issue: async (trx, actor) => {
        const existing = await this.store.find({ dossierId: input.dossierId }, trx);
        if (existing) return existing;
        const seq = await this.store.nextNumber(trx, input.issuerAgency, year);
        const key = await this.deps.keys.active(trx as unknown as SigningExecutor, agencyRef);
        let made = ahead;
        if (!made || made.seq !== seq || made.kid !== key.kid) {
          if (ahead) await this.deps.files.discard(ahead.staged);
          pending = null;
          made = { seq, kid: key.kid, ...(await this.draw(input, read, issuedAt, seq, key)) };
          pending = made.staged;
        }
        return this.record(trx, input, read, issuedAt, made, actor);
      },
      discard: async () => {
        if (pending) await this.deps.files.discard(pending);
        pending = null;
      },
    };
  }

  /** Draws the result document under its number, signs it and stores it, not yet attached. */
  private async draw(input: IssueInput, read: DocumentRead, issuedAt: Date, seq: number, key: ActiveKey): Promise<{ id: string; number: string; staged: StagedFile }> {
    const day = civilDateTime(issuedAt, this.platform.config.timeZone);
    const number = `${String(seq).padStart(6, '0')}/${day.year}/KQ`;
    const id = randomUUID();
    const token = await signStatement(
      { rid: id, no: number, doc: read.documentType, iss: input.issuerAgency, date: `${day.year}-${pad(day.month)}-${pad(day.day)}` },
      { kid: key.kid, privateKey: key.statementKey },
    );
    const verifyPage = `${this.deps.publicUrl}/verify`;
    const unsigned = await renderResultDocument({
      number,
      documentType: read.documentType,
      agency: { name: read.agencyName, parentName: read.parentName, place: 'Hà Nội' },
      holderName: input.holderName,
      dossierCode: input.dossierCode,
      procedureName: input.procedureName,
      summary: input.summary,
      issuedAt,
      signerName: input.signerName,
      verifyUrl: `${verifyPage}?t=${token}`,
      verifyPage,
      timeZone: this.platform.config.timeZone,
    });
    const signed = await signPdf(unsigned, key.identity, { signer: read.agencyName, reason: `${read.documentType} số ${number}`, location: 'Hà Nội', signingTime: issuedAt });
    const staged = await this.deps.files.stage(
      { ownerType: RESULT_OWNER, ownerId: id, slot: 'signed', slotLabel: read.documentType, fileName: `ket-qua-${input.dossierCode}.pdf`, data: signed, allowed: [MEDIA_TYPES.pdf] },
      { newOwner: true },
    );
    return { id, number, staged };
  }

  /** Attaches the document and records the result, in the decision's transaction. */
  private async record(trx: ResultTrx, input: IssueInput, read: DocumentRead, issuedAt: Date, made: { id: string; number: string; kid: string; staged: StagedFile }, actor: Actor): Promise<ResultRow> {
    const attachment = await this.deps.files.attach(trx as never, made.staged, actor);
    const row: ResultRow = {
      id: made.id,
      dossier_id: input.dossierId,
      dossier_code: input.dossierCode,
      number: made.number,
      document_type: read.documentType,
      issuer_agency: input.issuerAgency,
      issuer_name: read.agencyName,
      holder_name: input.holderName,
      issued_at: issuedAt.toISOString(),
      sha256: attachment.sha256,
      key_id: made.kid,
      attachment_id: attachment.id,
      revoked_at: null,
      revoked_by: null,
      revoked_reason: null,
    };
    await this.store.insert(trx, row);
    await this.platform.audit.record(
      { ...auditActor(actor), action: 'result.issued', targetType: 'result', targetId: made.id, after: { number: made.number, dossier: input.dossierCode, kid: made.kid, sha256: row.sha256 } },
      trx as never,
    );
    return row;
  }

  /** An uploaded copy: authentic when our agency's signature verifies and it is a result we issued, byte for byte. */
  async verifyPdf(data: Buffer, fileName: string): Promise<Verification> {
    // Checked by content, as every upload: a renamed image or web page is not a PDF.
    const detected = sniff(data);
    const refuse = (status: number, code: string, key: string) => new AppError(status, code, key, { params: { fileName }, fields: [{ field: 'file', key, params: { fileName } }] });
    if (detected.kind === 'empty') throw refuse(400, 'FILE_EMPTY', 'results.verify.empty');
    if (detected.kind !== 'pdf') throw refuse(415, 'FILE_TYPE_NOT_ALLOWED', 'results.verify.notPdf');
    if (detected.damaged) throw refuse(422, 'FILE_DAMAGED', 'results.verify.damaged');
    const check = checkPdfSignature(data);
    if (!check?.valid || !check.coversWholeFile || !check.signerCertSha256) return { authentic: false };
    const key = await this.deps.keys.byCertificate(check.signerCertSha256);
    const row = await this.store.find({ sha256: createHash('sha256').update(data).digest('hex') });
    if (!key || !row || row.key_id !== key.kid) return { authentic: false };
    return this.reveal(row);
  }

  /** The statement from a QR code: authentic when one of our keys signed it and it names a result we issued. */
  async verifyToken(token: string): Promise<Verification> {
    const statement = await verifyStatement(token, await this.jwks());
    if (!statement) return { authentic: false };
    const row = await this.store.find({ id: statement.rid });
    if (!row || row.number !== statement.no || row.issuer_agency !== statement.iss || row.key_id !== statement.kid) return { authentic: false };
    return this.reveal(row);
  }

  jwks() {
    return jwksOf(this.deps.keys);
  }

  async certificatesPem(): Promise<string> {
    const ca = await this.deps.keys.devCaPem();
    return [ca ?? '', ...(await this.deps.keys.publicKeys()).map((k) => k.certPem)].join('');
  }

  find(by: { id?: string; dossierId?: string; dossierCode?: string }): Promise<ResultRow | undefined> {
    return this.store.find(by);
  }

  /** The signed PDF, for a caller that has checked the requester may read the dossier. */
  open(row: ResultRow) {
    return this.deps.files.open(row.attachment_id, { ownerType: RESULT_OWNER, ownerId: row.id });
  }

  /**
   * Revokes a result (the caller has authorized the officer for the issuing agency). The
   * document stays verifiable, and verification says it is revoked.
   */
  async revoke(id: string, input: unknown, who: { accountId: string; actor: Actor }): Promise<ResultRow> {
    const v = validate(revokeSchema, input);
    const at = new Date().toISOString();
    await this.store.transaction(async (trx) => {
      if (!(await this.store.revoke(trx, id, who.accountId, v.reason, at))) throw new AppError(409, 'RESULT_ALREADY_REVOKED', 'results.alreadyRevoked');
      await this.platform.audit.record({ ...auditActor(who.actor), action: 'result.revoked', targetType: 'result', targetId: id, after: { reason: v.reason } }, trx as never);
    });
    const row = await this.store.find({ id });
    if (!row) throw new AppError(404, 'RESULT_NOT_FOUND', 'results.notFound');
    return row;
  }

  private reveal(row: ResultRow): Verification {
    return {
      authentic: true,
      result: {
        number: row.number,
        documentType: row.document_type,
        issuer: row.issuer_name,
        issuerCode: row.issuer_agency,
        issuedAt: row.issued_at,
        revoked: row.revoked_at !== null,
        revokedAt: row.revoked_at,
      },
    };
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

function auditActor(actor: Actor) {
  return { actorId: actor.id, actorLabel: actor.label, ip: actor.ip, requestId: actor.requestId };
}

/**
 * The document type from the procedure's result ("Giấy khai sinh (bản chính) và bản sao…" →
 * "Giấy khai sinh"): the part before any explanation in brackets or after a comma.
 */
export function documentTypeOf(result: string | undefined, procedureName: string): string {
  const head = (result ?? '').split(/[(;,]/)[0]?.trim() ?? '';
  if (head) return head.length > 200 ? `${head.slice(0, 199)}…` : head;
  return `Kết quả: ${procedureName.replace(/^Thủ tục\s+/i, '')}`;
}
