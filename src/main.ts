import cluster from 'node:cluster';
import { createApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './platform/config/index.ts';
import { spawnCompanion } from './platform/process/companion.ts';
import { superviseWorkers } from './platform/process/workers.ts';

/**
 * What `npm start` runs: the portal, back office and API on one port. With EGOV_WORKERS above 1
 * (PostgreSQL only) this process prepares the database, then runs that many copies of the
 * portal as worker processes sharing the port, and replaces any that dies.
 */
async function main() {
  const config = loadConfig();
  if (cluster.isWorker) return serve(config, { companions: false });
  if (config.workers > 1) return superviseWorkers(config, { prepare: () => prepare(config), companions: () => startCompanions(config) });
  return serve(config, { companions: true });
}

/** Migrations, demo data and the development CA, once, before any worker starts. */
async function prepare(config: Config): Promise<void> {
  const app = await createApp(config);
  try {
    await app.signing.ensureDevCa();
  } finally {
    await app.close();
  }
}

/** The demo's stand-ins run beside the portal: VNeID (EGOV_DEV_IDP) and the payment sandbox (EGOV_PAYGATE). */
function startCompanions(config: Config) {
  const idp = config.devIdp.enabled ? spawnCompanion('idp') : null;
  const paygate = config.payments.sandbox.start ? spawnCompanion('paygate') : null;
  return {
    stop: () => {
      idp?.kill('SIGTERM');
      paygate?.kill('SIGTERM');
    },
  };
}

async function serve(config: Config, opts: { companions: boolean }) {
  const app = await createApp(config);
  // The development CA exists from the first start (production agencies import PKCS#12 files);
  // embedded uses of createApp (tests, tools) make it when an agency first signs.
  if (!cluster.isWorker) await app.signing.ensureDevCa();
  const companions = opts.companions ? startCompanions(config) : null;
  const shutdown = async (signal: string) => {
    app.http.log.info({ signal }, 'shutting down');
    companions?.stop();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.http.listen({ port: config.port, host: config.host });
  const where = config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL';
  if (!cluster.isWorker) app.http.log.info(`egov portal at http://localhost:${config.port} (database: ${where})`);
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
