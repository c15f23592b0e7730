import { context, field, nonEmpty, noticeDocument } from './common.ts';
import type { NoticeOptions, SupplementRequestInput } from './types.ts';

/**
 * Mẫu 02, Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: what is missing or must be corrected,
 * each with its reason, in one written request (the rule is to ask once, for papers on the
 * published list only), who to ask for help, and that the time limit starts again when the
 * complete dossier is received.
 */
export async function supplementRequest(input: SupplementRequestInput, options: NoticeOptions = {}): Promise<Buffer> {
  nonEmpty(input.items, 'items');
  const ctx = context('supplement', options);
  const { agency, dossier, officer } = input;
  const doc = noticeDocument(ctx, agency, dossier, options, { issuedAt: input.issuedAt });
  doc.title(ctx.form.title);

  doc.paragraph(`${capitalize(ctx.date(dossier.receivedAt))}, ${agency.name} tiếp nhận hồ sơ của:`);
  field(doc, 'Ông/Bà', dossier.applicant.name, true);
  if (dossier.applicant.address) field(doc, 'Địa chỉ', dossier.applicant.address);
  field(doc, 'Mã hồ sơ', dossier.code, true);
  field(doc, 'Nội dung yêu cầu giải quyết', dossier.procedureName, true);
  doc.paragraph(
    `Sau khi xem xét, đối chiếu hồ sơ với quy định của pháp luật, ${agency.name} đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:`,
  );
  doc.table({
    columns: [{ width: 0.8, align: 'center' }, { width: 5 }, { width: 5 }],
    header: [['TT', 'Nội dung cần bổ sung, hoàn thiện', 'Lý do']],
    rows: input.items.map((it, i) => [String(i + 1), it.name, it.reason]),
  });
  doc.paragraph(`Thời hạn giải quyết hồ sơ được tính lại từ ngày ${agency.name} nhận được hồ sơ đầy đủ, hợp lệ.`, {
    bold: true,
  });
  const reach = [officer.position ? `${officer.name} (${officer.position})` : officer.name];
  if (officer.phone) reach.push(`số điện thoại ${officer.phone}`);
  if (officer.email) reach.push(`thư điện tử ${officer.email}`);
  doc.paragraph(
    `Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ ${reach.join(', ')}` +
      (input.contact ? `; hoặc ${input.contact}` : '') +
      ' để được hướng dẫn./.',
  );
  doc.signatures([{ title: 'NGƯỜI HƯỚNG DẪN, TIẾP NHẬN HỒ SƠ', name: officer.name }]);
  return doc.render();
}

function capitalize(s: string): string {
  return s.charAt(0).toLocaleUpperCase('vi-VN') + s.slice(1);
}
