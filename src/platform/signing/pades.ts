import type { KeyObject } from 'node:crypto';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf, Signer } from '@signpdf/signpdf';
import { type DetachedCheck, signDetached, verifyDetached } from './cms.ts';

/** What signs: the certificate, the CAs above it, and the private key. */
export interface SigningIdentity {
  certDer: Buffer;
  chainDer: Buffer[];
  key: KeyObject;
}

/** Hands @signpdf our PAdES CMS instead of its own pkcs7 (see cms.ts for why). */
class CadesSigner extends Signer {
  constructor(private readonly identity: SigningIdentity) {
    super();
  }
  override async sign(content: Buffer): Promise<Buffer> {
    return signDetached(content, this.identity);
  }
}

/**
 * Signs a PDF (as pdfkit writes it: a classic cross-reference table) with an invisible PAdES
 * signature. `signer` names the agency in the signature dictionary.
 */
export async function signPdf(pdf: Buffer, identity: SigningIdentity, info: { signer: string; reason: string; location: string; signingTime: Date }): Promise<Buffer> {
  const prepared = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: info.reason,
    contactInfo: '',
    name: info.signer,
    location: info.location,
    signingTime: info.signingTime,
    subFilter: 'ETSI.CAdES.detached',
    signatureLength: 16_384,
  });
  return new SignPdf().sign(prepared, new CadesSigner(identity));
}

export interface PdfSignatureCheck extends DetachedCheck {
  /** The signature covers the whole file (nothing appended after signing). */
  coversWholeFile: boolean;
}

/**
 * Checks the last signature of a PDF: its byte range and the CMS in /Contents. Returns null
 * when the file carries no signature we can read.
 */
export function checkPdfSignature(pdf: Buffer): PdfSignatureCheck | null {
  const text = pdf.toString('latin1');
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = ranges[ranges.length - 1];
  if (!last) return null;
  const [a, b, c, d] = last.slice(1, 5).map(Number) as [number, number, number, number];
  if (a !== 0 || b <= 0 || c <= b || c + d > pdf.length) return null;
  // Between the two ranges: <hex…>, the CMS padded with zeros.
  const hex = text.slice(b + 1, c - 1).replace(/(00)+$/, '');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2) return null;
  const content = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const check = verifyDetached(Buffer.from(hex, 'hex'), content);
  return { ...check, coversWholeFile: c + d === pdf.length };
}
