import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { validate } from './errors.ts';
import { deepFreeze } from '../json/freeze.ts';

/**
 * JSON API routes declared with zod: one schema gives the TypeScript type, the request
 * validation and the OpenAPI description (the house rule "one source of truth per fact").
 */
export interface ApiOperation<Q extends z.ZodType, P extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  query?: Q;
  params?: P;
  body?: B;
  response: R;
  /** Other documented responses (status → description). */
  errors?: Record<number, string>;
  security?: 'session';
  /**
   * The body may also come as multipart/form-data (a JSON `payload` part, then files); the
   * handler then parses it itself and receives `body` undefined. The text documents the parts.
   */
  multipart?: string;
  /** A stricter per-client limit than the global one (e.g. lookups that must not be enumerated). */
  rateLimit?: { max: number; timeWindow: number };
  handler(
    input: { query: z.output<Q>; params: z.output<P>; body: z.output<B> },
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<z.input<R> | SerializedJson>;
}

/** Validated query strings remembered per operation. */
const QUERY_CACHE_SIZE = 1000;

/** A success body already written by the route's serializer and encoded (see `serializedFor`). */
export class SerializedJson {
  readonly bytes: Buffer;
  constructor(text: string) {
    this.bytes = Buffer.from(text, 'utf8');
  }
}

const serializedBodies = new WeakMap<object, SerializedJson>();

/**
 * The body for `result`, serialized by the route's schema (and encoded) once for as long as `result` lives:
 * for answers a service hands out again and again while its data is unchanged (the same object
 * for the same question), such as catalog search pages.
 */
export function serializedFor(reply: FastifyReply, result: object, body: () => unknown): SerializedJson {
  let json = serializedBodies.get(result);
  if (!json) {
    json = new SerializedJson(reply.serialize(body()) as string);
    serializedBodies.set(result, json);
  }
  return json;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds operations of every shape
type AnyOperation = ApiOperation<any, any, any, any>;

export class ApiRegistry {
  private readonly operations: AnyOperation[] = [];

  constructor(private readonly app: FastifyInstance) {}

  add<Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined, R extends z.ZodType = z.ZodType>(
    op: ApiOperation<Q, P, B, R>,
  ): void {
    if (this.operations.some((o) => o.operationId === op.operationId)) throw new Error(`duplicate operationId ${op.operationId}`);
    this.operations.push(op);
    // The same query strings come again and again (searches, list pages); their validated form
    // is a pure function of the text, so it is kept (bounded, frozen) instead of parsed anew.
    const validatedQueries = new Map<string, unknown>();
    const queries = (request: FastifyRequest) => {
      const at = request.url.indexOf('?');
      const raw = at < 0 ? '' : request.url.slice(at + 1);
      if (validatedQueries.has(raw)) return validatedQueries.get(raw);
      const parsed = deepFreeze(validate(op.query as z.ZodType, request.query ?? {}));
      if (validatedQueries.size >= QUERY_CACHE_SIZE) validatedQueries.delete(validatedQueries.keys().next().value as string);
      validatedQueries.set(raw, parsed);
      return parsed;
    };
    this.app.route({
      method: op.method,
      url: op.url,
      ...(op.rateLimit ? { config: { rateLimit: op.rateLimit } } : {}),
      // The success body is written by a serializer compiled from its schema (fast-json-stringify):
      // several times faster than JSON.stringify on list pages, and fields outside the declared
      // schema never leave the server.
      schema: { response: { 200: jsonSchema(op.response, 'output') } },
      handler: async (request, reply) => {
        const input = {
          query: op.query ? queries(request) : undefined,
          params: op.params ? validate(op.params, request.params ?? {}) : undefined,
          body: op.body && !(op.multipart && request.isMultipart()) ? validate(op.body, request.body ?? {}) : undefined,
        };
        const result = await op.handler(input as never, request, reply);
        if (!(result instanceof SerializedJson)) return result;
        reply.type('application/json; charset=utf-8');
        return result.bytes;
      },
    });
  }

  /** The OpenAPI 3.1 document for every registered operation. */
  document(info: { title: string; version: string; description: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    const errorSchema = jsonSchema(errorResponse);
    for (const op of this.operations) {
      const path = op.url.replace(/:([A-Za-z_]+)/g, '{$1}');
      const parameters = [
        ...objectParameters(op.params, 'path'),
        ...objectParameters(op.query, 'query'),
      ];
      const responses: Record<string, unknown> = {
        200: { description: 'OK', content: { 'application/json': { schema: jsonSchema(op.response, 'output') } } },
        400: { description: 'Invalid input; each bad field is named', content: { 'application/json': { schema: errorSchema } } },
        429: { description: 'Too many requests', content: { 'application/json': { schema: errorSchema } } },
      };
      for (const [status, description] of Object.entries(op.errors ?? {})) {
        responses[status] = { description, content: { 'application/json': { schema: errorSchema } } };
      }
      const operation: Record<string, unknown> = {
        operationId: op.operationId,
        summary: op.summary,
        tags: op.tags,
        parameters,
        responses,
      };
      if (op.description) operation.description = op.description;
      if (op.body) {
        const content: Record<string, unknown> = { 'application/json': { schema: jsonSchema(op.body) } };
        if (op.multipart) {
          content['multipart/form-data'] = {
            schema: {
              type: 'object',
              description: op.multipart,
              properties: { payload: { type: 'string', description: 'The JSON body, as in application/json' } },
              required: ['payload'],
              additionalProperties: { type: 'string', format: 'binary' },
            },
          };
        }
        operation.requestBody = { required: true, content };
      }
      if (op.security) operation.security = [{ session: [] }];
      paths[path] ??= {};
      (paths[path] as Record<string, unknown>)[op.method.toLowerCase()] = operation;
    }
    return {
      openapi: '3.1.0',
      info,
      servers: [{ url: '/' }],
      paths,
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'egov_session' } },
      },
    };
  }
}

export const errorResponse = z.object({
  error: z.object({
    code: z.string().describe('Stable machine-readable code, e.g. PROCEDURE_NOT_FOUND'),
    message: z.string().describe('Human-readable message in the language asked for by Accept-Language (vi by default)'),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  }),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

function objectParameters(schema: z.ZodType | undefined, where: 'query' | 'path') {
  if (!schema) return [];
  const js = jsonSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || (js.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** The list envelope every list endpoint returns. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}

export const paging = {
  page: z.coerce.number().int().min(1).max(100_000).default(1).describe('Page number, from 1'),
  pageSize: z.coerce.number().int().min(1).max(500).default(20).describe('Items per page, at most 500'),
};
