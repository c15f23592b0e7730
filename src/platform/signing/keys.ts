import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, X509Certificate } from 'node:crypto';
import type { Kysely } from 'kysely';
import forge from 'node-forge';
import type { SigningIdentity } from './pades.ts';

/**
 * The signing keys of the agencies. Each generation of an agency's key is one row: an RSA key
 * with its X.509 certificate (PAdES signatures on result PDFs) and an Ed25519 key (the compact
 * statement in the QR code), rotated together. Rotation only moves the agency's pointer in
 * `signing_active`: old rows stay, so documents signed with them still verify.
 *
 * Private keys are stored as encrypted PKCS#8 (AES-256-CBC, key from the passphrase by
 * PBKDF2) and decrypted only to sign; they are never logged or returned.
 */
export type SigningTables = {
  signing_keys: SigningKeyRow;
  signing_active: { agency_code: string; kid: string; updated_at: string };
};

export type SigningKeyRow = {
  kid: string;
  agency_code: string;
  /** `ca`: the development CA; `agency`: an agency's signing key. */
  kind: 'ca' | 'agency';
  /** `generated` by this platform (under the dev CA) or imported from a `p12` file. */
  source: 'generated' | 'p12';
  cert_pem: string;
  /** The issuing CAs, PEM, concatenated (may be empty). */
  chain_pem: string;
  cert_sha256: string;
  private_key_enc: string;
  statement_public_jwk: string;
  statement_private_enc: string;
  created_at: string;
  retired_at: string | null;
};

export type SigningExecutor = Kysely<SigningTables>;

const DEV_CA = 'dev-ca';
/** PKCS#12 bag types (RFC 7292). */
const BAG = { key: '1.2.840.113549.1.12.10.1.1', shroudedKey: '1.2.840.113549.1.12.10.1.2', cert: '1.2.840.113549.1.12.10.1.3' };

/** What the public may know of a key: for the JWKS and the verification page. */
export interface PublicKeyInfo {
  kid: string;
  agencyCode: string;
  certPem: string;
  statementJwk: Record<string, unknown>;
  createdAt: string;
  retiredAt: string | null;
  active: boolean;
}

export class SigningKeys {
  constructor(
    private readonly db: SigningExecutor,
    private readonly passphrase: string,
  ) {}

  /**
   * The development CA, created on first start. Instances starting together insert the same
   * primary key: one row wins and every instance reads that one.
   */
  async ensureDevCa(ex: SigningExecutor = this.db): Promise<void> {
    if (await this.row(ex, DEV_CA)) return;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const subject = [{ name: 'commonName', value: 'egov Development CA (not for production)' }, { name: 'organizationName', value: 'egov' }];
    const cert = certificate({ subject, issuer: subject, publicKey, signWith: privateKey, years: 20, ca: true });
    await ex
      .insertInto('signing_keys')
      .values(this.newRow(DEV_CA, '', 'ca', 'generated', cert, '', privateKey))
      .onConflict((oc) => oc.column('kid').doNothing())
      .execute();
  }

  /**
   * The agency's active signing identity, created under the development CA the first time the
   * agency signs (in the caller's transaction, so it commits with the first document).
   */
  async active(ex: SigningExecutor, agency: { code: string; name: string }): Promise<ActiveKey> {
    let row = await this.activeRow(ex, agency.code);
    if (!row) {
      const kid = await this.generate(ex, agency);
      await ex
        .insertInto('signing_active')
        .values({ agency_code: agency.code, kid, updated_at: new Date().toISOString() })
        .onConflict((oc) => oc.column('agency_code').doNothing())
        .execute();
      row = await this.activeRow(ex, agency.code);
      // Another instance made the agency's first key at the same moment: drop ours.
      if (row && row.kid !== kid) await ex.deleteFrom('signing_keys').where('kid', '=', kid).execute();
    }
    if (!row) throw new Error(`no signing key for ${agency.code}`);
    return this.unlock(row);
  }

