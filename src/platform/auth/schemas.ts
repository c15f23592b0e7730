import { z } from 'zod';
import { passwordSchema } from './passwords.ts';
import { personalIdSchema, refinePersonalIdFacts } from './personal-id.ts';
import { roles } from './policy.ts';
import './messages.ts';

/** Input schemas shared by the pages, the API and the service. Messages are `auth.*` keys. */

/** Input as it arrives from a form or a client: the service validates it with the schema. */
export type Untrusted<T> = { [K in keyof T]?: unknown };

/** 0912 345 678, +84 912345678 and 84912345678 are all stored as 0912345678. */
export function normalizePhone(value: string): string {
  return value.replace(/[\s.()-]/g, '').replace(/^\+?84(?=\d{9,10}$)/, '0');
}

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** A login is an email when it has an @, else a phone number. */
export function parseLogin(value: string): { email: string } | { phone: string } {
  return value.includes('@') ? { email: normalizeEmail(value) } : { phone: normalizePhone(value.trim()) };
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const phoneSchema = z
  .string()
  .transform(normalizePhone)
  .pipe(z.string().regex(/^0\d{9,10}$/, 'auth.phone.format'));

export const emailSchema = z
  .string()
  .transform(normalizeEmail)
  .pipe(z.string().max(200, 'auth.email.format').regex(/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/, 'auth.email.format'));

/** YYYY-MM-DD, or dd/mm/yyyy as typed where the browser has no date picker. */
export const birthDateSchema = z
  .string()
  .trim()
  .transform((v) => {
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
    return m ? `${m[3]}-${m[2]?.padStart(2, '0')}-${m[1]?.padStart(2, '0')}` : v;
  })
  .superRefine((v, ctx) => {
    const date = new Date(`${v}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== v) {
      ctx.addIssue({ code: 'custom', message: 'auth.birthDate.format' });
    } else if (v < '1900-01-01' || date.getTime() > Date.now()) {
      ctx.addIssue({ code: 'custom', message: 'auth.birthDate.range' });
    }
  });

export const fullNameSchema = z.string().trim().min(1, 'auth.fullName.required').max(100).transform((v) => v.normalize('NFC').replace(/\s+/g, ' '));

export const registerSchema = z
  .object({
    fullName: fullNameSchema,
    personalId: personalIdSchema,
    birthDate: birthDateSchema,
    gender: z.enum(['male', 'female'], { message: 'auth.gender.required' }),
    phone: z.preprocess(blankToUndefined, phoneSchema.optional()),
    email: z.preprocess(blankToUndefined, emailSchema.optional()),
    password: passwordSchema,
    passwordConfirm: z.string(),
  })
  .superRefine((v, ctx) => {
    if (!v.phone && !v.email) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'auth.contact.required' });
    if (typeof v.password === 'string' && v.password.length >= 10 && v.password !== v.passwordConfirm) {
      ctx.addIssue({ code: 'custom', path: ['passwordConfirm'], message: 'auth.password.mismatch' });
    }
  })
  .superRefine(refinePersonalIdFacts);
export type RegisterInput = z.input<typeof registerSchema>;

export const loginSchema = z.object({
  login: z.string().trim().min(1, 'auth.login.required').max(200),
  password: z.string().min(1, 'auth.password.required').max(200),
});
export type LoginInput = z.input<typeof loginSchema>;

export const agencyCodeSchema = z.string().trim().toUpperCase().regex(/^\d{3}\.\d{2}\.\d{2}\.[GH]\d{2}$/, 'auth.agency.format');

/** One checkbox gives a string, several an array. */
const checkboxes = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(roles)).min(1, 'auth.roles.required'));

export const officerSchema = z.object({
  fullName: fullNameSchema,
  email: emailSchema,
  phone: z.preprocess(blankToUndefined, phoneSchema.optional()),
  agencyCode: agencyCodeSchema,
  roles: checkboxes,
  password: passwordSchema,
});
export type OfficerInput = z.input<typeof officerSchema>;
