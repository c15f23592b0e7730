import { describe, expect, it } from 'vitest';
import { pdfFonts, pdfPageCount, pdfText, squash } from '../../platform/pdf/testing.ts';
import { renderReceipt } from './receipt.ts';
import type { PaymentView } from './service.ts';

const payment: PaymentView = {
  ref: 'EG261127D2AC465D84',
  dossierCode: '000.00.61.H26-261127-0001',
  agencyCode: '000.00.61.H26',
  procedureName: 'Thủ tục cấp Giấy xác nhận tình trạng hôn nhân',
  stage: 'submission',
  amount: 305_000,
  lines: [
    { name: 'Phí cung cấp thông tin lý lịch tư pháp', amount: 200_000 },
    { name: 'Lệ phí cấp bản sao', amount: 105_000 },
  ],
  status: 'paid',
  payerName: 'Nguyễn Văn An',
  createdAt: '2026-11-27T11:30:05.000Z',
  expiresAt: '2026-11-27T11:45:05.000Z',
  paidAt: '2026-11-27T11:31:40.000Z',
  transactionNo: '14422574',
  bankCode: 'NCB',
  responseCode: '00',
  receiptNumber: '0000012/2026',
  refundedAt: null,
  refundReason: null,
};

describe('the e-receipt', () => {
  it('is a one-page Vietnamese PDF with its number, the fee lines, the total in words, the payer, the dossier and the transaction', async () => {
    const pdf = await renderReceipt({ payment, agencyName: 'Ủy ban nhân dân phường Ba Đình', timeZone: 'Asia/Ho_Chi_Minh', creationDate: new Date('2026-11-27T12:00:00Z') });
    expect(await pdfPageCount(pdf)).toBe(1);
    const text = squash(await pdfText(pdf));
    for (const expected of [
      'BIÊN LAI THU PHÍ, LỆ PHÍ',
      'Số: 0000012/2026',
      'Ký hiệu: BLĐT/2026',
      'Nguyễn Văn An',
      '000.00.61.H26-261127-0001',
      'Phí cung cấp thông tin lý lịch tư pháp',
      '200.000',
      '305.000',
      'Ba trăm linh năm nghìn đồng',
      'EG261127D2AC465D84',
      '14422574',
      // 11:31 UTC is 18:31 in Hanoi.
      '18 giờ 31 phút, ngày 27 tháng 11 năm 2026',
    ]) {
      expect(text, expected).toContain(expected);
    }
    // Embedded fonts that carry Vietnamese, never the built-in Helvetica.
    expect((await pdfFonts(pdf)).every((f) => f.embedded)).toBe(true);
  });

  it('is the same bytes for the same payment (a receipt downloaded twice does not change)', async () => {
    const o = { payment, agencyName: 'Ủy ban nhân dân phường Ba Đình', timeZone: 'Asia/Ho_Chi_Minh', creationDate: new Date('2026-11-27T12:00:00Z') };
    expect((await renderReceipt(o)).equals(await renderReceipt(o))).toBe(true);
  });
});
