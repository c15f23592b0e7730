import { z } from 'zod';
import './messages.ts';

/**
 * The 12-digit personal ID number (số định danh cá nhân, Thông tư 07/2016/TT-BCA and successors):
 * digits 1–3 the birth province (QĐ 124/2004/QĐ-TTg; a non-zero first digit is a country code
 * for people born abroad), digit 4 gender and century, digits 5–6 the birth year, the rest
 * random. There is no check digit. This file is the one place these rules live.
 */
export const provinceCodes: Readonly<Record<string, string>> = {
  '001': 'Hà Nội', '002': 'Hà Giang', '004': 'Cao Bằng', '006': 'Bắc Kạn', '008': 'Tuyên Quang',
  '010': 'Lào Cai', '011': 'Điện Biên', '012': 'Lai Châu', '014': 'Sơn La', '015': 'Yên Bái',
  '017': 'Hòa Bình', '019': 'Thái Nguyên', '020': 'Lạng Sơn', '022': 'Quảng Ninh', '024': 'Bắc Giang',
  '025': 'Phú Thọ', '026': 'Vĩnh Phúc', '027': 'Bắc Ninh', '030': 'Hải Dương', '031': 'Hải Phòng',
  '033': 'Hưng Yên', '034': 'Thái Bình', '035': 'Hà Nam', '036': 'Nam Định', '037': 'Ninh Bình',
  '038': 'Thanh Hóa', '040': 'Nghệ An', '042': 'Hà Tĩnh', '044': 'Quảng Bình', '045': 'Quảng Trị',
  '046': 'Thừa Thiên Huế', '048': 'Đà Nẵng', '049': 'Quảng Nam', '051': 'Quảng Ngãi', '052': 'Bình Định',
  '054': 'Phú Yên', '056': 'Khánh Hòa', '058': 'Ninh Thuận', '060': 'Bình Thuận', '062': 'Kon Tum',
  '064': 'Gia Lai', '066': 'Đắk Lắk', '067': 'Đắk Nông', '068': 'Lâm Đồng', '070': 'Bình Phước',
  '072': 'Tây Ninh', '074': 'Bình Dương', '075': 'Đồng Nai', '077': 'Bà Rịa – Vũng Tàu', '079': 'TP Hồ Chí Minh',
  '080': 'Long An', '082': 'Tiền Giang', '083': 'Bến Tre', '084': 'Trà Vinh', '086': 'Vĩnh Long',
  '087': 'Đồng Tháp', '089': 'An Giang', '091': 'Kiên Giang', '092': 'Cần Thơ', '093': 'Hậu Giang',
  '094': 'Sóc Trăng', '095': 'Bạc Liêu', '096': 'Cà Mau',
};

export type Gender = 'male' | 'female';
export type PersonalIdProblem = 'format' | 'province' | 'century';
export type PersonalIdMismatch = 'birthYear' | 'gender';

export type ParsedPersonalId =
  | { ok: true; province: string; provinceName: string | null; bornAbroad: boolean; gender: Gender; birthYear: number }
  | { ok: false; reason: PersonalIdProblem };

/** Reads the structure of an ID; a birth year after `today`'s year is impossible, reported as 'century'. */
export function parsePersonalId(id: string, today: Date = new Date()): ParsedPersonalId {
  if (!/^\d{12}$/.test(id)) return { ok: false, reason: 'format' };
  const province = id.slice(0, 3);
  const bornAbroad = !province.startsWith('0');
  if (!bornAbroad && !(province in provinceCodes)) return { ok: false, reason: 'province' };
  const d = Number(id[3]);
  const birthYear = (Math.floor(d / 2) + 19) * 100 + Number(id.slice(4, 6));
  if (birthYear > today.getUTCFullYear()) return { ok: false, reason: 'century' };
  return { ok: true, province, provinceName: provinceCodes[province] ?? null, bornAbroad, gender: d % 2 === 0 ? 'male' : 'female', birthYear };
}

/**
 * Every reason the ID does not fit: its own structure first, then the facts given with it
 * (`birthDate` as YYYY-MM-DD). Empty when the ID is consistent.
 */
export function checkPersonalId(
  id: string,
  facts: { birthDate?: string | null; gender?: Gender | null } = {},
  today: Date = new Date(),
): (PersonalIdProblem | PersonalIdMismatch)[] {
  const parsed = parsePersonalId(id, today);
  if (!parsed.ok) return [parsed.reason];
  const out: PersonalIdMismatch[] = [];
  if (facts.birthDate && Number(facts.birthDate.slice(0, 4)) !== parsed.birthYear) out.push('birthYear');
  if (facts.gender && facts.gender !== parsed.gender) out.push('gender');
  return out;
}

/**
 * The ID a person born in `birthYear` with `gender` in `province` gets, with `serial` as the
 * last six digits: the inverse of `parsePersonalId` (synthetic registries and tests use it).
 */
export function composePersonalId(o: { province: string; birthYear: number; gender: Gender; serial: number }): string {
  const century = Math.floor(o.birthYear / 100) - 19;
  if (!/^\d{3}$/.test(o.province) || century < 0 || century > 4 || !Number.isInteger(o.serial) || o.serial < 0 || o.serial > 999_999) {
    throw new RangeError('no personal ID has these facts');
  }
  const digit = century * 2 + (o.gender === 'female' ? 1 : 0);
  return `${o.province}${digit}${String(o.birthYear % 100).padStart(2, '0')}${String(o.serial).padStart(6, '0')}`;
}

/** The masked form shown on screens: first 3 and last 2 digits. */
export function maskPersonalId(id: string): string {
  return id.length === 12 ? `${id.slice(0, 3)}*******${id.slice(-2)}` : '************';
}

/** A form field: trims spaces, then checks the structure; messages are `auth.personalId.*` keys. */
export const personalIdSchema = z
  .string()
  .transform((v) => v.replace(/\s+/g, ''))
  .superRefine((v, ctx) => {
    const parsed = parsePersonalId(v);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `auth.personalId.${parsed.reason}` });
  });

/**
 * A `superRefine` for form objects with `personalId`, `birthDate` (YYYY-MM-DD) and `gender`:
 * an issue on `personalId` for each fact its digits contradict. Runs even when other fields
 * failed, so it only trusts values of the right shape.
 */
export function refinePersonalIdFacts(value: { personalId?: unknown; birthDate?: unknown; gender?: unknown }, ctx: z.RefinementCtx): void {
  const { personalId, birthDate, gender } = value;
  if (typeof personalId !== 'string' || !parsePersonalId(personalId).ok) return;
  const mismatches = checkPersonalId(personalId, {
    birthDate: typeof birthDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? birthDate : null,
    gender: gender === 'male' || gender === 'female' ? gender : null,
  });
  for (const m of mismatches) ctx.addIssue({ code: 'custom', path: ['personalId'], message: `auth.personalId.${m}` });
}
