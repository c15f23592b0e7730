import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, opendir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface PutResult {
  size: number;
  /** Lower-case hex SHA-256 of the bytes written. */
  sha256: string;
}

export interface BlobInfo {
  key: string;
  size: number;
  modifiedAt: Date;
}

/**
 * Where attachment bytes live. Keys are random (see `newBlobKey`), never user file names.
 *
 * Contract every implementation keeps:
 * - `put` resolves only once the blob is durable (survives a crash or kill) and complete; if it
 *   rejects, nothing is left under the key. It never overwrites an existing key.
 * - `put` reads `data` to its end (or until the stream errors, which aborts the put).
 * - `get` rejects with `BlobNotFoundError` for an unknown key.
 * - `delete` is idempotent.
 * - `list` enumerates complete blobs only (for the orphan sweep).
 */
export interface BlobStorage {
  put(key: string, data: Buffer | Readable): Promise<PutResult>;
  get(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  list(): AsyncIterable<BlobInfo>;
  /** Removes what interrupted `put`s left behind (temporary files) older than `olderThan`. */
  purgeIncomplete(olderThan: Date): Promise<number>;
  /** Releases what the storage holds open; puts after it still work. */
  close(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`blob not found: ${key}`);
  }
}

/**
 * A fresh storage key: the UTC minute it was made, then a random UUID
 * (`202611271431-3f2a…`). The minute places the file (see `DiskStorage`); the UUID makes it
 * unguessable and unique.
 */
export function newBlobKey(now: Date = new Date()): string {
  const minute = now.toISOString().slice(0, 16).replace(/\D/g, '');
  return `${minute}-${randomUUID()}`;
}

/** Keys made by `newBlobKey`; older keys are bare UUIDs. */
const TIMED_KEY = /^(\d{8})(\d{4})-/;

const KEY = /^[a-z0-9][a-z0-9-]{7,127}$/;
/** Bytes gathered before they are written to the file. */
const WRITE_BATCH_BYTES = 1024 * 1024;
/** A directory handle unused this long is closed when the next directory is opened. */
const DIR_HANDLE_IDLE_MS = 5 * 60_000;
const TEMP_PREFIX = '.tmp-';

function checkKey(key: string): void {
  // Keys become path components: nothing that could climb out of the storage directory.
  if (!KEY.test(key)) throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
}

/**
 * Blobs as files under `root` (`${dataDir}/files`), two directory levels deep: by the day and
 * the minute of the key (`20261127/1431/202611271431-…`), so that the files written at one time
 * share a directory (made and linked durably once, its handle kept open for the fsyncs that
 * follow each file) and no directory holds more than a minute's uploads. Keys from before
 * (bare UUIDs) stay where they were put: under their first four characters (`ab/cd/abcd…`).
 *
 * Durability: each blob is written to a temporary file in its final directory, fsynced,
 * renamed into place and the directory fsynced; a newly created shard directory is fsynced
 * into its parent too. So when `put` resolves, the blob survives a kill or a power cut, and a
 * database row that points to it may commit. A kill during `put` leaves only a `.tmp-` file,
 * which `purgeIncomplete` removes.
 */
export class DiskStorage implements BlobStorage {
  readonly root: string;
  /** Directories already known to be durably linked into their parents. */
  private readonly durableDirs = new Set<string>();
  /** Open handles of the directories written lately, for their fsyncs (see `syncDir`). */
  private readonly dirHandles = new Map<string, { handle: Promise<FileHandle>; usedAt: number }>();

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The file that holds a key's bytes. */
  pathFor(key: string): string {
    checkKey(key);
    const timed = TIMED_KEY.exec(key);
    return timed ? path.join(this.root, timed[1] as string, timed[2] as string, key) : path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(key: string, data: Buffer | Readable): Promise<PutResult> {
    const final = this.pathFor(key);
    const dir = path.dirname(final);
    await this.ensureDir(dir);
    if (await fileExists(final)) throw new Error(`blob already exists: ${key}`);
    const temp = path.join(dir, `${TEMP_PREFIX}${key}-${randomBytes(6).toString('hex')}`);
    const handle = await open(temp, 'wx', 0o600);
    let closed = false;
    let done = false;
    try {
      const hash = createHash('sha256');
      let size = 0;
      // Pieces are gathered and written together (one writev per MiB rather than one write per
      // network-sized piece): each file operation is a round trip through libuv's thread pool.
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        if (pendingBytes) await writeAll(handle, pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
      };
      const chunks: AsyncIterable<Buffer | string> | Buffer[] = Buffer.isBuffer(data) ? [data] : data;
      for await (const piece of chunks) {
        const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
        hash.update(chunk);
        size += chunk.length;
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= WRITE_BATCH_BYTES) await flush();
      }
      await flush();
      await handle.datasync();
      await handle.close();
      closed = true;
      await rename(temp, final);
      await this.syncDir(dir);
      done = true;
      return { size, sha256: hash.digest('hex') };
    } finally {
      if (!closed) await handle.close().catch(() => {});
      if (!done) await unlink(temp).catch(() => {});
    }
  }

