import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { freePort, scratchDir, sleep } from '../../../test/helpers/server-process.ts';
import { HttpRegistry, type HttpRegistryOptions } from './http-adapter.ts';
import { RegistryUnavailable } from './port.ts';

/**
 * The HTTP adapter against `egov registry-server` running as a separate process: OAuth 2.0
 * client credentials, purpose-bound caching, renewal of a token the registry forgot, and what
 * happens when the registry is down or too slow.
 */
const rootDir = path.resolve(import.meta.dirname, '../../..');
const client = { id: 'egov-portal', secret: 'registry-test-secret' };
const an = '001090012345';

/** The registry server process; counts the requests it logs, by route. */
function registryProcess(port: number, dataDir: string) {
  let child: ChildProcess | undefined;
  const seen: string[] = [];
  return {
    url: `http://127.0.0.1:${port}`,
    count: (route: string) => seen.filter((r) => r === route).length,
    /** The count of `route` requests once the process's log has caught up (it arrives after the reply). */
    async settled(route: string, expected: number): Promise<number> {
      for (const deadline = Date.now() + 3000; Date.now() < deadline && this.count(route) < expected; ) await sleep(20);
      // Then until the count stays put: a late line of an earlier request, counted after the
      // baseline was taken, would pass for a read of the next one.
      for (let last = -1; last !== this.count(route); ) {
        last = this.count(route);
        await sleep(100);
      }
      return this.count(route);
    },
    async start() {
      const env: Record<string, string | undefined> = {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        EGOV_DATA_DIR: dataDir,
        EGOV_LOG_LEVEL: 'info',
        EGOV_REGISTRY_CLIENT_ID: client.id,
        EGOV_REGISTRY_CLIENT_SECRET: client.secret,
      };
      // Its own SQLite database, whatever engine this run's tests use.
      delete env.DATABASE_URL;
      delete env.EGOV_REGISTRY_URL;
      const c = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'registry-server'], { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'inherit'] });
      child = c;
      let buffered = '';
      c.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          const route = /"msg":"incoming request"/.test(line) ? /"route":"([^"]+)"/.exec(line)?.[1] : undefined;
          if (route) seen.push(route);
        }
      });
      for (const deadline = Date.now() + 60_000; ; await sleep(100)) {
        if (c.exitCode !== null) throw new Error('registry server exited before it was ready');
        if (Date.now() > deadline) throw new Error('registry server not ready in time');
        if (await fetch(`${this.url}/readyz`).then((r) => r.ok, () => false)) return;
      }
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const c = child;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      });
    },
  };
}

let registry: ReturnType<typeof registryProcess>;
const scratch = scratchDir('egov-registry-');
const options = (over: Partial<HttpRegistryOptions> = {}): HttpRegistryOptions => ({
  url: registry.url,
  clientId: client.id,
  clientSecret: client.secret,
  timeoutMs: 2000,
  cacheSeconds: 60,
  breaker: { failures: 3, resetMs: 60_000 },
  ...over,
});

beforeAll(async () => {
  registry = registryProcess(await freePort(), scratch.dir);
  await registry.start();
}, 90_000);
afterAll(async () => {
  await registry?.stop();
  scratch.remove();
});

