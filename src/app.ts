import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { createCatalogModule } from './modules/catalog/index.ts';
import { createDossiersModule, type DeadlinePort, type DossierService, finishDemoResults, seedDemoDossiers } from './modules/dossiers/index.ts';
import { createPaymentsModule } from './modules/payments/index.ts';
import { createRegistryModule, type DossierLookupPort, dossierPeople } from './modules/registry/index.ts';
import { createResultsModule } from './modules/results/index.ts';
import { AuditLog } from './platform/audit/index.ts';
import type { Platform } from './platform/index.ts';
import { createAuth } from './platform/auth/index.ts';
import { registerCalendarRoutes, WorkingCalendar, zonedInstant } from './platform/calendar/index.ts';
import type { Config } from './platform/config/index.ts';
import { type DbHandle, openDatabase, ping, platformState, withStartupLock } from './platform/db/index.ts';
import { migrate } from './platform/db/migrations/index.ts';
import { createFiles, type Files } from './platform/files/index.ts';
import { createNotifications, enqueueNotifications, type Notifications } from './platform/notify/index.ts';
import { ApiRegistry } from './platform/http/api.ts';
import { createHttpServer } from './platform/http/server.ts';
import { createSigning } from './platform/signing/index.ts';
import { registerApiDocs } from './web/api-docs.ts';
import { renderErrorPage } from './web/layout.ts';

