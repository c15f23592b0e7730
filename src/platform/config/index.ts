import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
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
  const dataDir = path.resolve(e.EGOV_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'egov.db') },
    dataDir,
    secret: e.EGOV_SECRET ?? localSecret(dataDir, Boolean(e.DATABASE_URL)),
    cityCode: e.EGOV_CITY_CODE,
    timeZone: e.EGOV_TIMEZONE,
    demo: e.EGOV_DEMO,
    publicUrl: e.EGOV_PUBLIC_URL,
    cookieSecure: e.EGOV_COOKIE_SECURE,
    trustProxy: e.EGOV_TRUST_PROXY === 'on',
    logLevel: e.EGOV_LOG_LEVEL,
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
  };
}

/**
 * A single-machine install gets a secret generated on first start and kept in the data
 * directory. Several instances on PostgreSQL must share one, so there it must be configured.
 */
function localSecret(dataDir: string, postgres: boolean): string {
  if (postgres && process.env.NODE_ENV === 'production') {
    throw new ConfigError('Invalid configuration:\n  EGOV_SECRET: required when DATABASE_URL is set in production');
  }
  const file = path.join(dataDir, 'secret.key');
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
