import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Transaction } from 'kysely';
import type { Actor, AuditLog } from '../audit/index.ts';
import type { Database, Db, Engine } from '../db/index.ts';
import { AppError, notFound } from '../http/errors.ts';
import { formatBytes, typeNotAllowedKey } from './messages.ts';
import { attachmentFileName, cleanFileName } from './names.ts';
import { type Detection, isMediaType, MEDIA_INFO, MEDIA_TYPES, type MediaType, Sniffer } from './sniff.ts';
import { type BlobStorage, BlobNotFoundError, newBlobKey } from './storage.ts';
import { type AttachmentRow, attachmentStore as store, type Executor } from './store.ts';

/** What an attachment belongs to, e.g. `{ ownerType: 'dossier', ownerId: '…' }`. */
export interface OwnerRef {
  ownerType: string;
  ownerId: string;
}

export interface SaveInput extends OwnerRef {
  /** Which paper this is (a component code of the procedure); the field named in errors. */
  slot: string;
  /** The paper's name as the citizen sees it, used in messages instead of the slot code. */
  slotLabel?: string;
  /** The client's file name: only cleaned and shown, never trusted for the type. */
  fileName: string;
  /** The bytes, or a stream of them (e.g. `part.file` from @fastify/multipart). */
  data: Buffer | Readable;
  /** The types this slot accepts; the procedure decides (DOCX only where it allows it). */
  allowed: readonly MediaType[];
}

export interface Attachment extends OwnerRef {
  id: string;
  slot: string;
  fileName: string;
  mediaType: MediaType;
  size: number;
  sha256: string;
  createdAt: string;
  createdBy: string | null;
}

export interface OpenedAttachment {
  meta: Attachment;
  /** The content. The caller must consume or destroy it (`sendAttachment` does). */
  stream: Readable;
}

/** A file received and made durable, not yet attached to its owner (see `stage`). */
export interface StagedFile extends OwnerRef {
  readonly storageKey: string;
  readonly slot: string;
  readonly slotLabel: string;
  readonly fileName: string;
  readonly mediaType: MediaType;
  readonly size: number;
  readonly sha256: string;
}

export interface VerifyReport {
  ok: boolean;
  id: string;
  expectedSha256: string;
  actualSha256: string | null;
  expectedSize: number;
  /** null when the blob is missing altogether. */
  actualSize: number | null;
}

export interface SweepReport {
  /** Blobs looked at. */
  scanned: number;
  /** Blobs older than the cutoff that no row points to, deleted. */
  deleted: number;
  /** Leftovers of interrupted writes, deleted. */
  incomplete: number;
}

export interface FileLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Largest total of one owner's attachments, in bytes. */
  maxOwnerBytes: number;
}

export interface AttachmentServiceDeps {
  db: Db;
  engine: Engine;
  storage: BlobStorage;
  limits: FileLimits;
  /** When given, adding and removing an attachment is recorded (with its SHA-256) in the caller's transaction. */
  audit?: AuditLog;
}

const SWEEP_BATCH = 500;

/**
 * Attachments: type checked by content, size-limited per file and per owner, hashed while
 * written, kept in a `BlobStorage`, described by a row in `attachments`.
 *
 * Durability: the blob is durable before its row is inserted, and the row is inserted in the
 * caller's transaction, so once that commits (and the citizen gets a dossier code) the file is
 * whole on disk. If the transaction rolls back, the blob is an orphan until `sweepOrphans`.
 * Blobs are only ever deleted by `sweepOrphans` (or when refused before any row was written):
 * removing an attachment deletes its row, so a rolled-back removal loses nothing.
 *
 * Access: this service does not decide who may read a file. Callers check that the requester
 * may see the owner (the dossier) and then `open(id, owner)` with that same owner: an id that
 * belongs to another owner is "not found", so a guessed or swapped id never leaks a file.
 */
export class AttachmentService {
  constructor(private readonly deps: AttachmentServiceDeps) {}

  get limits(): FileLimits {
    return this.deps.limits;
  }

  /**
   * Receives a file and attaches it in the caller's transaction: checks the type by content
   * (415 FILE_TYPE_NOT_ALLOWED), the per-file and per-owner limits (413 FILE_TOO_LARGE,
   * OWNER_QUOTA_EXCEEDED), refuses empty (400 FILE_EMPTY) and truncated files (422
   * FILE_DAMAGED), stopping the stream as soon as one of them fails. A refused file leaves
   * nothing behind.
   *
   * The transaction stays open while the data arrives. For a stream from a slow client, prefer
   * `stage` before the transaction and `attach` inside it: on SQLite an open transaction holds
   * the only connection, on PostgreSQL a pooled connection and the owner's lock.
   */
  async save(trx: Transaction<Database>, input: SaveInput, actor: Actor): Promise<Attachment> {
    await store.lockOwner(trx, this.deps.engine, input.ownerType, input.ownerId);
    const used = await store.totalSize(trx, input.ownerType, input.ownerId);
    const staged = await this.receive(input, used);
    return (await this.insert(trx, [staged], actor))[0] as Attachment;
  }

