import bwipjs from 'bwip-js';
import QRCode from 'qrcode';

/**
 * Machine-readable codes as PNG images, drawn at a whole number of pixels per module so
 * nothing is resampled when the image is made; the PDF then scales the image as a whole.
 */
export interface QrOptions {
  /** Error correction: 'M' (15 %) by default, enough for a printed slip; 'Q'/'H' survive stains. */
  errorCorrection?: 'L' | 'M' | 'Q' | 'H';
  /** Pixels per module (default 8). */
  scale?: number;
  /** Quiet zone in modules (default 2; the white of the page adds to it). */
  margin?: number;
}

export async function qrPng(content: string, opts: QrOptions = {}): Promise<Buffer> {
  if (!content) throw new RangeError('QR content is empty');
  return QRCode.toBuffer(content, {
    type: 'png',
    errorCorrectionLevel: opts.errorCorrection ?? 'M',
    scale: opts.scale ?? 8,
    margin: opts.margin ?? 2,
    color: { dark: '#000000ff', light: '#ffffffff' },
  });
}

/** Modules per side of the QR symbol that qrPng would draw (without the quiet zone). */
export function qrModules(content: string, errorCorrection: QrOptions['errorCorrection'] = 'M'): number {
  return QRCode.create(content, { errorCorrectionLevel: errorCorrection }).modules.size;
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
