/**
 * The notices of the one-stop shop as PDFs (docs/domain.md §2.3): the receipt (Mẫu 01), the
 * supplement request (02), the refusal (03), the apology (04), the stop notice (05, 2025
 * only) and the control sheet, numbered per Circular 01/2018 or 03/2025 (`ruleSet`).
 */
export { apologyNotice } from './apology.ts';
export { DOCUMENT_KIND_LABELS } from './common.ts';
export { controlSheet, OUTCOME_LABELS } from './control-sheet.ts';
export { hasNoticeForm, type NoticeForm, NoticeFormUnavailableError, type NoticeKind, noticeForm } from './forms.ts';
export { receiptNotice } from './receipt.ts';
export { refusalNotice } from './refusal.ts';
export { stopNotice } from './stop.ts';
export { supplementRequest } from './supplement.ts';
export type {
  ApologyNoticeInput,
  ControlSheetInput,
  HandoverOutcome,
  HandoverStep,
  NoticeAgency,
  NoticeDocument,
  NoticeDocumentKind,
  NoticeDossier,
  NoticeOfficer,
  NoticeOptions,
  NoticePerson,
  NoticeRuleSet,
  NoticeSigner,
  ReceiptNoticeInput,
  RefusalNoticeInput,
  StopNoticeInput,
  SupplementItem,
  SupplementRequestInput,
} from './types.ts';
