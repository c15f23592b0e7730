import { randomUUID } from 'node:crypto';
import { mkdir, open, opendir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { FileWriter, TEMP_PREFIX } from './writer.ts';

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
 * - `put` reads `data` to its end (or until it throws, which aborts the put). A stream will do,
 *   but a plain iterable of its chunks saves a copy: a `Readable` joins what it buffered.
 * - `get` rejects with `BlobNotFoundError` for an unknown key.
 * - `delete` is idempotent.
 * - `list` enumerates complete blobs only (for the orphan sweep).
 */
export interface BlobStorage {
  put(key: string, data: Buffer | AsyncIterable<Buffer>): Promise<PutResult>;
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

function checkKey(key: string): void {
  // Keys become path components: nothing that could climb out of the storage directory.
  if (!KEY.test(key)) throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
}

/**
 * Blobs as files under `root` (`${dataDir}/files`), two directory levels deep: by the day and
 * the minute of the key (`20261127/1431/202611271431-…`), so that the files written at one time
 * share a directory (made and linked durably into its parent once) and no directory holds more
 * than a minute's uploads. Keys from before (bare UUIDs) stay where they were put: under their
 * first four characters (`ab/cd/abcd…`).
 *
 * Durability: each blob is written to a temporary file in its final directory, fsynced,
 * renamed into place and the directory fsynced, on a writer thread (see `FileWriter`); a newly
 * created shard directory is fsynced into its parent too. So when `put` resolves, the blob
 * survives a kill or a power cut, and a database row that points to it may commit. A kill
 * during `put` leaves at most a `.tmp-` file, which `purgeIncomplete` removes.
 */
export class DiskStorage implements BlobStorage {
  readonly root: string;
  /** Directories already known to be durably linked into their parents. */
  private readonly durableDirs = new Set<string>();
  private readonly writer = new FileWriter();

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The file that holds a key's bytes. */
  pathFor(key: string): string {
    checkKey(key);
    const timed = TIMED_KEY.exec(key);
    return timed ? path.join(this.root, timed[1] as string, timed[2] as string, key) : path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(key: string, data: Buffer | AsyncIterable<Buffer>): Promise<PutResult> {
    const final = this.pathFor(key);
    await this.ensureDir(path.dirname(final));
    return this.writer.write(final, Buffer.isBuffer(data) ? [data] : data);
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

  async close(): Promise<void> {
    await this.writer.close();
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
