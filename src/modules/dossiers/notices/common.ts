import {
  DEFAULT_TIME_ZONE,
  FormDocument,
  formatAdminDate,
  formatAdminDateTime,
  formatPlaceDate,
  type SignatureBlock,
  type TableSpec,
} from '../../../platform/pdf/index.ts';
import { type NoticeForm, type NoticeKind, noticeForm } from './forms.ts';
import type {
  NoticeAgency,
  NoticeDocumentKind,
  NoticeDossier,
  NoticeOptions,
  NoticeRuleSet,
  NoticeSigner,
} from './types.ts';

/** Placeholder for a blank the officer fills in by hand. */
export const BLANK = '……………………';

export const DOCUMENT_KIND_LABELS: Readonly<Record<NoticeDocumentKind, string>> = {
  original: 'Bản chính',
  'certified-copy': 'Bản sao có chứng thực',
  copy: 'Bản sao',
  electronic: 'Bản điện tử',
};

export interface NoticeContext {
  ruleSet: NoticeRuleSet;
  timeZone: string;
  form: NoticeForm;
  /** "08 giờ 30 phút, ngày 27 tháng 11 năm 2026" in the notice's time zone. */
  dateTime: (d: Date) => string;
  /** "ngày 27 tháng 11 năm 2026" */
  date: (d: Date) => string;
}

export function context(kind: NoticeKind, options: NoticeOptions = {}): NoticeContext {
  const ruleSet = options.ruleSet ?? '2025';
  if (ruleSet !== '2018' && ruleSet !== '2025') throw new RangeError(`Unknown rule set: ${String(ruleSet)}`);
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  return {
    ruleSet,
    timeZone,
    form: noticeForm(kind, ruleSet),
    dateTime: (d) => formatAdminDateTime(d, timeZone),
    date: (d) => formatAdminDate(d, timeZone),
  };
}

/** A document with the form number, the national header and the title already in place. */
export function noticeDocument(
  ctx: NoticeContext,
  agency: NoticeAgency,
  dossier: NoticeDossier,
  options: NoticeOptions,
  header: { issuedAt?: Date; left?: string[]; leftNote?: string; fontSize?: number } = {},
): FormDocument {
  const doc = new FormDocument({
    title: `${sentenceCase(ctx.form.title)} – ${dossier.code}`,
    fontSize: header.fontSize ?? 13,
    info: { author: agency.name, subject: dossier.procedureName, keywords: dossier.code },
    creationDate: options.creationDate,
  });
  doc.formNumber(`Mẫu số ${ctx.form.number}`, ctx.form.reference);
  doc.nationalHeader({
    governingBody: agency.parentName,
    agency: agency.name,
    left: header.left,
    leftNote: header.leftNote,
    placeDate: header.issuedAt ? formatPlaceDate(agency.place, header.issuedAt, ctx.timeZone) : undefined,
  });
  return doc;
}

/** "1 bộ" → "01 bộ": counts of sets are written with two digits on these forms. */
export const twoDigits = (n: number): string => (Number.isInteger(n) && n >= 0 && n < 10 ? `0${n}` : String(n));

const numberFormat = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });

/** "5 ngày làm việc"; 0 → "trong ngày"; halves as "0,5 ngày làm việc". */
export function workingDays(days: number): string {
  if (!Number.isFinite(days) || days < 0) throw new RangeError('processingDays must be a non-negative number');
  if (days === 0) return 'trong ngày';
  return `${numberFormat.format(days)} ngày làm việc`;
}

/** The documents table of the receipt and the control sheet. */
export function documentsTable(dossier: NoticeDossier): TableSpec {
  return {
    columns: [{ width: 0.8, align: 'center' }, { width: 5.6 }, { width: 2.9, align: 'center' }, { width: 1.5, align: 'center' }],
    header: [['TT', 'Tên giấy tờ', 'Hình thức', 'Số lượng']],
    rows: dossier.documents.map((d, i) => [String(i + 1), d.name, DOCUMENT_KIND_LABELS[d.kind], String(d.count)]),
  };
}

/**
 * "Label: value" as the forms print it: the label in regular type, the value in bold when it
 * is what the reader looks for (a name, the procedure, a code, a date).
 */
export function field(doc: FormDocument, label: string, value: string, bold = false): void {
  doc.field(label, value, { boldLabel: false, boldValue: bold });
}

/** The applicant's contact lines, printed under "Tiếp nhận hồ sơ của". */
export function applicantLines(doc: FormDocument, dossier: NoticeDossier, label = 'Tiếp nhận hồ sơ của'): void {
  const a = dossier.applicant;
  field(doc, label, a.name, true);
  if (a.address) field(doc, 'Địa chỉ', a.address);
  const contact: [string, string][] = [];
  if (a.phone) contact.push(['Số điện thoại', a.phone]);
  if (a.email) contact.push(['Thư điện tử', a.email]);
  if (contact.length) doc.fields(contact, { boldLabel: false });
  if (a.personalId) field(doc, 'Số định danh cá nhân/CCCD/Hộ chiếu', a.personalId);
}

export function signerBlock(signer: NoticeSigner | undefined): SignatureBlock {
  return {
    caption: signer?.caption,
    title: signer?.title ?? 'THỦ TRƯỞNG CƠ QUAN',
    note: '(Ký, ghi rõ họ tên và đóng dấu)',
    name: signer?.name,
  };
}

export function nonEmpty<T>(list: readonly T[], what: string): void {
  if (list.length === 0) throw new RangeError(`${what} must not be empty`);
}

function sentenceCase(title: string): string {
  const lower = title.toLocaleLowerCase('vi-VN');
  return lower.charAt(0).toLocaleUpperCase('vi-VN') + lower.slice(1);
}
