import cluster, { type Worker } from 'node:cluster';
import pino from 'pino';
import type { Config } from '../config/index.ts';

/** A worker that dies is replaced, unless workers keep dying: then the whole server stops. */
const RESTART_WINDOW_MS = 60_000;
const MAX_RESTARTS_IN_WINDOW = 5;
/** How long a worker may take to finish its requests on shutdown before it is killed. */
const STOP_GRACE_MS = 15_000;

/**
 * The primary process of a multi-process server (EGOV_WORKERS > 1, PostgreSQL): prepares the
 * database once, forks the workers (each a whole portal; the port is shared through
 * node:cluster), replaces a worker that dies, and on SIGTERM or SIGINT stops them gracefully
 * before exiting. Nothing is kept here: the workers share state only through the database,
 * as separate instances behind a load balancer do.
 */
export async function superviseWorkers(config: Config, opts: { prepare(): Promise<void>; companions(): { stop(): void } }): Promise<void> {
  const log = pino({ level: config.logLevel, base: { pid: process.pid, role: 'primary' } });
  await opts.prepare();
  const companions = opts.companions();
  const deaths: number[] = [];
  let stopping = false;

  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(workers.map(stopWorker));
    companions.stop();
    process.exit(exitCode);
  };

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const now = Date.now();
    deaths.push(now);
    while ((deaths[0] ?? now) < now - RESTART_WINDOW_MS) deaths.shift();
    if (deaths.length > MAX_RESTARTS_IN_WINDOW) {
      log.fatal({ workerPid: worker.process.pid, code, signal }, `${deaths.length} workers died within a minute; stopping`);
      void stop(1);
      return;
    }
    log.error({ workerPid: worker.process.pid, code, signal }, 'a worker died; starting another');
    cluster.fork();
  });
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  const ready = Array.from({ length: config.workers }, () => listening(cluster.fork()));
  await Promise.all(ready);
  log.info(`egov portal at http://localhost:${config.port} (PostgreSQL, ${config.workers} worker processes)`);
}

function listening(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    worker.once('listening', () => resolve());
    worker.once('exit', () => resolve());
  });
}

/** SIGTERM (the worker's own graceful shutdown), then SIGKILL after the grace time. */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.process.kill('SIGTERM');
  });
}
