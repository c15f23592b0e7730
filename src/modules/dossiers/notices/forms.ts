import type { NoticeRuleSet } from './types.ts';

/**
 * Form numbers and titles per circular (docs/domain.md §2.3).
 *
 * - Circular 01/2018/TT-VPCP (23/11/2018): 01 and 02 confirmed; 03 refusal, 04 apology and
 *   05 control sheet are the names seen in code, their numbers unconfirmed. No stop notice.
 * - Circular 03/2025/TT-VPCP, Phụ lục I (secondary sources; issued 15/9/2025): 01 receipt,
 *   02 supplement, 03 refusal, 04 apology and extension, 05 stop, 06 control sheet.
 */
export type NoticeKind = 'receipt' | 'supplement' | 'refusal' | 'apology' | 'stop' | 'control-sheet';

export interface NoticeForm {
  /** "01" */
  number: string;
  /** Title as printed (capitals). */
  title: string;
  /** The line under "Mẫu số NN". */
  reference: string;
}

const REFERENCE: Record<NoticeRuleSet, string> = {
  '2018': '(Ban hành kèm theo Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ)',
  '2025': '(Ban hành kèm theo Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Văn phòng Chính phủ)',
};

const FORMS: Record<NoticeRuleSet, Partial<Record<NoticeKind, { number: string; title: string }>>> = {
  '2018': {
    receipt: { number: '01', title: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ' },
    supplement: { number: '02', title: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ' },
    refusal: { number: '03', title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ' },
    apology: { number: '04', title: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ' },
    'control-sheet': { number: '05', title: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ' },
  },
  '2025': {
    receipt: { number: '01', title: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ' },
    supplement: { number: '02', title: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ' },
    refusal: { number: '03', title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ' },
    apology: { number: '04', title: 'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT' },
    stop: { number: '05', title: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ' },
    'control-sheet': { number: '06', title: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ' },
  },
};

/** Thrown for a notice that the chosen circular has no form for (the stop notice under 2018). */
export class NoticeFormUnavailableError extends Error {
  constructor(
    readonly kind: NoticeKind,
    readonly ruleSet: NoticeRuleSet,
  ) {
    super(`Circular ${ruleSet === '2018' ? '01/2018/TT-VPCP' : '03/2025/TT-VPCP'} has no form for the ${kind} notice`);
    this.name = 'NoticeFormUnavailableError';
  }
}

export function noticeForm(kind: NoticeKind, ruleSet: NoticeRuleSet): NoticeForm {
  const form = FORMS[ruleSet]?.[kind];
  if (!form) throw new NoticeFormUnavailableError(kind, ruleSet);
  return { ...form, reference: REFERENCE[ruleSet] };
}

/** Whether a circular has a form for this notice. */
export function hasNoticeForm(kind: NoticeKind, ruleSet: NoticeRuleSet): boolean {
  return FORMS[ruleSet]?.[kind] !== undefined;
}
