import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config/index.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestApp {
  app: App;
  db: TestDatabase;
  /** Base URL when started with `listen: true`. */
  url: string;
  close(): Promise<void>;
}

/**
 * The whole platform on a fresh database, with the demo catalog and accounts loaded.
 * `listen: true` binds a real port on 127.0.0.1 for browser and HTTP-client tests.
 */
export async function createTestApp(opts: { listen?: boolean; env?: Record<string, string>; demo?: boolean } = {}): Promise<TestApp> {
  const db = await createTestDatabase({ migrate: false });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'egov-data-'));
  const config = loadConfig({
    EGOV_DATA_DIR: dataDir,
    EGOV_SECRET: 'test-secret-test-secret-test-secret-0123',
    EGOV_LOG_LEVEL: 'silent',
    EGOV_DEMO: opts.demo === false ? 'off' : 'on',
    EGOV_RATE_LIMIT_PER_MIN: '100000',
    EGOV_LOGIN_RATE_LIMIT_PER_MIN: '1000',
    EGOV_TRACK_RATE_LIMIT_PER_MIN: '100000',
    EGOV_SEARCH_REFRESH_MS: '0',
    PORT: '0',
    ...(db.database.kind === 'postgres' ? { DATABASE_URL: db.database.url } : {}),
    ...opts.env,
  });
  const app = await createApp(config, { handle: db.handle });
  let url = '';
  if (opts.listen) {
    await app.http.listen({ port: 0, host: '127.0.0.1' });
    const address = app.http.server.address();
    if (address && typeof address === 'object') url = `http://127.0.0.1:${address.port}`;
  } else {
    await app.http.ready();
  }
  return {
    app,
    db,
    url,
    close: async () => {
      // A test may leave a request half-read (an upload refused early); do not wait for it.
      app.http.server.closeAllConnections();
      await app.http.close();
      await db.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
