import path from 'node:path';
import type { Platform } from '../index.ts';
import { AttachmentService } from './service.ts';
import { type BlobStorage, DiskStorage } from './storage.ts';

/**
 * Attachments of dossiers and other records: see `AttachmentService` for the contract
 * (durability, limits, and that callers check access before `open`).
 */
export interface Files {
  service: AttachmentService;
  storage: BlobStorage;
}

/** Wires the attachment service over `${dataDir}/files` (or the storage given). */
export function createFiles(platform: Platform, opts: { storage?: BlobStorage } = {}): Files {
  const storage = opts.storage ?? new DiskStorage(path.join(platform.config.dataDir, 'files'));
  const service = new AttachmentService({
    db: platform.db,
    engine: platform.engine,
    storage,
    limits: { maxFileBytes: platform.config.uploads.maxFileBytes, maxOwnerBytes: platform.config.uploads.maxOwnerBytes },
    audit: platform.audit,
  });
  return { service, storage };
}

export { sendAttachment } from './http.ts';
export { filesMessages, formatBytes } from './messages.ts';
export { attachmentFileName, cleanFileName, contentDisposition } from './names.ts';
export type {
  Attachment,
  AttachmentServiceDeps,
  FileLimits,
  OpenedAttachment,
  OwnerRef,
  SaveInput,
  StagedFile,
  SweepReport,
  VerifyReport,
} from './service.ts';
export { AttachmentService } from './service.ts';
export { ALL_MEDIA_TYPES, DEFAULT_ALLOWED, type Detection, type Kind, MEDIA_INFO, MEDIA_TYPES, type MediaType, Sniffer, sniff } from './sniff.ts';
export { type BlobInfo, BlobNotFoundError, type BlobStorage, DiskStorage, newBlobKey, type PutResult } from './storage.ts';
