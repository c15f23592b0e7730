import type { OidcConfig } from '../config/index.ts';
import { checkPersonalId, type Gender } from './personal-id.ts';

/**
 * What the portal takes from the identity provider's claims: a citizen whose personal ID is
 * proven. Claim names come from configuration (VNeID's are not published); the values are read
 * tolerantly (dates as YYYY-MM-DD or DD/MM/YYYY, gender as male/female or Nam/Nữ), then the ID is
 * checked against the birth date and gender the provider itself asserts.
 */
export interface VerifiedIdentity {
  personalId: string;
  fullName: string;
  birthDate: string | null;
  gender: Gender | null;
}

/** Why the claims cannot stand for a citizen; each has a message `auth.vneid.identity.<reason>`. */
export type IdentityProblem = 'missingPersonalId' | 'missingName' | 'badPersonalId' | 'mismatch';

export type IdentityResult = { ok: true; identity: VerifiedIdentity } | { ok: false; reason: IdentityProblem };

export function identityFromClaims(claims: Record<string, unknown>, names: OidcConfig['claims'], today: Date = new Date()): IdentityResult {
  const personalId = text(claims[names.personalId])?.replace(/\s+/g, '');
  if (!personalId) return { ok: false, reason: 'missingPersonalId' };
  const fullName = text(claims[names.name])?.normalize('NFC').replace(/\s+/g, ' ');
  if (!fullName) return { ok: false, reason: 'missingName' };
  const birthDate = readDate(claims[names.birthDate]);
  const gender = readGender(claims[names.gender]);
  const problems = checkPersonalId(personalId, { birthDate, gender }, today);
  if (problems.some((p) => p === 'format' || p === 'province' || p === 'century')) return { ok: false, reason: 'badPersonalId' };
  if (problems.length) return { ok: false, reason: 'mismatch' };
  return { ok: true, identity: { personalId, fullName: fullName.slice(0, 100), birthDate, gender } };
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function readDate(value: unknown): string | null {
  const v = text(value);
  if (!v) return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const vn = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : vn ? [vn[3], vn[2], vn[1]] : [];
  if (!y || !m || !d) return null;
  const date = `${y}-${m}-${d}`;
  // Reject 2001-02-30 and the like: the round trip through Date must give the same day.
  const time = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(time) || !new Date(time).toISOString().startsWith(date) ? null : date;
}

const genders: Record<string, Gender> = { male: 'male', m: 'male', nam: 'male', female: 'female', f: 'female', 'nữ': 'female', nu: 'female' };

function readGender(value: unknown): Gender | null {
  const v = text(value)?.normalize('NFC').toLowerCase();
  return (v && genders[v]) || null;
}
