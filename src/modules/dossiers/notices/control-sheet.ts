import { CM, type TableCellInput } from '../../../platform/pdf/index.ts';
import { context, field, noticeDocument, workingDays } from './common.ts';
import type { ControlSheetInput, HandoverOutcome, NoticeOptions } from './types.ts';

export const OUTCOME_LABELS: Readonly<Record<HandoverOutcome, string>> = {
  early: 'Trước hạn',
  'on-time': 'Đúng hạn',
  late: 'Quá hạn',
};

/**
 * Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05 under 2018, 06 under 2025): travels with
 * the dossier; every hand-over is a row with the time, the giver and the taker (who sign in
 * the blank above their printed names), and the result of that step.
 */
export async function controlSheet(input: ControlSheetInput, options: NoticeOptions = {}): Promise<Buffer> {
  const ctx = context('control-sheet', options);
  const { agency, dossier } = input;
  const doc = noticeDocument(ctx, agency, dossier, options, { fontSize: 12 });
  doc.title(ctx.form.title);
  doc.space(4);
  doc.barcode(dossier.code, { align: 'center', width: 6.5 * CM, height: 1 * CM, label: `Mã hồ sơ: ${dossier.code}` });
  field(doc, 'Kèm theo hồ sơ của', dossier.applicant.name, true);
  field(doc, 'Nội dung yêu cầu giải quyết', dossier.procedureName);
  field(doc, 'Thời gian giải quyết theo quy định', workingDays(dossier.processingDays));
  field(doc, 'Ngày nhận hồ sơ', ctx.dateTime(dossier.receivedAt));
  field(doc, 'Ngày hẹn trả kết quả', ctx.dateTime(dossier.dueAt));

  // Each hand-over is two rows: the time across both person columns, then the blank where
  // the giver and the taker sign, with their printed names under it.
  const signatureRoom = 44;
  const rows: TableCellInput[][] = [];
  for (const step of input.steps) {
    rows.push([
      { content: step.agencyName, rowSpan: 2, valign: 'middle', align: 'left' },
      { content: ctx.dateTime(step.handedAt), colSpan: 2, align: 'center' },
      { content: step.outcome ? OUTCOME_LABELS[step.outcome] : '', rowSpan: 2, align: 'center', valign: 'middle' },
      { content: step.note ?? '', rowSpan: 2, valign: 'middle' },
    ]);
    rows.push([
      { content: step.fromName, align: 'center', minHeight: signatureRoom, valign: 'bottom' },
      { content: step.toName, align: 'center', minHeight: signatureRoom, valign: 'bottom' },
    ]);
  }
  doc.space(4);
  doc.table({
    columns: [{ width: 2.6 }, { width: 2.4 }, { width: 2.4 }, { width: 2.2 }, { width: 1.6 }],
    header: [
      [
        { content: 'TÊN CƠ QUAN', rowSpan: 2 },
        { content: 'THỜI GIAN GIAO, NHẬN HỒ SƠ', colSpan: 2 },
        { content: ['KẾT QUẢ GIẢI QUYẾT HỒ SƠ', { text: '(Trước hạn/Đúng hạn/Quá hạn)', bold: false, italic: true }], rowSpan: 2 },
        { content: 'GHI CHÚ', rowSpan: 2 },
      ],
      ['Người giao', 'Người nhận'],
    ],
    rows,
    fontSize: 11,
  });
  if (input.steps.length === 0) doc.paragraph('(Chưa có lần giao, nhận nào)', { italic: true, align: 'center', size: 11 });
  return doc.render();
}
