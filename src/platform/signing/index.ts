import type { JSONWebKeySet } from 'jose';
import type { Platform } from '../index.ts';
import { type SigningExecutor, SigningKeys, type SigningTables } from './keys.ts';

/**
 * Electronic signatures of the agencies: keys and certificates (a development CA, or PKCS#12
 * files from a real CA), PAdES signatures on PDFs, compact signed statements for QR codes,
 * and the published public keys (JWKS) to check them offline.
 */
export { type ActiveKey, type PublicKeyInfo, type SigningExecutor, SigningKeys, type SigningTables } from './keys.ts';
export { checkPdfSignature, type PdfSignatureCheck, type SigningIdentity, signPdf } from './pades.ts';
export { type ResultStatement, signStatement, verifyStatement } from './statement.ts';

export function createSigning(platform: Platform): SigningKeys {
  return new SigningKeys(platform.db.withTables<SigningTables>() as unknown as SigningExecutor, platform.config.signing.passphrase);
}

/** The JWKS of every agency key, active and retired: a retired key still checks old documents. */
export async function jwksOf(keys: SigningKeys): Promise<JSONWebKeySet> {
  const all = await keys.publicKeys();
  return { keys: all.map((k) => ({ ...k.statementJwk, kid: k.kid, 'x-agency': k.agencyCode, 'x-status': k.active ? 'active' : 'retired' })) as JSONWebKeySet['keys'] };
}
