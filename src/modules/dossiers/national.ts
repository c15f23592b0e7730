import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../../platform/audit/index.ts';
import { toZonedIso, zonedInstant } from '../../platform/calendar/index.ts';
import { AppError, type FieldIssue, validate } from '../../platform/http/errors.ts';
import { defineMessages, type MessageParams } from '../../platform/i18n/index.ts';
import type { Platform } from '../../platform/index.ts';
import { fold } from '../../platform/text/fold.ts';
import type { CatalogService, ProcedureDetail } from '../catalog/index.ts';
import { DEFAULT_CODE_FORMAT } from './code.ts';
import { type Channel, type DossierEvent, type DossierState, type EventData, type EventType, project, statuses } from './lifecycle.ts';
import { type DossierService, type DossierView, ruleSetOn } from './service.ts';
import { involved } from './store.ts';

/**
 * The dossier in the JSON of the national (or a ministry's) public-service portal sync API
 * (domain.md §8): export for synchronisation, and import of a dossier received elsewhere with
 * its history rebuilt as events. One zod schema is the type, the import validation and the
 * OpenAPI description. Field names are the portal's (Vietnamese, PascalCase).
 */

export const nationalMessages = defineMessages({
  'dossiers.national.dateTime': { vi: 'Ngày giờ phải theo định dạng yyyy-MM-dd HH:mm:ss và là ngày có thật.', en: 'Date and time must be yyyy-MM-dd HH:mm:ss and a real date.' },
  'dossiers.national.compactDateTime': { vi: 'Ngày giờ phải theo định dạng yyyyMMddHHmmss.', en: 'Date and time must be yyyyMMddHHmmss.' },
  'dossiers.national.code': { vi: 'Mã hồ sơ không hợp lệ (chỉ gồm chữ, số, dấu chấm và gạch ngang).', en: 'The dossier code is not valid (letters, digits, dots and hyphens only).' },
  'dossiers.national.idNumber': { vi: 'Số định danh không hợp lệ.', en: 'The identification number is not valid.' },
  'dossiers.national.exists': { vi: 'Hồ sơ {code} đã có trong hệ thống.', en: 'Dossier {code} already exists.' },
  'dossiers.national.unmappable': {
    vi: 'Không chuyển được hồ sơ vào quy trình một cửa của hệ thống. Vui lòng kiểm tra các trường được nêu.',
    en: 'The dossier cannot be mapped onto the one-stop process. Please check the fields listed.',
  },
  'dossiers.national.transition': {
    vi: 'Không xác định được bước xử lý khi hồ sơ chuyển từ trạng thái {from} ({fromName}) sang {to} ({toName}).',
    en: 'No processing step is known that takes a dossier from status {from} ({fromName}) to {to} ({toName}).',
  },
  'dossiers.national.unsupported': {
    vi: 'Trạng thái {status} ({name}) chưa được hệ thống hỗ trợ.',
    en: 'Status {status} ({name}) is not supported yet.',
  },
  'dossiers.national.dueDate': { vi: 'Khi tiếp nhận hồ sơ phải có ngày hẹn trả kết quả.', en: 'A received dossier needs a due date.' },
  'dossiers.national.order': { vi: 'Thời điểm xử lý không được sớm hơn bước trước.', en: 'A step cannot be earlier than the one before.' },
  'dossiers.national.statusMismatch': {
    vi: 'Trạng thái hồ sơ {given} không khớp với trạng thái sau quá trình xử lý ({computed}).',
    en: 'Status {given} does not match the status after the processing history ({computed}).',
  },
  'dossiers.national.otherDossier': { vi: 'Bước xử lý này thuộc hồ sơ khác ({code}).', en: 'This step belongs to another dossier ({code}).' },
  'dossiers.national.unknownAgency': { vi: 'Cơ quan {code} không có trong danh mục cơ quan.', en: 'Agency {code} is not in the agency list.' },
  'dossiers.national.unknownProcedure': { vi: 'Thủ tục {code} không có trong danh mục thủ tục hành chính.', en: 'Procedure {code} is not in the catalog.' },
});

// ---------------------------------------------------------------------------------------------
// Code lists (domain.md §8)

/** TrangThai names as the portal's code list gives them. */
export const nationalStatusNames: Record<number, string> = {
  1: 'Mới đăng ký',
  2: 'Được tiếp nhận',
  3: 'Không được tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung giấy tờ',
  6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong',
  10: 'Đã trả kết quả',
};

/** LoaiDoiTuong. The code list says 0 for a citizen, though the portal's sample sends 1 for a person [UNCONFIRMED]. */
export const subjectTypes = { citizen: 0, business: 1, householdBusiness: 2 } as const;

