import type { FieldIssue } from '../platform/http/errors.ts';
import { html, type SafeHtml } from '../platform/http/html.ts';
import { fieldError, fieldId, type PageContext } from './layout.ts';

/** Form building blocks shared by every page: label, hint and error tied to each input. */
export interface InputOptions {
  name: string;
  label: string;
  value?: string | undefined;
  type?: 'text' | 'email' | 'tel' | 'password' | 'date';
  autocomplete: string;
  hint?: string;
  inputmode?: 'numeric' | 'tel' | 'email';
  maxlength?: number;
}

export function textInput(ctx: PageContext, issues: FieldIssue[], o: InputOptions): SafeHtml {
  const id = fieldId(o.name);
  const invalid = issues.some((i) => i.field === o.name);
  const describedBy = [o.hint ? `${id}-hint` : '', invalid ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
<label for="${id}">${o.label}</label>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
${fieldError(ctx, issues, o.name)}
<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" autocomplete="${o.autocomplete}"${o.type === 'password' ? '' : html` value="${o.value ?? ''}"`}${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${invalid ? html` aria-invalid="true"` : ''}>
</div>`;
}

/** Radios or checkboxes in a fieldset; the first input carries the field's id so the error summary can link to it. */
export function choices(
  ctx: PageContext,
  issues: FieldIssue[],
  o: { name: string; legend: string; type: 'radio' | 'checkbox'; options: { value: string; label: string }[]; checked: readonly string[]; hint?: string },
): SafeHtml {
  const id = fieldId(o.name);
  return html`<fieldset class="field">
<legend>${o.legend}</legend>
${o.hint ? html`<p class="hint">${o.hint}</p>` : ''}
${fieldError(ctx, issues, o.name)}
${o.options.map(
  (opt, i) => html`<label class="choice"><input type="${o.type}" name="${o.name}" value="${opt.value}" id="${i === 0 ? id : `${id}-${opt.value}`}"${o.checked.includes(opt.value) ? html` checked` : ''}> ${opt.label}</label>`,
)}
</fieldset>`;
}

/** Issues in the order their fields appear on the page, so the error summary reads top to bottom. */
export function inFormOrder(issues: FieldIssue[], fields: readonly string[]): FieldIssue[] {
  const rank = (i: FieldIssue) => (fields.includes(i.field) ? fields.indexOf(i.field) : fields.length);
  return [...issues].sort((a, b) => rank(a) - rank(b));
}

export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf()}">`;
}

/** The first value of a form field as text (a repeated field arrives as an array). */
export function formValue(body: unknown, name: string): string {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
}

export function formValues(body: unknown, name: string): string[] {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}
