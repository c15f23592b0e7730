import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeQr, pdfFonts, pdfPageCount, pdfText, renderPages, scanCodes, squash, zbarAvailable } from '../../../platform/pdf/testing.ts';
import { agency, dossier } from './fixtures.ts';
import {
  apologyNotice,
  controlSheet,
  type NoticeOptions,
  type NoticeRuleSet,
  NoticeFormUnavailableError,
  receiptNotice,
  refusalNotice,
  stopNotice,
  supplementRequest,
} from './index.ts';

/** Page images for people to look at: test-results/notices/<name>-<page>.png (gitignored). */
const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../../../test-results/notices');
const creationDate = new Date('2026-11-27T00:00:00Z');
const zbar = await zbarAvailable();
const issuedAt = new Date('2026-11-27T02:00:00Z'); // 09:00 in Hà Nội
const newDueAt = new Date('2026-12-09T09:00:00Z'); // 16:00 in Hà Nội
const officer = { name: 'Trần Văn Đức', position: 'Công chức Bộ phận Một cửa', phone: '024 3825 3536', email: 'duc.tv@hoankiem.hanoi.gov.vn' };
const reason = 'Cần xác minh thông tin với cơ quan đăng ký hộ tịch nơi cư trú trước đây.';
const steps = [
  { agencyName: 'Bộ phận Một cửa phường Hoàn Kiếm', handedAt: new Date('2026-11-27T02:00:00Z'), fromName: 'Trần Văn Đức', toName: 'Lê Thị Mai', outcome: 'early' as const },
  { agencyName: 'Công chức Tư pháp - Hộ tịch', handedAt: new Date('2026-12-01T03:15:00Z'), fromName: 'Lê Thị Mai', toName: 'Phạm Thu Hà', outcome: 'on-time' as const, note: 'Đã xác minh' },
  { agencyName: 'Lãnh đạo Ủy ban nhân dân phường', handedAt: new Date('2026-12-03T07:45:00Z'), fromName: 'Phạm Thu Hà', toName: 'Trần Văn Đức', outcome: 'late' as const },
  { agencyName: 'Bộ phận Một cửa phường Hoàn Kiếm', handedAt: new Date('2026-12-04T08:00:00Z'), fromName: 'Trần Văn Đức', toName: 'Nguyễn Thị Hoàng Yến', outcome: null },
];

interface Case {
  name: string;
  ruleSet: NoticeRuleSet;
  render: (o: NoticeOptions) => Promise<Buffer>;
  form: string;
  title: string;
  /** Further text the notice must show. */
  shows: string[];
}

