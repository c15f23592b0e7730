import type { FastifyInstance } from 'fastify';
import type { ApiRegistry } from '../../platform/http/api.ts';
import type { Platform } from '../../platform/index.ts';
import './messages.ts';
import { type PaymentPanel, type ResultPanel, registerDossierPages } from './pages.ts';
import { registerNationalApi } from './national-routes.ts';
import { registerDossierApi } from './routes.ts';
import { type DossierDeps, DossierService } from './service.ts';

export type { DeadlinePort, DossierView, NotifyPort, ResultPort, ResultRequest } from './service.ts';
export type { PaymentOrder } from './service.ts';
export type { PaymentPanel, ResultPanel } from './pages.ts';
export { DossierService };
export { finishDemoResults, seedDemoDossiers } from './demo.ts';
export { DossierStore } from './store.ts';

/** The electronic one-stop shop: dossiers from submission to result, across agencies and levels. */
export function createDossiersModule(platform: Platform, deps: DossierDeps & { resultPanel?: ResultPanel; paymentPanel?: PaymentPanel }) {
  const service = new DossierService(platform, deps);
  return {
    service,
    registerRoutes(app: FastifyInstance, api: ApiRegistry) {
      registerDossierApi(api, service, { trackPerMinute: platform.config.trackRateLimitPerMinute });
      registerNationalApi(api, service, platform, deps);
      registerDossierPages(app, service, deps.catalog, { timeZone: platform.config.timeZone, publicUrl: platform.config.publicUrl, trackPerMinute: platform.config.trackRateLimitPerMinute, resultPanel: deps.resultPanel, paymentPanel: deps.paymentPanel });
    },
  };
}
