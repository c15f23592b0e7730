import { CM, formatPlaceDate } from '../../../platform/pdf/index.ts';
import { applicantLines, BLANK, context, documentsTable, field, noticeDocument, twoDigits, workingDays } from './common.ts';
import type { NoticeOptions, ReceiptNoticeInput } from './types.ts';

/**
 * Mẫu 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả (same number under 2018 and 2025): the
 * slip handed over when a complete dossier is accepted. Fields as in docs/domain.md §2.3:
 * the dossier code with a barcode and the tracking QR, who filed it, what is asked, the
 * documents received, the number of sets, the processing time, when it was received and
 * when the result is due, where the result is collected, and both signatures.
 */
export async function receiptNotice(input: ReceiptNoticeInput, options: NoticeOptions = {}): Promise<Buffer> {
  const ctx = context('receipt', options);
  const { agency, dossier } = input;
  // 12 pt rather than 13: with a usual list of papers the slip then fits on one page.
  const doc = noticeDocument(ctx, agency, dossier, options, { fontSize: 12 });

  doc.codes({
    placeDate: formatPlaceDate(agency.place, dossier.receivedAt, ctx.timeZone),
    barcode: { content: dossier.code, label: `Mã hồ sơ: ${dossier.code}` },
    qr: { content: dossier.trackingUrl, caption: 'Quét mã QR để tra cứu tình trạng giải quyết hồ sơ' },
  });
  doc.title(ctx.form.title);

  applicantLines(doc, dossier, `${agency.name} tiếp nhận hồ sơ của`);
  field(doc, 'Nội dung yêu cầu giải quyết', dossier.procedureName, true);
  if (dossier.owner) {
    const owner: [string, string][] = [['Chủ hồ sơ', dossier.owner.name]];
    if (dossier.owner.address) owner.push(['Địa chỉ', dossier.owner.address]);
    doc.fields(owner, { boldLabel: false });
  }
  if (dossier.feeMethod) field(doc, 'Hình thức thu phí, lệ phí', dossier.feeMethod);

  doc.numbered(1, 'Thành phần hồ sơ nộp gồm:');
  if (dossier.documents.length) doc.table(documentsTable(dossier));
  else doc.paragraph('(Không có giấy tờ kèm theo)', { italic: true, inset: 14 });
  doc.numbered(2, [{ text: 'Số lượng hồ sơ: ' }, { text: `${twoDigits(input.sets ?? 1)} bộ`, bold: true }]);
  doc.numbered(3, [
    { text: 'Thời gian giải quyết hồ sơ theo quy định là: ' },
    { text: workingDays(dossier.processingDays), bold: true },
  ]);
  doc.numbered(4, `Thời gian nhận hồ sơ: ${ctx.dateTime(dossier.receivedAt)}`);
  doc.numbered(5, [{ text: 'Thời gian trả kết quả giải quyết hồ sơ: ' }, { text: ctx.dateTime(dossier.dueAt), bold: true }]);
  doc.numbered(6, `Đăng ký nhận kết quả: ${dossier.resultDelivery ?? BLANK}`);
  if (input.registry) {
    doc.paragraph(`Vào Sổ theo dõi hồ sơ, Quyển số: ${input.registry.book}, Số thứ tự: ${input.registry.entry}`);
  }
  doc.paragraph(
    `Khi đến nhận kết quả, người nộp mang theo Giấy tiếp nhận này. Tra cứu hồ sơ: quét mã QR hoặc truy cập ${dossier.trackingUrl}`,
    { italic: true, size: 10.5, align: 'left' },
  );
  if (input.note) doc.paragraph(input.note, { italic: true, size: 11 });

  doc.signatures([
    { title: 'NGƯỜI NỘP HỒ SƠ', name: dossier.applicant.name },
    { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', name: input.receivedBy?.name },
  ], { signatureSpace: 1.8 * CM });
  return doc.render();
}
