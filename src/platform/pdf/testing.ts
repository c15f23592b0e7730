import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import type { QrSymbol } from './codes.ts';

/**
 * Test helpers that read PDFs the way a person's tools do, with poppler-utils (Debian's
 * pdftotext, pdftoppm, pdffonts, pdfinfo; .ci/run installs the package). Used by the tests of
 * platform/pdf and of the notices; not for production code.
 */
const run = promisify(execFile);

// jsqr is a CommonJS bundle whose module.exports is the function itself, while its types
// declare an ES default export: under NodeNext the two disagree, so take whichever is there.
const jsqrLoaded: unknown = jsqr;
const jsQR = (
  typeof jsqrLoaded === 'function' ? jsqrLoaded : (jsqrLoaded as { default: unknown }).default
) as typeof jsqr.default;

async function withPdf<T>(pdf: Buffer, fn: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'egov-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    await writeFile(file, pdf);
    return await fn(file, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The text of a PDF (or of pages first..last), as pdftotext extracts it, UTF-8. By default in
 * the order it was drawn (`-raw`): the order a form fills its columns and table cells, which
 * pdftotext's reading-order guess scrambles in two-column headers and tables.
 */
export function pdfText(pdf: Buffer, pages: { first?: number; last?: number; readingOrder?: boolean } = {}): Promise<string> {
  return withPdf(pdf, async (file) => {
    const args = ['-enc', 'UTF-8'];
    if (!pages.readingOrder) args.push('-raw');
    if (pages.first) args.push('-f', String(pages.first));
    if (pages.last) args.push('-l', String(pages.last));
    const { stdout } = await run('pdftotext', [...args, file, '-'], { maxBuffer: 32 * 1024 * 1024 });
    return stdout;
  });
}

/** Whitespace (line breaks inside table cells, column gaps) collapsed to single spaces. */
export const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Number of pages, from pdfinfo. */
export function pdfPageCount(pdf: Buffer): Promise<number> {
  return withPdf(pdf, async (file) => {
    const { stdout } = await run('pdfinfo', [file]);
    const m = /^Pages:\s+(\d+)/m.exec(stdout);
    if (!m?.[1]) throw new Error('pdfinfo printed no page count');
    return Number(m[1]);
  });
}

/** The fonts a PDF uses, from pdffonts: name (subset prefix removed), type and whether embedded. */
export function pdfFonts(pdf: Buffer): Promise<{ name: string; type: string; embedded: boolean }[]> {
  return withPdf(pdf, async (file) => {
    const { stdout } = await run('pdffonts', [file]);
    const [, rule = '', ...rows] = stdout.split('\n');
    // Fixed-width columns: the dashes of the second line give their extents.
    const cols = [...rule.matchAll(/-+/g)].map((m) => [m.index, m.index + m[0].length] as const);
    const col = (line: string, i: number) => {
      const c = cols[i];
      return c ? line.slice(c[0], c[1]).trim() : '';
    };
    return rows
      .filter((l) => l.trim())
      .map((l) => ({
        name: col(l, 0).replace(/^[A-Z]{6}\+/, ''),
        type: col(l, 1),
        embedded: col(l, 3) === 'yes',
      }));
  });
}

/** Pages rendered to PNG with pdftoppm at `dpi`, in page order. */
export function renderPages(pdf: Buffer, dpi = 150, pages: { first?: number; last?: number } = {}): Promise<Buffer[]> {
  return withPdf(pdf, async (file, dir) => {
    const args = ['-r', String(dpi), '-png'];
    if (pages.first) args.push('-f', String(pages.first));
    if (pages.last) args.push('-l', String(pages.last));
    await run('pdftoppm', [...args, file, join(dir, 'page')]);
    const names = (await readdir(dir)).filter((n) => n.endsWith('.png')).sort();
    return Promise.all(names.map((n) => readFile(join(dir, n))));
  });
}

/** Decodes the (first) QR code found in a PNG, or null. */
export function decodeQr(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  const data = new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length);
  return jsQR(data, img.width, img.height)?.data ?? null;
}

/** A QR symbol drawn as a PNG, `scale` pixels a module, for `decodeQr`. */
export function qrSymbolPng(symbol: QrSymbol, scale = 4): Buffer {
  const side = symbol.side * scale;
  const png = new PNG({ width: side, height: side });
  png.data.fill(255);
  for (const run of symbol.runs) {
    for (let y = run.y * scale; y < (run.y + 1) * scale; y++) {
      const from = (y * side + run.x * scale) * 4;
      for (let i = from; i < from + run.length * scale * 4; i += 4) png.data.fill(0, i, i + 3);
    }
  }
  return PNG.sync.write(png);
}

/** Whether zbarimg (Debian package zbar-tools, a real barcode reader) is installed. */
export async function zbarAvailable(): Promise<boolean> {
  try {
    await run('zbarimg', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** Every symbol zbarimg finds in a PNG, as "CODE-128:…" / "QR-Code:…" lines; [] if none. */
export async function scanCodes(png: Buffer): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'egov-scan-'));
  try {
    const file = join(dir, 'page.png');
    await writeFile(file, png);
    const { stdout } = await run('zbarimg', ['-q', file]);
    return stdout.split('\n').filter(Boolean);
  } catch (err) {
    // zbarimg exits with 4 when it finds no symbol.
    if ((err as { code?: number }).code === 4) return [];
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
