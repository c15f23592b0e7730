import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import './messages.ts';

/**
 * Password hashes: scrypt (memory-hard, in node:crypto, so no native add-on), stored as
 * `scrypt$N$r$p$salt$hash` (base64url) so the cost can be raised later without breaking
 * existing hashes.
 */
const params = { N: 2 ** 15, r: 8, p: 1 };
const keyLength = 64;
const saltLength = 16;
// scrypt needs 128·N·r bytes (32 MiB here); Node's default ceiling is exactly that, so raise it.
const maxmem = (n: number, r: number) => 128 * n * r * 2;

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...o, maxmem: maxmem(o.N, o.r) };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const o = { N: Number(n), r: Number(r), p: Number(p) };
  // Our own hashes only: refuse parameters that would let a bad row exhaust memory.
  if (![o.N, o.r, o.p].every(Number.isSafeInteger) || o.N > 2 ** 20 || o.r > 32 || o.p > 16) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), o);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Verified against when the login is unknown, so that case takes as long as a wrong password. */
export const DUMMY_HASH =
  'scrypt$32768$8$1$umpYkzgRhwt_bpcuBM-plA$s2i31n7iY3ZnqkfMNnm8R8FGyTqs2lWCrSWVx8K7TXUeOX6LbynvQwUQIeHIQzbzOzrGh6x14_5uOy6IWJOy3Q';

/** The password policy, for every form that sets a password: at least 10 characters, not digits only. */
export const passwordSchema = z
  .string()
  .min(10, 'auth.password.short')
  .max(200, 'auth.password.long')
  .refine((v) => !/^\d+$/.test(v), 'auth.password.digits');
