import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable the platform reads, validated once at boot.
 * The README's configuration table is written from this schema: keep them in step.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  EGOV_DATA_DIR: z.string().default('./data/runtime'),
  EGOV_SECRET: z.string().min(32, 'EGOV_SECRET must be at least 32 characters').optional(),
  EGOV_CITY_CODE: z
    .string()
    .regex(/^[GH]\d{2}$/, 'EGOV_CITY_CODE is the level-1 part of the agency code, e.g. H26')
    .default('H26'),
  EGOV_TIMEZONE: z.string().default('Asia/Ho_Chi_Minh'),
  EGOV_DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  EGOV_PUBLIC_URL: z.string().url().optional(),
  EGOV_COOKIE_SECURE: z.enum(['auto', 'on', 'off']).default('auto'),
  EGOV_TRUST_PROXY: z.enum(['on', 'off']).default('off'),
  EGOV_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EGOV_WORKERS: z
    .string()
    .regex(/^(auto|[1-9]\d?)$/, 'EGOV_WORKERS is a number of processes (1-99) or auto (one per CPU core on PostgreSQL)')
    .default('1'),
  EGOV_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  EGOV_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  EGOV_LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  EGOV_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(600),
  EGOV_LOGIN_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(10),
  EGOV_TRACK_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(30),
  EGOV_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  EGOV_SEARCH_REFRESH_MS: z.coerce.number().int().min(0).default(2000),
  EGOV_ADMIN_PASSWORD: z.string().min(10).optional(),
  EGOV_DEADLINE_CHECK_MS: z.coerce.number().int().min(1000).default(15 * 60_000),
  EGOV_DOSSIER_CODE_FORMAT: z
    .string()
    .refine((f) => f.includes('{agency}') && /\{(yyMMdd|yyyyMMdd)\}/.test(f) && /\{seq\d\}/.test(f), 'EGOV_DOSSIER_CODE_FORMAT needs {agency}, {yyMMdd} or {yyyyMMdd}, and {seqN}')
    .default('{agency}-{yyMMdd}-{seq4}'),
  EGOV_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/]+/, 'EGOV_SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.vn:587')
    .optional(),
  EGOV_SMTP_FROM: z.string().min(3).default('no-reply@localhost'),
  EGOV_OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  EGOV_OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  EGOV_OUTBOX_LEASE_MS: z.coerce.number().int().min(5_000).max(3_600_000).default(120_000),
  EGOV_ORPHAN_SWEEP_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  EGOV_UPLOAD_MAX_FILE_BYTES: z.coerce.number().int().min(1).default(20 * 1024 * 1024),
  EGOV_UPLOAD_MAX_DOSSIER_BYTES: z.coerce.number().int().min(1).default(100 * 1024 * 1024),
  // Online payment (VNPay 2.1.0). Unset gateway URLs mean the local sandbox (`egov paygate`).
  EGOV_VNPAY_TMN_CODE: z.string().regex(/^[A-Z0-9]{4,16}$/, 'EGOV_VNPAY_TMN_CODE is the merchant code VNPay issued, e.g. EGOVDEMO').default('EGOVDEMO'),
  EGOV_VNPAY_HASH_SECRET: z.string().min(16, 'EGOV_VNPAY_HASH_SECRET must be at least 16 characters').optional(),
  EGOV_VNPAY_PAYMENT_URL: z.string().url().optional(),
  EGOV_VNPAY_API_URL: z.string().url().optional(),
  EGOV_VNPAY_RETURN_URL: z.string().url().optional(),
  EGOV_VNPAY_IPN_URL: z.string().url().optional(),
  EGOV_PAYMENT_EXPIRE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  EGOV_PAYGATE: z.enum(['auto', 'on', 'off']).default('auto'),
  EGOV_PAYGATE_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  EGOV_REGISTRY_URL: z.string().url('EGOV_REGISTRY_URL must be the base URL of the population registry, e.g. https://registry.example.vn').optional(),
  EGOV_REGISTRY_CLIENT_ID: z.string().min(1).optional(),
  EGOV_REGISTRY_CLIENT_SECRET: z.string().min(8, 'EGOV_REGISTRY_CLIENT_SECRET must be at least 8 characters').optional(),
  EGOV_REGISTRY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  EGOV_REGISTRY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  EGOV_REGISTRY_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  EGOV_REGISTRY_BREAKER_RESET_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  EGOV_SIGNING_PASSPHRASE: z.string().min(16, 'EGOV_SIGNING_PASSPHRASE must be at least 16 characters').optional(),
  EGOV_P12_PASSPHRASE: z.string().default(''),
  EGOV_VERIFY_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(30),
  // Sign-in with the national identity (VNeID) over OpenID Connect; see oidcFrom below.
  OIDC_ISSUER: z.string().url('OIDC_ISSUER must be the provider\'s issuer URL, e.g. https://sso.dancuquocgia.gov.vn').optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URI: z.string().url('OIDC_REDIRECT_URI must be a full URL ending in /auth/vneid/callback').optional(),
  OIDC_SCOPES: z.string().regex(/(^|\s)openid(\s|$)/, 'OIDC_SCOPES must include openid').default('openid profile'),
  OIDC_CLAIM_PERSONAL_ID: z.string().min(1).default('personal_id'),
  OIDC_CLAIM_NAME: z.string().min(1).default('name'),
  OIDC_CLAIM_BIRTHDATE: z.string().min(1).default('birthdate'),
  OIDC_CLAIM_GENDER: z.string().min(1).default('gender'),
  OIDC_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  EGOV_DEV_IDP: z.enum(['auto', 'on', 'off']).default('auto'),
  EGOV_DEV_IDP_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  dataDir: string;
  secret: string;
  cityCode: string;
  timeZone: string;
  demo: 'auto' | 'on' | 'off';
  publicUrl: string | undefined;
  cookieSecure: 'auto' | 'on' | 'off';
  trustProxy: boolean;
  logLevel: Env['EGOV_LOG_LEVEL'];
  /** Server processes sharing the port (PostgreSQL only); 1 runs the portal in this process. */
  workers: number;
  sessionHours: number;
  login: { maxFailures: number; lockMinutes: number; ratePerMinute: number };
  rateLimitPerMinute: number;
  trackRateLimitPerMinute: number;
  bodyLimitBytes: number;
  searchRefreshMs: number;
  adminPassword: string | undefined;
  deadlineCheckMs: number;
  dossierCodeFormat: string;
  /** Outgoing mail: SMTP when `url` is set, else messages are only recorded (see /dev/messages). */
  smtp: { url: string | undefined; from: string };
  outbox: { pollMs: number; maxAttempts: number; leaseMs: number };
  orphanSweepHours: number;
  /** Attachment limits: bytes per file and total bytes per owner (a dossier). */
  uploads: { maxFileBytes: number; maxOwnerBytes: number };
  /** Online payment: the VNPay merchant settings, and the sandbox gateway used in their place. */
  payments: {
    vnpay: { tmnCode: string; hashSecret: string; paymentUrl: string; apiUrl: string; returnUrl: string | undefined; ipnUrl: string };
    expireMinutes: number;
    /** `start`: `npm start` runs the sandbox gateway (`egov paygate`) beside the portal. */
    sandbox: { port: number; start: boolean };
  };
  /**
   * The population registry: the embedded tables when `url` is unset, else the national
   * registry over HTTP with OAuth 2.0 client credentials (also what `egov registry-server` accepts).
   */
  registry: {
    url: string | undefined;
    clientId: string | undefined;
    clientSecret: string | undefined;
    timeoutMs: number;
    cacheSeconds: number;
    breakerFailures: number;
    breakerResetMs: number;
  };
  /** Agencies' signing keys are encrypted at rest with `passphrase`; `p12Passphrase` opens a PKCS#12 file being imported. */
  signing: { passphrase: string; p12Passphrase: string };
  /** Public verifications of results (uploads and QR links) per minute per address. */
  verifyRateLimitPerMinute: number;
  /** Sign-in with the national identity over OpenID Connect; null when not configured (no button). */
  oidc: OidcConfig | null;
  /** The development identity provider (`egov idp`): whether `npm start` runs it, and its port. */
  devIdp: { enabled: boolean; port: number };
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Unset: a public client (PKCE only, no client authentication). */
  clientSecret: string | undefined;
  redirectUri: string;
  scopes: string;
  /** Names of the claims that carry these facts: VNeID's are configuration, not code. */
  claims: { personalId: string; name: string; birthDate: string; gender: string };
  timeoutMs: number;
}

