/**
 * Tables of attachments. A row points to a blob in the storage by `storage_key` (a random
 * UUID, never the user's file name); the blob is written and made durable before the row is
 * inserted, so a committed row always has its bytes.
 */
export interface FileTables {
  attachments: AttachmentTable;
}

export interface AttachmentTable {
  id: string;
  /** What the file belongs to, e.g. `dossier` and the dossier's id. */
  owner_type: string;
  owner_id: string;
  /** Which paper of the owner this is, e.g. a component code of the procedure's dossier. */
  slot: string;
  /** Sanitised display name (NFC, no path, no control or bidi characters, extension matching the type). */
  file_name: string;
  /** The type detected from the content; the client's declared type is never stored. */
  media_type: string;
  size: number;
  /** Lower-case hex SHA-256 of the content, computed while it was written. */
  sha256: string;
  storage_key: string;
  created_at: string;
  created_by: string | null;
}
