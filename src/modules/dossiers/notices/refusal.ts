import { applicantLines, context, field, nonEmpty, noticeDocument } from './common.ts';
import type { NoticeOptions, RefusalNoticeInput } from './types.ts';

/**
 * Mẫu 03, Phiếu từ chối tiếp nhận giải quyết hồ sơ: the dossier is not accepted, and why.
 */
export async function refusalNotice(input: RefusalNoticeInput, options: NoticeOptions = {}): Promise<Buffer> {
  nonEmpty(input.reasons, 'reasons');
  const ctx = context('refusal', options);
  const { agency, dossier } = input;
  const doc = noticeDocument(ctx, agency, dossier, options, { issuedAt: input.issuedAt });
  doc.title(ctx.form.title);

  applicantLines(doc, dossier, `${agency.name} tiếp nhận hồ sơ của`);
  field(doc, 'Mã hồ sơ', dossier.code, true);
  field(doc, 'Nội dung yêu cầu giải quyết', dossier.procedureName, true);
  doc.paragraph(
    `Qua xem xét, ${agency.name} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`,
  );
  input.reasons.forEach((reason, i) => {
    doc.numbered(i + 1, reason, { inset: 14 });
  });
  doc.paragraph('Xin thông báo cho Ông/Bà được biết và thực hiện./.');
  doc.signatures([{ title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', name: input.officer.name }]);
  return doc.render();
}
