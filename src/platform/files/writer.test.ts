import { createHash } from 'node:crypto';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileWriter } from './writer.ts';

/** The writer threads on a real directory: what lands on disk, and what is left when a write fails. */
const dirs: string[] = [];
const writers: FileWriter[] = [];
afterAll(async () => {
  await Promise.all(writers.map((w) => w.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function setup(threads?: number, options?: { direct?: boolean }): { dir: string; writer: FileWriter } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'egov-writer-'));
  const writer = new FileWriter(threads, options);
  dirs.push(dir);
  writers.push(writer);
  return { dir, writer };
}

/** Whether the file system under the test directories takes O_DIRECT (tmpfs and others do not). */
function takesDirect(dir: string): boolean {
  const probe = path.join(dir, 'probe');
  try {
    closeSync(openSync(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_DIRECT));
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { force: true });
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function* pieces(data: Buffer, size: number, failAt?: number) {
  for (let at = 0; at < data.length; at += size) {
    if (failAt !== undefined && at >= failAt) throw new Error('the upload was cut off');
    await new Promise((r) => setImmediate(r));
    yield data.subarray(at, at + size);
  }
}

describe('FileWriter', () => {
  it('writes a file of several batches whole, with its size and SHA-256, and leaves nothing else', async () => {
    const { dir, writer } = setup();
    const data = Buffer.from(Array.from({ length: 2_600_000 }, (_, i) => (i * 7919) % 251));
    const file = path.join(dir, 'paper');
    expect(await writer.write(file, pieces(data, 64 * 1024))).toEqual({ size: data.length, sha256: sha256(data) });
    expect(readFileSync(file).equals(data)).toBe(true);
    expect(readdirSync(dir)).toEqual(['paper']);
  });

  it('never replaces a file that exists, and removes its temporary file', async () => {
    const { dir, writer } = setup();
    const file = path.join(dir, 'paper');
    writeFileSync(file, 'first');
    await expect(writer.write(file, [Buffer.from('second')])).rejects.toThrow(/already exists/);
    expect(readFileSync(file, 'utf8')).toBe('first');
    expect(readdirSync(dir)).toEqual(['paper']);
  });

  it('fails with the data when the data fails, and leaves no file', async () => {
    const { dir, writer } = setup();
    const data = Buffer.alloc(3 * 1024 * 1024, 1);
    await expect(writer.write(path.join(dir, 'paper'), pieces(data, 64 * 1024, 2 * 1024 * 1024))).rejects.toThrow('the upload was cut off');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports what the system refused, and goes on writing afterwards', async () => {
    const { dir, writer } = setup(1);
    await expect(writer.write(path.join(dir, 'missing', 'paper'), [Buffer.from('x')])).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await writer.write(path.join(dir, 'paper'), [Buffer.from('x')])).toEqual({ size: 1, sha256: sha256(Buffer.from('x')) });
  });

  it("leaves the caller's buffer intact (a lone piece is copied to the thread, not moved)", async () => {
    const { dir, writer } = setup();
    const data = Buffer.alloc(300_000, 5);
    await writer.write(path.join(dir, 'paper'), [data]);
    expect(data.length).toBe(300_000);
    expect(data[299_999]).toBe(5);
  });

  it('fails the writes in progress when closed, and starts new threads for the next', async () => {
    const { dir, writer } = setup();
    const slow = (async function* () {
      yield Buffer.alloc(2 * 1024 * 1024, 1);
      await new Promise((r) => setTimeout(r, 200));
      yield Buffer.alloc(10, 1);
    })();
    const cut = writer.write(path.join(dir, 'cut'), slow);
    await new Promise((r) => setTimeout(r, 100));
    await writer.close();
    await expect(cut).rejects.toThrow(/stopped/);
    expect(await writer.write(path.join(dir, 'next'), [Buffer.from('ok')])).toMatchObject({ size: 2 });
    expect(readdirSync(dir).filter((n) => !n.startsWith('.tmp-'))).toEqual(['next']);
  });

  it('writes many files at once over its threads', async () => {
    const { dir, writer } = setup(3);
    const files = Array.from({ length: 24 }, (_, i) => Buffer.alloc(50_000 + i, i));
    const results = await Promise.all(files.map((data, i) => writer.write(path.join(dir, `f${i}`), pieces(data, 16 * 1024))));
    expect(results).toEqual(files.map((data) => ({ size: data.length, sha256: sha256(data) })));
    expect(readdirSync(dir)).toHaveLength(24);
  });

  // Direct writes go by whole 512-byte blocks through a staging buffer of 1 MB, the rest of a
  // block waiting for the next piece: sizes and piece lengths on either side of those edges.
  it.each([
    { direct: true, label: 'direct where the file system takes it' },
    { direct: false, label: 'through the page cache' },
  ])('writes every size whole, $label', async ({ direct }) => {
    const { dir, writer } = setup(2, { direct });
    const cases = [
      [0, 1],
      [1, 1],
      [511, 100],
      [512, 512],
      [513, 7],
      [200 * 1024 + 77, 64 * 1024],
      [1024 * 1024 - 1, 333_333],
      [1024 * 1024 + 513, 1024 * 1024 + 513],
      [3 * 1024 * 1024 + 5, 65_537],
    ] as const;
    for (const [i, [size, piece]] of cases.entries()) {
      const data = Buffer.from(Array.from({ length: size }, (_, k) => (k * 31 + i) % 253));
      const file = path.join(dir, `f${i}`);
      expect(await writer.write(file, size === 0 ? [data] : pieces(data, piece))).toEqual({ size, sha256: sha256(data) });
      expect(readFileSync(file).equals(data)).toBe(true);
    }
    expect(readdirSync(dir).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    const expected = direct && takesDirect(dir) ? { direct: cases.length, buffered: 0 } : { direct: 0, buffered: cases.length };
    expect(writer.written).toEqual(expected);
  });
});
