/**
 * Content-type detection from the bytes themselves. The client's file name and declared
 * Content-Type are never consulted: what is stored and served is what the content is.
 *
 * Accepted families and what makes a file one of them:
 * - PDF: starts with `%PDF-` at offset 0 (no leading junk: that is how HTML/PDF polyglots are
 *   built) and has `%%EOF` in its last 1024 bytes (what PDF readers require; a file without
 *   it is truncated or damaged).
 * - JPEG: starts with FF D8 FF.
 * - PNG: the 8-byte PNG signature followed by an IHDR chunk, and an IEND chunk in the last
 *   1024 bytes (otherwise truncated).
 * - DOCX: a ZIP that starts with a local file header at offset 0, whose central directory
 *   (read from the end, the authoritative list of entries) is well formed and lists both
 *   `[Content_Types].xml` and `word/document.xml`, and no `word/vbaProject.bin` (that is a
 *   macro-enabled DOCM). A plain ZIP, an XLSX or a PPTX is not a DOCX.
 *
 * Everything else is given a kind only so the citizen can be told what the file really is
 * ("a web page (HTML)", "a HEIC image (the iPhone photo format)") and never passes.
 *
 * Detection works incrementally (`Sniffer`), so an upload can be refused after its first
 * bytes and a ZIP's directory checked at its end without holding the file in memory.
 */

export const MEDIA_TYPES = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;

/** A type an attachment may have. */
export type MediaType = (typeof MEDIA_TYPES)[keyof typeof MEDIA_TYPES];
export type AllowedKind = keyof typeof MEDIA_TYPES;

/** PDF, JPEG and PNG: what every procedure accepts unless it says otherwise. */
export const DEFAULT_ALLOWED: readonly MediaType[] = [MEDIA_TYPES.pdf, MEDIA_TYPES.jpeg, MEDIA_TYPES.png];

export const ALL_MEDIA_TYPES: readonly MediaType[] = Object.values(MEDIA_TYPES);

/** What a file can be detected as. Only the four allowed kinds carry a media type. */
export const KINDS = [
  'pdf',
  'jpeg',
  'png',
  'docx',
  'docm',
  'xlsx',
  'pptx',
  'zip',
  'ole',
  'gif',
  'webp',
  'heic',
  'avif',
  'mp4',
  'tiff',
  'bmp',
  'html',
  'svg',
  'xml',
  'text',
  'exe',
  'elf',
  'script',
  'rar',
  '7z',
  'gzip',
  'empty',
  'unknown',
] as const;
export type Kind = (typeof KINDS)[number];

export interface Detection {
  kind: Kind;
  /** Set only for PDF, JPEG, PNG and DOCX. */
  mediaType: MediaType | null;
  /**
   * The content starts like an accepted family but is truncated or malformed (a PDF without
   * `%%EOF`, a PNG without IEND, a ZIP whose directory cannot be read).
   */
  damaged: boolean;
}

/** Canonical file extension and short name of each accepted type. */
export const MEDIA_INFO: Record<MediaType, { kind: AllowedKind; ext: string; aliases: readonly string[]; label: string }> = {
  [MEDIA_TYPES.pdf]: { kind: 'pdf', ext: 'pdf', aliases: ['pdf'], label: 'PDF' },
  [MEDIA_TYPES.jpeg]: { kind: 'jpeg', ext: 'jpg', aliases: ['jpg', 'jpeg', 'jpe', 'jfif'], label: 'JPEG' },
  [MEDIA_TYPES.png]: { kind: 'png', ext: 'png', aliases: ['png'], label: 'PNG' },
  [MEDIA_TYPES.docx]: { kind: 'docx', ext: 'docx', aliases: ['docx'], label: 'DOCX' },
};

export function isMediaType(value: string): value is MediaType {
  return Object.hasOwn(MEDIA_INFO, value);
}

/** Bytes kept from the start: enough for every magic number and to tell HTML from text. */
export const HEAD_BYTES = 512;
/** Bytes kept from the end: a ZIP's directory must fit in it (a DOCX's is a few KB). */
export const TAIL_BYTES = 1024 * 1024;
/** Readers require `%%EOF` (PDF) within the last 1024 bytes; we look for IEND (PNG) there too. */
const TRAILER_WINDOW = 1024;

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ZIP_LOCAL = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_EMPTY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** The family the first bytes claim; `null` while too few bytes have been seen to say. */
type Family = 'pdf' | 'jpeg' | 'png' | 'zip' | 'other';

