import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../platform/audit/index.ts';
import type { AttachmentService } from '../../platform/files/index.ts';
import type { ApiRegistry } from '../../platform/http/api.ts';
import type { Platform } from '../../platform/index.ts';
import type { SigningKeys } from '../../platform/signing/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import './messages.ts';
import { type DossierAccess, panelFor, registerResultPages } from './pages.ts';
import { registerResultApi } from './routes.ts';
import { type IssueInput, ResultService } from './service.ts';
import type { ResultTrx } from './store.ts';

export type { DossierAccess, PanelAudience } from './pages.ts';
export { documentTypeOf, type IssueInput, ResultService, type Verification } from './service.ts';
export type { ResultRow, ResultTables } from './tables.ts';

/**
 * Signed electronic results: the PDF a granted dossier ends with, signed by the issuing
 * agency (PAdES) and carrying a QR statement; public verification; revocation.
 */
export function createResultsModule(platform: Platform, deps: { catalog: CatalogService; files: AttachmentService; keys: SigningKeys }) {
  const publicUrl = (platform.config.publicUrl ?? `http://localhost:${platform.config.port}`).replace(/\/$/, '');
  const service = new ResultService(platform, { ...deps, publicUrl });
  return {
    service,
    /** For the dossiers: issue the result in the granting decision's transaction. */
    port: {
      prepare: async (input: IssueInput) => {
        const prepared = await service.prepare(input);
        return {
          issue: async (trx: unknown, actor: Actor) => void (await prepared.issue(trx as ResultTrx, actor)),
          discard: () => prepared.discard(),
        };
      },
    },
    /** For the dossier pages: the result section (download, state, revocation). */
    panel: panelFor(service, platform.config.timeZone),
    registerRoutes(app: FastifyInstance, api: ApiRegistry, dossiers: DossierAccess) {
      const c = platform.config;
      registerResultApi(app, api, service, { verifyPerMinute: c.verifyRateLimitPerMinute });
      registerResultPages(app, service, dossiers, { timeZone: c.timeZone, verifyPerMinute: c.verifyRateLimitPerMinute, trackPerMinute: c.trackRateLimitPerMinute });
    },
  };
}
