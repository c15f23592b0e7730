import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from './html.ts';

describe('html templates', () => {
  it('escapes every interpolated string', () => {
    const evil = `<script>alert("x")</script>' onmouseover='x`;
    const out = html`<p title="${evil}">${evil}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain(`'`.repeat(1) + ' onmouseover');
    expect(out).toBe(`<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p>`);
  });

  it('never lets an arbitrary string open a tag or break out of an attribute', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const escaped = escapeHtml(s);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(html`<a href="/x" title="${s}">${s}</a>`.value).toBe(`<a href="/x" title="${escaped}">${escaped}</a>`);
      }),
    );
  });

  it('keeps nested templates and arrays, and drops null/false', () => {
    const items = ['a<b', 'c'];
    expect(html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${null}${false}${undefined}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
    expect(html`${raw('<b>ok</b>')}`.value).toBe('<b>ok</b>');
  });
});
