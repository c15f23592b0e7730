import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const rootDir = path.resolve(import.meta.dirname, '../../..');

/**
 * Runs `egov paygate` (the sandbox gateway) as a child of the demo portal, with the same
 * environment (so the same merchant code and secret), and takes it down with the parent.
 */
export function spawnPaygate(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(rootDir, 'src/cli.ts'), 'paygate'], { cwd: rootDir, env: process.env, stdio: 'inherit' });
  process.once('exit', () => child.kill('SIGTERM'));
  return child;
}
