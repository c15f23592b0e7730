import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorFromRequest } from '../../platform/audit/index.ts';
import type { ApiRegistry } from '../../platform/http/api.ts';
import { AppError } from '../../platform/http/errors.ts';
import { type ResultService, revokeSchema, type Verification } from './service.ts';

export const verificationSchema = z.object({
  authentic: z.boolean().describe('True when the document was issued and signed by an agency through this platform and is unchanged'),
  result: z
    .object({
      number: z.string(),
      documentType: z.string(),
      issuer: z.string().describe('Name of the issuing agency'),
      issuerCode: z.string().describe('Electronic identification code of the issuing agency'),
      issuedAt: z.string(),
      revoked: z.boolean(),
      revokedAt: z.string().nullable(),
    })
    .optional()
    .describe('Only when authentic: what is printed on the document, and whether it was revoked'),
});

const verifyBody = z.strictObject({
  token: z.string().min(1).max(4000).optional().describe('The signed statement from the QR code (the `t` parameter of its link)'),
  pdf: z.string().min(1).max(15_000_000).optional().describe('The PDF file, base64'),
});

/**
 * Reads the one file of a multipart verification request. Only the `file` part is read;
 * anything else is drained.
 */
export async function uploadedFile(request: FastifyRequest): Promise<{ data: Buffer; fileName: string } | null> {
  let found: { data: Buffer; fileName: string } | null = null;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname === 'file' && part.filename && !found) found = { data: await part.toBuffer(), fileName: part.filename };
      else part.file.resume();
    }
  }
  return found;
}

export function registerResultApi(app: FastifyInstance, api: ApiRegistry, service: ResultService, opts: { verifyPerMinute: number }): void {
  const rateLimit = { max: opts.verifyPerMinute, timeWindow: 60_000 };

  api.add({
    method: 'POST',
    url: '/api/v1/results/verify',
    operationId: 'verifyResult',
    summary: 'Check a result document: the QR statement or the PDF file',
    description:
      'No sign-in. Reveals only what is printed on the document (number, type, issuer, date) and whether it was revoked, and only when it is authentic. A PDF is authentic when its PAdES signature verifies against one of the agencies’ certificates and it is, byte for byte, a result issued here.',
    tags: ['results'],
    body: verifyBody,
    multipart: 'A part named `file` with the PDF (instead of a JSON body).',
    response: verificationSchema,
    errors: { 415: 'The file is not a PDF', 422: 'The PDF is damaged or truncated' },
    rateLimit,
    handler: async ({ body }, request): Promise<Verification> => {
      if (request.isMultipart()) {
        const file = await uploadedFile(request);
        if (!file) throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields: [{ field: 'file', key: 'results.verify.required' }] });
        return service.verifyPdf(file.data, file.fileName);
      }
      if (body.token) return service.verifyToken(body.token);
      if (body.pdf) return service.verifyPdf(Buffer.from(body.pdf, 'base64'), 'pdf');
      throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields: [{ field: 'token', key: 'results.verify.required' }] });
    },
  });

  api.add({
    method: 'POST',
    url: '/api/v1/results/:id/revoke',
    operationId: 'revokeResult',
    summary: 'Revoke a result (a leader of the issuing agency), with the reason',
    tags: ['results'],
    params: z.strictObject({ id: z.string().min(1).max(60) }),
    body: revokeSchema,
    response: z.object({ id: z.string(), number: z.string(), revokedAt: z.string().nullable() }),
    errors: { 401: 'Not signed in', 403: 'Not a leader of the issuing agency', 404: 'No such result', 409: 'Already revoked' },
    security: 'session',
    handler: async ({ params, body }, request) => {
      const row = await service.find({ id: params.id });
      if (!row) throw new AppError(404, 'RESULT_NOT_FOUND', 'results.notFound');
      const account = await request.authorize('results.revoke', row.issuer_agency);
      const revoked = await service.revoke(row.id, body, { accountId: account.id, actor: actorFromRequest(request) });
      return { id: revoked.id, number: revoked.number, revokedAt: revoked.revoked_at };
    },
  });

  // Every agency key, active and retired, so a QR statement can be checked offline.
  app.get('/.well-known/jwks.json', async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(await service.jwks()));
  // The certificates behind the PDF signatures (the development CA first, when there is one),
  // so a relying party can check a PAdES signature offline or choose to trust the CA.
  app.get('/.well-known/egov-certificates.pem', async (_request, reply) =>
    reply.type('application/x-pem-file').header('cache-control', 'public, max-age=300').send(await service.certificatesPem()),
  );
}
