import { z } from 'zod';
import { personalIdSchema } from '../../platform/auth/index.ts';
import { defaultForm, type FormField } from '../catalog/format.ts';
import type { ProcedureDetail } from '../catalog/index.ts';

/**
 * The answers to a procedure's own questions, validated on the server from the form's
 * definition (the procedure's data). An address is an administrative unit (`<name>Unit`, a
 * commune/ward code) plus the street part (`<name>`).
 */
export function formOf(p: ProcedureDetail): FormField[] {
  return p.body.form?.length ? p.body.form : defaultForm;
}

export const unitKey = (name: string) => `${name}Unit`;

function fieldSchema(f: FormField): z.ZodType<string | undefined> {
  const base = z.string().trim();
  let s: z.ZodType<string>;
  switch (f.type) {
    case 'textarea':
      s = base.min(1).max(5000);
      break;
    case 'number':
      s = base.regex(/^\d+([.,]\d+)?$/, 'dossiers.form.number');
      break;
    case 'date':
      s = base.regex(/^\d{4}-\d{2}-\d{2}$/, 'catalog.date').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'catalog.date');
      break;
    case 'choice':
      s = base.refine((v) => (f.options ?? []).some((o) => o.value === v), 'dossiers.form.choice');
      break;
    case 'personalId':
      s = personalIdSchema;
      break;
    case 'phone':
      s = base.regex(/^0\d{9}$/, 'dossiers.phone');
      break;
    case 'email':
      s = base.email('dossiers.email').max(200);
      break;
    case 'address':
      s = base.min(1).max(500);
      break;
    default:
      s = base.min(1).max(500);
  }
  return f.required ? s : z.union([z.literal('').transform(() => undefined), s]).optional();
}

type AnswersSchema = ReturnType<typeof buildAnswersSchema>;
/** Schemas by form and unit set: both come from the catalog's per-revision cache, so a form is compiled once. */
const compiled = new WeakMap<readonly FormField[], WeakMap<ReadonlySet<string>, AnswersSchema>>();

export function answersSchema(fields: readonly FormField[], units: ReadonlySet<string>): AnswersSchema {
  let byUnits = compiled.get(fields);
  if (!byUnits) {
    byUnits = new WeakMap();
    compiled.set(fields, byUnits);
  }
  let schema = byUnits.get(units);
  if (!schema) {
    schema = buildAnswersSchema(fields, units);
    byUnits.set(units, schema);
  }
  return schema;
}

function buildAnswersSchema(fields: readonly FormField[], units: ReadonlySet<string>) {
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const f of fields) {
    shape[f.name] = fieldSchema(f);
    if (f.type === 'address') {
      const unit = z.string({ error: 'dossiers.form.unit' }).refine((v) => units.has(v), 'dossiers.form.unit');
      shape[unitKey(f.name)] = f.required ? unit : z.union([z.literal('').transform(() => undefined), unit]).optional();
    }
  }
  return z.strictObject(shape);
}

/** The answer's text as shown to people: a choice by its label, an address with its unit. */
export function answerText(f: FormField, answers: Record<string, unknown>, unitNames: ReadonlyMap<string, string>, locale: 'vi' | 'en'): string {
  const v = answers[f.name];
  if (v === undefined || v === '') return '';
  if (f.type === 'choice') {
    const o = f.options?.find((x) => x.value === v);
    return o ? (locale === 'en' && o.labelEn ? o.labelEn : o.label) : String(v);
  }
  if (f.type === 'address') {
    const unit = answers[unitKey(f.name)];
    return [String(v), typeof unit === 'string' ? (unitNames.get(unit) ?? unit) : ''].filter(Boolean).join(', ');
  }
  return String(v);
}
