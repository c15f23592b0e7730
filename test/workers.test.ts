import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../src/platform/auth/index.ts';
import { TestClient } from './helpers/client.ts';
import { type ServerProcess, sleep, startTestServer, type TestServer } from './helpers/server-process.ts';

/**
 * EGOV_WORKERS: one `npm start` runs several portal processes on one port (PostgreSQL only;
 * configuration refuses it on SQLite). The primary prepares the database, forks the workers,
 * replaces one that is killed, and stops them all on SIGTERM.
 */
const PASSWORD = 'Demo@2026pass';

/** GET over a connection of its own (no keep-alive pool), answering the status. */
function getOnNewConnection(url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers: { cookie } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** The live child processes of `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  try {
    const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return tasks ? tasks.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe.skipIf(!process.env.DATABASE_URL)('several worker processes behind one port', () => {
  let test: TestServer;
  let server: ServerProcess;
  /** Worker pids seen answering requests (from their own log lines). */
  const answeredBy = new Set<number>();

  beforeAll(async () => {
    test = await startTestServer({
      migrate: false,
      env: { EGOV_WORKERS: '2', EGOV_LOG_LEVEL: 'info', EGOV_DEV_IDP: 'off', EGOV_PAYGATE: 'off' },
      onStdoutLine: (line) => {
        if (!line.includes('"msg":"request"')) return;
        answeredBy.add((JSON.parse(line) as { pid: number }).pid);
      },
    });
    server = test.server;
  }, 90_000);

  afterAll(() => test?.dispose());

  it('serves from every worker, replaces a killed one, and stops them all on SIGTERM', { timeout: 120_000 }, async () => {
    const primary = server.pid as number;
    // Ready once every worker listens (the first one answers /readyz sooner).
    await until('all workers listening', () => server.output().includes('2 worker processes'));
    const workers = childrenOf(primary);
    expect(workers).toHaveLength(2);

    // New connections are dealt out in turn: both workers answer, and a session opened on one
    // is valid on the other (sessions live in the database).
    const citizen = await new TestClient(server.url).signIn('0912345678', PASSWORD);
    const cookie = `${SESSION_COOKIE}=${citizen.cookie(SESSION_COOKIE)}`;
    for (let i = 0; i < 12; i++) expect(await getOnNewConnection(`${server.url}/api/v1/me`, cookie)).toBe(200);
    await until('answers from both workers', () => workers.every((pid) => answeredBy.has(pid)));

    // A crashed worker is replaced; the portal answers throughout.
    const [victim, survivor] = workers as [number, number];
    process.kill(victim, 'SIGKILL');
    const replaced = await until('a replacement worker', () => {
      const now = childrenOf(primary);
      return now.length === 2 && !now.includes(victim) && now.includes(survivor) && now;
    });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(server.output()).toContain('a worker died; starting another');

    // A graceful stop takes the workers down with the primary.
    await server.stop(20_000);
    expect(server.output()).toMatch(/exited \(0\)/);
    for (const pid of replaced) expect(() => process.kill(pid, 0)).toThrow();
  });
});
