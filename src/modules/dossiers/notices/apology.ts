import { BLANK, context, noticeDocument, signerBlock } from './common.ts';
import type { ApologyNoticeInput, NoticeOptions } from './types.ts';

/**
 * Mẫu 04. Under Circular 01/2018: "Phiếu xin lỗi và hẹn lại ngày trả kết quả" (the agency is
 * late, apologises and sets a new date). Under Circular 03/2025: "Văn bản xin lỗi và đề
 * nghị gia hạn thời gian giải quyết" (the agency apologises and asks for more time, up to
 * the new date). `options.ruleSet` picks the title and the wording.
 */
export async function apologyNotice(input: ApologyNoticeInput, options: NoticeOptions = {}): Promise<Buffer> {
  const ctx = context('apology', options);
  const { agency, dossier } = input;
  const letter = ctx.ruleSet === '2025';
  const doc = noticeDocument(ctx, agency, dossier, options, {
    issuedAt: input.issuedAt,
    left: letter || input.referenceNumber ? [`Số: ${input.referenceNumber ?? BLANK}`] : undefined,
    leftNote: letter ? 'V/v xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ' : undefined,
  });
  doc.title(ctx.form.title);
  doc.paragraph([{ text: 'Kính gửi: ' }, { text: `Ông/Bà ${dossier.applicant.name}`, bold: true }], { align: 'center' });
  doc.space(4);

  const received =
    `Ngày ${ctx.date(dossier.receivedAt).replace(/^ngày /, '')}, ${agency.name} tiếp nhận hồ sơ của Ông/Bà ` +
    `đề nghị giải quyết thủ tục ${dossier.procedureName}, mã hồ sơ ${dossier.code}.`;
  const indent = 28;
  doc.paragraph(received, { indent });
  if (letter) {
    doc.paragraph(`Thời hạn trả kết quả giải quyết hồ sơ theo quy định là ${ctx.dateTime(dossier.dueAt)}.`, { indent });
    doc.paragraph(`Tuy nhiên, ${agency.name} chưa thể trả kết quả đúng thời hạn. Lý do: ${input.reason}`, { indent });
    doc.paragraph(
      [
        { text: `${agency.name} trân trọng xin lỗi Ông/Bà và đề nghị Ông/Bà đồng ý gia hạn thời gian giải quyết hồ sơ đến ` },
        { text: ctx.dateTime(input.newDueAt), bold: true },
        { text: '.' },
      ],
      { indent },
    );
    doc.paragraph(`${agency.name} rất mong nhận được sự thông cảm của Ông/Bà./.`, { indent });
  } else {
    doc.paragraph(`Thời gian hẹn trả kết quả giải quyết hồ sơ: ${ctx.dateTime(dossier.dueAt)}.`, { indent });
    doc.paragraph(
      `Tuy nhiên, đến nay ${agency.name} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà. Lý do: ${input.reason}`,
      { indent },
    );
    doc.paragraph(
      [
        { text: `Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của Ông/Bà. ${agency.name} xin lỗi Ông/Bà và hẹn lại thời gian trả kết quả vào ` },
        { text: ctx.dateTime(input.newDueAt), bold: true },
        { text: '.' },
      ],
      { indent },
    );
    doc.paragraph('Mong nhận được sự thông cảm của Ông/Bà./.', { indent });
  }
  doc.signatures([signerBlock(input.signer)], { recipients: input.recipients ?? ['Như trên;', 'Lưu: VT.'] });
  return doc.render();
}
