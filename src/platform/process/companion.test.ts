import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, sleep } from '../../../test/helpers/server-process.ts';

const companionModule = path.join(import.meta.dirname, 'companion.ts');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a companion of the portal (the demo payment sandbox)', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'egov-companion-'));
  const pids: number[] = [];
  afterAll(() => {
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops when the portal that started it is killed outright, freeing its port', { timeout: 60_000 }, async () => {
    const port = await freePort();
    // A stand-in for the portal: starts the companion, says its pid, and waits to be killed.
    const script = `
      import { spawnCompanion } from ${JSON.stringify(companionModule)};
      const child = spawnCompanion('paygate');
      process.stdout.write('companion ' + child.pid + '\\n');
      setInterval(() => {}, 1000);
    `;
    const env: NodeJS.ProcessEnv = { ...process.env, EGOV_DATA_DIR: dataDir, EGOV_PAYGATE_PORT: String(port), EGOV_SECRET: 'companion-test-secret-companion-test-0001' };
    delete env.DATABASE_URL;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    pids.push(parent.pid as number);
    const companion = await new Promise<number>((resolve, reject) => {
      parent.stdout.on('data', (d: Buffer) => {
        const m = /companion (\d+)/.exec(String(d));
        if (m) resolve(Number(m[1]));
      });
      parent.once('exit', () => reject(new Error('the parent exited early')));
    });
    pids.push(companion);
    const deadline = Date.now() + 30_000;
    while (!(await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false))) {
      if (Date.now() > deadline) throw new Error('the sandbox gateway did not start');
      await sleep(200);
    }

    parent.kill('SIGKILL');
    const gone = Date.now() + 10_000;
    while (alive(companion) && Date.now() < gone) await sleep(100);
    expect(alive(companion)).toBe(false);
    expect(await fetch(`http://127.0.0.1:${port}/`).then(() => 'answered', () => 'refused')).toBe('refused');
  });
});