/** LoaiBan: 0 bản chính, 1 bản sao, 2 bản điện tử. A certified copy and a plain copy are both "bản sao". */
export const copyKinds: Record<string, 0 | 1 | 2> = { original: 0, 'certified-copy': 1, copy: 1, electronic: 2 };

// ---------------------------------------------------------------------------------------------
// Schemas

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Whether "yyyy-MM-dd HH:mm:ss" names a real wall-clock time (no 30 February, no 24:00). */
function isRealDateTime(v: string): boolean {
  const m = DATE_TIME.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === s;
}

const dateTime = z
  .string()
  .regex(DATE_TIME, { message: 'dossiers.national.dateTime', abort: true })
  .refine(isRealDateTime, 'dossiers.national.dateTime')
  .describe('yyyy-MM-dd HH:mm:ss, local time of the city (Asia/Ho_Chi_Minh)');
/** A date that may not be known yet: null, absent or "" (portals send both). */
const optionalDateTime = z
  .string()
  .regex(/^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})?$/, { message: 'dossiers.national.dateTime', abort: true })
  .refine((v) => v === '' || isRealDateTime(v), 'dossiers.national.dateTime')
  .nullish()
  .describe('yyyy-MM-dd HH:mm:ss, local time; null or "" when not known yet');
const compactDateTime = z.string().regex(/^(\d{14})?$/, 'dossiers.national.compactDateTime').nullish().describe('yyyyMMddHHmmss');
const optionalText = (max: number) => z.string().trim().max(max).nullish();
const requiredText = (max: number) => z.string().trim().min(1).max(max);
/** 9-digit ID card, 12-digit personal ID, 10/13-digit tax code or 10-3 branch tax code. */
const idNumber = z.string().trim().regex(/^(\d{9,13}(-\d{3})?)?$/, 'dossiers.national.idNumber').nullish();
const agencyCode = z.string().trim().regex(/^\d{3}\.\d{2}\.\d{2}\.[GH]\d{2}$/, 'catalog.agencyCode');
const statusCode = z.number().int().min(1).max(10).describe('TrangThai: 1 Mới đăng ký … 10 Đã trả kết quả (domain.md §8)');
const subjectType = z.number().int().min(0).max(2).describe('LoaiDoiTuong: 0 công dân, 1 doanh nghiệp, 2 hộ kinh doanh');
export const nationalCodeSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z][0-9A-Za-z.-]{4,79}$/, 'dossiers.national.code')
  .describe('MaHoSo, e.g. 000.01.01.H26-261127-0001 or G09.20-20260609-0092637');

export const nationalAttachmentSchema = z.object({
  IdGiayTo: optionalText(200).describe('Id of the file (IdTepTin of the portal’s UploadFile; here the local attachment id)'),
  MaKetQua: optionalText(200),
  TenGiayTo: optionalText(500),
  HashTepTin: optionalText(200).describe('Hash of the file (here SHA-256, hex)'),
});

export const nationalDocumentSchema = z.object({
  MaThanhPhanHoSo: optionalText(100),
  TenThanhPhanHoSo: requiredText(500),
  SoLuong: z.number().int().min(0).max(1000),
  LoaiBan: z.number().int().min(0).max(2).describe('0 bản chính, 1 bản sao, 2 bản điện tử'),
  GiayToDinhKem: z.array(nationalAttachmentSchema).max(100).default([]),
});

export const nationalSubmitterSchema = z.object({
  LoaiDoiTuong: subjectType,
  IdDoiTuong: optionalText(100),
  ThongTinChiTiet: z.object({
    TenNguoiNop: requiredText(200),
    SoDinhDanh: idNumber,
    NgayCapDinhDanh: compactDateTime,
    NgaySinh: optionalText(20),
    SoDienThoai: z.string().trim().regex(/^(0\d{9})?$/, 'dossiers.phone').nullish(),
    Email: z
      .string()
      .trim()
      .max(200)
      .regex(/^([^\s@]+@[^\s@]+\.[^\s@]+)?$/, 'dossiers.email')
      .nullish(),
    MaTinh: optionalText(10),
    MaHuyen: optionalText(10),
    MaXa: optionalText(10),
    DiaChiChiTiet: optionalText(500),
    TenChuHs: optionalText(200),
    SoDinhDanhChuHs: idNumber,
  }),
});

export const nationalProgressSchema = z.object({
  MaHoSo: nationalCodeSchema.nullish(),
  NguoiXuLy: optionalText(300).describe('Who did the step'),
  ThoiDiemXuLy: dateTime.describe('When the step was done (yyyy-MM-dd HH:mm:ss, local time)'),
  PhongBanXuLy: optionalText(300).describe('Here: the code (mã định danh) of the agency holding the dossier after the step'),
  NoiDungXuLy: optionalText(4000).describe('What was done, in Vietnamese'),
  TrangThai: statusCode.describe('The dossier’s status after the step'),
  NgayBatDau: optionalDateTime.describe('When the step began: the time of the step before'),
  NgayKetThucTheoQuyDinh: optionalDateTime.describe('Here: the dossier’s due date in force after the step'),
});

