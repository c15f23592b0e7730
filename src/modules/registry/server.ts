import { randomBytes, timingSafeEqual } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { parsePersonalId } from '../../platform/auth/personal-id.ts';
import type { RegistryPort } from './port.ts';

/**
 * A small registry server speaking what the HTTP adapter expects of the national registry:
 * an OAuth 2.0 client-credentials token endpoint and person / household reads that require a
 * stated purpose. `egov registry-server` runs it over the embedded data, as a stand-in for
 * the data-sharing platform in demos and tests. It logs requests without personal data.
 */
export interface RegistryServerOptions {
  clientId: string;
  clientSecret: string;
  tokenSeconds?: number;
  logLevel?: string;
}

export async function createRegistryServer(registry: RegistryPort, opts: RegistryServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? 'info',
      // The path carries a personal ID: log the route, never the URL.
      serializers: { req: (req: FastifyRequest) => ({ method: req.method, route: req.routeOptions?.url }) },
    },
  });
  await app.register(formbody);
  const tokens = new Map<string, number>();
  const tokenSeconds = opts.tokenSeconds ?? 300;
  const same = (a: string, b: string) => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  };

  app.get('/readyz', async () => ({ ok: true }));

  app.post('/oauth/token', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    const [id, secret] = basicCredentials(request.headers.authorization) ?? [body.client_id ?? '', body.client_secret ?? ''];
    if (body.grant_type !== 'client_credentials') return reply.code(400).send({ error: 'unsupported_grant_type' });
    if (!same(id, opts.clientId) || !same(secret, opts.clientSecret)) return reply.code(401).send({ error: 'invalid_client' });
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    for (const [t, expires] of tokens) if (expires <= now) tokens.delete(t);
    tokens.set(token, now + tokenSeconds * 1000);
    return reply.header('cache-control', 'no-store').send({ access_token: token, token_type: 'Bearer', expires_in: tokenSeconds });
  });

  /** Bearer token, a well-formed personal ID and a stated purpose, or the request stops here. */
  const guard = (request: FastifyRequest, reply: FastifyReply): { personalId: string; purpose: string } | null => {
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const expires = token ? tokens.get(token) : undefined;
    if (!expires || expires <= Date.now()) {
      reply.code(401).header('www-authenticate', 'Bearer error="invalid_token"').send({ error: 'invalid_token' });
      return null;
    }
    const { id } = request.params as { id: string };
    const purpose = String((request.query as Record<string, unknown>).purpose ?? '').trim();
    if (!parsePersonalId(id).ok) {
      reply.code(400).send({ error: 'invalid_personal_id' });
      return null;
    }
    if (!purpose) {
      reply.code(400).send({ error: 'purpose_required' });
      return null;
    }
    return { personalId: id, purpose };
  };

  app.get('/v1/persons/:id', async (request, reply) => {
    const q = guard(request, reply);
    if (!q) return reply;
    const person = await registry.findPerson(q.personalId, q.purpose);
    return person ? person : reply.code(404).send({ error: 'not_found' });
  });

  app.get('/v1/persons/:id/household', async (request, reply) => {
    const q = guard(request, reply);
    if (!q) return reply;
    const household = await registry.household(q.personalId, q.purpose);
    return household ? household : reply.code(404).send({ error: 'not_found' });
  });

  return app;
}

function basicCredentials(header: string | undefined): [string, string] | null {
  const encoded = /^Basic (\S+)$/.exec(header ?? '')?.[1];
  if (!encoded) return null;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  try {
    return [decodeURIComponent(text.slice(0, colon)), decodeURIComponent(text.slice(colon + 1))];
  } catch {
    return null;
  }
}
