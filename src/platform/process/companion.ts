import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const rootDir = path.resolve(import.meta.dirname, '../../..');

/**
 * Runs an `egov` command (the demo's stand-ins: `idp`, `paygate`) as a child of the portal, with
 * the same environment (so the same client registration, merchant code and secrets), and takes
 * it down with the parent.
 */
export function spawnCompanion(command: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(rootDir, 'src/cli.ts'), command], { cwd: rootDir, env: process.env, stdio: 'inherit' });
  process.once('exit', () => child.kill('SIGTERM'));
  return child;
}