export const nationalDossierSchema = z.object({
  MaHoSo: nationalCodeSchema,
  MaTTHC: z
    .string()
    .trim()
    .regex(/^\d\.\d{6}(\.[\d.A-Z]+)?$/, 'catalog.procedureCode')
    .describe('Procedure code of the national procedure database (CSDL TTHC)'),
  MaDichVuCong: optionalText(60).describe('Online service code; the procedure code unless configured'),
  ChuHoSo: requiredText(200).describe('Name of the dossier holder'),
  LoaiDoiTuong: subjectType,
  MaDonViTiepNhan: agencyCode.describe('Code (mã định danh) of the receiving agency'),
  NgayNop: dateTime.describe('Submission time'),
  NgayTiepNhan: optionalDateTime.describe('Receipt time'),
  NgayHenTra: optionalDateTime.describe('Due date of the result'),
  TrangThaiHoSo: statusCode,
  ThanhPhanHoSo: z.array(nationalDocumentSchema).max(100).default([]),
  ThongTinNguoiNop: nationalSubmitterSchema,
  QuaTrinhXuLy: z.array(nationalProgressSchema).max(1000).default([]).describe('The processing history, oldest first'),
});

export type NationalDossier = z.output<typeof nationalDossierSchema>;
export type NationalProgress = z.output<typeof nationalProgressSchema>;
export type NationalDocument = z.output<typeof nationalDocumentSchema>;

// ---------------------------------------------------------------------------------------------
// Dates

/** "yyyy-MM-dd HH:mm:ss" on the wall clock of `timeZone` (through Intl; no fixed offset). */
export function toNationalDateTime(iso: string, timeZone: string): string {
  return toZonedIso(new Date(iso), timeZone).slice(0, 19).replace('T', ' ');
}

/** The UTC instant (ISO) of a "yyyy-MM-dd HH:mm:ss" wall-clock time in `timeZone`. */
export function fromNationalDateTime(text: string, timeZone: string): string {
  const m = DATE_TIME.exec(text);
  if (!m) throw new Error(`not a national date-time: ${text}`);
  const [, y, mo, d, h, mi, s] = m;
  const instant = zonedInstant(`${y}-${mo}-${d}`, { hour: Number(h), minute: Number(mi) }, timeZone);
  return new Date(instant.getTime() + Number(s) * 1000).toISOString();
}

const blankToNull = (v: string | null | undefined): string | null => (v == null || v.trim() === '' ? null : v.trim());

// ---------------------------------------------------------------------------------------------
// What each step says (NoiDungXuLy). Each begins with a fixed phrase, so that an import can tell
// steps apart that the status codes alone cannot (assignment, approval, apology…).

const channelText: Record<Channel, string> = { online: 'trực tuyến', counter: 'tại Bộ phận Một cửa', post: 'qua dịch vụ bưu chính' };

const heads: Record<Exclude<EventType, 'approved'>, string> & { granted: string; denied: string } = {
  submitted: 'Nộp hồ sơ',
  received: 'Tiếp nhận hồ sơ',
  supplement_requested: 'Yêu cầu bổ sung giấy tờ',
  supplemented: 'Bổ sung giấy tờ theo yêu cầu',
  refused: 'Từ chối tiếp nhận hồ sơ',
  assigned: 'Phân công chuyên viên xử lý',
  transferred: 'Chuyển hồ sơ đến',
  sent_for_approval: 'Trình lãnh đạo phê duyệt',
  returned_for_rework: 'Trả lại chuyên viên để xử lý lại',
  granted: 'Phê duyệt, đồng ý giải quyết',
  denied: 'Phê duyệt, không đồng ý giải quyết',
  result_returned: 'Trả kết quả',
  apology_issued: 'Xin lỗi và hẹn lại ngày trả kết quả',
  stopped: 'Dừng xử lý hồ sơ',
  withdrawn: 'Rút hồ sơ theo yêu cầu của người nộp',
  payment_requested: 'Chờ thực hiện nghĩa vụ tài chính',
  payment_confirmed: 'Đã thực hiện nghĩa vụ tài chính',
};

/** Steps whose free text is a reason (refusal, rework…) rather than a note. */
const reasonTypes: ReadonlySet<EventType> = new Set(['refused', 'returned_for_rework', 'approved', 'apology_issued', 'stopped', 'withdrawn']);
const labelFor = (type: EventType) => (reasonTypes.has(type) ? 'Lý do' : 'Ghi chú');

