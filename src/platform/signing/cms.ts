import { createHash, type KeyObject, sign, verify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

/**
 * CMS SignedData for PAdES baseline B (ETSI EN 319 142-1, subFilter ETSI.CAdES.detached):
 * detached content, SHA-256, and the signed attributes content-type, message-digest and
 * signing-certificate-v2. @signpdf's P12Signer builds its CMS with node-forge's pkcs7, which
 * can only sign content-type, message-digest and signing-time: no signing-certificate-v2, and
 * signing-time is not allowed in PAdES (the time goes in the signature dictionary's /M).
 */
const { asn1 } = forge;
const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
};

type Node = forge.asn1.Asn1;
const U = asn1.Class.UNIVERSAL;
const oid = (o: string): Node => asn1.create(U, asn1.Type.OID, false, asn1.oidToDer(o).getBytes());
const seq = (...xs: Node[]): Node => asn1.create(U, asn1.Type.SEQUENCE, true, xs);
const set = (...xs: Node[]): Node => asn1.create(U, asn1.Type.SET, true, xs);
const octets = (b: Buffer): Node => asn1.create(U, asn1.Type.OCTETSTRING, false, b.toString('binary'));
const int = (n: number): Node => asn1.create(U, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const nul = (): Node => asn1.create(U, asn1.Type.NULL, false, '');
const tagged = (n: number, xs: Node[]): Node => asn1.create(asn1.Class.CONTEXT_SPECIFIC, n, true, xs);
export const toDer = (node: Node): Buffer => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
// Bit strings stay opaque, so a certificate is re-encoded exactly as it came.
const fromDer = (b: Buffer): Node => asn1.fromDer(forge.util.createBuffer(b.toString('binary')), { strict: true, decodeBitStrings: false } as unknown as boolean);
const kids = (n: Node): Node[] => (Array.isArray(n.value) ? n.value : []);
const bytes = (n: Node | undefined): Buffer => Buffer.from(typeof n?.value === 'string' ? n.value : '', 'binary');

const sha256 = (b: Buffer): Buffer => createHash('sha256').update(b).digest();

/** issuer and serialNumber of a certificate, as they are encoded in it (not re-encoded). */
function issuerAndSerial(certDer: Buffer): Node {
  const tbs = kids(kids(fromDer(certDer))[0] as Node);
  const offset = tbs[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0; // [0] version is optional
  return seq(tbs[offset + 2] as Node, tbs[offset] as Node);
}

/**
 * A detached CMS signature over `content` by the certificate's key, with `chain` (the issuing
 * CAs) included so a verifier can build the path.
 */
export function signDetached(content: Buffer, signer: { certDer: Buffer; chainDer: Buffer[]; key: KeyObject }): Buffer {
  const attrs = [
    seq(oid(OID.contentType), set(oid(OID.data))),
    seq(oid(OID.messageDigest), set(octets(sha256(content)))),
    seq(oid(OID.signingCertificateV2), set(seq(seq(seq(octets(sha256(signer.certDer))))))),
  ].sort((a, b) => Buffer.compare(toDer(a), toDer(b))); // DER: a SET OF is sorted by encoding
  // The signature covers the attributes encoded as a SET (RFC 5652 §5.4), not as [0].
  const signature = sign('sha256', toDer(set(...attrs)), signer.key);
  const signerInfo = seq(
    int(1),
    issuerAndSerial(signer.certDer),
    seq(oid(OID.sha256)),
    tagged(0, attrs),
    seq(oid(OID.rsaEncryption), nul()),
    octets(signature),
  );
  const signedData = seq(
    int(1),
    set(seq(oid(OID.sha256))),
    seq(oid(OID.data)),
    tagged(0, [signer.certDer, ...signer.chainDer].map(fromDer)),
    set(signerInfo),
  );
  return toDer(seq(oid(OID.signedData), tagged(0, [signedData])));
}

export interface DetachedCheck {
  /** The content's digest is the signed one and the signature verifies with the signer's key. */
  valid: boolean;
  /** SHA-256 (hex) of the signer's certificate, to find whose key it is; null when unreadable. */
  signerCertSha256: string | null;
}

/** Checks a detached CMS signature over `content`. Never throws on bad input: it is not valid. */
export function verifyDetached(cms: Buffer, content: Buffer): DetachedCheck {
  try {
    const signedData = kids(kids(fromDer(cms))[1] as Node)[0] as Node;
    const parts = kids(signedData);
    const certs = kids(parts.find((p) => p.tagClass === asn1.Class.CONTEXT_SPECIFIC && p.type === 0) as Node).map(toDer);
    const signerInfo = kids(parts[parts.length - 1] as Node)[0] as Node;
    const si = kids(signerInfo);
    const sid = toDer(si[1] as Node);
    const certDer = certs.find((c) => toDer(issuerAndSerial(c)).equals(sid));
    const attrsNode = si.find((p) => p.tagClass === asn1.Class.CONTEXT_SPECIFIC && p.type === 0);
    if (!certDer || !attrsNode) return { valid: false, signerCertSha256: null };
    const digest = kids(attrsNode)
      .filter((a) => asn1.derToOid(bytes(kids(a)[0]).toString('binary')) === OID.messageDigest)
      .map((a) => bytes(kids(kids(a)[1] as Node)[0]))[0];
    const signedAttrs = toDer(attrsNode);
    signedAttrs[0] = 0x31; // [0] IMPLICIT → SET OF, the encoding that was signed
    const signature = bytes(si[si.length - 1]);
    const key = new X509Certificate(certDer).publicKey;
    const valid = Boolean(digest?.equals(sha256(content))) && verify('sha256', signedAttrs, key, signature);
    return { valid, signerCertSha256: sha256(certDer).toString('hex') };
  } catch {
    return { valid: false, signerCertSha256: null };
  }
}
