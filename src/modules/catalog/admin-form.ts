import type { FieldIssue } from '../../platform/http/errors.ts';
import type { ProcedureBody, ProcedureInput } from './format.ts';

/**
 * The admin edit form works without JavaScript, so list fields (fees, papers, legal basis…)
 * are textareas with one item per line and " | " between parts. These two functions convert
 * between that form and the catalog format; the catalog schema then validates the result.
 */
export interface ProcedureFormFields {
  code: string;
  name: string;
  nameEn: string;
  domain: string;
  implementers: string;
  onlineLevel: string;
  processingDays: string;
  processingNote: string;
  cutoffHour: string;
  applicants: string[];
  fees: string;
  documents: string;
  steps: string;
  result: string;
  legalBasis: string;
  keywords: string;
  effectiveFrom: string;
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const parts = (line: string) => line.split('|').map((p) => p.trim());

export function toFormFields(b: ProcedureBody, effectiveFrom: string): ProcedureFormFields {
  return {
    code: b.code,
    name: b.name,
    nameEn: b.nameEn ?? '',
    domain: b.domain,
    implementers: b.implementers.map((i) => ('agency' in i ? i.agency : i.level)).join('\n'),
    onlineLevel: b.onlineLevel,
    processingDays: String(b.processingDays),
    processingNote: b.processingNote ?? '',
    cutoffHour: b.cutoffHour === undefined ? '' : String(b.cutoffHour),
    applicants: b.applicants,
    fees: b.fees.map((f) => [f.name, f.amount, f.note ?? ''].join(' | ').replace(/ \| $/, '')).join('\n'),
    documents: b.requiredDocuments.map((d) => [d.name, d.kind, d.count, d.form?.name ?? ''].join(' | ').replace(/ \| $/, '')).join('\n'),
    steps: b.steps.join('\n'),
    result: b.result,
    legalBasis: b.legalBasis.map((l) => [l.number, l.title, l.issuedOn ?? '', l.effectiveFrom ?? ''].join(' | ').replace(/( \| )+$/, '')).join('\n'),
    keywords: b.keywords.join('\n'),
    effectiveFrom,
  };
}

export function fromFormFields(f: ProcedureFormFields, legacyLevel?: number): { input: ProcedureInput; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const bad = (field: string, line: number) => issues.push({ field, key: 'catalog.form.badLine', params: { line } });
  const num = (s: string) => (/^\d+$/.test(s.replace(/[.\s]/g, '')) ? Number(s.replace(/[.\s]/g, '')) : Number.NaN);

  const fees = lines(f.fees).map((l, i) => {
    const [name = '', amount = '', note] = parts(l);
    if (Number.isNaN(num(amount))) bad('fees', i + 1);
    return { name, amount: num(amount) || 0, ...(note ? { note } : {}) };
  });
  const requiredDocuments = lines(f.documents).map((l, i) => {
    const [name = '', kind = 'original', count = '1', form] = parts(l);
    if (Number.isNaN(num(count))) bad('documents', i + 1);
    return { name, kind: kind as 'original', count: num(count) || 1, ...(form ? { form: { name: form } } : {}) };
  });
  const legalBasis = lines(f.legalBasis).map((l, i) => {
    const [number = '', title = '', issuedOn, effectiveFrom] = parts(l);
    if (!title) bad('legalBasis', i + 1);
    return { number, title, ...(issuedOn ? { issuedOn } : {}), ...(effectiveFrom ? { effectiveFrom } : {}) };
  });
  const implementers = lines(f.implementers).map((l) =>
    l === 'city' || l === 'district' || l === 'commune' ? { level: l as 'city' } : { agency: l },
  );
  const input: ProcedureInput = {
    code: f.code.trim(),
    name: f.name,
    ...(f.nameEn.trim() ? { nameEn: f.nameEn } : {}),
    domain: f.domain,
    implementers,
    onlineLevel: f.onlineLevel as 'FULL',
    ...(legacyLevel ? { legacyLevel } : {}),
    processingDays: /^\d+$/.test(f.processingDays.trim()) ? Number(f.processingDays) : -1,
    ...(f.processingNote.trim() ? { processingNote: f.processingNote } : {}),
    ...(f.cutoffHour.trim() ? { cutoffHour: /^\d+$/.test(f.cutoffHour.trim()) ? Number(f.cutoffHour) : -1 } : {}),
    applicants: f.applicants as 'citizen'[],
    fees,
    requiredDocuments,
    steps: lines(f.steps),
    result: f.result,
    legalBasis,
    keywords: lines(f.keywords),
    effectiveFrom: f.effectiveFrom.trim(),
  };
  return { input, issues };
}