/** The Vietnamese description of one event, for NoiDungXuLy. */
export function describeEvent(e: DossierEvent): string {
  const d = e.data;
  let text: string;
  switch (d.type) {
    case 'submitted':
      text = `${heads.submitted} ${channelText[d.channel]}`;
      break;
    case 'supplement_requested':
      text = `${heads.supplement_requested}: ${d.items.map((i) => (i.reason ? `${i.name} (${i.reason})` : i.name)).join('; ')}`;
      break;
    case 'assigned':
      text = `${heads.assigned}: ${d.assigneeName}`;
      break;
    case 'transferred':
      text = `${heads.transferred} ${d.toAgencyName}`;
      break;
    case 'approved':
      text = `${heads[d.decision]}: ${d.summary}`;
      break;
    case 'result_returned':
      text = `${heads.result_returned} ${channelText[d.method]}`;
      break;
    default:
      text = heads[d.type];
  }
  return e.reason ? `${text}. ${labelFor(d.type)}: ${e.reason}` : text;
}

type Recognised = { head: keyof typeof heads; detail: string; reason: string | null };

/** Reads back a description written by `describeEvent`; null for any other text. */
export function recogniseStep(text: string): Recognised | null {
  // Longest first, so that one phrase never shadows a longer one beginning with it.
  const entries = (Object.entries(heads) as [keyof typeof heads, string][]).sort((a, b) => b[1].length - a[1].length);
  for (const [head, phrase] of entries) {
    if (!(text === phrase || text.startsWith(`${phrase} `) || text.startsWith(`${phrase}:`) || text.startsWith(`${phrase}.`))) continue;
    const type: EventType = head === 'granted' || head === 'denied' ? 'approved' : head;
    const separator = `. ${labelFor(type)}: `;
    const at = text.indexOf(separator, phrase.length);
    const body = at >= 0 ? text.slice(0, at) : text;
    const reason = at >= 0 ? text.slice(at + separator.length) : null;
    return { head, detail: body.slice(phrase.length).replace(/^[:\s]+/, ''), reason };
  }
  return null;
}

const channelFrom = (detail: string): Channel | null => (Object.entries(channelText) as [Channel, string][]).find(([, t]) => t === detail)?.[0] ?? null;

// ---------------------------------------------------------------------------------------------
// Export

export interface NationalExtra {
  /** The city's time zone (config.timeZone). */
  timeZone: string;
  /** The procedure as in force when the dossier was submitted: its required papers. */
  procedure?: ProcedureDetail | null;
  /** MaDichVuCong when configured; else the procedure code. */
  serviceCode?: string;
}

/** What an import kept of the portal's own data, to send back unchanged. */
interface KeptNational {
  MaDichVuCong?: string | null;
  LoaiDoiTuong?: number;
  ThongTinNguoiNop?: NationalDossier['ThongTinNguoiNop'];
  ThanhPhanHoSo?: NationalDocument[];
}

interface StoredForm {
  applicant?: { fullName?: string; personalId?: string; phone?: string; email?: string; address?: string };
  national?: KeptNational;
}