  async get(key: string): Promise<Readable> {
    try {
      const handle = await open(this.pathFor(key), 'r');
      return handle.createReadStream();
    } catch (err) {
      if (isMissing(err)) throw new BlobNotFoundError(key);
      throw err;
    }
  }

  exists(key: string): Promise<boolean> {
    return fileExists(this.pathFor(key));
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathFor(key));
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }

  async *list(): AsyncIterable<BlobInfo> {
    for await (const entry of this.walk()) {
      if (entry.name.startsWith(TEMP_PREFIX) || !KEY.test(entry.name)) continue;
      const info = await stat(entry.path).catch(() => null);
      if (info?.isFile()) yield { key: entry.name, size: info.size, modifiedAt: info.mtime };
    }
  }

  async purgeIncomplete(olderThan: Date): Promise<number> {
    let removed = 0;
    for await (const entry of this.walk()) {
      if (!entry.name.startsWith(TEMP_PREFIX)) continue;
      const info = await stat(entry.path).catch(() => null);
      if (info && info.mtime < olderThan) {
        await unlink(entry.path).catch(() => {});
        removed++;
      }
    }
    return removed;
  }

  /** Every file two shard levels below the root. */
  private async *walk(): AsyncIterable<{ name: string; path: string }> {
    for (const level1 of await subdirs(this.root)) {
      for (const level2 of await subdirs(level1)) {
        const dir = await opendir(level2).catch(() => null);
        if (!dir) continue;
        for await (const entry of dir) {
          if (entry.isFile()) yield { name: entry.name, path: path.join(level2, entry.name) };
        }
      }
    }
  }

  /**
   * Creates the shard directory if needed and makes sure its entries in the parents are
   * durable: a file fsynced into a directory that itself vanishes in a crash is lost too.
   * Checked once per directory per process, whoever created it (another process may have
   * created it and not yet synced its parent).
   */
  private async ensureDir(dir: string): Promise<void> {
    if (this.durableDirs.has(dir)) return;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // dir's entry in its parent, and so on up to the root's entry in the data directory.
    for (let d = dir; d.startsWith(this.root); d = path.dirname(d)) {
      await syncDir(path.dirname(d));
    }
    this.durableDirs.add(dir);
  }

  /**
   * Makes the directory's entries durable, through a handle kept open while the directory is in
   * use: files of the same minute share it, which saves an open and a close per file.
   */
  private async syncDir(dir: string): Promise<void> {
    const now = Date.now();
    let entry = this.dirHandles.get(dir);
    if (!entry) {
      entry = { handle: open(dir, 'r'), usedAt: now };
      this.dirHandles.set(dir, entry);
      this.closeIdleDirs(now);
    }
    entry.usedAt = now;
    try {
      await (await entry.handle).sync();
    } catch (err) {
      // A handle that failed once is not trusted again: the next file opens the directory anew.
      if (this.dirHandles.get(dir) === entry) this.dirHandles.delete(dir);
      void entry.handle.then((h) => h.close()).catch(() => {});
      throw err;
    }
  }

  async close(): Promise<void> {
    const entries = [...this.dirHandles.values()];
    this.dirHandles.clear();
    await Promise.all(entries.map((e) => e.handle.then((h) => h.close()).catch(() => {})));
  }

  /** Closes handles of directories unused for a while (the minutes gone by). */
  private closeIdleDirs(now: number): void {
    for (const [dir, entry] of this.dirHandles) {
      if (now - entry.usedAt < DIR_HANDLE_IDLE_MS) continue;
      this.dirHandles.delete(dir);
      void entry.handle.then((h) => h.close()).catch(() => {});
    }
  }
}

/** Writes `buffers` (`total` bytes) in order, however many calls the kernel needs. */
async function writeAll(handle: FileHandle, buffers: Buffer[], total: number): Promise<void> {
  let rest = buffers;
  let left = total;
  while (left > 0) {
    const { bytesWritten } = await handle.writev(rest);
    left -= bytesWritten;
    if (left === 0) return;
    // A short write: continue from the first byte not written.
    let skip = bytesWritten;
    const next: Buffer[] = [];
    for (const b of rest) {
      if (skip >= b.length) {
        skip -= b.length;
        continue;
      }
      next.push(skip ? b.subarray(skip) : b);
      skip = 0;
    }
    rest = next;
  }
}

async function subdirs(dir: string): Promise<string[]> {
  const handle = await opendir(dir).catch(() => null);
  if (!handle) return [];
  const out: string[] = [];
  // Both layouts: two-character shards, and days (8 digits) holding minutes (4 digits).
  for await (const entry of handle) if (entry.isDirectory() && /^([a-z0-9-]{2}|\d{4}|\d{8})$/.test(entry.name)) out.push(path.join(dir, entry.name));
  return out;
}

/** fsync a directory so the names created, renamed or removed in it are durable. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function fileExists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
