import { Worker } from 'node:worker_threads';

/** A file made durable: its length and the lower-case hex SHA-256 of its bytes. */
export interface DurableFile {
  size: number;
  sha256: string;
}

/** Bytes gathered before they go to the thread (and the most one file holds in memory at once). */
const BATCH_BYTES = 1024 * 1024;
/** Files in progress start with this in their name; `DiskStorage.purgeIncomplete` removes them. */
export const TEMP_PREFIX = '.tmp-';

// Plain JavaScript, evaluated in the thread: it must load under tsx, vitest and plain node alike.
// One message per batch of bytes; the last one also commits: fdatasync, close, rename into place
// (never over an existing file), fsync of the directory.
//
// Bytes go to the disk with O_DIRECT where the file system takes it. Through the page cache,
// every paper lands in fresh page-cache pages, and on these virtual machines the first touch of
// a page costs the host a fault: copying a 200 KB paper in took 0.6 ms instead of 0.03, and the
// whole durable write twice the machine CPU it takes direct (a micro-benchmark of both, 2,000
// files on four threads: 1.0–1.4 against 0.7 ms a file). Direct writes need memory, file offset
// and length aligned to the device's block (512 bytes here), so each thread copies bytes into one
// aligned staging buffer, found once by trying; the last partial block goes through the page
// cache, and fdatasync makes both durable. Where O_DIRECT is refused (tmpfs, other systems), the
// thread writes through the page cache as before.
const threadSource = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const BLOCK = 512;
const STAGE_BYTES = 1024 * 1024;
const O_DIRECT = fs.constants.O_DIRECT;
// undefined: not tried yet; null: buffered writes only; else the aligned staging buffer.
let stage = workerData.direct && O_DIRECT ? undefined : null;
const files = new Map();
const discard = (f) => {
  for (const fd of [f.fd, f.tailFd]) { try { if (fd >= 0) fs.closeSync(fd); } catch {} }
  try { fs.unlinkSync(f.temp); } catch {}
};
const writeAll = (fd, bytes, position) => {
  for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, bytes.length - at, position + at);
};
// An aligned window of a fresh buffer: the first offset at which a direct write of two pages
// succeeds (smaller writes may pass unaligned). Tried on the new, empty temporary file.
const findStage = (fd) => {
  const raw = Buffer.allocUnsafeSlow(STAGE_BYTES + 4096);
  for (let offset = 0; offset < 4096; offset += 16) {
    try {
      fs.writeSync(fd, raw, offset, 8192, 0);
      fs.ftruncateSync(fd, 0);
      return raw.subarray(offset, offset + STAGE_BYTES);
    } catch (error) {
      if (error.code !== 'EINVAL') throw error;
    }
  }
  return null;
};
const open = (temp) => {
  if (stage !== null) {
    let fd = -1;
    try {
      fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_DIRECT, 0o600);
      if (stage === undefined) stage = findStage(fd);
      if (stage) return { fd, direct: true };
    } catch (error) {
      if (error.code !== 'EINVAL') {
        if (fd >= 0) discard({ fd, tailFd: -1, temp });
        throw error;
      }
      stage = null;
    }
    // The file system refuses direct writes: start again through the page cache.
    if (fd >= 0) discard({ fd, tailFd: -1, temp });
  }
  return { fd: fs.openSync(temp, 'wx', 0o600), direct: false };
};
// Direct: whole blocks through the staging buffer; what is left of a block waits for more.
const put = (f, bytes) => {
  if (!f.direct) {
    writeAll(f.fd, bytes, f.written);
    f.written += bytes.length;
    return;
  }
  let at = 0;
  while (f.carry.length + bytes.length - at >= BLOCK) {
    f.carry.copy(stage, 0);
    const take = Math.min(bytes.length - at, STAGE_BYTES - f.carry.length);
    bytes.copy(stage, f.carry.length, at, at + take);
    const filled = f.carry.length + take;
    const whole = filled - (filled % BLOCK);
    writeAll(f.fd, stage.subarray(0, whole), f.written);
    f.written += whole;
    f.carry = Buffer.from(stage.subarray(whole, filled));
    at += take;
  }
  f.carry = Buffer.concat([f.carry, bytes.subarray(at)]);
};
const handle = (m) => {
  let f = files.get(m.id);
  if (m.type === 'abort') {
    if (f) discard(f);
    files.delete(m.id);
    return {};
  }
  if (!f) {
    const temp = path.join(path.dirname(m.final), workerData.tempPrefix + path.basename(m.final) + '-' + crypto.randomBytes(6).toString('hex'));
    f = { ...open(temp), tailFd: -1, temp, hash: crypto.createHash('sha256'), size: 0, written: 0, carry: Buffer.alloc(0) };
    files.set(m.id, f);
  }
  try {
    const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
    put(f, bytes);
    f.hash.update(bytes);
    f.size += bytes.length;
    if (!m.last) return {};
    if (f.carry.length > 0) {
      f.tailFd = fs.openSync(f.temp, 'r+');
      writeAll(f.tailFd, f.carry, f.written);
    }
    // Syncs the file, whichever descriptor wrote which part.
    fs.fdatasyncSync(f.fd);
    for (const fd of [f.fd, f.tailFd]) if (fd >= 0) fs.closeSync(fd);
    f.fd = f.tailFd = -1;
    if (fs.existsSync(m.final)) throw new Error('blob already exists: ' + path.basename(m.final));
    fs.renameSync(f.temp, m.final);
    files.delete(m.id);
    // Directories cannot be opened for fsync on Windows.
    if (process.platform !== 'win32') {
      const dir = fs.openSync(path.dirname(m.final), 'r');
      try { fs.fsyncSync(dir); } finally { fs.closeSync(dir); }
    }
    return { size: f.size, sha256: f.hash.digest('hex'), direct: f.direct };
  } catch (error) {
    discard(f);
    files.delete(m.id);
    throw error;
  }
};
parentPort.on('message', (m) => {
  try {
    parentPort.postMessage({ id: m.id, ...handle(m) });
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: String((error && error.message) || error), code: error && error.code });
  }
});
`;

interface Reply {
  id: number;
  size?: number;
  sha256?: string;
  error?: string;
  code?: string;
  /** Whether the file's whole blocks went to the disk with O_DIRECT. */
  direct?: boolean;
}

interface Thread {
  worker: Worker;
  /** Requests posted and not yet answered, by id. */
  waiting: Map<number, { resolve(reply: Reply): void; reject(err: Error): void }>;
  /** Files being written on it. */
  files: number;
}

/**
 * Writes files durably on threads of their own. From the request thread every file operation
 * is a trip through libuv's thread pool (open, write, fdatasync, close, stat, rename, directory
 * fsync: seven a file), and on these virtual machines each trip, not the disk, cost it 30–60 µs,
 * plus 0.15 ms to hash a 200 KB paper. Here the request thread posts the bytes once per batch
 * and a writer thread does the rest with plain system calls: a quarter more submissions per
 * second in `bench:dossiers`, measured against the thread-pool version in the same run.
 *
 * A file goes to an idle thread (a new one while all are busy, up to `size`, then the least
 * busy) and stays on it. Threads keep the process alive only while they have files in
 * progress, and are replaced if one dies (its files fail).
 */
export class FileWriter {
  private readonly threads: Thread[] = [];
  private nextId = 0;
  /** Files written so far, by how their bytes reached the disk. */
  readonly written = { direct: 0, buffered: 0 };

  /**
   * `size` threads at most: four by default, as many as libuv's thread pool that did this work
   * before, so on a disk whose fsync takes milliseconds as many files are synced at once as then
   * (on these machines two and four measured the same). `direct: false` keeps every write in
   * the page cache until fdatasync, as where the file system refuses O_DIRECT.
   */
  constructor(
    private readonly size = 4,
    private readonly options: { direct?: boolean } = {},
  ) {}

  /**
   * Writes `data` to `final` (in an existing directory) by way of a temporary file there, and
   * resolves once the file and its directory entry are on disk. Rejects if `final` exists or
   * `data` fails; then nothing is left but, after a crash, a temporary file.
   */
  async write(final: string, data: AsyncIterable<Buffer | string> | Buffer[]): Promise<DurableFile> {
    const thread = this.pick();
    // A thread with work keeps the process alive (a command-line run would otherwise end here).
    if (thread.files++ === 0) thread.worker.ref();
    const id = this.nextId++;
    let started = false;
    try {
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const send = async (last: boolean) => {
        // A lone piece is copied to the thread (it may be the caller's); a batch joined here is
        // ours, and moved.
        const joined = pending.length > 1;
        const bytes = joined ? Buffer.concat(pending, pendingBytes) : (pending[0] ?? Buffer.alloc(0));
        pending = [];
        pendingBytes = 0;
        started = true;
        return this.request(thread, { type: 'write', id, final, bytes, last }, joined);
      };
      for await (const piece of data) {
        const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= BATCH_BYTES) await send(false);
      }
      const done = await send(true);
      started = false;
      this.written[done.direct ? 'direct' : 'buffered']++;
      return { size: done.size ?? 0, sha256: done.sha256 ?? '' };
    } catch (err) {
      if (started) await this.request(thread, { type: 'abort', id }).catch(() => {});
      throw err;
    } finally {
      if (--thread.files === 0) thread.worker.unref();
    }
  }

  /** Stops the threads (writes in progress fail); a later write starts them again. */
  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  /** An idle thread; else a new one while there are fewer than `size`; else the least busy. */
  private pick(): Thread {
    const idle = this.threads.find((t) => t.files === 0);
    if (idle) return idle;
    if (this.threads.length < this.size) return this.start();
    return this.threads.reduce((a, b) => (b.files < a.files ? b : a));
  }

  private start(): Thread {
    // No flags from the parent: under --input-type=module they would make this code ESM.
    const worker = new Worker(threadSource, { eval: true, execArgv: [], workerData: { tempPrefix: TEMP_PREFIX, direct: this.options.direct ?? true } });
    worker.unref();
    const thread: Thread = { worker, waiting: new Map(), files: 0 };
    worker.on('message', (reply: Reply) => {
      const waiter = thread.waiting.get(reply.id);
      thread.waiting.delete(reply.id);
      if (!waiter) return;
      if (reply.error === undefined) return waiter.resolve(reply);
      waiter.reject(Object.assign(new Error(reply.error), reply.code ? { code: reply.code } : {}));
    });
    const fail = (err: Error) => {
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.threads.splice(index, 1);
      for (const waiter of thread.waiting.values()) waiter.reject(err);
      thread.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`file writer thread stopped (exit code ${code})`)));
    this.threads.push(thread);
    return thread;
  }

  private request(thread: Thread, message: { type: 'write' | 'abort'; id: number; final?: string; bytes?: Buffer; last?: boolean }, move = false): Promise<Reply> {
    return new Promise((resolve, reject) => {
      if (!this.threads.includes(thread)) return reject(new Error('file writer thread stopped'));
      thread.waiting.set(message.id, { resolve, reject });
      // Only a buffer that owns all of its memory can be moved (small ones share Node's pool).
      const bytes = message.bytes;
      const movable = move && bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      thread.worker.postMessage(message, movable ? [bytes.buffer] : []);
    });
  }
}