/** The dossier as the national portal's sync API describes it. */
export function toNational(view: DossierView, extra: NationalExtra): NationalDossier {
  const tz = extra.timeZone;
  const at = (iso: string | null) => (iso ? toNationalDateTime(iso, tz) : null);
  const form = view.form as StoredForm;
  const kept = form.national ?? {};
  const subject = kept.LoaiDoiTuong ?? subjectTypes.citizen;

  const attachments = view.attachments ?? [];
  const documents: NationalDocument[] =
    kept.ThanhPhanHoSo ??
    (extra.procedure?.body.requiredDocuments ?? []).map((doc, i) => {
      const slot = `giay-to-${i + 1}`;
      return {
        MaThanhPhanHoSo: slot,
        TenThanhPhanHoSo: doc.name,
        SoLuong: doc.count,
        LoaiBan: copyKinds[doc.kind] ?? 0,
        GiayToDinhKem: attachments
          .filter((a) => a.slot === slot)
          .map((a) => ({ IdGiayTo: a.id, MaKetQua: null, TenGiayTo: a.fileName, HashTepTin: a.sha256 })),
      };
    });

  const history = view.history;
  const progress: NationalProgress[] = history.map((e, i) => {
    const s = project(history.slice(0, i + 1));
    return {
      MaHoSo: view.code,
      NguoiXuLy: e.actorLabel ?? 'Hệ thống',
      ThoiDiemXuLy: toNationalDateTime(e.at, tz),
      PhongBanXuLy: s.holderAgency,
      NoiDungXuLy: describeEvent(e),
      TrangThai: statuses[s.status],
      NgayBatDau: toNationalDateTime(history[i - 1]?.at ?? e.at, tz),
      NgayKetThucTheoQuyDinh: at(s.dueAt),
    };
  });

  const submitter = kept.ThongTinNguoiNop?.ThongTinChiTiet;
  return {
    MaHoSo: view.code,
    MaTTHC: view.procedureCode,
    MaDichVuCong: kept.MaDichVuCong ?? extra.serviceCode ?? view.procedureCode,
    ChuHoSo: view.applicant.name,
    LoaiDoiTuong: subject,
    MaDonViTiepNhan: view.receivingAgency,
    NgayNop: toNationalDateTime(view.submittedAt, tz),
    NgayTiepNhan: at(view.receivedAt),
    NgayHenTra: at(view.dueAt),
    TrangThaiHoSo: view.nationalStatus,
    ThanhPhanHoSo: documents,
    ThongTinNguoiNop: {
      LoaiDoiTuong: kept.ThongTinNguoiNop?.LoaiDoiTuong ?? subject,
      IdDoiTuong: kept.ThongTinNguoiNop?.IdDoiTuong ?? null,
      ThongTinChiTiet: {
        ...submitter,
        TenNguoiNop: submitter?.TenNguoiNop ?? view.applicant.name,
        SoDinhDanh: submitter ? (submitter.SoDinhDanh ?? null) : view.applicant.personalId,
        SoDienThoai: view.applicant.phone,
        Email: view.applicant.email,
        DiaChiChiTiet: form.applicant?.address || submitter?.DiaChiChiTiet || null,
        TenChuHs: view.applicant.name,
        SoDinhDanhChuHs: view.applicant.personalId,
      },
    },
    QuaTrinhXuLy: progress,
  };
}

// ---------------------------------------------------------------------------------------------
// Import

/** Parses and validates a national dossier; a 400 names every bad field. */
export function fromNational(json: unknown): NationalDossier {
  return validate(nationalDossierSchema, json);
}

const unmappable = (field: string, key: string, params?: MessageParams) =>
  new AppError(422, 'NATIONAL_UNMAPPABLE', 'dossiers.national.unmappable', { fields: [{ field, key, params } satisfies FieldIssue] });

const transitionError = (field: string, from: number, to: number) =>
  unmappable(field, 'dossiers.national.transition', { from, to, fromName: nationalStatusNames[from] ?? '', toName: nationalStatusNames[to] ?? '' });

export interface RebuildContext {
  timeZone: string;
  /** Working days of the procedure, recorded on the `received` event. */
  workingDays: number;
  /** The name of an agency of the catalog, or null when unknown. */
  agencyName(code: string): string | null;
  /** The id of the single active specialist of `agency` with this full name, if any. */
  specialistId(agency: string, fullName: string): string | null;
}

const isAgencyCode = (v: string | null): v is string => v !== null && /^\d{3}\.\d{2}\.\d{2}\.[GH]\d{2}$/.test(v);

/**
 * The events that give the portal's history: one per progress entry (a submission is added in
 * front when the history does not start with one). A step is recognised by its status change,
 * the agency in PhongBanXuLy (a transfer) and, where the status stays the same, the fixed
 * phrase of NoiDungXuLy. Refuses (422, naming the field) whatever cannot be mapped.
 */