const cases: Case[] = [
  {
    name: 'receipt-2025',
    ruleSet: '2025',
    render: (o) => receiptNotice({ agency, dossier: dossier(), receivedBy: officer }, o),
    form: '01',
    title: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
    shows: [
      'Mã hồ sơ: 000.01.01.H26-261127-0001',
      'Ủy ban nhân dân phường Hoàn Kiếm tiếp nhận hồ sơ của: Nguyễn Thị Hoàng Yến',
      'Địa chỉ: Số 12 phố Hàng Bạc, phường Hoàn Kiếm, thành phố Hà Nội',
      'Số điện thoại: 0912 345 678. Thư điện tử: yen.nth@example.vn',
      'Số định danh cá nhân/CCCD/Hộ chiếu: 001190012345',
      'Nội dung yêu cầu giải quyết: Đăng ký khai sinh',
      'Chủ hồ sơ: Lê Minh Khôi',
      'Hình thức thu phí, lệ phí: Miễn lệ phí',
      '1. Thành phần hồ sơ nộp gồm: TT Tên giấy tờ Hình thức Số lượng',
      '1 Tờ khai đăng ký khai sinh theo mẫu Bản chính 1',
      '3 Giấy chứng nhận kết hôn của cha, mẹ Bản sao có chứng thực 1',
      '4 Căn cước của người đi đăng ký Bản sao 1',
      '5 Văn bản ủy quyền (nếu có) Bản điện tử 1',
      '2. Số lượng hồ sơ: 01 bộ',
      '3. Thời gian giải quyết hồ sơ theo quy định là: 5 ngày làm việc',
      '4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 27 tháng 11 năm 2026',
      '5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 04 tháng 12 năm 2026',
      '6. Đăng ký nhận kết quả: Tại Bộ phận Một cửa',
      'https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma=000.01.01.H26-261127-0001',
      'NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên) Nguyễn Thị Hoàng Yến NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) Trần Văn Đức',
    ],
  },
  {
    name: 'receipt-2018',
    ruleSet: '2018',
    render: (o) => receiptNotice({ agency, dossier: dossier(), receivedBy: officer, registry: { book: '03', entry: '127' } }, o),
    form: '01',
    title: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
    shows: ['Vào Sổ theo dõi hồ sơ, Quyển số: 03, Số thứ tự: 127', 'Đăng ký khai sinh'],
  },
  {
    name: 'supplement',
    ruleSet: '2025',
    render: (o) =>
      supplementRequest(
        {
          agency,
          dossier: dossier(),
          officer,
          issuedAt,
          contact: 'Bộ phận Một cửa, số 126 phố Hàng Trống',
          items: [
            { name: 'Giấy chứng sinh', reason: 'Bản chụp không rõ chữ, cần bản chính' },
            { name: 'Tờ khai đăng ký khai sinh', reason: 'Thiếu chữ ký của người đi đăng ký' },
          ],
        },
        o,
      ),
    form: '02',
    title: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
    shows: [
      'Ngày 27 tháng 11 năm 2026, Ủy ban nhân dân phường Hoàn Kiếm tiếp nhận hồ sơ của:',
      'Ông/Bà: Nguyễn Thị Hoàng Yến',
      'Mã hồ sơ: 000.01.01.H26-261127-0001',
      'Nội dung yêu cầu giải quyết: Đăng ký khai sinh',
      'TT Nội dung cần bổ sung, hoàn thiện Lý do',
      '1 Giấy chứng sinh Bản chụp không rõ chữ, cần bản chính',
      '2 Tờ khai đăng ký khai sinh Thiếu chữ ký của người đi đăng ký',
      'Thời hạn giải quyết hồ sơ được tính lại từ ngày Ủy ban nhân dân phường Hoàn Kiếm nhận được hồ sơ đầy đủ, hợp lệ.',
      'Trần Văn Đức (Công chức Bộ phận Một cửa), số điện thoại 024 3825 3536, thư điện tử duc.tv@hoankiem.hanoi.gov.vn',
      'Bộ phận Một cửa, số 126 phố Hàng Trống',
      'NGƯỜI HƯỚNG DẪN, TIẾP NHẬN HỒ SƠ',
      'Hà Nội, ngày 27 tháng 11 năm 2026',
    ],
  },
  {
    name: 'refusal',
    ruleSet: '2025',
    render: (o) =>
      refusalNotice(
        { agency, dossier: dossier(), officer, issuedAt, reasons: ['Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường.', 'Hồ sơ đã được giải quyết trước đó.'] },
        o,
      ),
    form: '03',
    title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
    shows: [
      'Ủy ban nhân dân phường Hoàn Kiếm tiếp nhận hồ sơ của: Nguyễn Thị Hoàng Yến',
      'thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:',
      '1. Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường.',
      '2. Hồ sơ đã được giải quyết trước đó.',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
    ],
  },
  {
    name: 'apology-2018',
    ruleSet: '2018',
    render: (o) =>
      apologyNotice(
        { agency, dossier: dossier(), issuedAt, reason, newDueAt, signer: { caption: ['KT. CHỦ TỊCH'], title: 'PHÓ CHỦ TỊCH', name: 'Phạm Thu Hà' } },
        o,
      ),
    form: '04',
    title: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
    shows: [
      'Kính gửi: Ông/Bà Nguyễn Thị Hoàng Yến',
      'Thời gian hẹn trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 04 tháng 12 năm 2026.',
      `Lý do: ${reason}`,
      'xin lỗi Ông/Bà và hẹn lại thời gian trả kết quả vào 16 giờ 00 phút, ngày 09 tháng 12 năm 2026.',
      'KT. CHỦ TỊCH PHÓ CHỦ TỊCH',
      'Phạm Thu Hà',
      'Nơi nhận:',
    ],
  },
  {
    name: 'apology-2025',
    ruleSet: '2025',
    render: (o) => apologyNotice({ agency, dossier: dossier(), issuedAt, reason, newDueAt, referenceNumber: '125/UBND-TNTKQ' }, o),
    form: '04',
    title: 'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
    shows: [
      'Số: 125/UBND-TNTKQ',
      'Kính gửi: Ông/Bà Nguyễn Thị Hoàng Yến',
      'Thời hạn trả kết quả giải quyết hồ sơ theo quy định là 16 giờ 00 phút, ngày 04 tháng 12 năm 2026.',
      `Lý do: ${reason}`,
      'đề nghị Ông/Bà đồng ý gia hạn thời gian giải quyết hồ sơ đến 16 giờ 00 phút, ngày 09 tháng 12 năm 2026.',
      'THỦ TRƯỞNG CƠ QUAN',
    ],
  },
  {
    name: 'stop',
    ruleSet: '2025',
    render: (o) =>
      stopNotice(
        {
          agency,
          dossier: dossier(),
          issuedAt,
          reasons: ['Người nộp hồ sơ đề nghị dừng giải quyết bằng văn bản.'],
          legalBasis: 'Nghị định số 118/2025/NĐ-CP',
          guidance: 'Ông/Bà có thể nộp lại hồ sơ khi có nhu cầu.',
        },
        o,
      ),
    form: '05',
    title: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
    shows: [
      'Căn cứ Nghị định số 118/2025/NĐ-CP;',
      'đã tiếp nhận hồ sơ của Ông/Bà vào lúc 08 giờ 30 phút, ngày 27 tháng 11 năm 2026',
      'thông báo dừng giải quyết hồ sơ nêu trên với lý do như sau:',
      '- Người nộp hồ sơ đề nghị dừng giải quyết bằng văn bản.',
      'Ông/Bà có thể nộp lại hồ sơ khi có nhu cầu.',
    ],
  },
  {
    name: 'control-sheet-2025',
    ruleSet: '2025',
    render: (o) => controlSheet({ agency, dossier: dossier(), steps }, o),
    form: '06',
    title: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
    shows: [
      'Kèm theo hồ sơ của: Nguyễn Thị Hoàng Yến',
      'Ngày nhận hồ sơ: 08 giờ 30 phút, ngày 27 tháng 11 năm 2026',
      'Ngày hẹn trả kết quả: 16 giờ 00 phút, ngày 04 tháng 12 năm 2026',
      'TÊN CƠ QUAN THỜI GIAN GIAO, NHẬN HỒ SƠ KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/',
      'Quá hạn) GHI CHÚ Người giao Người nhận',
      'Bộ phận Một cửa phường Hoàn Kiếm 09 giờ 00 phút, ngày 27 tháng 11 năm 2026 Trước hạn Trần Văn Đức Lê Thị Mai',
      'Công chức Tư pháp - Hộ tịch 10 giờ 15 phút, ngày 01 tháng 12 năm 2026 Đúng hạn Đã xác minh Lê Thị Mai Phạm Thu Hà',
      '14 giờ 45 phút, ngày 03 tháng 12 năm 2026 Quá hạn',
      '15 giờ 00 phút, ngày 04 tháng 12 năm 2026',
    ],
  },
  {
    name: 'control-sheet-2018',
    ruleSet: '2018',
    render: (o) => controlSheet({ agency, dossier: dossier(), steps: steps.slice(0, 1) }, o),
    form: '05',
    title: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
    shows: ['Trước hạn'],
  },
];