export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface App {
  config: Config;
  handle: DbHandle;
  http: FastifyInstance;
  audit: AuditLog;
  catalog: ReturnType<typeof createCatalogModule>;
  calendar: WorkingCalendar;
  dossiers: ReturnType<typeof createDossiersModule>;
  registry: ReturnType<typeof createRegistryModule>;
  results: ReturnType<typeof createResultsModule>;
  payments: ReturnType<typeof createPaymentsModule>;
  signing: ReturnType<typeof createSigning>;
  notifications: Notifications;
  files: Files;
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
  const calendar = new WorkingCalendar(platform, { dataDir: path.join(rootDir, 'data/calendar') });
  await calendar.ensureSeeded();
  const notifications = createNotifications(platform);
  const files = createFiles(platform);
  const signing = createSigning(platform);
  const results = createResultsModule(platform, { catalog: catalog.service, files: files.service, keys: signing });
  // The registry reads dossiers (for officers' lookups) and dossiers use its verified prefill.
  let dossierService: DossierService | undefined;
  const registry = createRegistryModule(platform, {
    agenciesFile: path.join(rootDir, 'data/agencies/hanoi-2-levels.json'),
    dossiers: { find: (code, account) => (dossierService ? lookupDossier(dossierService, code, account) : Promise.resolve(null)) },
    agencyName: async (code) => (await catalog.service.getAgency(code))?.name ?? null,
  });
  const dossiers = createDossiersModule(platform, {
    catalog: catalog.service,
    files: files.service,
    deadlines: deadlinesFrom(calendar),
    codeFormat: config.dossierCodeFormat,
    notify: { enqueue: (trx, messages) => enqueueNotifications(notifications.outbox, trx, messages) },
    publicUrl: config.publicUrl,
    registry: registry.service,
    results: results.port,
    resultPanel: results.panel,
    // Payments need the dossier service and dossier pages show payments: bound once both exist.
    paymentPanel: (ctx, reply, d, audience) => payments.panel(ctx, reply, d, audience),
  });
  const payments = createPaymentsModule(platform, { dossiers: dossiers.service, catalog: catalog.service });

  dossierService = dossiers.service;

  // Instances starting together on one PostgreSQL take turns; the second finds the data there.
  await withStartupLock(handle, async () => {
    // A first `npm start` (an empty catalog) writes the demo, and marks it done only at the end,
    // so that a start after one stopped part-way writes what it did not get to: the catalog,
    // accounts and registry are written idempotently, the demo dossiers once.
    const fresh = config.demo === 'auto' && ((await catalog.service.isEmpty()) || (await platformState.get(handle.db, 'demo')) === 'seeding');
    if (fresh) await platformState.set(handle.db, 'demo', 'seeding');
    if (config.demo === 'on' || fresh) {
      await catalog.service.loadDemoData(path.join(rootDir, 'data'));
      await auth.service.ensureDemoAccounts();
      await registry.seed();
    }
    // A few hundred dossiers in every state, and the signed results of the granted ones (a later
    // start issues those a stopped one did not get to). Not with EGOV_DEMO=on, which tests use:
    // they count their own dossiers.
    if (fresh) await seedDemoDossiers(dossiers.service, platform, { catalog: catalog.service, codeFormat: config.dossierCodeFormat, results: results.port });
    if (config.demo === 'auto' && (await auth.service.hasDemoAccounts())) await finishDemoResults(dossiers.service, results.port);
    if (fresh) await platformState.set(handle.db, 'demo', 'done');
  });

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
  dossiers.registerRoutes(http, api);
  registry.registerRoutes(http, api);
  results.registerRoutes(http, api, dossiers.service);
  payments.registerRoutes(http, api);
  registerCalendarRoutes(http, api, calendar);
  notifications.registerRoutes(http);
  // The worker stops (waiting for sends in flight) before the database closes.
  http.addHook('onClose', () => notifications.close());
  notifications.worker.start();
  // PostgreSQL commits audit entries unchained; a quarter second later they are in the chain.
  platform.audit.startSealing(250, (err) => http.log.error({ err }, 'audit sealing failed'));
  http.addHook('onClose', () => platform.audit.stopSealing());
  const deadlineWatch = setInterval(() => {
    dossiers.service.warnDueSoon().catch((err) => http.log.error({ err }, 'deadline warnings failed'));
  }, config.deadlineCheckMs);
  deadlineWatch.unref();
  // Papers of submissions cut off by a crash or a refusal never got a row: remove them once
  // they are older than any upload in progress could be.
  const orphanSweep = setInterval(() => {
    const olderThan = new Date(Date.now() - config.orphanSweepHours * 3600_000);
    files.service.sweepOrphans(olderThan).catch((err) => http.log.error({ err }, 'orphan sweep failed'));
  }, Math.min(config.orphanSweepHours * 3600_000, 6 * 3600_000));
  orphanSweep.unref();
  http.addHook('onClose', async () => {
    clearInterval(deadlineWatch);
    clearInterval(orphanSweep);
    await files.storage.close();
  });
  auth.registerApi(api);
  registerApiDocs(http, api);

  return {
    config,
    handle,
    http,
    audit: platform.audit,
    catalog,
    calendar,
    dossiers,
    registry,
    results,
    payments,
    signing,
    notifications,
    files,
    auth,
    close: async () => {
      await http.close();
      await handle.close();
    },
  };
}

/** A dossier as the registry's lookups see it: its holder and the people it names. */
async function lookupDossier(service: DossierService, code: string, account: Parameters<DossierLookupPort['find']>[1]): ReturnType<DossierLookupPort['find']> {
  const d = await service.getByCode(code, account);
  if (!d) return null;
  const people = dossierPeople(d);
  return { code: d.code, holderAgency: d.holderAgency, personalIds: people.map((p) => p.personalId), people };
}

/** The one-stop shop counts deadlines in working days of the city's holiday table. */
function deadlinesFrom(calendar: WorkingCalendar): DeadlinePort {
  return {
    dueAt: async (receivedAt, workingDays, cutoffHour) =>
      (await calendar.dueDate({ receivedAt, workingDays, cutoff: cutoffHour === undefined ? undefined : { hour: cutoffHour } })).dueAt,
    remaining: async (from, dueAt) => {
      const start = calendar.localDate(from);
      const end = calendar.localDate(dueAt);
      return end <= start ? 0 : calendar.countWorkingDays(start, end);
    },
    resume: async (resumedAt, remaining) => (await calendar.resume({ remaining, resumedAt })).dueAt,
    dayEnd: async (date) => zonedInstant(date, calendar.officeHours.end, calendar.timeZone),
  };
}