export function rebuildEvents(input: NationalDossier, ctx: RebuildContext): DossierEvent[] {
  const tz = ctx.timeZone;
  const local = (text: string | null | undefined) => {
    const v = blankToNull(text);
    return v ? fromNationalDateTime(v, tz) : null;
  };
  const entries = input.QuaTrinhXuLy;
  entries.forEach((entry, i) => {
    if (entry.MaHoSo && entry.MaHoSo !== input.MaHoSo) throw unmappable(`QuaTrinhXuLy.${i}.MaHoSo`, 'dossiers.national.otherDossier', { code: entry.MaHoSo });
  });
  const first = entries[0];
  const startsWithSubmission = first?.TrangThai === statuses.NEW;
  const recognised = startsWithSubmission ? recogniseStep(first.NoiDungXuLy ?? '') : null;
  const submittedText = recognised?.head === 'submitted' ? recognised : null;
  const channel = (submittedText ? channelFrom(submittedText.detail) : null) ?? 'online';
  const events: DossierEvent[] = [
    {
      seq: 1,
      at: fromNationalDateTime(input.NgayNop, tz),
      actorId: null,
      actorLabel: blankToNull(startsWithSubmission ? first.NguoiXuLy : null) ?? input.ThongTinNguoiNop.ThongTinChiTiet.TenNguoiNop,
      actorAgency: null,
      reason: submittedText ? submittedText.reason : blankToNull(startsWithSubmission ? first.NoiDungXuLy : null),
      data: { type: 'submitted', channel, receivingAgency: input.MaDonViTiepNhan },
    },
  ];
  let s = project(events);

  for (let i = startsWithSubmission ? 1 : 0; i < entries.length; i++) {
    const entry = entries[i] as NationalProgress;
    const field = `QuaTrinhXuLy.${i}`;
    const when = fromNationalDateTime(entry.ThoiDiemXuLy, tz);
    const before = events[events.length - 1] as DossierEvent;
    if (when < before.at) throw unmappable(`${field}.ThoiDiemXuLy`, 'dossiers.national.order');
    const text = blankToNull(entry.NoiDungXuLy);
    const step = text ? recogniseStep(text) : null;
    const data = stepData(s, entry, step, input, ctx, field, local);
    const event: DossierEvent = {
      seq: events.length + 1,
      at: when,
      actorId: null,
      actorLabel: blankToNull(entry.NguoiXuLy),
      actorAgency: null,
      // A text we did not write is kept as the reason, unless the event already carries it.
      reason: step ? step.reason : data.type === 'supplement_requested' || data.type === 'approved' ? null : text,
      data,
    };
    const next = project([...events, event]);
    if (statuses[next.status] !== entry.TrangThai) throw transitionError(`${field}.TrangThai`, statuses[s.status], entry.TrangThai);
    events.push(event);
    s = next;
  }
  if (statuses[s.status] !== input.TrangThaiHoSo) {
    throw unmappable('TrangThaiHoSo', 'dossiers.national.statusMismatch', { given: input.TrangThaiHoSo, computed: statuses[s.status] });
  }
  return events;
}

const among = (value: number, list: readonly number[]) => list.includes(value);

/** The event of one progress entry, given the state before it. */
function stepData(
  s: DossierState,
  entry: NationalProgress,
  step: Recognised | null,
  input: NationalDossier,
  ctx: RebuildContext,
  field: string,
  local: (text: string | null | undefined) => string | null,
): EventData {
  const from = statuses[s.status];
  const to = entry.TrangThai;
  const due = local(entry.NgayKetThucTheoQuyDinh);
  const agency = blankToNull(entry.PhongBanXuLy);
  const is = (...names: (keyof typeof heads)[]) => step !== null && names.includes(step.head);
  const fail = () => transitionError(`${field}.TrangThai`, from, to);
  const processing = s.stage !== 'intake';
  switch (to) {
    case statuses.NEW:
      if (from === statuses.WAITING_SUPPLEMENT && !processing) return { type: 'supplemented', dueAt: null };
      throw fail();
    case statuses.RECEIVED:
      if (from === statuses.NEW) {
        const dueAt = due ?? local(input.NgayHenTra);
        if (!dueAt) throw unmappable(`${field}.NgayKetThucTheoQuyDinh`, 'dossiers.national.dueDate');
        return { type: 'received', dueAt, workingDays: ctx.workingDays };
      }
      if (from === statuses.RECEIVED && is('apology_issued') && due) return { type: 'apology_issued', newDueAt: due };
      throw fail();
    case statuses.REFUSED:
      if (from === statuses.NEW) return { type: 'refused' };
      throw fail();
    case statuses.PROCESSING: {
      if (from === statuses.WAITING_SUPPLEMENT && processing) return { type: 'supplemented', dueAt: due };
      if (from !== statuses.RECEIVED && from !== statuses.PROCESSING) throw fail();
      if (isAgencyCode(agency) && agency !== s.holderAgency) {
        const name = ctx.agencyName(agency);
        if (!name) throw unmappable(`${field}.PhongBanXuLy`, 'dossiers.national.unknownAgency', { code: agency });
        return { type: 'transferred', toAgency: agency, toAgencyName: name };
      }
      if (from === statuses.PROCESSING && is('sent_for_approval')) return { type: 'sent_for_approval' };
      if (from === statuses.PROCESSING && is('returned_for_rework')) return { type: 'returned_for_rework' };
      if (from === statuses.PROCESSING && is('apology_issued') && due) return { type: 'apology_issued', newDueAt: due };
      // The portal's "Đang xử lý" without a known phrase: someone took the dossier up.
      const name = step?.head === 'assigned' ? step.detail : '';
      return { type: 'assigned', assigneeId: (name && ctx.specialistId(s.holderAgency, name)) || '', assigneeName: name };
    }
    case statuses.WAITING_SUPPLEMENT: {
      if (from !== statuses.NEW && from !== statuses.RECEIVED && from !== statuses.PROCESSING) throw fail();
      const what = step?.head === 'supplement_requested' ? step.detail : (blankToNull(entry.NoiDungXuLy) ?? heads.supplement_requested);
      return { type: 'supplement_requested', stage: from === statuses.NEW ? 'intake' : 'processing', items: [{ name: what, reason: '' }] };
    }
    case statuses.WAITING_PAYMENT:
      throw unmappable(`${field}.TrangThai`, 'dossiers.national.unsupported', { status: to, name: nationalStatusNames[to] ?? '' });
    case statuses.WITHDRAWN:
      if (among(from, [statuses.NEW, statuses.RECEIVED, statuses.PROCESSING, statuses.WAITING_SUPPLEMENT])) return { type: 'withdrawn' };
      throw fail();
    case statuses.STOPPED:
      if (among(from, [statuses.RECEIVED, statuses.PROCESSING, statuses.WAITING_SUPPLEMENT])) return { type: 'stopped' };
      throw fail();
    case statuses.DONE:
      if (from === statuses.RECEIVED || from === statuses.PROCESSING) {
        return { type: 'approved', decision: step?.head === 'denied' ? 'denied' : 'granted', summary: step && is('granted', 'denied') ? step.detail : (blankToNull(entry.NoiDungXuLy) ?? '') };
      }
      throw fail();
    case statuses.RETURNED:
      if (from === statuses.DONE) return { type: 'result_returned', method: (step?.head === 'result_returned' ? channelFrom(step.detail) : null) ?? 'counter' };
      throw fail();
    default:
      throw fail();
  }
}

