import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { code128Png, qrModules, qrPng } from './codes.ts';
import { decodeQr } from './testing.ts';

describe('QR codes', () => {
  it('draws a PNG that decodes back to its content', async () => {
    const url = 'https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma=000.01.01.H26-261127-0001';
    const png = await qrPng(url);
    expect(decodeQr(png)).toBe(url);
  });

  it('keeps Vietnamese text intact (UTF-8 byte mode)', async () => {
    const text = 'Hồ sơ 000.01.01.H26-261127-0001 – Nguyễn Thị Hoàng Yến';
    expect(decodeQr(await qrPng(text, { errorCorrection: 'Q' }))).toBe(text);
  });

  it('draws whole pixels per module, quiet zone included', async () => {
    const url = 'https://example.vn/x';
    const img = PNG.sync.read(await qrPng(url, { scale: 5, margin: 2 }));
    expect(img.width).toBe((qrModules(url) + 4) * 5);
    expect(img.height).toBe(img.width);
  });

  it('refuses empty content', async () => {
    await expect(qrPng('')).rejects.toThrow(RangeError);
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
