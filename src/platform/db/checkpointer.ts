import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies a SQLite database's write-ahead log back into the database file from a thread of its
 * own, so the request thread never does it.
 *
 * SQLite's automatic checkpoint runs inside whichever commit pushes the log past its limit:
 * that commit writes a thousand pages back and fsyncs twice, synchronously, on the thread that
 * serves every request (two fifths of the commit time of a dossier submission). Here the
 * request connection's automatic checkpoint is raised to a safety net, and a worker thread with
 * its own connection runs PASSIVE checkpoints, which never block writers or readers. A log whose
 * every frame has been copied is reused from the start by the next commit.
 */
export interface Checkpointer {
  /** Runs a checkpoint now; resolves with the log's frame count and how many were copied. */
  checkpointNow(): Promise<CheckpointResult>;
  stop(): Promise<void>;
}

export interface CheckpointResult {
  /** Frames in the log when the checkpoint ran. */
  log: number;
  /** Frames copied into the database file so far. */
  checkpointed: number;
}

/** Pages the request connection lets the log grow to before it checkpoints itself anyway. */
export const SAFETY_NET_PAGES = 20_000;

// Plain JavaScript, evaluated in the thread: it must load under tsx, vitest and plain node alike.
const threadSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    return { log: row.log, checkpointed: row.checkpointed };
  } catch (error) {
    return { error: String(error && error.message || error) };
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message.type === 'checkpoint') parentPort.postMessage({ id: message.id, result: checkpoint() });
  if (message.type === 'stop') { clearInterval(timer); db.close(); parentPort.close(); }
});
`;

export function startCheckpointer(file: string, opts: { intervalMs?: number } = {}): Checkpointer {
  const worker = new Worker(threadSource, {
    eval: true,
    workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: opts.intervalMs ?? 500 },
  });
  // A checkpoint thread alone must not keep the process running.
  worker.unref();
  const pending = new Map<number, (r: { result: CheckpointResult | { error: string } }) => void>();
  let nextId = 0;
  worker.on('message', (message: { id: number; result: CheckpointResult | { error: string } }) => {
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  // Should the thread die, the request connection's safety net still bounds the log; say so.
  worker.on('error', (err) => {
    process.emitWarning(`SQLite checkpoint thread stopped (${err.message}): commits now checkpoint past ${SAFETY_NET_PAGES} pages of log`);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    checkpointNow() {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, ({ result }) => ('error' in result ? reject(new Error(result.error)) : resolve(result)));
        worker.postMessage({ type: 'checkpoint', id });
      });
    },
    async stop() {
      // Referenced again while it stops: otherwise a process with nothing else left to do would
      // exit before the thread closes its connection (and before the caller's own `finally`).
      worker.ref();
      worker.postMessage({ type: 'stop' });
      await exited;
    },
  };
}
