import type { KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';

/**
 * The compact signed statement printed in a result's QR code: a JWS (EdDSA, Ed25519, so the
 * code stays small) over what the document says. Anyone can check it offline against the
 * agencies' published keys (`/.well-known/jwks.json`), with any JOSE library.
 */
export interface ResultStatement {
  /** Result id */
  rid: string;
  /** Number printed on the document */
  no: string;
  /** Document type */
  doc: string;
  /** Issuing agency's code */
  iss: string;
  /** Issue date, YYYY-MM-DD (local) */
  date: string;
}

export const STATEMENT_TYPE = 'egov-result+jws';

export function signStatement(statement: ResultStatement, key: { kid: string; privateKey: KeyObject }): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(statement)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: STATEMENT_TYPE })
    .sign(key.privateKey);
}

/** The statement when the token is signed by a key of the set; null for anything else. */
export async function verifyStatement(token: string, jwks: JSONWebKeySet): Promise<(ResultStatement & { kid: string }) | null> {
  try {
    const { payload, protectedHeader } = await compactVerify(token, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });
    if (protectedHeader.typ !== STATEMENT_TYPE) return null;
    const s = JSON.parse(new TextDecoder().decode(payload)) as Partial<ResultStatement>;
    if (typeof s.rid !== 'string' || typeof s.no !== 'string' || typeof s.iss !== 'string') return null;
    return { rid: s.rid, no: s.no, doc: String(s.doc ?? ''), iss: s.iss, date: String(s.date ?? ''), kid: String(protectedHeader.kid) };
  } catch {
    return null;
  }
}
