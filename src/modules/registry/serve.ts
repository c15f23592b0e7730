import { ConfigError, type Config } from '../../platform/config/index.ts';
import { openDatabase } from '../../platform/db/index.ts';
import { migrate } from '../../platform/db/migrations/index.ts';
import { EmbeddedRegistry, seedEmbeddedRegistry } from './embedded.ts';
import { createRegistryServer } from './server.ts';
import { RegistryStore } from './store.ts';

/**
 * `egov registry-server`: the registry server over the embedded population of its own
 * database (seeded on first start), on PORT. It accepts the client EGOV_REGISTRY_CLIENT_ID /
 * EGOV_REGISTRY_CLIENT_SECRET, the same pair a portal uses to reach it.
 */
export async function serveRegistry(config: Config, agenciesFile: string): Promise<{ url: string; close(): Promise<void> }> {
  const { clientId, clientSecret } = config.registry;
  if (!clientId || !clientSecret) {
    throw new ConfigError('Invalid configuration:\n  EGOV_REGISTRY_CLIENT_ID, EGOV_REGISTRY_CLIENT_SECRET: the client the registry server accepts');
  }
  const handle = openDatabase(config.database);
  await migrate(handle.db, handle.engine);
  const store = new RegistryStore(handle.db);
  await seedEmbeddedRegistry(store, agenciesFile);
  const app = await createRegistryServer(new EmbeddedRegistry(store), { clientId, clientSecret, logLevel: config.logLevel });
  await app.listen({ port: config.port, host: config.host });
  return {
    url: `http://${config.host}:${config.port}`,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}
