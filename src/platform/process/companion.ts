import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const rootDir = path.resolve(import.meta.dirname, '../../..');
/** Set in a companion's environment: the pid of the portal that started it. */
const PARENT_ENV = 'EGOV_COMPANION_OF';

/**
 * Runs an `egov` command (the demo's stand-ins: `idp`, `paygate`) as a child of the portal, with
 * the same environment (so the same client registration, merchant code and secrets), and takes
 * it down with the parent: on a normal exit here, and by the companion's own watch (see
 * `runUntilStopped`) when the parent is killed without a chance to say so.
 */
export function spawnCompanion(command: string): ChildProcess {
  const env = { ...process.env, [PARENT_ENV]: String(process.pid) };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(rootDir, 'src/cli.ts'), command], { cwd: rootDir, env, stdio: 'inherit' });
  process.once('exit', () => child.kill('SIGTERM'));
  return child;
}

/**
 * Keeps a long-running command (a server) up until SIGINT or SIGTERM, or, when it is a
 * companion, until the portal that started it is gone (its parent changes: a killed portal
 * leaves it to init), then closes it and exits. Otherwise an orphaned stand-in would keep its
 * port and the next start's would fail to bind.
 */
export function runUntilStopped(close: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const parent = Number(process.env[PARENT_ENV]);
  if (!parent) return;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    stop();
  }, 500);
  watch.unref();
}
