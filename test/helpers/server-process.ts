import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './db.ts';

/**
 * The real server (`src/main.ts`) as a separate process, for tests that must kill it
 * (SIGKILL, no chance to clean up) or run several instances on one database. The process
 * keeps its port across restarts, so clients and their session cookies stay valid.
 */
const rootDir = path.resolve(import.meta.dirname, '../..');

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  /** True from a successful start until the process exits. */
  readonly running: boolean;
  readonly pid: number | undefined;
  /**
   * Starts the process (again) on the same port and waits until /readyz answers 200;
   * `env` overrides the options' environment for this start only.
   */
  start(env?: Record<string, string>): Promise<void>;
  /** Sends `signal` and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM (a graceful shutdown), then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  output(): string;
}

export interface ServerProcessOptions {
  env: Record<string, string>;
  /** Called with every stdout line (JSON log lines), e.g. to count deliveries. */
  onStdoutLine?: (line: string, pid: number) => void;
  readyTimeoutMs?: number;
}

const live = new Set<ChildProcess>();
// If the test process goes away without afterAll (a crash, a timeout), take the servers with it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A port that is free now (the kernel picks it); kept for the life of the server process. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The environment of a server on the test database: the database settings, the demo city and
 * accounts, a fixed secret (several instances must share it) and limits that tests cannot hit.
 */
export function serverEnv(database: TestDatabase['database'], dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...(database.kind === 'postgres' ? { DATABASE_URL: database.url } : {}),
    // SQLite: config puts the database at `${EGOV_DATA_DIR}/egov.db`, the test file's directory.
    EGOV_DATA_DIR: database.kind === 'sqlite' ? path.dirname(database.file) : dataDir,
    EGOV_DEMO: 'on',
    EGOV_SECRET: TEST_SECRET,
    EGOV_RATE_LIMIT_PER_MIN: '1000000',
    EGOV_LOGIN_RATE_LIMIT_PER_MIN: '1000000',
    EGOV_TRACK_RATE_LIMIT_PER_MIN: '1000000',
    EGOV_LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** A scratch directory (attachments on PostgreSQL runs); `remove` in afterAll. */
export function scratchDir(prefix = 'egov-proc-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  // Retried: a process that has just been killed may still have a file being closed in it.
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 }) };
}

export interface TestServer {
  db: TestDatabase;
  server: ServerProcess;
  /** The server's environment (data directory included). */
  env: Record<string, string>;
  /** Kills the server, drops the database and removes the scratch directory. */
  dispose(): Promise<void>;
}

/** The real server as a started process on a fresh test database, for beforeAll; `dispose` in afterAll. */
export async function startTestServer(opts: { migrate?: boolean; env?: Record<string, string>; onStdoutLine?: ServerProcessOptions['onStdoutLine'] } = {}): Promise<TestServer> {
  const db = await createTestDatabase({ migrate: opts.migrate ?? true });
  const scratch = scratchDir();
  const env = serverEnv(db.database, scratch.dir, opts.env);
  const server = await serverProcess({ env, onStdoutLine: opts.onStdoutLine });
  const dispose = async () => {
    await server.kill('SIGKILL');
    await db.dispose();
    scratch.remove();
  };
  try {
    await server.start();
  } catch (err) {
    await dispose();
    throw err;
  }
  return { db, server, env, dispose };
}

/** Creates a server process (not started yet: call `start`). */
export async function serverProcess(opts: ServerProcessOptions): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tail: string[] = [];
  const remember = (line: string) => {
    tail.push(line);
    if (tail.length > 200) tail.shift();
  };
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let running = false;

  const spawnChild = (extra: Record<string, string>) => {
    const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...opts.env, ...extra };
    // The parent's DATABASE_URL names the server that test databases are created on, not ours.
    if (!opts.env.DATABASE_URL && !extra.DATABASE_URL) delete env.DATABASE_URL;
    const c = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(c);
    const pid = c.pid ?? 0;
    remember(`--- pid ${pid} started`);
    lines(c.stdout, (line) => {
      remember(line);
      opts.onStdoutLine?.(line, pid);
    });
    lines(c.stderr, remember);
    exited = new Promise((resolve) => {
      c.once('exit', (code, signal) => {
        live.delete(c);
        running = false;
        remember(`--- pid ${pid} exited (${signal ?? code})`);
        resolve();
      });
    });
    child = c;
    return c;
  };

  const server: ServerProcess = {
    url,
    port,
    get running() {
      return running;
    },
    get pid() {
      return child?.pid;
    },
    async start(env = {}) {
      if (child && child.exitCode === null && child.signalCode === null) throw new Error(`server on ${url} is already running`);
      const c = spawnChild(env);
      const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
      for (;;) {
        if (c.exitCode !== null || c.signalCode !== null) throw new Error(`server on ${url} exited before it was ready:\n${server.output()}`);
        try {
          const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
          if (res.ok) break;
        } catch {}
        if (Date.now() > deadline) {
          c.kill('SIGKILL');
          throw new Error(`server on ${url} was not ready in time:\n${server.output()}`);
        }
        await sleep(100);
      }
      running = true;
    },
    async kill(signal = 'SIGKILL') {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
    async stop(graceMs = 10_000) {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const c = child;
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    output: () => tail.join('\n'),
  };
  return server;
}

function lines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      onLine(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (buffered) onLine(buffered);
    buffered = '';
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
