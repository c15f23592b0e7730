import { describe, expect, it } from 'vitest';
import { type FontFamily, loadFontFamily } from './fonts.ts';
import { FormDocument } from './form-document.ts';
import { pdfText, squash } from './testing.ts';

// Every letter of the Vietnamese alphabet with every tone mark, in both cases (NFC).
const VOWELS = 'aăâeêioôơuưy';
const TONES = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];
const letters = [...VOWELS].flatMap((v) => TONES.map((t) => (v + t).normalize('NFC')));
const ALPHABET = [...letters, 'đ', ...'bcdghklmnpqrstvx'].flatMap((c) => [c, c.toUpperCase()]);
const STYLES = [{}, { bold: true }, { italic: true }, { bold: true, italic: true }];

/** What comes back out of a PDF that sets `text` in every style of `family`. */
async function roundTrip(family: FontFamily, text: string): Promise<string[]> {
  const doc = new FormDocument({ title: 'Bảng chữ cái', font: family });
  for (const style of STYLES) doc.paragraph(text, { ...style, align: 'left' }).space(6);
  const out = squash(await pdfText(await doc.render()));
  return STYLES.map(() => text).filter((t) => out.includes(t));
}

describe('fonts', () => {
  it('counts 72 vowel forms and 17 consonants, in both cases', () => {
    expect(new Set(ALPHABET).size).toBe((72 + 17) * 2);
    for (const c of ALPHABET) expect([...c]).toHaveLength(1);
  });

  it.each(['serif', 'serif-wide', 'sans'] as FontFamily[])('%s sets every Vietnamese letter in every style', async (family) => {
    const text = ALPHABET.join(' ');
    expect(await roundTrip(family, text)).toHaveLength(STYLES.length);
  });

  it('would notice a missing glyph: pdfkit drops it from the text layer', async () => {
    expect(await roundTrip('serif', 'A 漢字 B')).toHaveLength(0);
  });

  it('reads each family from disk once', () => {
    expect(loadFontFamily('serif')).toBe(loadFontFamily('serif'));
  });
});
