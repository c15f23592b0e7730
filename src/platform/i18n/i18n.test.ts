import { describe, expect, it } from 'vitest';
import { defineMessages, formatVnd, negotiateLocale, t } from './index.ts';

describe('i18n', () => {
  defineMessages({ 'test.hello': { vi: 'Xin chào {name}', en: 'Hello {name}' } });

  it('is Vietnamese first and English on request', () => {
    expect(negotiateLocale(undefined, undefined)).toBe('vi');
    expect(negotiateLocale(undefined, 'en-US,en;q=0.9')).toBe('en');
    expect(negotiateLocale(undefined, 'fr-FR, en;q=0.5, vi;q=0.8')).toBe('vi');
    expect(negotiateLocale('en', 'vi')).toBe('en');
    expect(negotiateLocale('de', 'de-DE')).toBe('vi');
  });

  it('translates with parameters and formats money as integer VND', () => {
    expect(t('vi', 'test.hello', { name: 'An' })).toBe('Xin chào An');
    expect(t('en', 'test.hello', { name: 'An' })).toBe('Hello An');
    expect(formatVnd(1200000, 'vi')).toBe('1.200.000 đồng');
  });
});
