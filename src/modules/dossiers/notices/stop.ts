import { BLANK, context, nonEmpty, noticeDocument, signerBlock } from './common.ts';
import type { NoticeOptions, StopNoticeInput } from './types.ts';

/**
 * Mẫu 05 of Circular 03/2025/TT-VPCP, Thông báo dừng giải quyết hồ sơ: handling stops, and
 * why. Circular 01/2018 had no such form: asking for it under '2018' throws
 * NoticeFormUnavailableError.
 */
export async function stopNotice(input: StopNoticeInput, options: NoticeOptions = {}): Promise<Buffer> {
  nonEmpty(input.reasons, 'reasons');
  const ctx = context('stop', options);
  const { agency, dossier } = input;
  const doc = noticeDocument(ctx, agency, dossier, options, {
    issuedAt: input.issuedAt,
    left: [`Số: ${input.referenceNumber ?? BLANK}`],
  });
  doc.title(ctx.form.title);
  doc.paragraph([{ text: 'Kính gửi: ' }, { text: `Ông/Bà ${dossier.applicant.name}`, bold: true }], { align: 'center' });
  doc.space(4);
  const indent = 28;
  if (input.legalBasis) doc.paragraph(`Căn cứ ${input.legalBasis};`, { indent, italic: true });
  doc.paragraph(
    `${agency.name} đã tiếp nhận hồ sơ của Ông/Bà vào lúc ${ctx.dateTime(dossier.receivedAt)}, ` +
      `đề nghị giải quyết thủ tục ${dossier.procedureName}, mã hồ sơ ${dossier.code}.`,
    { indent },
  );
  doc.paragraph(`${agency.name} thông báo dừng giải quyết hồ sơ nêu trên với lý do như sau:`, { indent });
  input.reasons.forEach((reason, i) => {
    doc.numbered(input.reasons.length > 1 ? i + 1 : '-', reason, { indent });
  });
  if (input.guidance) doc.paragraph(input.guidance, { indent });
  doc.paragraph(`Xin thông báo để Ông/Bà được biết./.`, { indent });
  doc.signatures([signerBlock(input.signer)], { recipients: input.recipients ?? ['Như trên;', 'Lưu: VT.'] });
  return doc.render();
}