describe('HttpRegistry against a registry server process', () => {
  it('reads a person and their household with one client-credentials token', async () => {
    const tokensBefore = registry.count('/oauth/token');
    const adapter = new HttpRegistry(options());
    const person = await adapter.findPerson(an, 'prefill:1.001193');
    expect(person).toMatchObject({ fullName: 'Nguyễn Văn An', birthDate: '1990-05-15', gender: 'male', permanentAddress: { unitCode: '00004', unitName: 'Phường Ba Đình' } });
    const household = await adapter.household(an, 'prefill:1.001193');
    expect(household?.members.map((m) => m.relation)).toEqual(['head', 'spouse', 'child', 'child']);
    expect(await adapter.findPerson('001099999999', 'prefill:1.001193')).toBeNull();
    expect((await registry.settled('/oauth/token', tokensBefore + 1)) - tokensBefore).toBe(1);
  });

  it('caches an answer for the same person and purpose only, and never a "no such person"', async () => {
    const adapter = new HttpRegistry(options());
    const start = await registry.settled('/v1/persons/:id', 0);
    const reads = async (n: number) => (await registry.settled('/v1/persons/:id', start + n)) - start;
    await adapter.findPerson(an, 'dossier:A');
    await adapter.findPerson(an, 'dossier:A');
    expect(await reads(1)).toBe(1);
    await adapter.findPerson(an, 'dossier:B');
    expect(await reads(2)).toBe(2);
    await adapter.findPerson('001099999999', 'dossier:A');
    await adapter.findPerson('001099999999', 'dossier:A');
    expect(await reads(4)).toBe(4);
    // A cached answer is a copy: a caller changing it does not change the next answer.
    const first = await adapter.findPerson(an, 'dossier:A');
    if (first) first.fullName = 'changed';
    expect((await adapter.findPerson(an, 'dossier:A'))?.fullName).toBe('Nguyễn Văn An');
  });

  it('is refused with wrong client credentials, without opening the circuit', async () => {
    const adapter = new HttpRegistry(options({ clientSecret: 'wrong-secret-123', cacheSeconds: 0 }));
    for (let i = 0; i < 4; i++) await expect(adapter.findPerson(an, 'p')).rejects.toMatchObject({ reason: 'refused' });
    expect(adapter.breaker.state).toBe('closed');
  });

  it('renews a token the registry no longer honours (restarted), then opens the circuit while it is down', async () => {
    const adapter = new HttpRegistry(options({ cacheSeconds: 0 }));
    await adapter.findPerson(an, 'p');
    await registry.stop();
    await registry.start();
    expect(await adapter.findPerson(an, 'p')).toMatchObject({ personalId: an });

    await registry.stop();
    for (let i = 0; i < 3; i++) await expect(adapter.findPerson(an, 'p')).rejects.toMatchObject({ reason: 'error' });
    expect(adapter.breaker.state).toBe('open');
    const started = Date.now();
    await expect(adapter.findPerson(an, 'p')).rejects.toMatchObject({ reason: 'circuit-open' });
    // At once, without trying the registry: well under the 2 s timeout, with room for a busy
    // machine (a bound of 50 ms was tight under CI load).
    expect(Date.now() - started).toBeLessThan(500);
    await registry.start();
  }, 120_000);
});

describe('the portal configured with the external registry', () => {
  it('prefills the application from the registry server, and logs the lookup', async () => {
    const t = await createTestApp({ listen: true, env: { EGOV_REGISTRY_URL: registry.url, EGOV_REGISTRY_CLIENT_ID: client.id, EGOV_REGISTRY_CLIENT_SECRET: client.secret } });
    try {
      const reads = registry.count('/v1/persons/:id');
      const citizen = await new TestClient(t.url).signIn('0912345678', 'Demo@2026pass');
      const res = await citizen.submit('/procedures/1.001193/apply/applicant', '/procedures/1.001193/apply/consent', { agree: 'yes' });
      expect(res.status).toBe(303);
      expect(await (await citizen.get('/procedures/1.001193/apply/applicant')).text()).toContain('value="Nguyễn Văn An" readonly');
      expect(await registry.settled('/v1/persons/:id', reads + 1)).toBe(reads + 1);
      expect((await citizen.api('GET', '/api/v1/me/data-access')).body.items).toMatchObject([{ kind: 'prefill', procedureCode: '1.001193' }]);
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe('HttpRegistry against a registry that never answers', () => {
  let silent: Server;
  let url: string;
  beforeAll(async () => {
    // Accepts connections and reads requests, but never replies.
    silent = createServer((socket) => socket.on('data', () => {}));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => silent.close(() => resolve())));

  it('gives up after the timeout and says so', async () => {
    const adapter = new HttpRegistry(options({ url, timeoutMs: 300 }));
    const started = Date.now();
    const err = await adapter.findPerson(an, 'p').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryUnavailable);
    expect((err as RegistryUnavailable).reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
