/**
 * Messages in Vietnamese (the default) and English. Each module contributes its own catalogue
 * with `defineMessages`; keys are namespaced by module (`catalog.*`, `auth.*`).
 */
export const locales = ['vi', 'en'] as const;
export type Locale = (typeof locales)[number];
export type MessageParams = Record<string, string | number>;
type Catalogue = Record<string, { vi: string; en: string }>;

const registry = new Map<string, { vi: string; en: string }>();

export function defineMessages<T extends Catalogue>(messages: T): T {
  for (const [key, value] of Object.entries(messages)) registry.set(key, value);
  return messages;
}

export function hasMessage(key: string): boolean {
  return registry.has(key);
}

/** Translates a key; an unknown key is returned as is, so a plain sentence passes through. */
export function t(locale: Locale, key: string, params?: MessageParams): string {
  const entry = registry.get(key);
  let text = entry ? entry[locale] : key;
  if (params) {
    for (const [name, value] of Object.entries(params)) text = text.replaceAll(`{${name}}`, String(value));
  }
  return text;
}

export function isLocale(value: unknown): value is Locale {
  return value === 'vi' || value === 'en';
}

/** Picks the locale: explicit choice (query or cookie) first, then Accept-Language, then Vietnamese. */
export function negotiateLocale(explicit: unknown, acceptLanguage: string | undefined): Locale {
  if (isLocale(explicit)) return explicit;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag = '', ...rest] = part.trim().split(';');
        const q = rest.find((r) => r.trim().startsWith('q='));
        return { lang: tag.trim().toLowerCase().slice(0, 2), q: q ? Number(q.trim().slice(2)) : 1 };
      })
      .filter((x) => x.lang && !Number.isNaN(x.q))
      .sort((a, b) => b.q - a.q);
    for (const { lang } of ranked) if (isLocale(lang)) return lang;
  }
  return 'vi';
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Formats a UTC instant in the configured time zone, in the reader's language. */
export function formatDateTime(iso: string, locale: Locale, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let fmt = dateFormats.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    dateFormats.set(key, fmt);
  }
  return fmt.format(new Date(iso));
}

const vnd = new Intl.NumberFormat('vi-VN');

export function formatVnd(amount: number, locale: Locale): string {
  return locale === 'vi' ? `${vnd.format(amount)} đồng` : `VND ${vnd.format(amount)}`;
}

/** dd/mm/yyyy for a YYYY-MM-DD date, the way Vietnamese documents write it. */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}
