import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ApiRegistry } from '../../platform/http/api.ts';
import type { SafeHtml } from '../../platform/http/html.ts';
import type { Platform } from '../../platform/index.ts';
import type { PageContext } from '../../web/layout.ts';
import type { CatalogService } from '../catalog/index.ts';
import type { DossierService, DossierView } from '../dossiers/index.ts';
import { type PaymentGateway, VnpayGateway } from './gateway.ts';
import './messages.ts';
import { allowFormsToGateway, registerPaymentPages } from './pages.ts';
import { registerPaymentApi } from './routes.ts';
import { PaymentService } from './service.ts';
import { paymentPanel } from './views.ts';

export type { PaymentGateway } from './gateway.ts';
export { startPaygate } from './paygate.ts';
export { PaymentService };

/**
 * Online payment of dossier fees (issue 4): the VNPay adapter behind a payment port, the
 * payer's pages, the IPN, e-receipts, and the finance staff's reconciliation and refunds.
 */
export function createPaymentsModule(platform: Platform, deps: { dossiers: DossierService; catalog: CatalogService; gateway?: PaymentGateway }) {
  const settings = platform.config.payments;
  const gateway = deps.gateway ?? new VnpayGateway({ ...settings.vnpay });
  const service = new PaymentService(platform, { dossiers: deps.dossiers, catalog: deps.catalog, gateway, expireMinutes: settings.expireMinutes });
  const tz = platform.config.timeZone;
  return {
    service,
    /** The payment section of a dossier page (what is owed, "pay", every attempt). */
    async panel(ctx: PageContext, reply: FastifyReply, d: DossierView, audience: 'citizen' | 'officer'): Promise<SafeHtml> {
      if (d.paymentDue && audience === 'citizen') allowFormsToGateway(reply, settings.vnpay.paymentUrl);
      return paymentPanel(ctx, { code: d.code, due: d.paymentDue, payments: await service.forDossier(d.id), audience, timeZone: tz });
    },
    registerRoutes(app: FastifyInstance, api: ApiRegistry) {
      const o = { timeZone: tz, publicUrl: platform.config.publicUrl, returnUrl: settings.vnpay.returnUrl, gatewayUrl: settings.vnpay.paymentUrl };
      registerPaymentApi(app, api, service, o);
      registerPaymentPages(app, service, deps.catalog, o);
    },
  };
}
