import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import helmet from 'helmet';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config/index.ts';
import { type Locale, negotiateLocale } from '../i18n/index.ts';
import { AppError, errorBody } from './errors.ts';
import { redactPaths } from './logging.ts';
import { createMetrics } from './metrics.ts';
import { lazyRequestLogger } from './request-logger.ts';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
  }
  interface FastifyContextConfig {
    /** false for endpoints called server-to-server without cookies (webhooks). */
    csrf?: boolean;
  }
}

export const LOCALE_COOKIE = 'lang';

export interface HttpOptions {
  config: Config;
  /** Renders an error for a browser; the API gets JSON. */
  renderErrorPage(request: FastifyRequest, reply: FastifyReply, status: number, message: string): unknown;
  /** Name of the cookie that carries a session: requests with it need a CSRF token even on /api. */
  sessionCookie: string;
  ready(): Promise<void>;
}

/**
 * The Fastify instance with the security, logging and error handling every route shares.
 * Routes are added by the composition root (src/app.ts).
 */
export async function createHttpServer(opts: HttpOptions): Promise<FastifyInstance> {
  const { config } = opts;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: {
        // The query string may carry personal data (a tracking code, an ID): log the path only.
        req: (req) => ({ method: req.method, path: req.url.split('?')[0], id: req.id }),
      },
    },
    // One line per request is written by our onResponse hook instead.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
  });

  await app.register(cookie, { secret: config.secret });
  // After the cookie plugin, so the language cookie is parsed.
  app.decorateRequest('locale', 'vi');
  const headers = securityHeaders();
  // JSON API answers are not documents: the headers that only steer how a page is loaded,
  // framed or sniffed by old browsers are left off them (fewer bytes on every API call).
  const apiHeaders = Object.fromEntries(Object.entries(headers).filter(([name]) => !DOCUMENT_ONLY_HEADERS.has(name)));
  // The hooks that run on every request take a callback rather than returning a promise: most
  // of them have nothing to wait for, and each promise was measurable on the busiest routes.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.url.startsWith('/api/v1/') ? apiHeaders : headers);
    reply.header('x-request-id', request.id);
    const query = request.query as Record<string, unknown> | undefined;
    const chosen = query?.lang;
    if (chosen === 'vi' || chosen === 'en') {
      reply.setCookie(LOCALE_COOKIE, chosen, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600, httpOnly: true });
    }
    // Pages are Vietnamese unless the reader chooses English (many phones here run an English
    // UI); API clients pick their language with Accept-Language.
    const fromHeader = request.url.startsWith('/api/') ? request.headers['accept-language'] : undefined;
    request.locale = negotiateLocale(chosen ?? request.cookies?.[LOCALE_COOKIE], fromHeader);
    done();
  });

  await app.register(formbody);
  // Uploads stream through; the per-file limit is enforced by the attachments service (+1 so
  // that it, not the parser, sees the file that is too large and names the limit).
  await app.register(multipart, { limits: { fileSize: config.uploads.maxFileBytes + 1, files: 30, fields: 30, fieldSize: 1_048_576 } });
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // The x-ratelimit-* headers only once a client is over the limit: on every response they were
    // three more headers to build and send on the busiest routes.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    allowList: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url.startsWith('/static/'),
    errorResponseBuilder: (_req, ctx) =>
      new AppError(429, 'RATE_LIMITED', 'http.rateLimited', { params: { seconds: Math.ceil(ctx.ttl / 1000) } }),
  });
  await app.register(csrf, {
    cookieKey: 'egov_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, signed: true, secure: secureCookies(config) },
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const query = req.query as Record<string, unknown> | undefined;
      const fromBody = body && typeof body === 'object' ? body._csrf : undefined;
      const header = req.headers['x-csrf-token'];
      return String(fromBody ?? header ?? query?._csrf ?? '');
    },
  });

  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
    if (request.routeOptions.config.csrf === false) return done();
    // An API call without a session cookie carries no ambient authority to abuse.
    if (request.url.startsWith('/api/') && !request.cookies[opts.sessionCookie]) return done();
    app.csrfProtection(request, reply, (err?: Error) => done(err ? new AppError(403, 'CSRF_INVALID', 'http.csrf') : undefined));
  });

  const metrics = createMetrics();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) request.log.error({ status: reply.statusCode, route }, 'request failed');
    else request.log.info({ status: reply.statusCode, route, ms: Math.round(reply.elapsedTime) }, 'request');
    done();
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const appError = toAppError(error, request);
    if (appError.status >= 500) {
      request.log.error({ err: error, reqId: request.id }, 'unhandled error');
    }
    if (appError.status === 429) reply.header('retry-after', String(appError.params?.seconds ?? 60));
    return sendError(request, reply, appError, opts);
  });

  app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError(404, 'NOT_FOUND', 'http.notFound'), opts));

  app.get('/healthz', { config: { csrf: false } }, async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await opts.ready();
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.contentType);
    return metrics.render();
  });

  return app;
}

/**
 * Helmet's headers (CSP without inline script, nosniff, frame-ancestors…), computed once at start:
 * they are the same for every response, and letting @fastify/helmet rebuild them per request cost
 * about a fifth of the CPU of a small request.
 */
const DOCUMENT_ONLY_HEADERS = new Set([
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
]);

function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const collect = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: () => {},
  };
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        // upgrade-insecure-requests is left out: city LAN installs often run on plain HTTP.
      },
    },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  // The middleware only sets headers, synchronously; it reads nothing from the request.
  middleware({} as never, collect as never, () => {});
  return headers;
}

export function secureCookies(config: Config): boolean {
  if (config.cookieSecure === 'on') return true;
  if (config.cookieSecure === 'off') return false;
  return config.publicUrl?.startsWith('https://') ?? false;
}

function toAppError(error: FastifyError | AppError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  const code = (error as FastifyError).code;
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && (error as FastifyError).statusCode === 400))
    return new AppError(400, 'MALFORMED_JSON', 'http.malformedJson');
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_REQ_FILE_TOO_LARGE')
    return new AppError(413, 'BODY_TOO_LARGE', 'http.bodyTooLarge', { params: { limit: request.routeOptions.bodyLimit ?? 0 } });
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'http.unsupportedMedia', { params: { type: String(request.headers['content-type'] ?? '') } });
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') return new AppError(403, 'CSRF_INVALID', 'http.csrf');
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return new AppError(status, 'BAD_REQUEST', 'http.badFormat');
  return new AppError(500, 'INTERNAL', 'http.internal', { params: { requestId: request.id } });
}

function sendError(request: FastifyRequest, reply: FastifyReply, err: AppError, opts: HttpOptions) {
  const params = err.status >= 500 ? { ...err.params, requestId: request.id } : err.params;
  const withId = new AppError(err.status, err.code, err.key, { params, fields: err.fields });
  reply.code(err.status);
  if (wantsJson(request)) {
    const body = errorBody(withId, request.locale);
    if (err.status >= 500) body.error.requestId = request.id;
    return reply.send(body);
  }
  const { error } = errorBody(withId, request.locale);
  return opts.renderErrorPage(request, reply, err.status, error.message);
}

export function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}
