import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { docxEntries, fixturesDir, makeDocx, makePdf, makePng, makeZip, samples } from '../../../test/fixtures/files/make.ts';
import { MEDIA_TYPES, Sniffer, sniff, TAIL_BYTES } from './sniff.ts';

const fixture = (name: string) => readFileSync(path.join(fixturesDir, name));

/** Magic numbers that start an accepted family. */
const MAGICS = [Buffer.from('%PDF-'), Buffer.from([0xff, 0xd8, 0xff]), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('PK\x03\x04', 'latin1')];
const startsWithMagic = (b: Buffer) => MAGICS.some((m) => b.length >= m.length && b.subarray(0, m.length).equals(m));

/** Feeds `data` to a sniffer in the given chunk sizes (cycled). */
function sniffChunked(data: Buffer, sizes: number[]) {
  const s = new Sniffer();
  let i = 0;
  let at = 0;
  while (at < data.length) {
    const n = Math.max(1, sizes[i++ % sizes.length] ?? 1);
    s.push(data.subarray(at, at + n));
    at += n;
  }
  return s.finish();
}

describe('sniff: the real type from the bytes', () => {
  it('has committed samples that match their generator (test/fixtures/files/make.ts)', () => {
    for (const [name, data] of Object.entries(samples())) expect(fixture(name), name).toEqual(data);
  });

  it('recognises the committed samples of each accepted type', () => {
    expect(sniff(fixture('sample.pdf'))).toEqual({ kind: 'pdf', mediaType: MEDIA_TYPES.pdf, damaged: false });
    expect(sniff(fixture('sample.jpg'))).toEqual({ kind: 'jpeg', mediaType: MEDIA_TYPES.jpeg, damaged: false });
    expect(sniff(fixture('sample.png'))).toEqual({ kind: 'png', mediaType: MEDIA_TYPES.png, damaged: false });
    expect(sniff(fixture('sample.docx'))).toEqual({ kind: 'docx', mediaType: MEDIA_TYPES.docx, damaged: false });
  });

  it('names what disguised files really are, whatever their extension', () => {
    expect(sniff(fixture('html-renamed.pdf')).kind).toBe('html');
    expect(sniff(fixture('exe-renamed.pdf')).kind).toBe('exe');
    expect(sniff(fixture('zip-renamed.pdf')).kind).toBe('zip');
    expect(sniff(fixture('png-renamed.pdf')).kind).toBe('png');
    expect(sniff(fixture('xlsx-renamed.docx'))).toMatchObject({ kind: 'xlsx', mediaType: null });
    expect(sniff(fixture('docm-renamed.docx'))).toMatchObject({ kind: 'docm', mediaType: null });
    expect(sniff(fixture('sample.xlsx')).kind).toBe('xlsx');
  });

  it('tells other common formats apart for the message', () => {
    const cases: [string | Buffer, string][] = [
      ['GIF89a\x01\x00\x01\x00', 'gif'],
      [Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'), Buffer.alloc(20)]), 'webp'],
      [Buffer.concat([Buffer.from('\0\0\0\x18ftypheic\0\0\0\0', 'latin1'), Buffer.alloc(20)]), 'heic'],
      [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'ole'],
      [Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), 'elf'],
      ['#!/bin/sh\nrm -rf /\n', 'script'],
      ['  <HTML><body>xin chào</body></HTML>', 'html'],
      ['<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'svg'],
      ['<?xml version="1.0"?><hoSo/>', 'xml'],
      ['Họ và tên: Nguyễn Văn A\n', 'text'],
      [Buffer.from([0x1f, 0x8b, 8, 0]), 'gzip'],
      [Buffer.from([0, 1, 2, 3, 0xff, 0xfe]), 'unknown'],
      ['', 'empty'],
    ];
    for (const [data, kind] of cases) {
      expect(sniff(Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8')).kind, kind).toBe(kind);
    }
  });

  it('sees truncated PDF and PNG files as damaged', () => {
    expect(sniff(fixture('truncated.pdf'))).toEqual({ kind: 'pdf', mediaType: MEDIA_TYPES.pdf, damaged: true });
    const png = makePng();
    expect(sniff(png.subarray(0, png.length - 12)).damaged).toBe(true);
    // A PNG signature without its IHDR chunk.
    expect(sniff(Buffer.concat([png.subarray(0, 8), Buffer.from('garbage-garbage-garbage')]))).toMatchObject({ kind: 'png', mediaType: null, damaged: true });
    // Leading junk before %PDF- is how HTML/PDF polyglots are made: not a PDF.
    expect(sniff(Buffer.concat([Buffer.from('<html>'), makePdf()])).kind).toBe('html');
  });

  it('reads a DOCX by its central directory, in the variants real writers produce', () => {
    expect(sniff(makeZip(docxEntries(), { dataDescriptor: true })).kind).toBe('docx');
    expect(sniff(makeZip(docxEntries(), { comment: 'Tạo bởi phần mềm một cửa' })).kind).toBe('docx');
    expect(sniff(makeZip(docxEntries(), { zip64: true })).kind).toBe('docx');
    // Names compare case-insensitively, as OPC part names do.
    expect(sniff(makeZip(docxEntries().map((e) => ({ ...e, name: e.name.replace('word/', 'Word/') })))).kind).toBe('docx');
    // Only one of the two required parts: not a DOCX.
    expect(sniff(makeZip(docxEntries().filter((e) => e.name !== '[Content_Types].xml'))).kind).toBe('zip');
    expect(sniff(makeZip(docxEntries().filter((e) => e.name !== 'word/document.xml'))).kind).toBe('zip');
  });

  it('does not take a ZIP whose structure does not hold for a DOCX', () => {
    const docx = makeDocx();
    // Truncated: the end record is gone.
    expect(sniff(docx.subarray(0, docx.length - 10))).toMatchObject({ kind: 'zip', mediaType: null, damaged: true });
    // Bytes appended after the end record.
    expect(sniff(Buffer.concat([docx, Buffer.from('trailing')]))).toMatchObject({ kind: 'zip', damaged: true });
    // Something inserted between the entries and the directory (offsets no longer add up).
    const eocd = docx.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
    const cdOffset = docx.readUInt32LE(eocd + 16);
    const shifted = Buffer.concat([docx.subarray(0, cdOffset), Buffer.alloc(7), docx.subarray(cdOffset)]);
    expect(sniff(shifted)).toMatchObject({ kind: 'zip', damaged: true });
    // A DOCX after a JPEG (a polyglot): the head decides, and it is a JPEG, not a DOCX.
    expect(sniff(Buffer.concat([fixture('sample.jpg'), docx])).kind).toBe('jpeg');
  });

  it('finds the directory of a DOCX larger than the tail window', () => {
    const big = makeZip([{ name: 'word/media/image1.png', data: randomBytes(3 * TAIL_BYTES) }, ...docxEntries()]);
    expect(big.length).toBeGreaterThan(TAIL_BYTES);
    expect(sniffChunked(big, [65536]).kind).toBe('docx');
  });

  it('gives the same verdict however the bytes are chunked', () => {
    const samples = ['sample.pdf', 'sample.jpg', 'sample.png', 'sample.docx', 'sample.xlsx', 'html-renamed.pdf', 'exe-renamed.pdf', 'truncated.pdf'].map(fixture);
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }), (data, sizes) => {
        expect(sniffChunked(data, sizes)).toEqual(sniff(data));
      }),
    );
  });

  it('never passes random bytes without a magic number as an accepted type', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 2048 }), (bytes) => {
        const data = Buffer.from(bytes);
        fc.pre(!startsWithMagic(data));
        expect(sniff(data).mediaType).toBeNull();
      }),
      { numRuns: 2000 },
    );
    // Random bytes after one of our text-like prefixes, too (they must not fool the text checks).
    fc.assert(
      fc.property(fc.constantFrom('<html>', '%PD', 'PK', '\xff\xd8', 'GIF89a', 'MZ', ''), fc.uint8Array({ maxLength: 600 }), (prefix, bytes) => {
        const data = Buffer.concat([Buffer.from(prefix, 'latin1'), Buffer.from(bytes)]);
        fc.pre(!startsWithMagic(data));
        expect(sniff(data).mediaType).toBeNull();
      }),
    );
  });

  it('never takes a ZIP header followed by random bytes for a DOCX', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        const d = sniff(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from(bytes)]));
        expect(d.kind).not.toBe('docx');
        expect(d.mediaType).toBeNull();
      }),
    );
  });

  it('refuses early from the head, without waiting for the end', () => {
    const s = new Sniffer();
    const html = Buffer.concat([fixture('html-renamed.pdf'), Buffer.alloc(600, 0x20)]);
    s.push(html.subarray(0, 10));
    expect(s.early()).toBeNull(); // not enough to name it yet
    s.push(html.subarray(10));
    expect(s.early()).toEqual({ rejected: { kind: 'html', mediaType: null, damaged: false } });
    const p = new Sniffer();
    p.push(Buffer.from('%PD'));
    expect(p.early()).toBeNull(); // could still become a PDF
    p.push(Buffer.from('F-1.7\n'));
    expect(p.early()).toEqual({ family: 'pdf' });
  });
});