  /**
   * Receives a file outside any transaction: the same checks as `save` (the per-owner limit
   * against what is committed now), the blob made durable. Then `attach` it inside the
   * transaction, or `discard` it. A staged file never attached is removed by `sweepOrphans`.
   * `opts.newOwner`: the owner is being created and has nothing stored yet (no query needed).
   */
  async stage(input: SaveInput, opts: { newOwner?: boolean } = {}): Promise<StagedFile> {
    const used = opts.newOwner ? 0 : await store.totalSize(this.deps.db, input.ownerType, input.ownerId);
    return this.receive(input, used);
  }

  /** Attaches a staged file in the caller's transaction, re-checking the per-owner limit under the owner's lock. */
  async attach(trx: Transaction<Database>, staged: StagedFile, actor: Actor): Promise<Attachment> {
    await store.lockOwner(trx, this.deps.engine, staged.ownerType, staged.ownerId);
    const used = await store.totalSize(trx, staged.ownerType, staged.ownerId);
    if (used + staged.size > this.deps.limits.maxOwnerBytes) {
      // No row refers to the blob: it can go now.
      await this.discard(staged);
      throw this.quotaError(staged.slot, staged.slotLabel, staged.fileName, used);
    }
    return (await this.insert(trx, [staged], actor))[0] as Attachment;
  }

  /**
   * Attaches papers to an owner made in the caller's transaction (a dossier being submitted):
   * nobody else can see it yet, let alone attach to it, so there is no owner lock to take and
   * no stored total to read. The owner's limit is checked on the papers themselves, and the
   * rows go in with one statement. Refused papers are left to the caller to discard.
   */
  async attachToNewOwner(trx: Transaction<Database>, staged: StagedFile[], actor: Actor): Promise<Attachment[]> {
    let used = 0;
    for (const file of staged) {
      if (used + file.size > this.deps.limits.maxOwnerBytes) throw this.quotaError(file.slot, file.slotLabel, file.fileName, used);
      used += file.size;
    }
    return this.insert(trx, staged, actor);
  }

  /**
   * Moves every attachment of one owner to another in the caller's transaction: papers
   * uploaded to a draft become the dossier's when it is submitted.
   */
  async reassign(trx: Transaction<Database>, from: OwnerRef, to: OwnerRef, actor: Actor): Promise<number> {
    const moved = await store.reassign(trx, from, to);
    if (moved) {
      await this.deps.audit?.record(
        { ...auditActor(actor), action: 'attachment.reassign', targetType: to.ownerType, targetId: to.ownerId, after: { from: `${from.ownerType}:${from.ownerId}`, count: moved } },
        trx,
      );
    }
    return moved;
  }

  /** Deletes a staged file that will not be attached. Never call it for one that was. */
  async discard(staged: StagedFile): Promise<void> {
    await this.deps.storage.delete(staged.storageKey).catch(() => {});
  }

  /**
   * The attachment and its content, if it belongs to `owner`. Call it only after checking
   * that the requester may read that owner's files; serve the result with `sendAttachment`.
   */
  async open(id: string, owner: OwnerRef, ex: Executor = this.deps.db): Promise<OpenedAttachment> {
    const row = await store.find(ex, id);
    if (!row || row.owner_type !== owner.ownerType || row.owner_id !== owner.ownerId) throw notFound('files.notFound');
    // A row without its blob is lost data (a 5xx and an incident), not a 404.
    const stream = await this.deps.storage.get(row.storage_key);
    return { meta: toAttachment(row), stream };
  }

  /** The metadata alone, with the same owner check as `open`; undefined if not found. */
  async get(id: string, owner: OwnerRef, ex: Executor = this.deps.db): Promise<Attachment | undefined> {
    const row = await store.find(ex, id);
    if (!row || row.owner_type !== owner.ownerType || row.owner_id !== owner.ownerId) return undefined;
    return toAttachment(row);
  }

  async listFor(ownerType: string, ownerId: string, ex: Executor = this.deps.db): Promise<Attachment[]> {
    return (await store.listForOwner(ex, ownerType, ownerId)).map(toAttachment);
  }

  /**
   * Removes an attachment from its owner in the caller's transaction. The blob stays until
   * `sweepOrphans`, so a rolled-back removal loses nothing.
   */
  async remove(trx: Transaction<Database>, id: string, owner: OwnerRef, actor: Actor): Promise<boolean> {
    const row = await store.find(trx, id);
    if (!row || row.owner_type !== owner.ownerType || row.owner_id !== owner.ownerId) return false;
    await store.delete(trx, id);
    await this.deps.audit?.record(
      { ...auditActor(actor), action: 'attachment.remove', targetType: row.owner_type, targetId: row.owner_id, before: auditView(row) },
      trx,
    );
    return true;
  }