/** The parts of a dossier code in the configured format: the day and the sequence, if it matches. */
export function codeParts(format: string | undefined, code: string, agency: string): { day: string; seq: number } | null {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const groups: ('day' | 'seq')[] = [];
  const pattern = (format ?? DEFAULT_CODE_FORMAT)
    .split(/(\{agency\}|\{yyMMdd\}|\{yyyyMMdd\}|\{seq\d\})/)
    .map((token) => {
      if (token === '{agency}') return literal(agency);
      if (token === '{yyMMdd}' || token === '{yyyyMMdd}') {
        groups.push('day');
        return token === '{yyMMdd}' ? '(\\d{6})' : '20(\\d{6})';
      }
      const seq = /^\{seq(\d)\}$/.exec(token);
      if (seq) {
        groups.push('seq');
        return `(\\d{${seq[1]},})`;
      }
      return literal(token);
    })
    .join('');
  const m = new RegExp(`^${pattern}$`).exec(code);
  if (!m) return null;
  const day = m[groups.indexOf('day') + 1];
  const seq = Number(m[groups.indexOf('seq') + 1]);
  return day && Number.isSafeInteger(seq) ? { day, seq } : null;
}

export interface NationalImportDeps {
  catalog: CatalogService;
  /** The dossier code format in use (DossierDeps.codeFormat). */
  codeFormat?: string;
}

const SECRET_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Creates a dossier received through the national portal, under its own code (409 if that code
 * exists), with its history rebuilt as events so that its status, holder and due date are
 * those of the portal. The caller authorizes (an officer of the receiving agency).
 */
