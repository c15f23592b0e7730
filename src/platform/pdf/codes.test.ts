import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { code128Png, qrSymbol } from './codes.ts';
import { decodeQr, qrSymbolPng } from './testing.ts';

describe('QR codes', () => {
  it('gives a symbol that decodes back to its content', () => {
    const url = 'https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma=000.01.01.H26-261127-0001';
    expect(decodeQr(qrSymbolPng(qrSymbol(url)))).toBe(url);
  });

  it('keeps Vietnamese text intact (UTF-8 byte mode)', () => {
    const text = 'Hồ sơ 000.01.01.H26-261127-0001 – Nguyễn Thị Hoàng Yến';
    expect(decodeQr(qrSymbolPng(qrSymbol(text, { errorCorrection: 'Q' })))).toBe(text);
  });

  it('leaves the quiet zone empty and draws each row as whole runs', () => {
    const symbol = qrSymbol('HS 0001', { margin: 3 });
    // Version 1 (21 modules) plus three on each side.
    expect(symbol.side).toBe(27);
    for (const run of symbol.runs) {
      expect(run.x).toBeGreaterThanOrEqual(3);
      expect(run.x + run.length).toBeLessThanOrEqual(24);
      expect(run.y).toBeGreaterThanOrEqual(3);
      expect(run.y).toBeLessThan(24);
    }
    // Runs of one row never touch: each is as long as it can be.
    const ends = new Set(symbol.runs.map((r) => `${r.y}:${r.x + r.length}`));
    expect(symbol.runs.some((r) => ends.has(`${r.y}:${r.x}`))).toBe(false);
    // The finder pattern's top edge: seven dark modules from the corner of the symbol.
    expect(symbol.runs[0]).toEqual({ x: 3, y: 3, length: 7 });
  });

  it('refuses empty content', () => {
    expect(() => qrSymbol('')).toThrow(RangeError);
  });
});

describe('Code 128 barcodes', () => {
  it('draws a wide, short PNG of the bars', async () => {
    const img = PNG.sync.read(await code128Png('000.01.01.H26-261127-0001'));
    expect(img.width).toBeGreaterThan(3 * img.height);
    // Black bars on white: the middle row has both.
    const row = Math.floor(img.height / 2) * img.width * 4;
    const reds = new Set<number>();
    for (let x = 0; x < img.width; x++) reds.add(img.data[row + x * 4] ?? -1);
    expect([...reds].sort((a, b) => a - b)).toEqual([0, 255]);
  });

  it('refuses content a scanner could not read back the same', async () => {
    await expect(code128Png('')).rejects.toThrow(RangeError);
    await expect(code128Png('Hồ sơ 01')).rejects.toThrow(/ASCII/);
  });
});