  /** A new key (under the development CA) becomes the agency's active one; the old one is retired. */
  async rotate(agency: { code: string; name: string }): Promise<string> {
    return this.db.transaction().execute(async (trx) => this.activate(trx, agency.code, await this.generate(trx, agency)));
  }

  /**
   * Imports an agency's key and certificate (and its chain) from a PKCS#12 file, as a CA
   * issues them in production; it becomes the agency's active key.
   */
  async importP12(agencyCode: string, p12: Buffer, p12Passphrase: string): Promise<string> {
    const parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), false, p12Passphrase);
    const bags = (type: string) => parsed.getBags({ bagType: type })[type] ?? [];
    const keyBag = [...bags(BAG.shroudedKey), ...bags(BAG.key)][0];
    if (!keyBag?.key) throw new Error('the PKCS#12 file holds no private key');
    const privateKey = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key as forge.pki.rsa.PrivateKey));
    const certs = bags(BAG.cert).flatMap((b) => (b.cert ? [forge.pki.certificateToPem(b.cert)] : []));
    const publicDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    const own = certs.find((pem) => new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).equals(publicDer));
    if (!own) throw new Error('no certificate in the PKCS#12 file matches its private key');
    const chain = certs.filter((c) => c !== own).join('');
    const kid = kidOf(own);
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('signing_keys').values(this.newRow(kid, agencyCode, 'agency', 'p12', own, chain, privateKey)).execute();
      await this.activate(trx, agencyCode, kid);
    });
    return kid;
  }

  /** Every agency key, active and retired, for the JWKS and for checking signatures. */
  async publicKeys(): Promise<PublicKeyInfo[]> {
    const rows = await this.db
      .selectFrom('signing_keys as k')
      .leftJoin('signing_active as a', 'a.kid', 'k.kid')
      .select(['k.kid', 'k.agency_code', 'k.cert_pem', 'k.statement_public_jwk', 'k.created_at', 'k.retired_at', 'a.kid as active_kid'])
      .where('k.kind', '=', 'agency')
      .orderBy('k.agency_code')
      .orderBy('k.created_at')
      .execute();
    return rows.map((r) => ({
      kid: r.kid,
      agencyCode: r.agency_code,
      certPem: r.cert_pem,
      statementJwk: JSON.parse(r.statement_public_jwk) as Record<string, unknown>,
      createdAt: r.created_at,
      retiredAt: r.retired_at,
      active: r.active_kid !== null,
    }));
  }

  /** The agency key whose certificate has this SHA-256 (hex), if it is one of ours. */
  async byCertificate(sha256: string): Promise<{ kid: string; agencyCode: string } | null> {
    const row = await this.db.selectFrom('signing_keys').select(['kid', 'agency_code']).where('cert_sha256', '=', sha256).where('kind', '=', 'agency').executeTakeFirst();
    return row ? { kid: row.kid, agencyCode: row.agency_code } : null;
  }

  async devCaPem(): Promise<string | null> {
    return (await this.row(this.db, DEV_CA))?.cert_pem ?? null;
  }

  private async activate(ex: SigningExecutor, agencyCode: string, kid: string): Promise<string> {
    const now = new Date().toISOString();
    const previous = await this.activeRow(ex, agencyCode);
    if (previous) await ex.updateTable('signing_keys').set({ retired_at: now }).where('kid', '=', previous.kid).execute();
    await ex
      .insertInto('signing_active')
      .values({ agency_code: agencyCode, kid, updated_at: now })
      .onConflict((oc) => oc.column('agency_code').doUpdateSet({ kid, updated_at: now }))
      .execute();
    return kid;
  }

  /** A new RSA key with a certificate from the development CA, stored (not yet active). */
  private async generate(ex: SigningExecutor, agency: { code: string; name: string }): Promise<string> {
    await this.ensureDevCa(ex);
    const ca = await this.row(ex, DEV_CA);
    if (!ca) throw new Error('the development CA is missing');
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cert = certificate({
      subject: [
        { name: 'commonName', value: agency.name },
        { name: 'organizationalUnitName', value: agency.code },
        { name: 'countryName', value: 'VN' },
      ],
      issuer: forge.pki.certificateFromPem(ca.cert_pem).subject.attributes as NameAttr[],
      publicKey,
      signWith: this.decrypt(ca.private_key_enc),
      years: 5,
      ca: false,
    });
    const kid = kidOf(cert);
    await ex.insertInto('signing_keys').values(this.newRow(kid, agency.code, 'agency', 'generated', cert, ca.cert_pem, privateKey)).execute();
    return kid;
  }

  private newRow(kid: string, agencyCode: string, kind: SigningKeyRow['kind'], source: SigningKeyRow['source'], certPem: string, chainPem: string, privateKey: KeyObject): SigningKeyRow {
    const statement = generateKeyPairSync('ed25519');
    return {
      kid,
      agency_code: agencyCode,
      kind,
      source,
      cert_pem: certPem,
      chain_pem: chainPem,
      cert_sha256: createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex'),
      private_key_enc: this.encrypt(privateKey),
      statement_public_jwk: JSON.stringify({ ...statement.publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' }),
      statement_private_enc: this.encrypt(statement.privateKey),
      created_at: new Date().toISOString(),
      retired_at: null,
    };
  }

  private encrypt(key: KeyObject): string {
    return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: this.passphrase }).toString();
  }

  private decrypt(pem: string): KeyObject {
    return createPrivateKey({ key: pem, format: 'pem', passphrase: this.passphrase });
  }

  private row(ex: SigningExecutor, kid: string) {
    return ex.selectFrom('signing_keys').selectAll().where('kid', '=', kid).executeTakeFirst();
  }

  private activeRow(ex: SigningExecutor, agencyCode: string) {
    return ex.selectFrom('signing_active as a').innerJoin('signing_keys as k', 'k.kid', 'a.kid').selectAll('k').where('a.agency_code', '=', agencyCode).executeTakeFirst();
  }

  private unlock(row: SigningKeyRow): ActiveKey {
    const pems = row.chain_pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    return {
      kid: row.kid,
      identity: { certDer: new X509Certificate(row.cert_pem).raw, chainDer: pems.map((p) => new X509Certificate(p).raw), key: this.decrypt(row.private_key_enc) },
      statementKey: this.decrypt(row.statement_private_enc),
    };
  }
}

