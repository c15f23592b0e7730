import { z } from 'zod';
import { actorFromRequest } from '../../platform/audit/index.ts';
import type { ApiRegistry } from '../../platform/http/api.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Platform } from '../../platform/index.ts';
import { statuses } from './lifecycle.ts';
import { importNational, nationalDossierSchema, toNational } from './national.ts';
import type { DossierDeps, DossierService } from './service.ts';

const codeParam = z.strictObject({ code: z.string().min(5).max(80).describe('Dossier code (mã hồ sơ), e.g. 000.01.01.H26-261127-0001') });

const importResult = z.object({
  id: z.string(),
  code: z.string(),
  status: z.enum(Object.keys(statuses) as [keyof typeof statuses]),
  nationalStatus: z.number().int().describe('TrangThai after the imported history'),
  holderAgency: z.string(),
  dueAt: z.string().nullable(),
  events: z.number().int().describe('Number of events rebuilt from QuaTrinhXuLy'),
});

/**
 * Synchronisation with the national public-service portal (domain.md §8): a dossier out in the
 * portal's JSON, and a dossier received by the portal in.
 */
export function registerNationalApi(api: ApiRegistry, service: DossierService, platform: Platform, deps: Pick<DossierDeps, 'catalog' | 'codeFormat'>): void {
  api.add({
    method: 'GET',
    url: '/api/v1/dossiers/:code/national',
    operationId: 'exportDossierNational',
    summary: 'A dossier in the national portal’s sync format (MaHoSo, TrangThaiHoSo, QuaTrinhXuLy…)',
    description: 'Dates are yyyy-MM-dd HH:mm:ss in the city’s time zone; TrangThai uses the portal’s codes 1–10. Same access rule as getDossier.',
    tags: ['dossiers', 'national'],
    security: 'session',
    params: codeParam,
    response: nationalDossierSchema,
    errors: { 401: 'Not signed in', 404: 'No such dossier for this caller' },
    handler: async ({ params }, request) => {
      if (!request.account) throw new AppError(401, 'UNAUTHENTICATED', 'http.unauthenticated');
      const view = await service.getByCode(params.code, request.account);
      if (!view) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
      const procedure = await deps.catalog.getProcedure(view.procedureCode, { includeRetired: true, date: view.submittedAt.slice(0, 10) });
      return toNational(view, { timeZone: platform.config.timeZone, procedure });
    },
  });

  api.add({
    method: 'POST',
    url: '/api/v1/national/dossiers',
    operationId: 'importDossierNational',
    summary: 'Import a dossier received through the national portal, with its processing history',
    description:
      'The dossier keeps its code (MaHoSo). Each QuaTrinhXuLy entry becomes one event, chosen by the change of TrangThai, the agency in PhongBanXuLy and the wording of NoiDungXuLy; what cannot be mapped is refused with 422 naming the field. Officers of the receiving agency (MaDonViTiepNhan) only.',
    tags: ['dossiers', 'national'],
    security: 'session',
    body: nationalDossierSchema,
    response: importResult,
    errors: {
      401: 'Not signed in',
      403: 'Not an officer of the receiving agency',
      409: 'A dossier with this code exists',
      422: 'The history cannot be mapped onto the one-stop process; the field is named',
    },
    handler: async ({ body }, request, reply) => {
      await request.authorize('backoffice.enter', body.MaDonViTiepNhan);
      const done = await importNational(service, platform, body, actorFromRequest(request), deps);
      reply.code(201);
      return {
        id: done.id,
        code: done.code,
        status: done.state.status,
        nationalStatus: statuses[done.state.status],
        holderAgency: done.state.holderAgency,
        dueAt: done.state.dueAt,
        events: done.events.length,
      };
    },
  });
}