export class ConfigError extends Error {}

/** Reads and validates the environment. Throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.EGOV_REGISTRY_URL && !(e.EGOV_REGISTRY_CLIENT_ID && e.EGOV_REGISTRY_CLIENT_SECRET)) {
    throw new ConfigError('Invalid configuration:\n  EGOV_REGISTRY_CLIENT_ID, EGOV_REGISTRY_CLIENT_SECRET: required when EGOV_REGISTRY_URL is set');
  }
  // auto: one per core on PostgreSQL; SQLite's single writer gains nothing from more.
  const workers = e.EGOV_WORKERS === 'auto' ? (e.DATABASE_URL ? os.availableParallelism() : 1) : Number(e.EGOV_WORKERS);
  // A SQLite database is one process's file; several processes would only queue on its lock.
  if (workers > 1 && !e.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  EGOV_WORKERS: more than one worker needs PostgreSQL (DATABASE_URL); on SQLite the portal runs as one process');
  }
  const dataDir = path.resolve(e.EGOV_DATA_DIR);
  const secret = e.EGOV_SECRET ?? localSecret(dataDir, Boolean(e.DATABASE_URL));
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'egov.db') },
    dataDir,
    secret,
    cityCode: e.EGOV_CITY_CODE,
    timeZone: e.EGOV_TIMEZONE,
    demo: e.EGOV_DEMO,
    publicUrl: e.EGOV_PUBLIC_URL,
    cookieSecure: e.EGOV_COOKIE_SECURE,
    trustProxy: e.EGOV_TRUST_PROXY === 'on',
    logLevel: e.EGOV_LOG_LEVEL,
    workers,
    sessionHours: e.EGOV_SESSION_HOURS,
    login: {
      maxFailures: e.EGOV_LOGIN_MAX_FAILURES,
      lockMinutes: e.EGOV_LOGIN_LOCK_MINUTES,
      ratePerMinute: e.EGOV_LOGIN_RATE_LIMIT_PER_MIN,
    },
    rateLimitPerMinute: e.EGOV_RATE_LIMIT_PER_MIN,
    trackRateLimitPerMinute: e.EGOV_TRACK_RATE_LIMIT_PER_MIN,
    bodyLimitBytes: e.EGOV_BODY_LIMIT_BYTES,
    searchRefreshMs: e.EGOV_SEARCH_REFRESH_MS,
    adminPassword: e.EGOV_ADMIN_PASSWORD,
    deadlineCheckMs: e.EGOV_DEADLINE_CHECK_MS,
    dossierCodeFormat: e.EGOV_DOSSIER_CODE_FORMAT,
    smtp: { url: e.EGOV_SMTP_URL, from: e.EGOV_SMTP_FROM },
    outbox: { pollMs: e.EGOV_OUTBOX_POLL_MS, maxAttempts: e.EGOV_OUTBOX_MAX_ATTEMPTS, leaseMs: e.EGOV_OUTBOX_LEASE_MS },
    orphanSweepHours: e.EGOV_ORPHAN_SWEEP_HOURS,
    uploads: { maxFileBytes: e.EGOV_UPLOAD_MAX_FILE_BYTES, maxOwnerBytes: e.EGOV_UPLOAD_MAX_DOSSIER_BYTES },
    payments: paymentsFrom(e),
    registry: {
      url: e.EGOV_REGISTRY_URL,
      clientId: e.EGOV_REGISTRY_CLIENT_ID,
      clientSecret: e.EGOV_REGISTRY_CLIENT_SECRET,
      timeoutMs: e.EGOV_REGISTRY_TIMEOUT_MS,
      cacheSeconds: e.EGOV_REGISTRY_CACHE_SECONDS,
      breakerFailures: e.EGOV_REGISTRY_BREAKER_FAILURES,
      breakerResetMs: e.EGOV_REGISTRY_BREAKER_RESET_MS,
    },
    signing: { passphrase: e.EGOV_SIGNING_PASSPHRASE ?? localSecret(dataDir, Boolean(e.DATABASE_URL), 'signing.pass', 'EGOV_SIGNING_PASSPHRASE'), p12Passphrase: e.EGOV_P12_PASSPHRASE },
    verifyRateLimitPerMinute: e.EGOV_VERIFY_RATE_LIMIT_PER_MIN,
    ...oidcFrom(e, secret),
  };
}

/**
 * OpenID Connect settings. A real provider (VNeID) is named by OIDC_ISSUER with its client
 * registration. Without it, the first `npm start` of the demo (EGOV_DEMO=auto, not production)
 * runs the development provider and signs in with it; EGOV_DEV_IDP=on/off forces that. Tests
 * set EGOV_DEMO=on, so their servers never start one unasked.
 */
