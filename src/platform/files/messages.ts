import { defineMessages } from '../i18n/index.ts';
import type { Kind } from './sniff.ts';

/** What a detected kind is called, to tell a citizen what the file really is. */
const kindLabels: Record<Kind, { vi: string; en: string }> = {
  pdf: { vi: 'tài liệu PDF', en: 'a PDF document' },
  jpeg: { vi: 'ảnh JPEG', en: 'a JPEG image' },
  png: { vi: 'ảnh PNG', en: 'a PNG image' },
  docx: { vi: 'tài liệu Word (DOCX)', en: 'a Word document (DOCX)' },
  docm: { vi: 'tài liệu Word có chứa macro (DOCM)', en: 'a Word document with macros (DOCM)' },
  xlsx: { vi: 'bảng tính Excel (XLSX)', en: 'an Excel spreadsheet (XLSX)' },
  pptx: { vi: 'bản trình chiếu PowerPoint (PPTX)', en: 'a PowerPoint presentation (PPTX)' },
  zip: { vi: 'tệp nén ZIP', en: 'a ZIP archive' },
  ole: { vi: 'tài liệu Word/Excel định dạng cũ (DOC/XLS)', en: 'an old-format Word/Excel document (DOC/XLS)' },
  gif: { vi: 'ảnh GIF', en: 'a GIF image' },
  webp: { vi: 'ảnh WebP', en: 'a WebP image' },
  heic: { vi: 'ảnh HEIC (định dạng ảnh của iPhone)', en: 'a HEIC image (the iPhone photo format)' },
  avif: { vi: 'ảnh AVIF', en: 'an AVIF image' },
  mp4: { vi: 'tệp video', en: 'a video file' },
  tiff: { vi: 'ảnh TIFF', en: 'a TIFF image' },
  bmp: { vi: 'ảnh BMP', en: 'a BMP image' },
  html: { vi: 'trang web (HTML)', en: 'a web page (HTML)' },
  svg: { vi: 'ảnh SVG', en: 'an SVG image' },
  xml: { vi: 'tệp dữ liệu XML', en: 'an XML data file' },
  text: { vi: 'văn bản thuần (TXT)', en: 'plain text' },
  exe: { vi: 'chương trình Windows (EXE)', en: 'a Windows program (EXE)' },
  elf: { vi: 'chương trình máy tính', en: 'a computer program' },
  script: { vi: 'tệp lệnh (script)', en: 'a script' },
  rar: { vi: 'tệp nén RAR', en: 'a RAR archive' },
  '7z': { vi: 'tệp nén 7z', en: 'a 7z archive' },
  gzip: { vi: 'tệp nén GZIP', en: 'a GZIP archive' },
  empty: { vi: 'tệp rỗng', en: 'an empty file' },
  unknown: { vi: 'một định dạng không nhận dạng được', en: 'in a format that could not be recognised' },
};

/** One message per detected kind, so the kind is named in the reader's language. */
export const typeNotAllowedKey = (kind: Kind) => `files.typeNotAllowed.${kind}`;

const typeNotAllowed = Object.fromEntries(
  Object.entries(kindLabels).map(([kind, label]) => [
    typeNotAllowedKey(kind as Kind),
    {
      vi: `Tệp «{fileName}» ở mục «{slot}» là ${label.vi}, không thuộc loại được chấp nhận ở đây ({allowed}). Vui lòng chọn đúng tệp, hoặc chuyển sang một trong các định dạng này rồi tải lên lại.`,
      en: `The file “{fileName}” for “{slot}” is ${label.en}, which is not accepted here (accepted: {allowed}). Please choose the right file, or convert it to one of these formats and upload it again.`,
    },
  ]),
);

export const filesMessages = defineMessages({
  ...typeNotAllowed,
  'files.empty': {
    vi: 'Tệp «{fileName}» ở mục «{slot}» không có nội dung (0 byte). Vui lòng chọn lại tệp.',
    en: 'The file “{fileName}” for “{slot}” is empty (0 bytes). Please choose the file again.',
  },
  'files.damaged': {
    vi: 'Tệp {type} «{fileName}» ở mục «{slot}» bị hỏng hoặc chưa được tải lên hết. Vui lòng mở thử tệp trên máy của bạn rồi tải lên lại.',
    en: 'The {type} file “{fileName}” for “{slot}” is damaged or was not uploaded completely. Please check that it opens on your device and upload it again.',
  },
  'files.tooLarge': {
    vi: 'Tệp «{fileName}» ở mục «{slot}» vượt quá dung lượng tối đa {limit} cho mỗi tệp. Vui lòng giảm dung lượng (ví dụ quét ở độ phân giải thấp hơn) rồi tải lên lại.',
    en: 'The file “{fileName}” for “{slot}” is larger than the {limit} allowed per file. Please make it smaller (for example, scan at a lower resolution) and upload it again.',
  },
  'files.ownerQuota': {
    vi: 'Không thể thêm tệp «{fileName}» ở mục «{slot}»: tổng dung lượng các tệp của hồ sơ sẽ vượt quá {limit} (đã dùng {used}). Vui lòng giảm dung lượng các tệp.',
    en: 'The file “{fileName}” for “{slot}” cannot be added: the files of this application would exceed {limit} in total ({used} already used). Please make the files smaller.',
  },
  'files.notFound': { vi: 'Không tìm thấy tệp đính kèm.', en: 'The attachment was not found.' },
});

/** A byte count the way limits are written: "20 MB", "512 KB", "1000 B". */
export function formatBytes(bytes: number): string {
  const MB = 1024 * 1024;
  if (bytes >= MB && bytes % MB === 0) return `${bytes / MB} MB`;
  if (bytes >= MB) return `${(Math.round((bytes / MB) * 10) / 10).toString()} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} B`;
}