function startsWith(buf: Buffer, magic: Buffer | number[], at = 0): boolean {
  if (buf.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (buf[at + i] !== magic[i]) return false;
  return true;
}

function familyOf(head: Buffer, complete: boolean): Family | null {
  if (startsWith(head, PDF_MAGIC)) return 'pdf';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, PNG_MAGIC)) {
    if (head.length < 16) return complete ? 'other' : null;
    return head.toString('latin1', 12, 16) === 'IHDR' ? 'png' : 'other';
  }
  if (startsWith(head, ZIP_LOCAL)) return 'zip';
  // A prefix of one of our magic numbers might still become one: wait for more bytes.
  if (!complete && head.length < 16) {
    for (const magic of [PDF_MAGIC, PNG_MAGIC, ZIP_LOCAL, Buffer.from([0xff, 0xd8, 0xff])]) {
      if (startsWith(magic, head.subarray(0, Math.min(head.length, magic.length)))) return null;
    }
  }
  return 'other';
}

/** The kind of content that is none of the accepted families, for the message only. */
function otherKind(head: Buffer): Kind {
  if (head.length === 0) return 'empty';
  const ascii = head.toString('latin1', 0, 16);
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47])) return 'png'; // a PNG signature without IHDR: damaged
  if (startsWith(head, ZIP_EMPTY) || startsWith(head, [0x50, 0x4b, 0x07, 0x08])) return 'zip';
  if (ascii.startsWith('GIF87a') || ascii.startsWith('GIF89a')) return 'gif';
  if (ascii.startsWith('RIFF') && head.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (head.toString('latin1', 4, 8) === 'ftyp') {
    const brand = head.toString('latin1', 8, 12);
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'heic';
    if (brand === 'avif' || brand === 'avis') return 'avif';
    return 'mp4';
  }
  if (ascii.startsWith('II*\0') || ascii.startsWith('MM\0*')) return 'tiff';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (ascii.startsWith('MZ')) return 'exe';
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return 'elf';
  if (ascii.startsWith('Rar!\x1a\x07')) return 'rar';
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (ascii.startsWith('BM') && head.length >= 14) return 'bmp';
  return textKind(head);
}

function textKind(head: Buffer): Kind {
  // Markup is recognised in any ASCII-compatible encoding (UTF-8, Windows-1258, TCVN3…).
  const start = head
    .toString('latin1')
    .replace(/^\xef\xbb\xbf/, '')
    .trimStart()
    .toLowerCase();
  if (start.startsWith('#!')) return 'script';
  if (/^<(!doctype\s+html|html|head|body|script|iframe|meta|title|div|a\s|!--)/.test(start)) return 'html';
  if (/<svg[\s>]/.test(start)) return 'svg';
  if (/<(html|script|iframe|body)[\s>]/.test(start)) return 'html';
  if (start.startsWith('<?xml')) return 'xml';
  try {
    // A multi-byte character cut at the end of the head is not an error.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(trimPartialUtf8(head));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: binary content is what this looks for
    return /[\u0000-\u0008\u000e-\u001f\u007f]/.test(text) ? 'unknown' : 'text';
  } catch {
    return 'unknown';
  }
}

function trimPartialUtf8(buf: Buffer): Buffer {
  // Drop up to 3 trailing bytes of an incomplete UTF-8 sequence.
  let end = buf.length;
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back] as number;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (need > back) end = buf.length - back;
    break;
  }
  return buf.subarray(0, end);
}

/**
 * Incremental detection: `push` the bytes as they arrive, ask `early()` whether the content
 * can already be refused, and `finish()` at the end for the full verdict. Memory is bounded
 * (HEAD_BYTES, plus a 1 KB window for PDF and PNG or TAIL_BYTES for a ZIP) whatever the
 * file's size or how it is chunked.
 */
export class Sniffer {
  private head = Buffer.alloc(0);
  /** Created once the family is known (after at most 16 bytes), sized for what it must check. */
  private tail: Ring | null = null;
  private total = 0;

  get bytes(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.total += chunk.length;
    const before = this.head;
    if (this.head.length < HEAD_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    }
    if (this.tail) {
      this.tail.write(chunk);
      return;
    }
    const family = familyOf(this.head, false);
    if (family === null) return; // fewer than 16 bytes so far, all of them in `head`
    this.tail = new Ring(family === 'zip' ? TAIL_BYTES : TRAILER_WINDOW);
    this.tail.write(before);
    this.tail.write(chunk);
  }

  /**
   * `rejected` if the head alone already shows the content is not PDF, JPEG, PNG or a ZIP
   * (so an upload can stop there), the family claimed so far otherwise, `null` if undecided.
   */
  early(): { family: Exclude<Family, 'other'> } | { rejected: Detection } | null {
    const family = familyOf(this.head, false);
    if (family === null) return null;
    if (family !== 'other') return { family };
    // Wait for a full head before naming the kind of a non-accepted file (HTML or text?).
    if (this.head.length < HEAD_BYTES) return null;
    return { rejected: otherDetection(this.head) };
  }

  finish(): Detection {
    const family = familyOf(this.head, true);
    const tail = this.tail ? this.tail.contents() : this.head;
    switch (family) {
      case 'pdf':
        return verdict('pdf', !hasInWindow(tail, '%%EOF'));
      case 'jpeg':
        return verdict('jpeg', this.total < 4);
      case 'png':
        return verdict('png', !hasInWindow(tail, 'IEND'));
      case 'zip':
        return zipVerdict(tail, this.total);
      default:
        return otherDetection(this.head);
    }
  }
}

