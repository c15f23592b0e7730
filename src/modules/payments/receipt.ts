import { FormDocument, formatAdminDateTime, formatPlaceDate } from '../../platform/pdf/index.ts';
import type { PaymentView } from './service.ts';
import { vndInWords } from './words.ts';

const vnd = new Intl.NumberFormat('vi-VN');

/**
 * The e-receipt (biên lai thu phí, lệ phí điện tử) of a fee paid online: numbered per agency
 * and year without gaps, in Vietnamese, with the fee lines, the amount in words, the payer, the
 * dossier code and the gateway's transaction.
 */
export async function renderReceipt(o: { payment: PaymentView; agencyName: string; timeZone: string; creationDate?: Date }): Promise<Buffer> {
  const p = o.payment;
  const paidAt = new Date(p.paidAt ?? p.createdAt);
  const year = p.receiptNumber?.split('/')[1] ?? String(paidAt.getUTCFullYear());
  const doc = new FormDocument({
    title: `Biên lai thu phí, lệ phí – ${p.receiptNumber ?? p.ref}`,
    fontSize: 12,
    info: { author: o.agencyName, subject: p.procedureName, keywords: `${p.dossierCode} ${p.ref}` },
    creationDate: o.creationDate,
  });
  doc.nationalHeader({ agency: o.agencyName, left: [`Ký hiệu: BLĐT/${year}`, `Số: ${p.receiptNumber ?? ''}`], placeDate: formatPlaceDate('Hà Nội', paidAt, o.timeZone) });
  doc.title('BIÊN LAI THU PHÍ, LỆ PHÍ', '(Biên lai điện tử – thanh toán trực tuyến)');
  doc.field('Người nộp', p.payerName, { boldLabel: false, boldValue: true });
  doc.field('Mã hồ sơ', p.dossierCode, { boldLabel: false, boldValue: true });
  doc.field('Thủ tục', p.procedureName, { boldLabel: false });
  doc.table({
    columns: [{ width: 0.8, align: 'center' }, { width: 6.4 }, { width: 2.8, align: 'right' }],
    header: [['STT', 'Nội dung thu', 'Số tiền (đồng)']],
    rows: [...p.lines.map((l, i) => [String(i + 1), l.name, vnd.format(l.amount)]), [{ content: 'Tổng cộng', colSpan: 2, bold: true, align: 'right' }, { content: vnd.format(p.amount), bold: true }]],
  });
  doc.field('Bằng chữ', vndInWords(p.amount), { boldLabel: false, italic: true });
  doc.field('Hình thức thanh toán', 'Trực tuyến qua cổng thanh toán VNPay', { boldLabel: false });
  doc.field('Mã giao dịch của Cổng dịch vụ công', p.ref, { boldLabel: false });
  if (p.transactionNo) doc.field('Mã giao dịch VNPay', `${p.transactionNo}${p.bankCode ? ` (ngân hàng ${p.bankCode})` : ''}`, { boldLabel: false });
  doc.field('Thời gian thanh toán', formatAdminDateTime(paidAt, o.timeZone), { boldLabel: false });
  doc.paragraph('Biên lai được lập tự động khi cổng thanh toán xác nhận giao dịch; có giá trị như biên lai giấy.', { italic: true, size: 10.5 });
  doc.signatures([{ title: 'ĐƠN VỊ THU', note: '(Biên lai điện tử)', name: o.agencyName }]);
  return doc.render();
}