const circular: Record<NoticeRuleSet, string> = {
  '2018': 'Thông tư số 01/2018/TT-VPCP ngày 23/11/2018',
  '2025': 'Thông tư số 03/2025/TT-VPCP ngày 15/9/2025',
};

async function savePages(name: string, pngs: Buffer[]): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const stale = (await readdir(OUT)).filter((f) => f.startsWith(`${name}-`) && /^\d+\.png$/.test(f.slice(name.length + 1)));
  await Promise.all(stale.map((f) => rm(join(OUT, f))));
  await Promise.all(pngs.map((png, i) => writeFile(join(OUT, `${name}-${i + 1}.png`), png)));
}

describe('one-stop-shop notices', () => {
  describe.each(cases)('$name', (c) => {
    it(`prints Mẫu số ${c.form}, its title and the dossier, in Vietnamese that extracts as written`, async () => {
      const pdf = await c.render({ ruleSet: c.ruleSet, creationDate });
      const text = squash(await pdfText(pdf));
      expect(text).toContain(`Mẫu số ${c.form}`);
      expect(text).toContain(circular[c.ruleSet]);
      expect(text).toContain(c.title);
      expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc');
      expect(text).toContain('UBND THÀNH PHỐ HÀ NỘI ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM');
      expect(text).toContain('Nguyễn Thị Hoàng Yến');
      expect(text).toContain('Đăng ký khai sinh');
      expect(text).toContain('000.01.01.H26-261127-0001');
      for (const s of c.shows) expect(text).toContain(s);
      for (const f of await pdfFonts(pdf)) expect(f.name).toMatch(/^DejaVu/);
      await savePages(c.name, await renderPages(pdf, 100));
    });
  });

  it('fits the receipt with a usual list of papers on one page, and its QR code reads back the tracking URL', async () => {
    const d = dossier();
    for (const ruleSet of ['2018', '2025'] as const) {
      const pdf = await receiptNotice({ agency, dossier: d, receivedBy: officer, registry: { book: '03', entry: '127' } }, { ruleSet, creationDate });
      expect(await pdfPageCount(pdf)).toBe(1);
      const [page] = await renderPages(pdf, 150, { first: 1, last: 1 });
      expect(decodeQr(page as Buffer)).toBe(d.trackingUrl);
    }
  });

  // zbarimg is an independent reader for the Code 128 bars (jsQR reads QR only). CI installs
  // zbar-tools; a machine without it reports this test as skipped.
  it.skipIf(!zbar)('prints codes a scanner reads at 300 dpi: the dossier code as Code 128 and the QR', async () => {
    const d = dossier();
    const receipt = await receiptNotice({ agency, dossier: d }, { creationDate });
    const sheet = await controlSheet({ agency, dossier: d, steps }, { creationDate });
    const [receiptPage] = await renderPages(receipt, 300, { first: 1, last: 1 });
    const [sheetPage] = await renderPages(sheet, 300, { first: 1, last: 1 });
    expect((await scanCodes(receiptPage as Buffer)).sort()).toEqual([`CODE-128:${d.code}`, `QR-Code:${d.trackingUrl}`]);
    expect(await scanCodes(sheetPage as Buffer)).toEqual([`CODE-128:${d.code}`]);
  });

  it('writes the times in the time zone it is given', async () => {
    const pdf = await receiptNotice({ agency, dossier: dossier() }, { timeZone: 'UTC', creationDate });
    const text = squash(await pdfText(pdf));
    expect(text).toContain('4. Thời gian nhận hồ sơ: 01 giờ 30 phút, ngày 27 tháng 11 năm 2026');
    expect(text).toContain('5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 04 tháng 12 năm 2026');
  });

  it('continues a long list of papers on the next pages under a repeated table header', async () => {
    const documents = Array.from({ length: 45 }, (_, i) => ({
      name: `Giấy tờ kèm theo số ${i + 1} về việc đăng ký khai sinh`,
      kind: 'copy' as const,
      count: 2,
    }));
    const pdf = await receiptNotice({ agency, dossier: dossier({ documents }), receivedBy: officer }, { creationDate });
    const pages = await pdfPageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    const numbers: string[] = [];
    for (let p = 1; p <= pages; p++) {
      const text = squash(await pdfText(pdf, { first: p, last: p }));
      const rows = [...text.matchAll(/Giấy tờ kèm theo số (\d+) về việc đăng ký khai sinh Bản sao 2/g)].map((m) => m[1] ?? '');
      if (rows.length) expect(text).toContain('TT Tên giấy tờ Hình thức Số lượng');
      numbers.push(...rows);
      expect(text).toContain(`Trang ${p}/${pages}`);
    }
    expect(numbers).toEqual(documents.map((_, i) => String(i + 1)));
    const last = squash(await pdfText(pdf, { first: pages, last: pages }));
    expect(last).toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
    await savePages('receipt-long', await renderPages(pdf, 100));
  });

  it('gives byte-identical PDFs for the same input and creation date', async () => {
    const input = { agency, dossier: dossier(), receivedBy: officer };
    const [a, b] = await Promise.all([receiptNotice(input, { creationDate }), receiptNotice(input, { creationDate })]);
    expect(a.equals(b)).toBe(true);
  });

  it('has no stop notice under Circular 01/2018', async () => {
    await expect(stopNotice({ agency, dossier: dossier(), issuedAt, reasons: ['x'] }, { ruleSet: '2018' })).rejects.toBeInstanceOf(
      NoticeFormUnavailableError,
    );
  });

  it('defaults to the 2025 forms and refuses an unknown rule set', async () => {
    const text = squash(await pdfText(await apologyNotice({ agency, dossier: dossier(), issuedAt, reason, newDueAt })));
    expect(text).toContain('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT');
    expect(text).toContain('Số: ……');
    await expect(
      apologyNotice({ agency, dossier: dossier(), issuedAt, reason, newDueAt }, { ruleSet: '2030' as NoticeRuleSet }),
    ).rejects.toThrow(RangeError);
  });

  it('refuses a supplement request, a refusal or a stop notice with nothing in it', async () => {
    const base = { agency, dossier: dossier(), issuedAt, officer };
    await expect(supplementRequest({ ...base, items: [] })).rejects.toThrow(/items/);
    await expect(refusalNotice({ ...base, reasons: [] })).rejects.toThrow(/reasons/);
    await expect(stopNotice({ ...base, reasons: [] })).rejects.toThrow(/reasons/);
  });

  it('writes a same-day procedure as "trong ngày" and half days with a decimal comma', async () => {
    const sameDay = squash(await pdfText(await receiptNotice({ agency, dossier: dossier({ processingDays: 0 }) })));
    expect(sameDay).toContain('3. Thời gian giải quyết hồ sơ theo quy định là: trong ngày');
    const half = squash(await pdfText(await receiptNotice({ agency, dossier: dossier({ processingDays: 0.5 }) })));
    expect(half).toContain('là: 0,5 ngày làm việc');
  });
});
