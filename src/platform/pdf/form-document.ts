import PDFDocument from 'pdfkit';
import { code128Png, type QrSymbol, qrSymbol } from './codes.ts';
import { FONT_STYLES, type FontFamily, type FontStyle, loadFontFamily } from './fonts.ts';
import {
  type Align,
  cellWidth,
  columnWidths,
  type PlacedCell,
  placeCells,
  rowGroups,
  rowHeights,
  type TableSpec,
  type VAlign,
} from './table.ts';

/**
 * A small builder for Vietnamese administrative forms (A4, the layout of Decree 30/2020 on
 * document format): national header, form number, title, labelled fields, numbered items,
 * tables that break across pages, signature blocks, QR code and Code 128 barcode.
 *
 *   const pdf = await new FormDocument({ title: 'Giấy tiếp nhận' })
 *     .nationalHeader({ governingBody: 'UBND thành phố Hà Nội', agency: 'Sở Tư pháp' })
 *     .title('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ')
 *     .field('Tiếp nhận hồ sơ của', 'Nguyễn Thị Hoàng Yến')
 *     .render();
 *
 * The helpers only record what to draw; render() draws it all into a fresh pdfkit document,
 * so the same builder can be rendered again. Every string is normalised to NFC before it
 * reaches the font (a decomposed "ệ" would otherwise show a stray combining mark). Text is
 * never set in the built-in Helvetica, which cannot show Vietnamese.
 */

export const CM = 72 / 2.54;

export interface Margins {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Decree 30/2020: top and bottom 2 cm, left 3 cm (binding side), right 1.5 cm. */
export const ADMIN_MARGINS: Readonly<Margins> = { top: 2 * CM, bottom: 2 * CM, left: 3 * CM, right: 1.5 * CM };

export interface FormDocumentOptions {
  /** Document title (PDF metadata, shown by viewers in the title bar). */
  title: string;
  info?: { author?: string; subject?: string; keywords?: string; creator?: string };
  /** Fixed creation date: with it, the same input gives byte-identical PDFs (tests, caching). */
  creationDate?: Date;
  font?: FontFamily;
  /** Body size in pt (default 13). */
  fontSize?: number;
  /** Extra space between lines in pt (default 1; DejaVu's own line height is 1.16 em). */
  lineGap?: number;
  margins?: Partial<Margins>;
  /** Document language (default 'vi-VN'), for screen readers and text extraction. */
  lang?: string;
  /** Print "Trang i/n" at the foot of each page when there is more than one (default true). */
  pageNumbers?: boolean;
}

/** A piece of a paragraph with its own style. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
}

export type RichText = string | Run[];

export interface ParagraphOptions {
  /**
   * Default: justified for plain text; left for text mixing styles (pdfkit justifies each
   * styled piece on its own, which spreads words unevenly). A centred or right-aligned mix
   * is placed by hand when it fits on one line.
   */
  align?: Align;
  /** First-line indent in pt. */
  indent?: number;
  /** Left indent of the whole paragraph in pt. */
  inset?: number;
  bold?: boolean;
  italic?: boolean;
  size?: number;
  /** Space after, in pt (default 2). */
  gapAfter?: number;
}

export interface FieldOptions extends ParagraphOptions {
  boldValue?: boolean;
  boldLabel?: boolean;
}

export interface NationalHeaderSpec {
  /** Cơ quan chủ quản, e.g. "UBND thành phố Hà Nội" (set in capitals, regular weight). */
  governingBody?: string;
  /** The issuing agency (set in bold capitals, with a short rule under it). */
  agency: string;
  /** Lines under the agency block, e.g. "Số: 12/TB-STP". */
  left?: string[];
  /** Smaller line under those, e.g. "V/v xin lỗi và đề nghị gia hạn…". */
  leftNote?: string;
  /** Place-and-date line under the motto, e.g. "Hà Nội, ngày 27 tháng 11 năm 2026" (italic). */
  placeDate?: string;
}

export interface SignatureBlock {
  /** Lines above the title, e.g. "KT. GIÁM ĐỐC" (bold capitals). */
  caption?: string[];
  /** "NGƯỜI NỘP HỒ SƠ" (bold capitals). */
  title: string;
  /** Italic note under the title; default "(Ký và ghi rõ họ tên)", '' for none. */
  note?: string;
  /** Printed name under the space for the signature. */
  name?: string;
}

