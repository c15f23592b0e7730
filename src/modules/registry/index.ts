import type { FastifyInstance } from 'fastify';
import type { ApiRegistry } from '../../platform/http/api.ts';
import type { Platform } from '../../platform/index.ts';
import './messages.ts';
import { EmbeddedRegistry, seedEmbeddedRegistry } from './embedded.ts';
import { HttpRegistry } from './http-adapter.ts';
import type { RegistryPort } from './port.ts';
import { type DossierLookupPort, registerRegistryApi, registerRegistryPages } from './routes.ts';
import { RegistryService } from './service.ts';
import { RegistryStore } from './store.ts';

export { alteredFields, applicantClaims, claimedApplicant, type VerifiedClaims } from './claims.ts';
export { createRegistryServer } from './server.ts';
export { EmbeddedRegistry, seedEmbeddedRegistry } from './embedded.ts';
export { demoHousehold, generateRegistry } from './generate.ts';
export { HttpRegistry } from './http-adapter.ts';
export { addressText, type Household, type RegistryPerson, type RegistryPort, RegistryUnavailable } from './port.ts';
export { type ConsentProcedure, RegistryService, sharedFields } from './service.ts';
export { RegistryStore } from './store.ts';
export { dossierPeople } from './people.ts';
export { lookupForm } from './views.ts';
export type { DossierLookupPort } from './routes.ts';

/** The population registry: verified prefill with consent, officers' lookups, and the lookup log. */
export function createRegistryModule(platform: Platform, deps: { agenciesFile: string; dossiers: DossierLookupPort; agencyName(code: string): Promise<string | null> }) {
  const store = new RegistryStore(platform.db);
  const service = new RegistryService(platform, store, registryPort(platform, store));
  return {
    service,
    /** Loads the synthetic population into an empty embedded registry (with the demo data). */
    seed: () => seedEmbeddedRegistry(store, deps.agenciesFile),
    registerRoutes(app: FastifyInstance, api: ApiRegistry) {
      registerRegistryApi(api, service, deps.dossiers);
      registerRegistryPages(app, service, deps.dossiers, { timeZone: platform.config.timeZone, agencyName: deps.agencyName });
    },
  };
}

/** The national registry over HTTP when configured; else the embedded tables. */
function registryPort(platform: Platform, store: RegistryStore): RegistryPort {
  const r = platform.config.registry;
  if (!r.url) return new EmbeddedRegistry(store);
  return new HttpRegistry({
    url: r.url,
    clientId: r.clientId ?? '',
    clientSecret: r.clientSecret ?? '',
    timeoutMs: r.timeoutMs,
    cacheSeconds: r.cacheSeconds,
    breaker: { failures: r.breakerFailures, resetMs: r.breakerResetMs },
  });
}
