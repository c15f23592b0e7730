import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ApiRegistry } from '../../platform/http/api.ts';
import type { Platform } from '../../platform/index.ts';
import './messages.ts';
import { registerCatalogRoutes } from './routes.ts';
import { CatalogService } from './service.ts';

export { catalogFileSchema, procedureSchema, type CatalogFile, type ProcedureBody } from './format.ts';
export { ImportRefused, type ProcedureDetail, type ProcedureSummary } from './service.ts';
export type { CatalogService };

/**
 * The procedure catalog: agencies (versioned administrative structures), domains, procedures
 * with versions, search, the public pages and the admin pages.
 */
export function createCatalogModule(platform: Platform, opts: { dataDir: string }) {
  const service = new CatalogService(platform);
  service.loadSynonyms(path.join(opts.dataDir, 'catalog/synonyms.json'));
  return {
    service,
    registerRoutes: (app: FastifyInstance, api: ApiRegistry) => registerCatalogRoutes(app, api, service, { timeZone: platform.config.timeZone }),
  };
}
