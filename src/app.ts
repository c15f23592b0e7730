import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { createCatalogModule } from './modules/catalog/index.ts';
import { AuditLog } from './platform/audit/index.ts';
import type { Platform } from './platform/index.ts';
import { createAuth } from './platform/auth/index.ts';
import type { Config } from './platform/config/index.ts';
import { type DbHandle, openDatabase, ping } from './platform/db/index.ts';
import { migrate } from './platform/db/migrations/index.ts';
import { ApiRegistry } from './platform/http/api.ts';
import { createHttpServer } from './platform/http/server.ts';
import { registerApiDocs } from './web/api-docs.ts';
import { renderErrorPage } from './web/layout.ts';

export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface App {
  config: Config;
  handle: DbHandle;
  http: FastifyInstance;
  audit: AuditLog;
  catalog: ReturnType<typeof createCatalogModule>;
  auth: ReturnType<typeof createAuth>;
  close(): Promise<void>;
}

/**
 * The composition root: opens the database, applies migrations, wires platform services into
 * the modules and the modules into one HTTP server. Nothing is created at import time.
 */
export async function createApp(config: Config, opts: { handle?: DbHandle } = {}): Promise<App> {
  const handle = opts.handle ?? openDatabase(config.database);
  await migrate(handle.db, handle.engine);
  const platform: Platform = { config, db: handle.db, engine: handle.engine, audit: new AuditLog(handle.db, handle.engine) };

  const auth = createAuth(platform);
  const catalog = createCatalogModule(platform, { dataDir: path.join(rootDir, 'data') });

  if (config.demo === 'on' || (config.demo === 'auto' && (await catalog.service.isEmpty()))) {
    await catalog.service.loadDemoData(path.join(rootDir, 'data'));
    await auth.service.ensureDemoAccounts();
  }

  const http = await createHttpServer({
    config,
    renderErrorPage,
    sessionCookie: auth.sessionCookie,
    ready: () => ping(handle.db),
  });
  await http.register(fastifyStatic, {
    root: path.join(rootDir, 'src/web/static'),
    prefix: '/static/',
    maxAge: '1h',
  });
  const api = new ApiRegistry(http);
  await http.register(auth.plugin);
  catalog.registerRoutes(http, api);
  auth.registerApi(api);
  registerApiDocs(http, api);

  return {
    config,
    handle,
    http,
    audit: platform.audit,
    catalog,
    auth,
    close: async () => {
      await http.close();
      await handle.close();
    },
  };
}
