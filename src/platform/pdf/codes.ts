import bwipjs from 'bwip-js';
import QRCode from 'qrcode';

/**
 * Machine-readable codes for documents. QR codes are drawn as vector shapes (`qrSymbol`): crisp
 * at any print size, and no image to encode and then decode again in every PDF (that was a
 * third of the time of rendering a signed result). Barcodes are PNG images drawn at a whole
 * number of pixels per bar, which the PDF scales as a whole.
 */
export interface QrOptions {
  /** Error correction: 'M' (15 %) by default, enough for a printed slip; 'Q'/'H' survive stains. */
  errorCorrection?: 'L' | 'M' | 'Q' | 'H';
  /** Quiet zone in modules (default 2; the white of the page adds to it). */
  margin?: number;
}

/** A QR symbol as its dark modules, row by row, ready to be drawn as rectangles. */
export interface QrSymbol {
  /** Modules per side, quiet zone included: the square the symbol fills. */
  side: number;
  /** Runs of dark modules along a row: `length` modules from column `x` of row `y`. */
  runs: { x: number; y: number; length: number }[];
}

export function qrSymbol(content: string, opts: QrOptions = {}): QrSymbol {
  if (!content) throw new RangeError('QR content is empty');
  const { modules } = QRCode.create(content, { errorCorrectionLevel: opts.errorCorrection ?? 'M' });
  const margin = opts.margin ?? 2;
  const runs: QrSymbol['runs'] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      runs.push({ x: start + margin, y: row + margin, length: col - start });
    }
  }
  return { side: modules.size + 2 * margin, runs };
}

export interface BarcodeOptions {
  /** Pixels per narrow bar (default 3). */
  scale?: number;
  /** Bar height in millimetres at scale 1 (bwip-js unit; default 10). */
  height?: number;
}

/**
 * Code 128 (ISO/IEC 15417), the symbology counter scanners read by default; it encodes the
 * whole ASCII set, so dossier codes such as "000.01.01.H26-261127-0001" need no mapping.
 * Only the bars are drawn: the document prints the human-readable code itself, in its font.
 */
export async function code128Png(content: string, opts: BarcodeOptions = {}): Promise<Buffer> {
  if (!content) throw new RangeError('Barcode content is empty');
  // Printable ASCII only: anything else would need FNC4 (ISO 8859-1) and few scanners agree on it.
  if (!/^[\x20-\x7e]+$/.test(content)) throw new RangeError('Code 128 content must be printable ASCII');
  return bwipjs.toBuffer({
    bcid: 'code128',
    text: content,
    scale: opts.scale ?? 3,
    height: opts.height ?? 10,
    includetext: false,
    paddingwidth: 10,
    paddingheight: 0,
    backgroundcolor: 'ffffff',
  });
}
