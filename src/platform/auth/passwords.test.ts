import { describe, expect, it } from 'vitest';
import { DUMMY_HASH, hashPassword, passwordSchema, verifyPassword } from './passwords.ts';

describe('password hashes', () => {
  it('hashes with scrypt and a fresh salt, and verifies', async () => {
    const a = await hashPassword('Mật khẩu dài 2026');
    const b = await hashPassword('Mật khẩu dài 2026');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('Mật khẩu dài 2026', a)).toBe(true);
    // The same text typed in NFD (as some keyboards send it) is the same password.
    expect(await verifyPassword('Mật khẩu dài 2026'.normalize('NFD'), a)).toBe(true);
    expect(await verifyPassword('Mật khẩu dài 2025', a)).toBe(false);
  });

  it('refuses malformed or abusive stored hashes', async () => {
    expect(await verifyPassword('x', 'plain')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1073741824$8$1$AAAA$AAAA')).toBe(false);
    expect(DUMMY_HASH.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPassword('anything', DUMMY_HASH)).toBe(false);
  });
});

describe('password policy', () => {
  it.each([
    ['Demo@2026pass', true],
    ['mười ký tự!', true],
    ['short1!', false],
    ['1234567890123', false],
    ['x'.repeat(201), false],
  ])('%s → %s', (password, ok) => {
    expect(passwordSchema.safeParse(password).success).toBe(ok);
  });
});
