/**
 * The data the notices print. The dossiers module fills these plain objects from its own
 * records; nothing here reads a database or a clock (every instant is passed in).
 */

/** Which circular's forms to print: 01/2018/TT-VPCP or 03/2025/TT-VPCP (in force since 15/9/2025). */
export type NoticeRuleSet = '2018' | '2025';

export interface NoticeAgency {
  /** The agency that receives or handles the dossier, e.g. "Trung tâm Phục vụ hành chính công thành phố Hà Nội". */
  name: string;
  /** Its governing body (cơ quan chủ quản), e.g. "UBND thành phố Hà Nội". */
  parentName?: string;
  /** Agency code, as in the dossier code (e.g. "000.01.01.H26"). */
  code: string;
  /** Place for the place-and-date line, e.g. "Hà Nội". */
  place: string;
}

export type NoticeDocumentKind = 'original' | 'certified-copy' | 'copy' | 'electronic';

export interface NoticeDocument {
  name: string;
  kind: NoticeDocumentKind;
  count: number;
}

export interface NoticePerson {
  name: string;
  address?: string;
  phone?: string;
  email?: string;
  /** Số định danh cá nhân / CCCD / passport number. */
  personalId?: string;
}

export interface NoticeDossier {
  /** Mã hồ sơ, e.g. "000.01.01.H26-261127-0001" (printed, and encoded in the barcode). */
  code: string;
  /** Where the citizen follows the dossier; the content of the QR code. */
  trackingUrl: string;
  procedureName: string;
  applicant: NoticePerson;
  /** Chủ hồ sơ, when not the person who filed it. */
  owner?: { name: string; address?: string };
  receivedAt: Date;
  dueAt: Date;
  /** Processing time set by the procedure, in working days (0: the same day). */
  processingDays: number;
  documents: NoticeDocument[];
  /** "Tại Bộ phận Một cửa" / "Qua dịch vụ bưu chính" / "Trực tuyến". */
  resultDelivery?: string;
  /** Hình thức thu phí, lệ phí, e.g. "Thu trước", "Nộp trực tuyến". */
  feeMethod?: string;
}

/** An officer who signs or can be contacted. */
export interface NoticeOfficer {
  name: string;
  /** Position, e.g. "Công chức Bộ phận Một cửa". */
  position?: string;
  phone?: string;
  email?: string;
}

/** The person signing a letter on behalf of the agency. */
export interface NoticeSigner {
  /** E.g. "GIÁM ĐỐC"; default "THỦ TRƯỞNG CƠ QUAN". */
  title?: string;
  /** Lines above the title, e.g. ["KT. GIÁM ĐỐC"] with title "PHÓ GIÁM ĐỐC". */
  caption?: string[];
  name?: string;
}

export interface NoticeOptions {
  /** Default '2025' (Circular 03/2025/TT-VPCP). */
  ruleSet?: NoticeRuleSet;
  /** Time zone the times are written in; default 'Asia/Ho_Chi_Minh'. */
  timeZone?: string;
  /** Fixed PDF creation date, for byte-identical output (tests, caching). */
  creationDate?: Date;
}

interface NoticeBase {
  agency: NoticeAgency;
  dossier: NoticeDossier;
}

/** Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. Dated the day of receipt. */
export interface ReceiptNoticeInput extends NoticeBase {
  /** The officer who received the dossier (signs on the right). */
  receivedBy?: NoticeOfficer;
  /** Number of sets (bộ) of the dossier; default 1. */
  sets?: number;
  /** Entry in the Sổ theo dõi hồ sơ, printed when given. */
  registry?: { book: string; entry: string };
  /** A closing note, e.g. the hotline or the cut-off rule of the counter. */
  note?: string;
}

/** One thing to add or correct, and why. */
export interface SupplementItem {
  name: string;
  reason: string;
}

/** Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. */
export interface SupplementRequestInput extends NoticeBase {
  items: SupplementItem[];
  /** The officer who checked the dossier and signs the request. */
  officer: NoticeOfficer;
  /** How to reach the agency besides the officer, e.g. "Bộ phận Một cửa, số 258 Võ Chí Công". */
  contact?: string;
  issuedAt: Date;
}

/** Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export interface RefusalNoticeInput extends NoticeBase {
  reasons: string[];
  officer: NoticeOfficer;
  issuedAt: Date;
}

/** Mẫu 04: apology and new date (2018) or apology and request for an extension (2025). */
export interface ApologyNoticeInput extends NoticeBase {
  reason: string;
  /** The new date promised (2018) or the extension asked for (2025). */
  newDueAt: Date;
  issuedAt: Date;
  signer?: NoticeSigner;
  /** Số, ký hiệu of the letter, e.g. "125/TTPVHCC-TNTKQ"; a blank to fill in when absent. */
  referenceNumber?: string;
  /** "Nơi nhận"; default ["Như trên", "Lưu: VT"]. */
  recipients?: string[];
}

/** Mẫu 05 (2025 only): Thông báo dừng giải quyết hồ sơ. */
export interface StopNoticeInput extends NoticeBase {
  reasons: string[];
  /** The provision the stop rests on, printed as "Căn cứ …". */
  legalBasis?: string;
  /** What the applicant can do next (file again, fees refunded, …). */
  guidance?: string;
  issuedAt: Date;
  signer?: NoticeSigner;
  referenceNumber?: string;
  recipients?: string[];
}

export type HandoverOutcome = 'early' | 'on-time' | 'late';

/** One hand-over of the dossier between agencies or officers. */
export interface HandoverStep {
  /** The agency or unit that takes the dossier at this step. */
  agencyName: string;
  handedAt: Date;
  /** Người giao. */
  fromName: string;
  /** Người nhận. */
  toName: string;
  /** Kết quả giải quyết at this step; null while it is still being handled. */
  outcome: HandoverOutcome | null;
  note?: string;
}

/** Phiếu kiểm soát quá trình giải quyết hồ sơ. */
export interface ControlSheetInput extends NoticeBase {
  steps: HandoverStep[];
}