  /** Recomputes the SHA-256 of the stored bytes and compares it with the row's. */
  async verify(id: string): Promise<VerifyReport> {
    const row = await store.find(this.deps.db, id);
    if (!row) throw notFound('files.notFound');
    const report = { id, expectedSha256: row.sha256, expectedSize: Number(row.size) };
    let stream: Readable;
    try {
      stream = await this.deps.storage.get(row.storage_key);
    } catch (err) {
      if (err instanceof BlobNotFoundError) return { ...report, ok: false, actualSha256: null, actualSize: null };
      throw err;
    }
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    const actualSha256 = hash.digest('hex');
    return { ...report, ok: actualSha256 === row.sha256 && size === report.expectedSize, actualSha256, actualSize: size };
  }

  /**
   * Deletes blobs last written before `olderThan` that no row points to (left by rolled-back
   * transactions, staged files never attached, removed attachments), and leftovers of
   * interrupted writes. The cutoff must leave room for uploads still between `stage`/`put`
   * and their commit: run it with something like "24 hours ago".
   */
  async sweepOrphans(olderThan: Date): Promise<SweepReport> {
    const report: SweepReport = { scanned: 0, deleted: 0, incomplete: 0 };
    let batch: string[] = [];
    const flush = async () => {
      const referenced = await store.existingKeys(this.deps.db, batch);
      for (const key of batch) {
        if (referenced.has(key)) continue;
        await this.deps.storage.delete(key);
        report.deleted++;
      }
      batch = [];
    };
    for await (const blob of this.deps.storage.list()) {
      report.scanned++;
      if (blob.modifiedAt >= olderThan) continue;
      batch.push(blob.key);
      if (batch.length >= SWEEP_BATCH) await flush();
    }
    await flush();
    report.incomplete = await this.deps.storage.purgeIncomplete(olderThan);
    return report;
  }

  private async insert(trx: Transaction<Database>, staged: StagedFile[], actor: Actor): Promise<Attachment[]> {
    const createdAt = new Date().toISOString();
    const rows: AttachmentRow[] = staged.map((file) => ({
      id: randomUUID(),
      owner_type: file.ownerType,
      owner_id: file.ownerId,
      slot: file.slot,
      file_name: file.fileName,
      media_type: file.mediaType,
      size: file.size,
      sha256: file.sha256,
      storage_key: file.storageKey,
      created_at: createdAt,
      created_by: actor.id,
    }));
    // If this fails the blobs stay orphans for the sweep: deleting them here could lose the
    // files of rows that a caller catching the error still commits.
    await store.insert(trx, rows);
    await this.deps.audit?.recordAll(
      rows.map((row) => ({ ...auditActor(actor), action: 'attachment.add', targetType: row.owner_type, targetId: row.owner_id, after: auditView(row) })),
      trx,
    );
    return rows.map(toAttachment);
  }


  /** Checks and writes the content; refused content never reaches its storage key. */
  private async receive(input: SaveInput, used: number): Promise<StagedFile> {
    const slotLabel = input.slotLabel?.trim() || input.slot;
    const check = new UploadCheck({
      slot: input.slot,
      slotLabel,
      fileName: cleanFileName(input.fileName),
      allowed: checkAllowed(input.allowed),
      maxFileBytes: this.deps.limits.maxFileBytes,
      used,
      maxOwnerBytes: this.deps.limits.maxOwnerBytes,
      quotaError: (fileName) => this.quotaError(input.slot, slotLabel, fileName, used),
    });
    const key = newBlobKey();
    let detection: Detection;
    let put: { size: number; sha256: string };
    if (Buffer.isBuffer(input.data)) {
      // Everything is known before a byte is written.
      check.chunk(input.data);
      detection = check.end();
      put = await this.deps.storage.put(key, input.data);
    } else {
      const source = input.data;
      let verdict: Detection | undefined;
      // The checks run as the storage pulls the bytes: a refusal ends the generator, which
      // destroys the source (no more reading) and makes `put` discard what it wrote.
      async function* checked(): AsyncGenerator<Buffer> {
        for await (const piece of source) {
          const chunk = typeof piece === 'string' ? Buffer.from(piece) : (piece as Buffer);
          check.chunk(chunk);
          yield chunk;
        }
        // A multipart parser whose own limit is lower than ours ends the part early and marks
        // it truncated (busboy): what arrived is not the whole file.
        if ((source as { truncated?: unknown }).truncated === true) check.tooLarge();
        verdict = check.end();
      }
      try {
        put = await this.deps.storage.put(key, checked());
      } catch (err) {
        // Whatever failed (even before the first byte was read), stop the upload's stream.
        source.destroy();
        throw err;
      }
      if (!verdict) throw new Error('upload ended without a verdict');
      detection = verdict;
    }
    const mediaType = detection.mediaType as MediaType;
    return {
      ownerType: input.ownerType,
      ownerId: input.ownerId,
      slot: input.slot,
      slotLabel,
      storageKey: key,
      fileName: attachmentFileName(input.fileName, mediaType),
      mediaType,
      size: put.size,
      sha256: put.sha256,
    };
  }