function oidcFrom(e: Env, secret: string): Pick<Config, 'oidc' | 'devIdp'> {
  const devIdp = {
    enabled: e.EGOV_DEV_IDP === 'on' || (e.EGOV_DEV_IDP === 'auto' && e.EGOV_DEMO === 'auto' && !e.OIDC_ISSUER && process.env.NODE_ENV !== 'production'),
    port: e.EGOV_DEV_IDP_PORT,
  };
  if (e.OIDC_ISSUER && !e.OIDC_CLIENT_ID) throw new ConfigError('Invalid configuration:\n  OIDC_CLIENT_ID: required when OIDC_ISSUER is set');
  const useDev = devIdp.enabled && !e.OIDC_ISSUER;
  if (!e.OIDC_ISSUER && !useDev) return { oidc: null, devIdp };
  const publicUrl = (e.EGOV_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    devIdp,
    oidc: {
      issuer: e.OIDC_ISSUER ?? `http://localhost:${e.EGOV_DEV_IDP_PORT}`,
      clientId: e.OIDC_CLIENT_ID ?? 'egov-portal',
      // The development provider and the portal both derive it from the shared secret.
      clientSecret: e.OIDC_CLIENT_SECRET ?? (useDev ? createHmac('sha256', secret).update('egov dev idp client').digest('base64url') : undefined),
      redirectUri: e.OIDC_REDIRECT_URI ?? `${publicUrl}/auth/vneid/callback`,
      scopes: e.OIDC_SCOPES,
      claims: { personalId: e.OIDC_CLAIM_PERSONAL_ID, name: e.OIDC_CLAIM_NAME, birthDate: e.OIDC_CLAIM_BIRTHDATE, gender: e.OIDC_CLAIM_GENDER },
      timeoutMs: e.OIDC_TIMEOUT_MS,
    },
  };
}

