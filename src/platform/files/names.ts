import { MEDIA_INFO, type MediaType } from './sniff.ts';

const MAX_BASE = 150;
const FALLBACK_BASE = 'tep-dinh-kem';

/**
 * Characters that never belong in a display name: C0/C1 controls, zero-width and bidi
 * controls (U+202E turns "hoso‮fdp.exe" into what reads as "hosoexe.pdf"), BOM, specials.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;
/** Reserved in Windows file names (and `"`/`\\` would need escaping in headers). */
const RESERVED = /[<>:"|?*\\/]/g;

/**
 * The user's file name made safe to show and to offer as a download name: NFC, no directory
 * part, no invisible or reserved characters, at most 150 characters before the extension.
 * Nothing about the type is taken from it.
 */
export function cleanFileName(raw: string): string {
  const lastPart = String(raw).normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = lastPart
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, ' ')
    .replace(INVISIBLE, '')
    .replace(RESERVED, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  return cleaned || FALLBACK_BASE;
}

/**
 * The display name stored for an attachment: `cleanFileName`, with an extension that matches
 * the type detected from the content. A name whose extension already fits keeps it
 * ("Ảnh CCCD.JPEG" → "Ảnh CCCD.jpeg"); any other gets the right one appended, so a PNG
 * uploaded as "scan.pdf" is offered as "scan.pdf.png" and opens in the right program.
 */
export function attachmentFileName(raw: string, mediaType: MediaType): string {
  const info = MEDIA_INFO[mediaType];
  let name = cleanFileName(raw);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  let finalExt = info.ext;
  if (info.aliases.includes(ext)) {
    finalExt = ext;
    name = name.slice(0, dot).replace(/[\s.]+$/, '');
  }
  let base = truncate(name, MAX_BASE) || FALLBACK_BASE;
  // Device names Windows will not save a file as.
  if (/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(base)) base = `_${base}`;
  return `${base}.${finalExt}`;
}

function truncate(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : points.slice(0, max).join('').trimEnd();
}

/**
 * A `Content-Disposition` value that keeps a Vietnamese name intact: an ASCII `filename` for
 * old clients (marks removed, đ → d) and the exact name as RFC 5987/6266 `filename*`.
 */
export function contentDisposition(fileName: string, type: 'attachment' | 'inline' = 'attachment'): string {
  const name = fileName.normalize('NFC').replace(INVISIBLE, '');
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
