import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Fonts for Vietnamese documents. PDF's built-in Helvetica has no glyphs for most Vietnamese
 * letters (ế, ộ, ữ, đ… come out as garbage), so every document embeds a TrueType face from
 * the npm package `dejavu-fonts-ttf` (installed by `npm ci`, no system fonts needed). DejaVu
 * covers all 194 Vietnamese letters in Sans and Serif (the package's langcover.txt).
 *
 * Each file is read once per process and the Buffer kept; every PDF registers the cached
 * Buffers under the style names below (pdfkit parses them for that document), and embeds only
 * the glyphs it used (subset).
 *
 * Why not share one parsed fontkit face between documents (it would save ~40 ms a notice)?
 * Tried: fontkit keeps per-face glyph state that pdfkit's per-document subsets then disagree
 * with, and a later PDF in the same process lost letters ("Tên g ấy tờ" for "Tên giấy tờ").
 * The tests beside this file render many documents in one process and check their text.
 */
export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';

/**
 * `serif` (default) is DejaVu Serif Condensed: the nearest to Times New Roman, the face of
 * Vietnamese administrative documents, in width as well as look (about as many letters per
 * line at 13 pt). `serif-wide` is the normal-width DejaVu Serif; `sans` is DejaVu Sans.
 */
export type FontFamily = 'serif' | 'serif-wide' | 'sans';

const FILES: Record<FontFamily, Record<FontStyle, string>> = {
  serif: {
    regular: 'DejaVuSerifCondensed.ttf',
    bold: 'DejaVuSerifCondensed-Bold.ttf',
    italic: 'DejaVuSerifCondensed-Italic.ttf',
    boldItalic: 'DejaVuSerifCondensed-BoldItalic.ttf',
  },
  'serif-wide': {
    regular: 'DejaVuSerif.ttf',
    bold: 'DejaVuSerif-Bold.ttf',
    italic: 'DejaVuSerif-Italic.ttf',
    boldItalic: 'DejaVuSerif-BoldItalic.ttf',
  },
  sans: {
    regular: 'DejaVuSans.ttf',
    bold: 'DejaVuSans-Bold.ttf',
    italic: 'DejaVuSans-Oblique.ttf',
    boldItalic: 'DejaVuSans-BoldOblique.ttf',
  },
};

export const FONT_STYLES: readonly FontStyle[] = ['regular', 'bold', 'italic', 'boldItalic'];

const buffers = new Map<FontFamily, Readonly<Record<FontStyle, Buffer>>>();

/** Absolute path of one font file inside node_modules (throws if the package is missing). */
export function fontPath(family: FontFamily, style: FontStyle): string {
  const require = createRequire(import.meta.url);
  return require.resolve(`dejavu-fonts-ttf/ttf/${FILES[family][style]}`);
}

/** The four styles of a family as file contents, read from disk on first use only. */
export function loadFontFamily(family: FontFamily): Readonly<Record<FontStyle, Buffer>> {
  let fonts = buffers.get(family);
  if (!fonts) {
    fonts = Object.freeze({
      regular: readFileSync(fontPath(family, 'regular')),
      bold: readFileSync(fontPath(family, 'bold')),
      italic: readFileSync(fontPath(family, 'italic')),
      boldItalic: readFileSync(fontPath(family, 'boldItalic')),
    });
    buffers.set(family, fonts);
  }
  return fonts;
}
