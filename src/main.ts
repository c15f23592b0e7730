import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './platform/config/index.ts';
import { spawnCompanion } from './platform/process/companion.ts';

/** What `npm start` runs: the portal, back office and API on one port. */
async function main() {
  const config = loadConfig();
  const app = await createApp(config);
  // The development CA exists from the first start (production agencies import PKCS#12 files);
  // embedded uses of createApp (tests, tools) make it when an agency first signs.
  await app.signing.ensureDevCa();
  // The demo signs in with a stand-in for VNeID, run beside the portal (see EGOV_DEV_IDP).
  const idp = config.devIdp.enabled ? spawnCompanion('idp') : null;
  // The demo pays at a sandbox gateway run beside the portal (see EGOV_PAYGATE).
  const paygate = config.payments.sandbox.start ? spawnCompanion('paygate') : null;
  const shutdown = async (signal: string) => {
    app.http.log.info({ signal }, 'shutting down');
    idp?.kill('SIGTERM');
    paygate?.kill('SIGTERM');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.http.listen({ port: config.port, host: config.host });
  const where = config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL';
  app.http.log.info(`egov portal at http://localhost:${config.port} (database: ${where})`);
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