export interface SignatureOptions {
  /** "Nơi nhận:" list in the left half; the blocks then go in the right half. */
  recipients?: string[];
  /** Room for the handwritten signature in pt (default 2 cm). */
  signatureSpace?: number;
}

export interface CodesSpec {
  /** Code 128 barcode in the left column, with its text (or `label`) printed under it. */
  barcode?: { content: string; label?: string };
  /** QR code at the right edge, with an optional caption to its left. */
  qr?: { content: string; caption?: string; size?: number };
  /** Place-and-date line above the QR code (instead of in the national header). */
  placeDate?: string;
}

type Draw = (r: Renderer) => void;
interface Op {
  prepare?: () => Promise<void>;
  draw: Draw;
}

const NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
const NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc';

export const nfc = (s: string): string => s.normalize('NFC');

/** Upper case as Vietnamese writes it (đ → Đ; dotted i stays I). */
export const upper = (s: string): string => nfc(s).toLocaleUpperCase('vi-VN');

export class FormDocument {
  readonly #options: FormDocumentOptions;
  readonly #ops: Op[] = [];

  constructor(options: FormDocumentOptions) {
    if (!options.title.trim()) throw new RangeError('FormDocument needs a title');
    this.#options = options;
  }

  #add(draw: Draw, prepare?: () => Promise<void>): this {
    this.#ops.push({ draw, prepare });
    return this;
  }

  /** "Mẫu số 01" at the top right, with the legal reference in small italics under it. */
  formNumber(label: string, reference?: string): this {
    return this.#add((r) => r.formNumber(label, reference));
  }

  /** The two-column national header (agency left, national name and motto right). */
  nationalHeader(spec: NationalHeaderSpec): this {
    return this.#add((r) => r.nationalHeader(spec));
  }

  /** Centred bold title (set in capitals), with an optional subtitle line. */
  title(text: string, subtitle?: RichText): this {
    return this.#add((r) => r.title(text, subtitle));
  }

  paragraph(text: RichText, opts: ParagraphOptions = {}): this {
    return this.#add((r) => r.paragraph(text, opts));
  }

  /**
   * "Label: value", the label in bold by default; `boldValue` sets the value in bold instead
   * (then the label is regular unless `boldLabel` says otherwise).
   */
  field(label: string, value: RichText, opts: FieldOptions = {}): this {
    return this.#add((r) => r.paragraph(fieldRuns(label, value, opts), opts));
  }

  /** Several "Label: value" pairs on one line (wrapping if they must), e.g. phone and e-mail. */
  fields(pairs: [label: string, value: string][], opts: FieldOptions = {}): this {
    const runs: Run[] = [];
    pairs.forEach(([label, value], i) => {
      if (i > 0) runs.push({ text: '.   ' });
      runs.push(...fieldRuns(label, value, opts));
    });
    return this.#add((r) => r.paragraph(runs, opts));
  }

  /** A numbered item, "3. Thời gian giải quyết…": the marker in bold, then the text. */
  numbered(marker: string | number, text: RichText, opts: ParagraphOptions = {}): this {
    const runs: Run[] = [{ text: typeof marker === 'number' ? `${marker}. ` : `${marker} `, bold: true }, ...toRuns(text)];
    return this.#add((r) => r.paragraph(runs, opts));
  }

  table(spec: TableSpec): this {
    return this.#add((r) => r.table(spec));
  }

  /** Signature blocks side by side (one block alone goes to the right half, as is usual). */
  signatures(blocks: SignatureBlock[], opts: SignatureOptions = {}): this {
    return this.#add((r) => r.signatures(blocks, opts));
  }

  /** The place-and-date line on its own, italic, centred in the right half by default. */
  placeDate(text: string, align: 'right-half' | Align = 'right-half'): this {
    return this.#add((r) => r.placeDate(text, align));
  }

  /** A QR code in the flow of the text. */
  qrCode(content: string, opts: { size?: number; align?: 'left' | 'center' | 'right'; caption?: string } = {}): this {
    const symbol = qrSymbol(content);
    return this.#add((r) => r.qrCode(symbol, opts));
  }

  /** A Code 128 barcode in the flow of the text, its content printed under it unless `label` is ''. */
  barcode(content: string, opts: { width?: number; height?: number; align?: 'left' | 'center' | 'right'; label?: string } = {}): this {
    let png: Buffer | undefined;
    return this.#add(
      (r) => r.barcode(required(png), opts.label ?? content, opts),
      async () => {
        png = await code128Png(content);
      },
    );
  }

  /**
   * The band under the national header on slips and receipts: barcode on the left, QR code on
   * the right, with the place-and-date line above the QR code when `placeDate` is given.
   */
  codes(spec: CodesSpec): this {
    let bar: Buffer | undefined;
    const qr = spec.qr ? qrSymbol(spec.qr.content) : undefined;
    return this.#add(
      (r) => r.codes(spec, bar, qr),
      async () => {
        if (spec.barcode) bar = await code128Png(spec.barcode.content);
      },
    );
  }

  /** Vertical space in pt. */
  space(pt: number): this {
    return this.#add((r) => r.space(pt));
  }

  pageBreak(): this {
    return this.#add((r) => r.newPage());
  }

  /** Draws everything into a new PDF. */
  async render(): Promise<Buffer> {
    await Promise.all(this.#ops.map((op) => op.prepare?.()));
    const renderer = new Renderer(this.#options);
    for (const op of this.#ops) op.draw(renderer);
    return renderer.finish();
  }
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('FormDocument: image was not prepared');
  return value;
}

function toRuns(text: RichText): Run[] {
  return typeof text === 'string' ? [{ text }] : text;
}

function fieldRuns(label: string, value: RichText, o: FieldOptions): Run[] {
  const boldValue = o.boldValue ?? false;
  const runs = toRuns(value).map((r) => (boldValue ? { ...r, bold: true } : r));
  return [{ text: `${label}: `, bold: o.boldLabel ?? !boldValue }, ...runs];
}

function styleOf(bold?: boolean, italic?: boolean): FontStyle {
  if (bold && italic) return 'boldItalic';
  if (bold) return 'bold';
  return italic ? 'italic' : 'regular';
}

/** Draws onto one pdfkit document; keeps the layout rules (sizes, gaps, page breaks). */
class Renderer {
  readonly doc: PDFKit.PDFDocument;
  readonly size: number;
  readonly margins: Margins;
  readonly lineGap: number;
  readonly #pageNumbers: boolean;

  constructor(o: FormDocumentOptions) {
    this.size = o.fontSize ?? 13;
    this.lineGap = o.lineGap ?? 1;
    this.margins = { ...ADMIN_MARGINS, ...o.margins };
    this.#pageNumbers = o.pageNumbers ?? true;
    const info: PDFKit.DocumentInfo = {
      Title: nfc(o.title),
      Creator: nfc(o.info?.creator ?? 'egov'),
      Producer: 'egov (pdfkit)',
    };
    if (o.info?.author) info.Author = nfc(o.info.author);
    if (o.info?.subject) info.Subject = nfc(o.info.subject);
    if (o.info?.keywords) info.Keywords = nfc(o.info.keywords);
    if (o.creationDate) info.CreationDate = o.creationDate;
    this.doc = new PDFDocument({
      size: 'A4',
      margins: this.margins,
      // '' (not undefined) keeps pdfkit from loading its default Helvetica at all.
      font: '',
      info,
      lang: o.lang ?? 'vi-VN',
      displayTitle: true,
      pdfVersion: '1.7',
      bufferPages: true,
      autoFirstPage: true,
    });
    const fonts = loadFontFamily(o.font ?? 'serif');
    for (const style of FONT_STYLES) this.doc.registerFont(style, fonts[style]);
    this.doc.font('regular').fontSize(this.size).fillColor('black').strokeColor('black');
  }

  get left(): number {
    return this.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.margins.left - this.margins.right;
  }
  get bottom(): number {
    return this.doc.page.height - this.margins.bottom;
  }

  font(style: FontStyle, size = this.size): PDFKit.PDFDocument {
    return this.doc.font(style).fontSize(size);
  }

  lineHeight(size = this.size): number {
    this.font('regular', size);
    return this.doc.currentLineHeight(true) + this.lineGap;
  }

  newPage(): void {
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = this.margins.top;
  }

  /** Starts a new page unless `height` still fits under the cursor (a fresh page always "fits"). */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom && this.doc.y > this.margins.top + 1) this.newPage();
  }

  space(pt: number): void {
    this.doc.y += pt;
    if (this.doc.y > this.bottom) this.newPage();
  }

  textHeight(text: string, style: FontStyle, size: number, width: number): number {
    this.font(style, size);
    return this.doc.heightOfString(nfc(text), { width, lineGap: this.lineGap });
  }

  /** Draws centred lines in a column; returns the y under them. */
  centredLines(lines: { text: string; style: FontStyle; size: number }[], x: number, y: number, width: number): number {
    let cy = y;
    for (const line of lines) {
      const text = nfc(line.text);
      this.font(line.style, line.size);
      const h = this.doc.heightOfString(text, { width, lineGap: this.lineGap });
      this.doc.text(text, x, cy, { width, align: 'center', lineGap: this.lineGap, height: h + 1 });
      cy += h;
    }
    return cy;
  }

  /** Largest size ≤ max at which `text` fits on one line of `width`. */
  fitSize(text: string, style: FontStyle, max: number, width: number, min = 8): number {
    this.font(style, max);
    const w = this.doc.widthOfString(nfc(text));
    return w <= width ? max : Math.max(min, Math.floor((max * width * 10) / w) / 10);
  }

  rule(cx: number, y: number, width: number): void {
    this.doc
      .moveTo(cx - width / 2, y)
      .lineTo(cx + width / 2, y)
      .lineWidth(0.6)
      .stroke();
  }

  formNumber(label: string, reference?: string): void {
    const w = this.width;
    const x = this.left;
    let y = this.doc.y;
    this.font('bold', this.size);
    const text = nfc(label);
    this.doc.text(text, x, y, { width: w, align: 'right', lineGap: this.lineGap });
    y += this.doc.heightOfString(text, { width: w, lineGap: this.lineGap });
    if (reference) {
      const ref = nfc(reference);
      this.font('italic', this.size - 3);
      const h = this.doc.heightOfString(ref, { width: w, lineGap: 1 });
      this.doc.text(ref, x, y, { width: w, align: 'right', lineGap: 1 });
      y += h;
    }
    this.doc.x = this.left;
    this.doc.y = y + 3;
  }

  nationalHeader(spec: NationalHeaderSpec): void {
    const top = this.doc.y;
    const leftW = this.width * 0.42;
    const rightW = this.width - leftW;
    const lx = this.left;
    const rx = this.left + leftW;
    const headSize = this.size - 1;

    // Left: governing body (regular caps) over the agency (bold caps), short rule under.
    const leftLines: { text: string; style: FontStyle; size: number }[] = [];
    if (spec.governingBody) leftLines.push({ text: upper(spec.governingBody), style: 'regular', size: headSize });
    const agency = upper(spec.agency);
    leftLines.push({ text: agency, style: 'bold', size: headSize });
    let ly = this.centredLines(leftLines, lx, top, leftW);
    this.font('bold', headSize);
    const agencyW = Math.min(this.doc.widthOfString(agency), leftW);
    ly += 1;
    this.rule(lx + leftW / 2, ly, Math.max(40, agencyW * 0.4));
    ly += 4;

    // Right: national name and motto, the motto underlined by a rule as long as itself.
    const nameSize = this.fitSize(NATIONAL_NAME, 'bold', headSize, rightW);
    const mottoSize = this.fitSize(NATIONAL_MOTTO, 'bold', this.size, rightW);
    let ry = this.centredLines(
      [
        { text: NATIONAL_NAME, style: 'bold', size: nameSize },
        { text: NATIONAL_MOTTO, style: 'bold', size: mottoSize },
      ],
      rx,
      top,
      rightW,
    );
    this.font('bold', mottoSize);
    ry += 1;
    this.rule(rx + rightW / 2, ry, this.doc.widthOfString(NATIONAL_MOTTO));
    ry += 4;

    // Second band: number (and subject) left, place and date right, on the same line.
    let y = Math.max(ly, ry) + 4;
    const band = y;
    if (spec.left?.length) {
      y = this.centredLines(
        spec.left.map((text) => ({ text, style: 'regular' as const, size: this.size })),
        lx,
        y,
        leftW,
      );
    }
    if (spec.leftNote) y = this.centredLines([{ text: spec.leftNote, style: 'regular', size: this.size - 1 }], lx, y, leftW);
    let yr = band;
    if (spec.placeDate) yr = this.centredLines([{ text: spec.placeDate, style: 'italic', size: this.size }], rx, band, rightW);
    this.doc.x = this.left;
    this.doc.y = Math.max(y, yr) + 4;
  }

  title(text: string, subtitle?: RichText): void {
    const size = this.size + 1;
    const t = upper(text);
    const h = this.textHeight(t, 'bold', size, this.width);
    this.ensureSpace(h + 4 * this.lineHeight());
    this.doc.y += 6;
    this.font('bold', size);
    this.doc.text(t, this.left, this.doc.y, { width: this.width, align: 'center', lineGap: this.lineGap });
    if (subtitle) this.runs(toRuns(subtitle), { align: 'center' });
    this.doc.x = this.left;
    this.doc.y += 6;
  }

  /** Mixed-style text flowing from the cursor (pages break by themselves inside it). */
  runs(runs: Run[], o: ParagraphOptions): void {
    const inset = o.inset ?? 0;
    const width = this.width - inset;
    const size = o.size ?? this.size;
    const list = runs.filter((r) => r.text !== '');
    if (list.length === 0) return;
    this.ensureSpace(this.lineHeight(size));
    const x = this.left + inset;
    const y = this.doc.y;
    const style = (run: Run) => styleOf(run.bold ?? o.bold, run.italic ?? o.italic);
    let align: Align = o.align ?? (list.length > 1 ? 'left' : 'justify');
    if (list.length > 1 && (align === 'center' || align === 'right')) {
      const widths = list.map((run) => {
        this.font(style(run), size);
        return this.doc.widthOfString(nfc(run.text));
      });
      const total = sum(widths);
      if (total <= width) {
        let cx = x + (align === 'center' ? (width - total) / 2 : width - total);
        list.forEach((run, i) => {
          this.font(style(run), size);
          this.doc.text(nfc(run.text), cx, y, { lineBreak: false, underline: run.underline ?? false });
          cx += widths[i] ?? 0;
        });
        this.doc.x = this.left;
        this.doc.y = y + this.lineHeight(size);
        return;
      }
      align = 'left';
    }
    list.forEach((run, i) => {
      this.font(style(run), size);
      const options: PDFKit.Mixins.TextOptions = {
        width,
        align,
        lineGap: this.lineGap,
        indent: o.indent ?? 0,
        underline: run.underline ?? false,
        continued: i < list.length - 1,
      };
      if (i === 0) this.doc.text(nfc(run.text), x, y, options);
      else this.doc.text(nfc(run.text), options);
    });
    this.doc.x = this.left;
  }

  paragraph(text: RichText, o: ParagraphOptions): void {
    this.runs(toRuns(text), o);
    this.doc.y += o.gapAfter ?? 2;
  }

  placeDate(text: string, align: 'right-half' | Align): void {
    const h = this.textHeight(text, 'italic', this.size, this.width / 2);
    this.ensureSpace(h);
    this.font('italic');
    if (align === 'right-half') {
      const w = this.width * 0.58;
      this.doc.text(nfc(text), this.left + this.width - w, this.doc.y, { width: w, align: 'center', lineGap: this.lineGap });
    } else {
      this.doc.text(nfc(text), this.left, this.doc.y, { width: this.width, align, lineGap: this.lineGap });
    }
    this.doc.x = this.left;
    this.doc.y += 3;
  }

  // --- tables --------------------------------------------------------------------------

  table(spec: TableSpec): void {
    const size = spec.fontSize ?? this.size - 1;
    const pad = spec.padding ?? 4;
    const widths = columnWidths(spec.columns, this.width);
    const headerRows = spec.header ?? [];
    const header = placeCells(headerRows, spec.columns, { bold: true, align: 'center', valign: 'middle' });
    const body = placeCells(spec.rows, spec.columns, { bold: false, valign: 'top' });

    const contentHeight = (cell: PlacedCell) => {
      const w = cellWidth(cell, widths) - 2 * pad;
      let h = 0;
      for (const line of cell.lines) h += this.textHeight(line.text || ' ', styleOf(line.bold, line.italic), line.size ?? size, w);
      // The gap pdfkit counts under the last line is padding enough.
      return Math.max(0, h - this.lineGap);
    };
    const measure = (cell: PlacedCell) => contentHeight(cell) + 2 * pad;
    const headerHeights = rowHeights(header, headerRows.length, measure);
    const bodyHeights = rowHeights(body, spec.rows.length, measure);
    const groups = rowGroups(body, spec.rows.length);
    const headerH = sum(headerHeights);
    const repeat = spec.repeatHeader ?? true;

    const drawCells = (cells: PlacedCell[], heights: number[], from: number, to: number, y0: number) => {
      const rowY: number[] = [];
      let y = y0;
      for (let r = from; r < to; r++) {
        rowY[r] = y;
        y += heights[r] ?? 0;
      }
      for (const cell of cells) {
        if (cell.row < from || cell.row >= to) continue;
        const x = this.left + sum(widths.slice(0, cell.col));
        const w = cellWidth(cell, widths);
        const cy = rowY[cell.row] ?? y0;
        const h = sum(heights.slice(cell.row, Math.min(cell.row + cell.rowSpan, to)));
        this.doc.lineWidth(0.6).rect(x, cy, w, h).stroke();
        this.cellText(cell, x, cy, w, h, pad, size, contentHeight(cell));
      }
      return y;
    };

    const first = groups[0];
    const firstH = first ? sum(bodyHeights.slice(first.start, first.end)) : 0;
    this.ensureSpace(headerH + firstH);
    let y = drawCells(header, headerHeights, 0, headerRows.length, this.doc.y);
    let onPage = 0;
    for (const g of groups) {
      const heights = bodyHeights.slice();
      let gh = sum(heights.slice(g.start, g.end));
      if (y + gh > this.bottom && (onPage > 0 || headerRows.length === 0 || !repeat)) {
        this.newPage();
        y = this.doc.y;
        if (repeat && headerRows.length) y = drawCells(header, headerHeights, 0, headerRows.length, y);
        onPage = 0;
      }
      // A group taller than a whole page cannot be kept together: shrink it to fit and clip
      // its text (cells are sized for ordinary forms; this only guards against runaway input).
      const room = this.bottom - y;
      if (gh > room && room > 0) {
        const k = room / gh;
        for (let r = g.start; r < g.end; r++) heights[r] = (heights[r] ?? 0) * k;
        gh = room;
      }
      y = drawCells(body, heights, g.start, g.end, y);
      onPage++;
    }
    this.doc.x = this.left;
    this.doc.y = y + 6;
  }

  cellText(cell: PlacedCell, x: number, y: number, w: number, h: number, pad: number, size: number, contentH: number): void {
    const inner = w - 2 * pad;
    const free = Math.max(0, h - 2 * pad - contentH);
    const offset: Record<VAlign, number> = { top: 0, middle: free / 2, bottom: free };
    let ty = y + pad + offset[cell.valign];
    const limit = y + h - pad;
    for (const line of cell.lines) {
      if (line.text === '') {
        ty += this.textHeight(' ', 'regular', line.size ?? size, inner);
        continue;
      }
      const style = styleOf(line.bold, line.italic);
      const lh = this.textHeight(line.text, style, line.size ?? size, inner);
      const room = limit - ty;
      if (room < 1) break;
      this.font(style, line.size ?? size);
      this.doc.text(nfc(line.text), x + pad, ty, {
        width: inner,
        align: line.align ?? cell.align,
        lineGap: this.lineGap,
        // A height keeps pdfkit from starting a page of its own; text past it is cut.
        height: Math.min(lh, room) + 0.5,
        ellipsis: lh > room + 0.5,
      });
      ty += lh;
    }
  }

  // --- signatures ----------------------------------------------------------------------

  signatures(blocks: SignatureBlock[], o: SignatureOptions): void {
    const space = o.signatureSpace ?? 2 * CM;
    const half = this.width / 2;
    type Column = (x: number, y: number, w: number, dry: boolean) => number;
    const columns: { x: number; w: number; draw: Column }[] = [];
    const block =
      (b: SignatureBlock): Column =>
      (x, y, w, dry) =>
        this.signatureBlock(b, x, y, w, dry, space);
    if (o.recipients) {
      if (blocks.length > 1) throw new RangeError('With a recipients list, give one signature block');
      const items = o.recipients;
      columns.push({ x: this.left, w: half, draw: (x, y, w, dry) => this.recipients(items, x, y, w, dry) });
      const b = blocks[0];
      if (b) columns.push({ x: this.left + half, w: half, draw: block(b) });
    } else if (blocks.length === 1) {
      // Alone, the signer sits under the motto column, as wide as it.
      const b = blocks[0];
      const w = this.width * 0.58;
      if (b) columns.push({ x: this.left + this.width - w, w, draw: block(b) });
    } else {
      const w = this.width / Math.max(1, blocks.length);
      blocks.forEach((b, i) => {
        columns.push({ x: this.left + i * w, w, draw: block(b) });
      });
    }
    const height = Math.max(0, ...columns.map((c) => c.draw(c.x, 0, c.w, true)));
    this.doc.y += 6;
    this.ensureSpace(height);
    const y = this.doc.y;
    let end = y;
    for (const c of columns) end = Math.max(end, c.draw(c.x, y, c.w, false));
    this.doc.x = this.left;
    this.doc.y = end + 6;
  }

  /** One signature block centred in its column; returns the y under it (draws nothing if dry). */
  signatureBlock(b: SignatureBlock, x: number, y: number, w: number, dry: boolean, space: number): number {
    const lines: { text: string; style: FontStyle; size: number }[] = [];
    for (const c of b.caption ?? []) lines.push({ text: upper(c), style: 'bold', size: this.size });
    lines.push({ text: upper(b.title), style: 'bold', size: this.size });
    const note = b.note ?? '(Ký và ghi rõ họ tên)';
    if (note) lines.push({ text: note, style: 'italic', size: this.size - 1 });
    let h = 0;
    for (const l of lines) h += this.textHeight(l.text, l.style, l.size, w);
    const nameH = b.name ? this.textHeight(b.name, 'bold', this.size, w) : 0;
    if (!dry) {
      this.centredLines(lines, x, y, w);
      if (b.name) this.centredLines([{ text: b.name, style: 'bold', size: this.size }], x, y + h + space, w);
    }
    return y + h + space + nameH;
  }

  recipients(items: string[], x: number, y: number, w: number, dry: boolean): number {
    const size = this.size - 2;
    let h = this.textHeight('Nơi nhận:', 'boldItalic', size + 1, w);
    for (const it of items) h += this.textHeight(`- ${it}`, 'regular', size, w);
    if (dry) return y + h;
    this.font('boldItalic', size + 1);
    let cy = y;
    this.doc.text('Nơi nhận:', x, cy, { width: w, lineGap: this.lineGap });
    cy += this.textHeight('Nơi nhận:', 'boldItalic', size + 1, w);
    for (const it of items) {
      const t = nfc(`- ${it}`);
      this.font('regular', size);
      this.doc.text(t, x, cy, { width: w, lineGap: this.lineGap });
      cy += this.textHeight(t, 'regular', size, w);
    }
    return y + h;
  }

  // --- codes ---------------------------------------------------------------------------

  qrCode(symbol: QrSymbol, o: { size?: number; align?: 'left' | 'center' | 'right'; caption?: string }): void {
    const size = o.size ?? 2.8 * CM;
    const captionH = o.caption ? this.textHeight(o.caption, 'italic', this.size - 2, this.width) : 0;
    this.ensureSpace(size + captionH);
    const x = alignX(o.align ?? 'left', this.left, this.width, size);
    const y = this.doc.y;
    this.drawQr(symbol, x, y, size);
    let end = y + size;
    if (o.caption) {
      this.font('italic', this.size - 2);
      this.doc.text(nfc(o.caption), this.left, end, { width: this.width, align: o.align ?? 'left', lineGap: this.lineGap });
      end += captionH;
    }
    this.doc.x = this.left;
    this.doc.y = end + 4;
  }

  barcode(png: Buffer, label: string, o: { width?: number; height?: number; align?: 'left' | 'center' | 'right' }): void {
    const w = o.width ?? 6 * CM;
    const h = o.height ?? 1 * CM;
    // The label may be wider than the bars: it gets the whole line, aligned like them.
    const labelH = label ? this.textHeight(label, 'bold', this.size - 1, this.width) : 0;
    this.ensureSpace(h + labelH);
    const align = o.align ?? 'left';
    const x = alignX(align, this.left, this.width, w);
    const y = this.doc.y;
    this.doc.image(png, x, y, { width: w, height: h });
    if (label) {
      this.font('bold', this.size - 1);
      this.doc.text(nfc(label), this.left, y + h + 1, { width: this.width, align, lineGap: this.lineGap });
    }
    this.doc.x = this.left;
    this.doc.y = y + h + labelH + 4;
  }

  /**
   * A QR symbol as one filled path of its dark runs. Each row reaches a hair into the next, so
   * no light seam shows between rows where a rasterizer anti-aliases their shared edge.
   */
  private drawQr(symbol: QrSymbol, x: number, y: number, size: number): void {
    const m = size / symbol.side;
    this.doc.save();
    for (const run of symbol.runs) this.doc.rect(x + run.x * m, y + run.y * m, run.length * m, m * 1.02);
    this.doc.fill('#000000');
    this.doc.restore();
  }

  codes(spec: CodesSpec, bar: Buffer | undefined, qr: QrSymbol | undefined): void {
    // The same two columns as the national header: barcode under the agency, QR code (and the
    // place-and-date line, when given) under the motto.
    const leftW = this.width * 0.42;
    const rightW = this.width - leftW;
    const rx = this.left + leftW;
    const qrSize = spec.qr?.size ?? 2.2 * CM;
    const barW = Math.min(leftW - 8, 6.5 * CM);
    const barH = 1.1 * CM;
    const label = spec.barcode ? (spec.barcode.label ?? spec.barcode.content) : '';
    const labelSize = label ? this.fitSize(label, 'bold', this.size - 1, leftW) : 0;
    const labelH = label ? this.textHeight(label, 'bold', labelSize, leftW) : 0;
    const pdH = spec.placeDate ? this.textHeight(spec.placeDate, 'italic', this.size, rightW) + 2 : 0;
    const capW = Math.min(rightW - qrSize - 8, 4.5 * CM);
    const capSize = this.size - 3;
    const capH = spec.qr?.caption ? this.textHeight(spec.qr.caption, 'italic', capSize, capW) : 0;
    const leftH = bar ? barH + 3 + labelH : 0;
    const rightH = pdH + (qr ? Math.max(qrSize, capH) : 0);
    const height = Math.max(leftH, rightH);
    this.ensureSpace(height);
    const y = this.doc.y;
    if (bar) {
      const barY = y + Math.max(0, (height - leftH) / 2);
      this.doc.image(bar, this.left + (leftW - barW) / 2, barY, { width: barW, height: barH });
      this.font('bold', labelSize);
      this.doc.text(nfc(label), this.left, barY + barH + 3, { width: leftW, align: 'center', lineGap: this.lineGap });
    }
    if (spec.placeDate) this.centredLines([{ text: spec.placeDate, style: 'italic', size: this.size }], rx, y, rightW);
    if (qr) {
      const qy = y + pdH;
      this.drawQr(qr, this.left + this.width - qrSize, qy, qrSize);
      if (spec.qr?.caption) {
        this.font('italic', capSize);
        this.doc.text(nfc(spec.qr.caption), this.left + this.width - qrSize - 8 - capW, qy + Math.max(0, (qrSize - capH) / 2), {
          width: capW,
          align: 'right',
          lineGap: this.lineGap,
        });
      }
    }
    this.doc.x = this.left;
    this.doc.y = y + height + 4;
  }

  // --- output --------------------------------------------------------------------------

  finish(): Promise<Buffer> {
    const doc = this.doc;
    const { start, count } = doc.bufferedPageRange();
    if (this.#pageNumbers && count > 1) {
      for (let i = 0; i < count; i++) {
        doc.switchToPage(start + i);
        // Writing in the bottom margin: lift the margin for the moment or pdfkit adds a page.
        const saved = doc.page.margins.bottom;
        doc.page.margins.bottom = 0;
        this.font('regular', this.size - 3);
        doc.text(`Trang ${i + 1}/${count}`, this.left, doc.page.height - saved / 2, {
          width: this.width,
          align: 'center',
          lineBreak: false,
        });
        doc.page.margins.bottom = saved;
      }
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
      doc.end();
    });
  }
}

function alignX(align: 'left' | 'center' | 'right', left: number, width: number, w: number): number {
  if (align === 'center') return left + (width - w) / 2;
  if (align === 'right') return left + width - w;
  return left;
}

function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
