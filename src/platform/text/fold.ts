/**
 * Folds Vietnamese text for matching: NFC-normalised input → lower case, no tone or vowel
 * marks, đ → d. "Đăng ký khai sinh" and "dang ky khai sinh" fold to the same string.
 * (SQLite FTS5 and MiniSearch do not fold đ themselves, hence this one function for all.)
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}

/** Syllables of folded text: Vietnamese words are written as space-separated syllables. */
export function syllables(text: string): string[] {
  return fold(text)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}
