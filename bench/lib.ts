import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/helpers/server-process.ts';
import pg from 'pg';

/** Helpers shared by the benchmarks: start a server as its own process, load it, read figures. */
export const rootDir = path.resolve(import.meta.dirname, '..');

export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret-00';

export interface Server {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
// If the bench dies without its finally blocks (an uncaught error), take the servers with it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});


/**
 * Starts `script` with tsx on a free port and waits until `readyPath` answers 200. With
 * BENCH_PROFILE_DIR set, the portal (src/main.ts) writes a V8 CPU profile there when it stops.
 */
export async function startServer(script: string, env: Record<string, string>, readyPath = '/healthz'): Promise<Server> {
  const port = await freePort();
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const profile = profileDir && script === 'src/main.ts' ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script], {
    cwd: rootDir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    try {
      const res = await fetch(url + readyPath);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${script} did not start`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The portal's environment for a benchmark: demo data, no rate limits, quiet logs. */
export function portalEnv(dataDir: string, database: BenchDatabase, extra: Record<string, string> = {}): Record<string, string> {
  return {
    EGOV_DATA_DIR: dataDir,
    EGOV_DEMO: 'on',
    EGOV_LOG_LEVEL: 'warn',
    EGOV_RATE_LIMIT_PER_MIN: '100000000',
    EGOV_LOGIN_RATE_LIMIT_PER_MIN: '100000000',
    EGOV_SECRET: BENCH_SECRET,
    ...database.env,
    ...extra,
  };
}

export interface Load {
  /** Responses per second (autocannon's average of its per-second samples), any status. */
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses with the expected status, and their rate over the measured time. */
  ok: number;
  okPerSecond: number;
  statusCodes: Record<string, number>;
  seconds: number;
  /**
   * The whole machine's busy CPU time (every core, every process: server, load generator,
   * database, kernel) per response over the run, in ms: what one request costs the machine.
   */
  cpuMsPerResponse: number;
}

export interface LoadOptions {
  seconds: number;
  connections: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** The status that counts as a success; any 2xx when absent. */
  expectStatus?: number;
}

/** Loads `paths` (round robin) from this process with autocannon for a fixed time. */
export async function load(url: string, paths: string[], opts: LoadOptions): Promise<Load> {
  const busyBefore = machineBusyMs();
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
    headers: opts.headers,
    requests: paths.map((p) => ({ method: opts.method ?? 'GET', path: p, ...(opts.body === undefined ? {} : { body: opts.body }) })),
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = (stat as { count: number }).count;
  const ok =
    opts.expectStatus === undefined
      ? Object.entries(statusCodes).reduce((n, [code, count]) => n + (code.startsWith('2') ? count : 0), 0)
      : (statusCodes[String(opts.expectStatus)] ?? 0);
  const seconds = result.duration || opts.seconds;
  const responses = Object.values(statusCodes).reduce((n, count) => n + count, 0);
  return {
    cpuMsPerResponse: round((machineBusyMs() - busyBefore) / Math.max(1, responses), 2),
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    ok,
    okPerSecond: ok / seconds,
    statusCodes,
    seconds,
  };
}

/** CPU time spent by all cores since boot, idle and I/O wait excluded, in ms. */
function machineBusyMs(): number {
  return os.cpus().reduce((ms, cpu) => ms + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
}

/**
 * A data directory for one run, removed at its end unless BENCH_KEEP_DATA is set: to look at it,
 * or to run benchmarks back to back. On ext4 without a journal (these machines), each new file
 * skips over the inodes deleted in the last one to six minutes, so a run right after another
 * removed its ten thousand papers spends a tenth of the machine creating files.
 */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  if (process.env.BENCH_KEEP_DATA) return { dir, remove: () => process.stderr.write(`kept ${dir}\n`) };
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[half] as number) : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
}

const started = Date.now();
/** Progress for the person watching, on stderr: stdout carries only the JSON result. */
export function progress(message: string): void {
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}

/**
 * The database a benchmark's portal runs on. SQLite: a file in the bench's data directory.
 * PostgreSQL (DATABASE_URL set): a new database created on that server for this run and dropped
 * after it, so the demo data and the bulk-loaded rows never land in the database named by
 * DATABASE_URL (the role needs CREATEDB).
 */
export interface BenchDatabase {
  engine: 'sqlite' | 'postgres';
  /** What the portal process gets: DATABASE_URL for PostgreSQL, nothing for SQLite. */
  env: Record<string, string>;
  /** The PostgreSQL URL of the scratch database, or the SQLite file. */
  location: string;
  drop(): Promise<void>;
}

export async function benchDatabase(dataDir: string): Promise<BenchDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { engine: 'sqlite', env: {}, location: path.join(dataDir, 'egov.db'), drop: async () => {} };
  const name = `egov_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    engine: 'postgres',
    env: { DATABASE_URL: url.toString() },
    location: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A signed-in session as the API needs it: the cookies, and the CSRF token for X-CSRF-Token. */
export interface Session {
  cookie: string;
  csrf: string;
  /** Headers for an API call with this session. */
  headers: Record<string, string>;
}

/** Signs in through the login form, as a person would, then reads a CSRF token from a page. */
export async function signIn(baseUrl: string, login: string, password: string): Promise<Session> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const request = async (method: string, p: string, body?: URLSearchParams) => {
    const res = await fetch(new URL(p, baseUrl), {
      method,
      body,
      redirect: 'manual',
      headers: { cookie: cookie(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') jar.delete(pair.slice(0, eq).trim());
      else jar.set(pair.slice(0, eq).trim(), value);
    }
    return res;
  };
  const token = (page: string) => {
    const match = /name="_csrf" value="([^"]+)"/.exec(page);
    if (!match?.[1]) throw new Error('no CSRF token on the page');
    return match[1];
  };
  const form = new URLSearchParams({ _csrf: token(await (await request('GET', '/login')).text()), login, password });
  const res = await request('POST', '/login', form);
  if (res.status !== 303) throw new Error(`sign-in failed for ${login}: ${res.status}`);
  const csrf = token(await (await request('GET', '/')).text());
  return { cookie: cookie(), csrf, headers: { cookie: cookie(), 'x-csrf-token': csrf, accept: 'application/json' } };
}

/**
 * A PDF of exactly `size` bytes that the content sniffer accepts: `%PDF-1.4` first, padding in
 * a stream object, `%%EOF` at the very end.
 */
export function pdfOfSize(size: number): Buffer {
  const head = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n';
  const tail = (n: number) => `3 0 obj\n<< /Length ${n} >>\nstream\n`;
  const end = '\nendstream\nendobj\ntrailer\n<< /Root 1 0 R /Size 4 >>\n%%EOF\n';
  const fixed = Buffer.byteLength(head, 'latin1') + Buffer.byteLength(end, 'latin1');
  // The Length field's digits depend on the padding size; solve for it.
  let pad = size - fixed - Buffer.byteLength(tail(0), 'latin1');
  while (fixed + Buffer.byteLength(tail(pad), 'latin1') + pad > size) pad--;
  if (pad < 0) throw new Error(`a PDF cannot be as small as ${size} bytes`);
  const padding = Buffer.alloc(pad);
  for (let i = 0; i < pad; i++) padding[i] = 0x20 + ((i * 7919) % 95); // printable, not compressible to nothing
  return Buffer.concat([Buffer.from(head + tail(pad), 'latin1'), padding, Buffer.from(end, 'latin1')]);
}

export type Part = { name: string; value: string } | { name: string; fileName: string; contentType: string; data: Buffer };

/** A multipart/form-data body with a fixed boundary, built once and sent as is by autocannon. */
export function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----egovbench${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('value' in part) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`, 'utf8'));
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.fileName}"\r\nContent-Type: ${part.contentType}\r\n\r\n`,
          'utf8',
        ),
        part.data,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