/** Published in the README: good only for the local sandbox gateway. */
export const DEMO_VNPAY_SECRET = 'EGOVDEMOSANDBOXSECRET2026';

/**
 * Payment settings. Without EGOV_VNPAY_PAYMENT_URL the portal talks to the sandbox gateway on
 * EGOV_PAYGATE_PORT, which the first `npm start` of the demo runs (like the development IdP).
 */
function paymentsFrom(e: Env): Config['payments'] {
  const realGateway = Boolean(e.EGOV_VNPAY_PAYMENT_URL);
  if (realGateway && !(e.EGOV_VNPAY_HASH_SECRET && e.EGOV_VNPAY_API_URL)) {
    throw new ConfigError('Invalid configuration:\n  EGOV_VNPAY_HASH_SECRET, EGOV_VNPAY_API_URL: required with EGOV_VNPAY_PAYMENT_URL');
  }
  const sandbox = `http://127.0.0.1:${e.EGOV_PAYGATE_PORT}`;
  const publicUrl = (e.EGOV_PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, '');
  return {
    vnpay: {
      tmnCode: e.EGOV_VNPAY_TMN_CODE,
      hashSecret: e.EGOV_VNPAY_HASH_SECRET ?? DEMO_VNPAY_SECRET,
      paymentUrl: e.EGOV_VNPAY_PAYMENT_URL ?? `${sandbox}/paymentv2/vpcpay.html`,
      apiUrl: e.EGOV_VNPAY_API_URL ?? `${sandbox}/merchant_webapi/api/transaction`,
      returnUrl: e.EGOV_VNPAY_RETURN_URL,
      ipnUrl: e.EGOV_VNPAY_IPN_URL ?? `${publicUrl}/api/v1/payments/vnpay/ipn`,
    },
    expireMinutes: e.EGOV_PAYMENT_EXPIRE_MINUTES,
    sandbox: {
      port: e.EGOV_PAYGATE_PORT,
      start: e.EGOV_PAYGATE === 'on' || (e.EGOV_PAYGATE === 'auto' && !realGateway && e.EGOV_DEMO === 'auto' && process.env.NODE_ENV !== 'production'),
    },
  };
}

/**
 * A single-machine install gets a secret generated on first start and kept in the data
 * directory. Several instances on PostgreSQL must share one, so there it must be configured.
 */
function localSecret(dataDir: string, postgres: boolean, fileName = 'secret.key', variable = 'EGOV_SECRET'): string {
  if (postgres && process.env.NODE_ENV === 'production') {
    throw new ConfigError(`Invalid configuration:\n  ${variable}: required when DATABASE_URL is set in production`);
  }
  const file = path.join(dataDir, fileName);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    // Another process started at the same moment and wrote it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw err;
  }
}