export interface ActiveKey {
  kid: string;
  identity: SigningIdentity;
  statementKey: KeyObject;
}

/** A short, stable key id: the start of the certificate's SHA-256. */
function kidOf(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('base64url').slice(0, 16);
}

const DEV_VALID_BEFORE_MS = 366 * 86_400_000;

type NameAttr = { name?: string; type?: string; value: string; valueTagClass?: number };

/** An X.509 v3 certificate made with node-forge; names are UTF-8 (Vietnamese agency names). */
function certificate(o: { subject: NameAttr[]; issuer: NameAttr[]; publicKey: KeyObject; signWith: KeyObject; years: number; ca: boolean }): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(o.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // Positive 128-bit serial: the first byte below 0x80.
  cert.serialNumber = `0${randomBytes(16).toString('hex').slice(1)}`;
  const now = new Date();
  // Valid from a year back: the demo's results are signed at the times of their decisions,
  // weeks before the first start. These are development certificates, trusted by nobody.
  cert.validity.notBefore = new Date(now.getTime() - DEV_VALID_BEFORE_MS);
  cert.validity.notAfter = new Date(now.getTime() + o.years * 365.25 * 86_400_000);
  const utf8 = (attrs: NameAttr[]) =>
    attrs.map((a) => (a.name === 'countryName' ? a : { ...a, valueTagClass: forge.asn1.Type.UTF8 }));
  cert.setSubject(utf8(o.subject) as forge.pki.CertificateField[]);
  cert.setIssuer(o.issuer === o.subject ? (utf8(o.issuer) as forge.pki.CertificateField[]) : (o.issuer as forge.pki.CertificateField[]));
  cert.setExtensions([
    { name: 'basicConstraints', cA: o.ca, critical: true },
    o.ca ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true } : { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(o.signWith.export({ type: 'pkcs8', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}
