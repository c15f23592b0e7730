import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './platform/config/index.ts';

/** What `npm start` runs: the portal, back office and API on one port. */
async function main() {
  const config = loadConfig();
  const app = await createApp(config);
  const shutdown = async (signal: string) => {
    app.http.log.info({ signal }, 'shutting down');
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
