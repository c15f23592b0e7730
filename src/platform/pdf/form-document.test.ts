import { describe, expect, it } from 'vitest';
import { FormDocument } from './form-document.ts';
import { decodeQr, pdfFonts, pdfPageCount, pdfText, renderPages, squash } from './testing.ts';

const fixed = new Date('2026-11-27T00:00:00Z');

function sample(name = 'Nguyễn Thị Hoàng Yến'): FormDocument {
  return new FormDocument({ title: 'Giấy thử', creationDate: fixed })
    .formNumber('Mẫu số 01', '(Ban hành kèm theo Thông tư số 03/2025/TT-VPCP)')
    .nationalHeader({
      governingBody: 'UBND thành phố Hà Nội',
      agency: 'Sở Tư pháp',
      left: ['Số: 12/TB-STP'],
      placeDate: 'Hà Nội, ngày 27 tháng 11 năm 2026',
    })
    .title('Giấy tiếp nhận hồ sơ và hẹn trả kết quả')
    .field('Tiếp nhận hồ sơ của', name, { boldValue: true })
    .numbered(3, 'Thời gian giải quyết hồ sơ theo quy định là: 5 ngày làm việc')
    .signatures([{ title: 'Người nộp hồ sơ', name }, { title: 'Người tiếp nhận hồ sơ' }]);
}

describe('FormDocument', () => {
  it('sets Vietnamese text that comes back out of the PDF as written, in capitals where asked', async () => {
    const text = squash(await pdfText(await sample().render()));
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('UBND THÀNH PHỐ HÀ NỘI');
    expect(text).toContain('SỞ TƯ PHÁP');
    expect(text).toContain('Mẫu số 01');
    expect(text).toContain('Hà Nội, ngày 27 tháng 11 năm 2026');
    expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(text).toContain('Tiếp nhận hồ sơ của: Nguyễn Thị Hoàng Yến');
    expect(text).toContain('3. Thời gian giải quyết hồ sơ theo quy định là: 5 ngày làm việc');
    expect(text).toContain('NGƯỜI NỘP HỒ SƠ');
    expect(text).toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
    expect(text).toContain('(Ký và ghi rõ họ tên)');
  });

  it('normalises decomposed input to NFC', async () => {
    const decomposed = 'Nguyễn Thị Hoàng Yến'.normalize('NFD');
    expect(decomposed).not.toBe('Nguyễn Thị Hoàng Yến');
    const text = await pdfText(await sample(decomposed).render());
    expect(text).toContain('Nguyễn Thị Hoàng Yến');
    expect(text).toBe(text.normalize('NFC'));
  });

  it('embeds DejaVu only, never a built-in font such as Helvetica', async () => {
    const fonts = await pdfFonts(await sample().render());
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f.name).toMatch(/^DejaVu/);
      expect(f.embedded).toBe(true);
    }
  });

  it('gives byte-identical output for a fixed creation date, and can render again', async () => {
    const doc = sample();
    const a = await doc.render();
    // Another document in between: the parsed fonts are shared, their use must not leak.
    await sample('Đặng Thùy Trâm – ỷ ỹ ự ữ').render();
    const b = await doc.render();
    expect(a.equals(b)).toBe(true);
    expect(a.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const later = await new FormDocument({ title: 'Giấy thử', creationDate: new Date('2027-01-01T00:00:00Z') }).title('X').render();
    const again = await new FormDocument({ title: 'Giấy thử', creationDate: fixed }).title('X').render();
    expect(later.equals(again)).toBe(false);
  });

  it('breaks a long table across pages, repeating the header, and numbers the pages', async () => {
    const rows = Array.from({ length: 70 }, (_, i) => [String(i + 1), `Giấy tờ thứ ${i + 1} của hồ sơ`, 'Bản chính']);
    const pdf = await new FormDocument({ title: 'Bảng dài', creationDate: fixed })
      .title('Danh mục giấy tờ')
      .table({
        columns: [{ width: 1, align: 'center' }, { width: 6 }, { width: 2 }],
        header: [['TT', 'Tên giấy tờ', 'Hình thức']],
        rows,
      })
      .render();
    const pages = await pdfPageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    const seen: string[] = [];
    for (let p = 1; p <= pages; p++) {
      const text = squash(await pdfText(pdf, { first: p, last: p }));
      expect(text).toContain('TT Tên giấy tờ Hình thức');
      expect(text).toContain(`Trang ${p}/${pages}`);
      seen.push(...[...text.matchAll(/Giấy tờ thứ (\d+) của hồ sơ/g)].map((m) => m[1] ?? ''));
    }
    expect(seen).toEqual(rows.map((r) => r[0]));
  });

  it('keeps rows tied by a row span on the same page', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => [
      [{ content: `Nhóm ${i + 1}`, rowSpan: 2 }, `Trên ${i + 1}`],
      [{ content: `Dưới ${i + 1}`, minHeight: 20 }],
    ]).flat();
    const pdf = await new FormDocument({ title: 'Nhóm', creationDate: fixed })
      .table({ columns: [{ width: 1 }, { width: 1 }], header: [['A', 'B']], rows })
      .render();
    const pages = await pdfPageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (let p = 1; p <= pages; p++) {
      const text = squash(await pdfText(pdf, { first: p, last: p }));
      const tops = [...text.matchAll(/Trên (\d+)/g)].map((m) => m[1]);
      const bottoms = [...text.matchAll(/Dưới (\d+)/g)].map((m) => m[1]);
      expect(bottoms).toEqual(tops);
    }
  });

  it('draws a QR code that a reader decodes from the rendered page', async () => {
    const url = 'https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma=000.01.01.H26-261127-0001';
    const pdf = await new FormDocument({ title: 'QR', creationDate: fixed })
      .title('Mã QR')
      .qrCode(url, { align: 'center', caption: 'Quét để tra cứu' })
      .barcode('000.01.01.H26-261127-0001', { align: 'center' })
      .render();
    const [page] = await renderPages(pdf, 150, { first: 1, last: 1 });
    expect(page).toBeDefined();
    expect(decodeQr(page as Buffer)).toBe(url);
    expect(squash(await pdfText(pdf))).toContain('000.01.01.H26-261127-0001');
  });

  it('wants a title', () => {
    expect(() => new FormDocument({ title: ' ' })).toThrow(RangeError);
  });
});
