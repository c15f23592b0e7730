import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold, syllables } from './fold.ts';

describe('fold', () => {
  it('removes Vietnamese marks, including đ', () => {
    expect(fold('Đăng ký khai sinh')).toBe('dang ky khai sinh');
    expect(fold('Giấy phép lái xe')).toBe('giay phep lai xe');
    expect(fold('Phiếu lý lịch tư pháp')).toBe('phieu ly lich tu phap');
    expect(syllables('Hộ tịch – Cấp bản sao')).toEqual(['ho', 'tich', 'cap', 'ban', 'sao']);
  });

  it('gives the same result for composed and decomposed input and is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(fold(s.normalize('NFD'))).toBe(fold(s.normalize('NFC')));
        expect(fold(fold(s))).toBe(fold(s));
      }),
    );
  });
});
