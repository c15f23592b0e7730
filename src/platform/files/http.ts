import type { FastifyReply } from 'fastify';
import { contentDisposition } from './names.ts';
import type { OpenedAttachment } from './service.ts';

/**
 * Streams an attachment as a download. Call it only after the route has checked that the
 * requester may read the owner's files (see `AttachmentService.open`).
 *
 * The type sent is the one detected from the content at upload, never the client's; `nosniff`
 * keeps browsers from guessing otherwise, `attachment` keeps the file out of our origin's
 * pages, the CSP sandboxes it should a browser render it anyway, and `private, no-store`
 * keeps personal papers out of shared and local caches.
 */
export function sendAttachment(reply: FastifyReply, opened: OpenedAttachment): FastifyReply {
  const { meta, stream } = opened;
  return reply
    .header('content-type', meta.mediaType)
    .header('content-length', meta.size)
    .header('content-disposition', contentDisposition(meta.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(stream);
}