export async function importNational(
  service: DossierService,
  platform: Platform,
  json: unknown,
  actor: Actor,
  deps: NationalImportDeps,
): Promise<{ id: string; code: string; state: DossierState; events: DossierEvent[] }> {
  const input = fromNational(json);
  const tz = platform.config.timeZone;
  const submittedAt = fromNationalDateTime(input.NgayNop, tz);
  const procedure = await deps.catalog.getProcedure(input.MaTTHC, { includeRetired: true, date: submittedAt.slice(0, 10) });
  if (!procedure) throw unmappable('MaTTHC', 'dossiers.national.unknownProcedure', { code: input.MaTTHC });
  if (!(await deps.catalog.getAgency(input.MaDonViTiepNhan))) {
    throw unmappable('MaDonViTiepNhan', 'dossiers.national.unknownAgency', { code: input.MaDonViTiepNhan });
  }
  if (!(await deps.catalog.implementedBy(procedure, input.MaDonViTiepNhan))) throw unmappable('MaDonViTiepNhan', 'dossiers.wrongAgency');
  if (await service.store.load({ code: input.MaHoSo })) throw exists(input.MaHoSo);

  // Everything the rebuild looks up, read before it (it is pure).
  const codes = new Set([input.MaDonViTiepNhan, ...input.QuaTrinhXuLy.map((e) => blankToNull(e.PhongBanXuLy)).filter(isAgencyCode)]);
  const names = new Map<string, string>();
  const specialists = new Map<string, { id: string; full_name: string }[]>();
  for (const code of codes) {
    const agency = await deps.catalog.getAgency(code);
    if (!agency) continue;
    names.set(code, agency.name);
    specialists.set(code, await service.specialists(code));
  }
  const events = rebuildEvents(input, {
    timeZone: tz,
    workingDays: procedure.body.processingDays,
    agencyName: (code) => names.get(code) ?? null,
    specialistId: (agency, fullName) => {
      const found = (specialists.get(agency) ?? []).filter((o) => o.full_name === fullName);
      return found.length === 1 ? (found[0]?.id ?? null) : null;
    },
  });
  const s = project(events);

  const who = input.ThongTinNguoiNop.ThongTinChiTiet;
  const name = blankToNull(who.TenChuHs) ?? input.ChuHoSo;
  const personalId = blankToNull(who.SoDinhDanhChuHs) ?? blankToNull(who.SoDinhDanh);
  const phone = blankToNull(who.SoDienThoai);
  const email = blankToNull(who.Email);
  const address = blankToNull(who.DiaChiChiTiet);
  const kept: KeptNational = {
    MaDichVuCong: blankToNull(input.MaDichVuCong),
    LoaiDoiTuong: input.LoaiDoiTuong,
    ThongTinNguoiNop: input.ThongTinNguoiNop,
    ThanhPhanHoSo: input.ThanhPhanHoSo,
  };
  const form = {
    applicant: { fullName: name, ...(personalId ? { personalId } : {}), ...(phone ? { phone } : {}), ...(email ? { email } : {}), address: address ?? '' },
    answers: {},
    national: kept,
  };
  const id = randomUUID();
  const now = new Date().toISOString();
  const trackingSecret = Array.from({ length: 6 }, () => SECRET_ALPHABET[randomInt(SECRET_ALPHABET.length)]).join('');
  const sequence = codeParts(deps.codeFormat, input.MaHoSo, input.MaDonViTiepNhan);

  try {
    await service.store.transaction(async (trx) => {
      if (await trx.selectFrom('dossiers').select('id').where('code', '=', input.MaHoSo).executeTakeFirst()) throw exists(input.MaHoSo);
      // A code in our own format takes its number: the daily counter moves past it, so a later
      // submission never gets the same code.
      if (sequence) {
        await trx
          .insertInto('dossier_code_counters')
          .values({ agency_code: input.MaDonViTiepNhan, day: sequence.day, last_seq: sequence.seq })
          .onConflict((oc) =>
            oc.columns(['agency_code', 'day']).doUpdateSet({
              last_seq: (eb) =>
                eb
                  .case()
                  .when('dossier_code_counters.last_seq', '<', sequence.seq)
                  .then(sequence.seq)
                  .else(eb.ref('dossier_code_counters.last_seq'))
                  .end(),
            }),
          )
          .execute();
      }
      await service.store.insertDossier(trx, {
        id,
        code: input.MaHoSo,
        tracking_secret: trackingSecret,
        procedure_code: procedure.code,
        procedure_version: procedure.version,
        procedure_name: procedure.body.name,
        rule_set: ruleSetOn(submittedAt),
        channel: events[0]?.data.type === 'submitted' ? events[0].data.channel : 'online',
        receiving_agency: s.receivingAgency,
        holder_agency: s.holderAgency,
        holder_role: s.holderRole,
        assignee_id: s.assigneeId || null,
        stage: s.stage,
        status: s.status,
        national_status: statuses[s.status],
        applicant_account_id: null,
        applicant_name: name,
        applicant_name_folded: fold(name),
        applicant_personal_id: personalId,
        applicant_phone: phone,
        applicant_email: email,
        form_json: JSON.stringify(form),
        submitted_at: submittedAt,
        received_at: s.receivedAt,
        due_at: s.dueAt,
        paused_at: s.pausedAt,
        closed_at: s.closedAt,
        involved_agencies: involved(s.involvedAgencies),
        event_count: events.length,
        updated_at: now,
      });
      for (const e of events) await service.store.appendEvent(trx, id, e);
      await platform.audit.record(
        {
          actorId: actor.id,
          actorLabel: actor.label,
          ip: actor.ip,
          requestId: actor.requestId,
          action: 'dossier.imported',
          outcome: 'ok',
          targetType: 'dossier',
          targetId: input.MaHoSo,
          after: { source: 'national', status: s.status, holderAgency: s.holderAgency, events: events.length },
        },
        trx as never,
      );
    });
  } catch (err) {
    // Two imports of one code at once: the unique index refuses the second.
    if (!(err instanceof AppError) && (await service.store.load({ code: input.MaHoSo }))) throw exists(input.MaHoSo);
    throw err;
  }
  return { id, code: input.MaHoSo, state: s, events };
}

const exists = (code: string) => new AppError(409, 'DOSSIER_EXISTS', 'dossiers.national.exists', { params: { code }, fields: [{ field: 'MaHoSo', key: 'dossiers.national.exists', params: { code } }] });
