import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attachmentFileName, cleanFileName, contentDisposition } from './names.ts';
import { MEDIA_TYPES } from './sniff.ts';

describe('file names', () => {
  it('keeps a Vietnamese name, drops paths and invisible characters', () => {
    expect(cleanFileName('C:\\Users\\An\\Giấy khai sinh.pdf')).toBe('Giấy khai sinh.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    // Decomposed input (as macOS sends it) is stored composed.
    expect(cleanFileName('Giấy khai sinh.pdf'.normalize('NFD'))).toBe('Giấy khai sinh.pdf');
    // The right-to-left override would make "hoso\u202Efdp.exe" read as "hosoexe.pdf".
    expect(cleanFileName('hoso\u202Efdp.exe')).toBe('hosofdp.exe');
    expect(cleanFileName('a\u0000b\nc\td.pdf')).toBe('ab c d.pdf');
    expect(cleanFileName('  ..  ')).toBe('tep-dinh-kem');
    expect(cleanFileName('bao<cao>:"x"?.pdf')).toBe('bao_cao___x__.pdf');
  });

  it('gives the stored name the extension of the detected type', () => {
    expect(attachmentFileName('Ảnh CCCD.JPEG', MEDIA_TYPES.jpeg)).toBe('Ảnh CCCD.jpeg');
    expect(attachmentFileName('scan.pdf', MEDIA_TYPES.png)).toBe('scan.pdf.png');
    expect(attachmentFileName('to-khai', MEDIA_TYPES.pdf)).toBe('to-khai.pdf');
    expect(attachmentFileName('don.docx', MEDIA_TYPES.docx)).toBe('don.docx');
    expect(attachmentFileName('', MEDIA_TYPES.pdf)).toBe('tep-dinh-kem.pdf');
    expect(attachmentFileName('CON.pdf', MEDIA_TYPES.pdf)).toBe('_CON.pdf');
    const long = `${'Đơn đề nghị '.repeat(30)}.pdf`;
    const stored = attachmentFileName(long, MEDIA_TYPES.pdf);
    expect(Array.from(stored).length).toBeLessThanOrEqual(154);
    expect(stored.endsWith('.pdf')).toBe(true);
  });

  it('writes Content-Disposition with an ASCII fallback and the exact name per RFC 5987', () => {
    expect(contentDisposition('Giấy khai sinh (bản sao).pdf')).toBe(
      `attachment; filename="Giay khai sinh (ban sao).pdf"; filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh%20%28b%E1%BA%A3n%20sao%29.pdf`,
    );
    expect(contentDisposition('Đơn.pdf')).toContain('filename="Don.pdf"');
    expect(contentDisposition('100%.pdf')).toContain('filename="100_.pdf"; filename*=UTF-8\'\'100%25.pdf');
  });

  it('always yields a header-safe value that decodes back to the name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (raw) => {
        const name = attachmentFileName(raw, MEDIA_TYPES.pdf);
        const header = contentDisposition(name);
        expect(header).toMatch(/^[\x20-\x7e]+$/);
        const [, ascii = ''] = /filename="([^"]*)"/.exec(header) ?? [];
        expect(ascii).not.toMatch(/["\\]/);
        const encoded = header.split("filename*=UTF-8''")[1] ?? '';
        expect(decodeURIComponent(encoded)).toBe(name);
        expect(encoded).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
      }),
    );
  });
});