function otherDetection(head: Buffer): Detection {
  const kind = otherKind(head);
  // A PNG signature not followed by IHDR is a damaged PNG, not an accepted one.
  return { kind, mediaType: null, damaged: kind === 'png' };
}

/** The last `capacity` bytes written. */
class Ring {
  private readonly buf: Buffer;
  private pos = 0;
  private filled = 0;
  constructor(private readonly capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  write(chunk: Buffer): void {
    let data = chunk;
    if (data.length >= this.capacity) {
      data = data.subarray(data.length - this.capacity);
      this.pos = 0;
    }
    let from = 0;
    while (from < data.length) {
      const n = Math.min(this.capacity - this.pos, data.length - from);
      data.copy(this.buf, this.pos, from, from + n);
      this.pos = (this.pos + n) % this.capacity;
      from += n;
    }
    this.filled = Math.min(this.capacity, this.filled + data.length);
  }

  contents(): Buffer {
    if (this.filled < this.capacity) return this.buf.subarray(0, this.filled);
    return Buffer.concat([this.buf.subarray(this.pos), this.buf.subarray(0, this.pos)]);
  }
}

/** Detects the type of a complete file held in memory. */
export function sniff(data: Buffer): Detection {
  const s = new Sniffer();
  s.push(data);
  return s.finish();
}

function verdict(kind: AllowedKind, damaged: boolean): Detection {
  return { kind, mediaType: MEDIA_TYPES[kind], damaged };
}

function hasInWindow(tail: Buffer, marker: string): boolean {
  return tail.subarray(Math.max(0, tail.length - TRAILER_WINDOW)).includes(marker, 0, 'latin1');
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

/**
 * Classifies a ZIP by its central directory. `tail` is the last TAIL_BYTES (or all) of a file
 * of `total` bytes. Anything inconsistent makes a damaged ZIP, never a DOCX.
 */
function zipVerdict(tail: Buffer, total: number): Detection {
  const names = centralDirectoryNames(tail, total);
  if (!names) return { kind: 'zip', mediaType: null, damaged: true };
  const lower = new Set(names.map((n) => n.toLowerCase()));
  const has = (name: string) => lower.has(name);
  const hasPrefix = (prefix: string) => names.some((n) => n.toLowerCase().startsWith(prefix));
  if (has('[content_types].xml')) {
    if (has('word/document.xml')) return has('word/vbaproject.bin') ? other('docm') : verdict('docx', false);
    if (hasPrefix('xl/')) return other('xlsx');
    if (hasPrefix('ppt/')) return other('pptx');
  }
  return other('zip');
}

function other(kind: Kind): Detection {
  return { kind, mediaType: null, damaged: false };
}

/** The entry names of a single-disk ZIP (ZIP64 too), or null if its structure does not hold. */
function centralDirectoryNames(tail: Buffer, total: number): string[] | null {
  const tailStart = total - tail.length;
  let eocd = -1;
  const lowest = Math.max(0, tail.length - EOCD_SIZE - MAX_COMMENT);
  for (let i = tail.length - EOCD_SIZE; i >= lowest; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG && i + EOCD_SIZE + tail.readUInt16LE(i + 20) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const disk = tail.readUInt16LE(eocd + 4);
  const cdDisk = tail.readUInt16LE(eocd + 6);
  let entries = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  let cdEnd = tailStart + eocd; // the directory must end where the end record starts
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR_SIG) return null;
    const recordAbs = Number(tail.readBigUInt64LE(locator + 8));
    const record = recordAbs - tailStart;
    if (record < 0 || record + 56 > locator || tail.readUInt32LE(record) !== ZIP64_EOCD_SIG) return null;
    entries = Number(tail.readBigUInt64LE(record + 32));
    cdSize = Number(tail.readBigUInt64LE(record + 40));
    cdOffset = Number(tail.readBigUInt64LE(record + 48));
    cdEnd = recordAbs;
  } else if (disk !== 0 || cdDisk !== 0) {
    return null; // split archives are not documents
  }
  if (cdOffset + cdSize !== cdEnd) return null;
  const start = cdOffset - tailStart;
  if (start < 0) return null; // directory larger than the window: not a document we accept
  const names: string[] = [];
  let p = start;
  const end = start + cdSize;
  while (p < end) {
    if (p + 46 > end || tail.readUInt32LE(p) !== CENTRAL_SIG) return null;
    const nameLength = tail.readUInt16LE(p + 28);
    const next = p + 46 + nameLength + tail.readUInt16LE(p + 30) + tail.readUInt16LE(p + 32);
    if (next > end) return null;
    names.push(tail.toString('utf8', p + 46, p + 46 + nameLength));
    p = next;
  }
  if (names.length !== entries || names.length === 0) return null;
  return names;
}
