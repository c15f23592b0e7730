import type { FieldIssue } from '../../../platform/http/errors.ts';
import { html, type SafeHtml } from '../../../platform/http/html.ts';
import { fieldError, fieldId, type PageContext } from '../../../web/layout.ts';
import type { FormField } from '../../catalog/format.ts';
import { unitKey } from '../answers.ts';

/** Form inputs are named `form.<field>`, as the API names them, so errors map to inputs one to one. */
export const inputName = (name: string) => `form.${name}`;

const inputTypes: Partial<Record<FormField['type'], string>> = { number: 'text', date: 'date', phone: 'tel', email: 'email', personalId: 'text' };
const inputModes: Partial<Record<FormField['type'], string>> = { number: 'decimal', phone: 'tel', personalId: 'numeric' };

/** The procedure's own questions, one labelled input each, with hints and errors tied to them. */
export function answerInputs(
  ctx: PageContext,
  fields: FormField[],
  answers: Record<string, string>,
  issues: FieldIssue[],
  units: readonly { code: string; name: string }[],
): SafeHtml {
  return html`${fields.map((f) => {
    const name = inputName(f.name);
    const id = fieldId(name);
    const label = html`${ctx.locale === 'en' && f.labelEn ? f.labelEn : f.label}${f.required ? '' : html` <span class="meta">${ctx.t('dossiers.form.optional')}</span>`}`;
    const invalid = issues.some((i) => i.field === name);
    const described = [f.hint ? `${id}-hint` : '', invalid ? `${id}-error` : ''].filter(Boolean).join(' ');
    const aria = html`${described ? html` aria-describedby="${described}"` : ''}${invalid ? html` aria-invalid="true"` : ''}`;
    const hint = f.hint ? html`<p class="hint" id="${id}-hint">${f.hint}</p>` : '';
    const value = answers[f.name] ?? '';
    if (f.type === 'choice') {
      return html`<fieldset class="field"><legend>${label}</legend>${hint}${fieldError(ctx, issues, name)}
${(f.options ?? []).map((o, i) => html`<label class="choice"><input type="radio" name="${name}" value="${o.value}" ${i === 0 ? html`id="${id}"` : ''} ${o.value === value ? html`checked` : ''}> ${ctx.locale === 'en' && o.labelEn ? o.labelEn : o.label}</label>`)}</fieldset>`;
    }
    if (f.type === 'textarea') {
      return html`<div class="field"><label for="${id}">${label}</label>${hint}${fieldError(ctx, issues, name)}<textarea id="${id}" name="${name}" rows="4"${aria}>${value}</textarea></div>`;
    }
    if (f.type === 'address') {
      const unitName = inputName(unitKey(f.name));
      const unitId = fieldId(unitName);
      return html`<fieldset class="field"><legend>${label}</legend>${hint}
<label for="${unitId}">${ctx.t('dossiers.form.unitLabel')}</label>${fieldError(ctx, issues, unitName)}
<select id="${unitId}" name="${unitName}"><option value=""></option>${units.map((u) => html`<option value="${u.code}" ${u.code === answers[unitKey(f.name)] ? html`selected` : ''}>${u.name}</option>`)}</select>
<label for="${id}">${ctx.t('dossiers.apply.address')}</label>${fieldError(ctx, issues, name)}
<input id="${id}" name="${name}" type="text" value="${value}" autocomplete="street-address"${aria}></fieldset>`;
    }
    return html`<div class="field"><label for="${id}">${label}</label>${hint}${fieldError(ctx, issues, name)}<input id="${id}" name="${name}" type="${inputTypes[f.type] ?? 'text'}" value="${value}"${inputModes[f.type] ? html` inputmode="${inputModes[f.type] ?? ''}"` : ''}${aria}></div>`;
  })}`;
}

/** Reads `form.<field>` inputs (and address units) from a posted form body. */
export function answersFrom(body: unknown, fields: FormField[]): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  const read = (key: string) => {
    const v = b[inputName(key)];
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[key] = first.trim();
  };
  for (const f of fields) {
    read(f.name);
    if (f.type === 'address') read(unitKey(f.name));
  }
  return out;
}