  private quotaError(slot: string, slotLabel: string, fileName: string, used: number): AppError {
    const params = { fileName, slot: slotLabel, limit: formatBytes(this.deps.limits.maxOwnerBytes), used: formatBytes(used) };
    return fileError(413, 'OWNER_QUOTA_EXCEEDED', 'files.ownerQuota', slot, params);
  }
}

interface CheckOptions {
  slot: string;
  slotLabel: string;
  fileName: string;
  allowed: readonly MediaType[];
  maxFileBytes: number;
  used: number;
  maxOwnerBytes: number;
  quotaError(fileName: string): AppError;
}

/** The checks on one upload, fed chunk by chunk; each throws the AppError to answer with. */
class UploadCheck {
  private readonly sniffer = new Sniffer();
  private familyAccepted = false;

  constructor(private readonly o: CheckOptions) {}

  chunk(chunk: Buffer): void {
    this.sniffer.push(chunk);
    if (!this.familyAccepted) {
      const early = this.sniffer.early();
      if (early && 'rejected' in early) throw this.refusal(early.rejected);
      if (early) {
        const family = early.family;
        // A ZIP may be a DOCX (if allowed) or something else: its directory, at the end, tells.
        const claimed = family === 'zip' ? MEDIA_TYPES.docx : MEDIA_TYPES[family];
        if (family !== 'zip' && !this.o.allowed.includes(claimed)) {
          throw this.refusal({ kind: family, mediaType: claimed, damaged: false });
        }
        this.familyAccepted = true;
      }
    }
    const size = this.sniffer.bytes;
    if (size > this.o.maxFileBytes) this.tooLarge();
    if (this.o.used + size > this.o.maxOwnerBytes) throw this.o.quotaError(this.o.fileName);
  }

  tooLarge(): never {
    throw fileError(413, 'FILE_TOO_LARGE', 'files.tooLarge', this.o.slot, { ...this.params(), limit: formatBytes(this.o.maxFileBytes) });
  }

  end(): Detection {
    const d = this.sniffer.finish();
    if (d.kind === 'empty') throw fileError(400, 'FILE_EMPTY', 'files.empty', this.o.slot, this.params());
    if (d.mediaType && this.o.allowed.includes(d.mediaType) && !d.damaged) return d;
    throw this.refusal(d);
  }

  private refusal(d: Detection): AppError {
    // What the content claims to be: a broken file of an accepted type deserves "damaged".
    const claimed: MediaType | null = d.mediaType ?? (d.kind === 'png' ? MEDIA_TYPES.png : d.kind === 'zip' && d.damaged ? MEDIA_TYPES.docx : null);
    if (d.damaged && claimed && this.o.allowed.includes(claimed)) {
      return fileError(422, 'FILE_DAMAGED', 'files.damaged', this.o.slot, { ...this.params(), type: MEDIA_INFO[claimed].label });
    }
    const allowed = this.o.allowed.map((m) => MEDIA_INFO[m].label).join(', ');
    return fileError(415, 'FILE_TYPE_NOT_ALLOWED', typeNotAllowedKey(d.kind), this.o.slot, { ...this.params(), allowed });
  }

  private params() {
    return { fileName: this.o.fileName, slot: this.o.slotLabel };
  }
}

function fileError(status: number, code: string, key: string, field: string, params: Record<string, string>): AppError {
  return new AppError(status, code, key, { params, fields: [{ field, key, params }] });
}

function checkAllowed(allowed: readonly MediaType[]): readonly MediaType[] {
  if (allowed.length === 0) throw new Error('an attachment slot must allow at least one media type');
  for (const m of allowed) if (!isMediaType(m)) throw new Error(`not an attachment media type: ${m}`);
  return allowed;
}

function toAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    ownerType: row.owner_type,
    ownerId: row.owner_id,
    slot: row.slot,
    fileName: row.file_name,
    mediaType: row.media_type as MediaType,
    size: Number(row.size),
    sha256: row.sha256,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

function auditActor(actor: Actor) {
  return { actorId: actor.id, actorLabel: actor.label, ip: actor.ip, requestId: actor.requestId };
}

function auditView(row: AttachmentRow) {
  return { id: row.id, slot: row.slot, fileName: row.file_name, mediaType: row.media_type, size: Number(row.size), sha256: row.sha256 };
}
