import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionAccount } from '../platform/auth/policy.ts';
import type { FieldIssue } from '../platform/http/errors.ts';
import { html, type SafeHtml } from '../platform/http/html.ts';
import { type Locale, t } from '../platform/i18n/index.ts';
import './messages.ts';

export interface PageContext {
  locale: Locale;
  account: SessionAccount | null;
  path: string;
  /** A CSRF token for forms on this page (sets the secret cookie on first use). */
  csrf(): string;
  t(key: string, params?: Record<string, string | number>): string;
}

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  let token: string | undefined;
  const locale = request.locale;
  return {
    locale,
    account: request.account ?? null,
    path: request.url.split('?')[0] ?? '/',
    csrf: () => {
      token ??= reply.generateCsrf();
      return token;
    },
    t: (key, params) => t(locale, key, params),
  };
}

export interface Page {
  title: string;
  body: SafeHtml;
  breadcrumbs?: { href: string; label: string }[];
}

/** The one page frame: skip link, header with language switch, main, footer. No inline script or style. */
export function layout(ctx: PageContext, page: Page): string {
  const other: Locale = ctx.locale === 'vi' ? 'en' : 'vi';
  const account = ctx.account;
  return html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} – ${ctx.t('web.siteName')}</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">${ctx.t('web.skip')}</a>
<header class="site-header">
  <div class="container header-row">
    <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">★</span> ${ctx.t('web.siteName')}</a>
    <a class="lang-switch" href="${`${ctx.path}?lang=${other}`}" lang="${other}" hreflang="${other}" aria-label="${ctx.t('web.lang.label')}">${ctx.t('web.lang.switch')}</a>
  </div>
  <nav class="container site-nav" aria-label="${ctx.t('web.nav')}">
    <a href="/">${ctx.t('web.nav.home')}</a>
    <a href="/procedures">${ctx.t('web.nav.procedures')}</a>
    ${
      account
        ? html`${account.kind === 'officer' ? html`<a href="/backoffice">${ctx.t('web.nav.backoffice')}</a>` : html`<a href="/account">${ctx.t('web.nav.account')}</a>`}
    <form method="post" action="/logout" class="inline-form"><input type="hidden" name="_csrf" value="${ctx.csrf()}"><button type="submit" class="link-button">${ctx.t('web.nav.logout')}</button></form>`
        : html`<a href="/login">${ctx.t('web.nav.login')}</a> <a href="/register">${ctx.t('web.nav.register')}</a>`
    }
  </nav>
</header>
<main id="main" class="container" tabindex="-1">
${page.breadcrumbs?.length ? breadcrumbs(ctx, page.breadcrumbs) : ''}
${page.body}
</main>
<footer class="site-footer"><div class="container"><p>${ctx.t('web.footer')}</p><p><a href="/api/docs">${ctx.t('web.api')}</a></p></div></footer>
</body>
</html>`.value;
}

function breadcrumbs(ctx: PageContext, items: { href: string; label: string }[]): SafeHtml {
  return html`<nav class="breadcrumbs" aria-label="${ctx.t('web.breadcrumb')}"><ol>${items.map((i) => html`<li><a href="${i.href}">${i.label}</a></li>`)}</ol></nav>`;
}

/** The error summary at the top of a form: each problem links to its field (GOV.UK pattern). */
export function errorSummary(ctx: PageContext, issues: FieldIssue[], fieldIds: Record<string, string> = {}): SafeHtml {
  if (!issues.length) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1"><h2>${ctx.t('web.errorSummary')}</h2><ul>${issues.map(
    (i) => html`<li><a href="#${fieldIds[i.field] ?? fieldId(i.field)}">${ctx.t(i.key, i.params)}</a></li>`,
  )}</ul></div>`;
}

export function fieldId(field: string): string {
  return `f-${field.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

export function fieldError(ctx: PageContext, issues: FieldIssue[], field: string): SafeHtml {
  const issue = issues.find((i) => i.field === field);
  return issue ? html`<p class="field-error" id="${fieldId(field)}-error">${ctx.t(issue.key, issue.params)}</p>` : html``;
}

export function sendPage(reply: FastifyReply, ctx: PageContext, page: Page, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout(ctx, page));
}

export function renderErrorPage(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  const ctx = pageContext(request, reply);
  return sendPage(
    reply,
    ctx,
    {
      title: ctx.t('web.error.title'),
      body: html`<h1>${ctx.t('web.error.title')}</h1><p class="lead">${message}</p><p><a href="/">${ctx.t('web.error.back')}</a></p>`,
    },
    status,
  );
}
