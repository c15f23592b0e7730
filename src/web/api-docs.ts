import type { FastifyInstance } from 'fastify';
import type { ApiRegistry } from '../platform/http/api.ts';
import { html } from '../platform/http/html.ts';
import { defineMessages } from '../platform/i18n/index.ts';
import { pageContext, sendPage } from './layout.ts';

defineMessages({
  'docs.title': { vi: 'Tài liệu API', en: 'API documentation' },
  'docs.lead': {
    vi: 'API JSON của cổng theo chuẩn OpenAPI 3.1. Thông báo lỗi bằng tiếng Việt, hoặc tiếng Anh khi gửi Accept-Language: en.',
    en: 'The portal’s JSON API, described in OpenAPI 3.1. Error messages are in Vietnamese, or English with Accept-Language: en.',
  },
  'docs.download': { vi: 'Tải tài liệu OpenAPI (JSON)', en: 'Download the OpenAPI document (JSON)' },
  'docs.params': { vi: 'Tham số', en: 'Parameters' },
  'docs.required': { vi: 'bắt buộc', en: 'required' },
});

type Operation = { operationId: string; summary: string; description?: string; parameters: { name: string; in: string; required: boolean; description?: string }[] };

/** The OpenAPI document and a readable page generated from it (no external assets: CSP). */
export function registerApiDocs(app: FastifyInstance, api: ApiRegistry): void {
  let cached: Record<string, unknown> | undefined;
  const doc = () => {
    cached ??= api.document({
      title: 'egov API',
      version: '1.0.0',
      description: 'Public-service portal, procedure catalog and electronic one-stop shop of the city.',
    });
    return cached;
  };
  app.get('/api/openapi.json', async () => doc());
  app.get('/api/docs', async (request, reply) => {
    const ctx = pageContext(request, reply);
    const paths = doc().paths as Record<string, Record<string, Operation>>;
    const ops = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    return sendPage(reply, ctx, {
      title: ctx.t('docs.title'),
      body: html`<h1>${ctx.t('docs.title')}</h1><p class="lead">${ctx.t('docs.lead')}</p>
<p><a href="/api/openapi.json">${ctx.t('docs.download')}</a></p>
${ops.map(
  ({ path, method, op }) => html`<section><h2 id="${op.operationId}"><code>${method.toUpperCase()} ${path}</code></h2>
<p><strong>${op.operationId}</strong>: ${op.summary}</p>${op.description ? html`<p>${op.description}</p>` : ''}
${op.parameters.length ? html`<h3>${ctx.t('docs.params')}</h3><ul>${op.parameters.map((p) => html`<li><code>${p.name}</code> (${p.in}${p.required ? html`, ${ctx.t('docs.required')}` : ''})${p.description ? html`: ${p.description}` : ''}</li>`)}</ul>` : ''}
</section>`,
)}`,
    });
  });
}
