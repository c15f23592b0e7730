import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError, DiskStorage, newBlobKey } from './storage.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const dirs: string[] = [];
function tempStorage(): DiskStorage {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'egov-files-'));
  dirs.push(dir);
  return new DiskStorage(path.join(dir, 'files'));
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Every file under the root, relative, sorted. */
function allFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('DiskStorage', () => {
  it('stores a buffer under a sharded path and reports its size and SHA-256', async () => {
    const storage = tempStorage();
    const key = newBlobKey();
    const data = randomBytes(1000);
    const result = await storage.put(key, data);
    expect(result).toEqual({ size: 1000, sha256: sha256(data) });
    expect(key).toMatch(/^\d{12}-[0-9a-f-]{36}$/);
    expect(allFiles(storage.root)).toEqual([path.join(key.slice(0, 8), key.slice(8, 12), key)]);
    expect(await storage.exists(key)).toBe(true);
    expect(await readAll(await storage.get(key))).toEqual(data);
  });

  it('when put resolves, the whole stream is on disk with the right hash and no temporary file', async () => {
    const storage = tempStorage();
    const key = newBlobKey();
    const data = randomBytes(3 * 1024 * 1024 + 17);
    // Many small chunks, delivered asynchronously.
    async function* chunks() {
      for (let at = 0; at < data.length; at += 50_000) {
        await new Promise((r) => setImmediate(r));
        yield data.subarray(at, at + 50_000);
      }
    }
    const result = await storage.put(key, Readable.from(chunks()));
    const onDisk = readFileSync(storage.pathFor(key));
    expect(onDisk.length).toBe(data.length);
    expect(sha256(onDisk)).toBe(sha256(data));
    expect(result).toEqual({ size: data.length, sha256: sha256(data) });
    expect(allFiles(storage.root).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('leaves nothing when the stream fails half way', async () => {
    const storage = tempStorage();
    const key = newBlobKey();
    async function* failing() {
      yield randomBytes(100_000);
      throw new Error('client went away');
    }
    await expect(storage.put(key, Readable.from(failing()))).rejects.toThrow('client went away');
    expect(await storage.exists(key)).toBe(false);
    expect(allFiles(storage.root)).toEqual([]);
  });

  it('never overwrites a key, and refuses keys that could escape the directory', async () => {
    const storage = tempStorage();
    const key = newBlobKey();
    await storage.put(key, Buffer.from('first'));
    await expect(storage.put(key, Buffer.from('second'))).rejects.toThrow(/already exists/);
    expect(readFileSync(storage.pathFor(key), 'utf8')).toBe('first');
    for (const bad of ['../../etc/passwd', 'ABCDEFGHIJ', 'short', 'a/b/c/d/e/f', '.tmp-xxxxxxxx', '']) {
      expect(() => storage.pathFor(bad)).toThrow(/invalid blob key/);
      await expect(storage.put(bad, Buffer.from('x'))).rejects.toThrow(/invalid blob key/);
    }
  });

  it('gets, lists and deletes', async () => {
    const storage = tempStorage();
    await expect(storage.get(newBlobKey())).rejects.toBeInstanceOf(BlobNotFoundError);
    const keys = [newBlobKey(), newBlobKey(), newBlobKey()];
    for (const k of keys) await storage.put(k, Buffer.from(k));
    const listed = [];
    for await (const b of storage.list()) listed.push(b);
    expect(listed.map((b) => b.key).sort()).toEqual([...keys].sort());
    expect(listed.every((b) => b.size === Buffer.byteLength(b.key) && b.modifiedAt instanceof Date)).toBe(true);
    await storage.delete(keys[0] as string);
    await storage.delete(keys[0] as string); // idempotent
    expect(await storage.exists(keys[0] as string)).toBe(false);
    expect(await storage.exists(keys[1] as string)).toBe(true);
  });

  it('files the blobs of one minute together, and keeps older UUID keys where they were put', async () => {
    const storage = tempStorage();
    const at = new Date('2026-11-27T14:31:05Z');
    const sameMinute = [newBlobKey(at), newBlobKey(new Date('2026-11-27T14:31:59Z'))];
    const nextDay = newBlobKey(new Date('2026-11-28T00:00:00Z'));
    const legacy = randomUUID();
    for (const k of [...sameMinute, nextDay, legacy]) await storage.put(k, Buffer.from(k));
    expect(sameMinute.map((k) => path.dirname(storage.pathFor(k)))).toEqual([path.join(storage.root, '20261127', '1431'), path.join(storage.root, '20261127', '1431')]);
    expect(path.dirname(storage.pathFor(nextDay))).toBe(path.join(storage.root, '20261128', '0000'));
    expect(storage.pathFor(legacy)).toBe(path.join(storage.root, legacy.slice(0, 2), legacy.slice(2, 4), legacy));
    const listed = [];
    for await (const b of storage.list()) listed.push(b.key);
    expect(listed.sort()).toEqual([...sameMinute, nextDay, legacy].sort());
    for (const k of [...sameMinute, nextDay, legacy]) expect((await readAll(await storage.get(k))).toString()).toBe(k);
    await storage.close();
    // Still usable after close: the directory is opened again.
    const later = newBlobKey(at);
    await storage.put(later, Buffer.from('after close'));
    expect(readFileSync(storage.pathFor(later), 'utf8')).toBe('after close');
    await storage.close();
  });

  it('purges leftovers of interrupted writes once they are old enough', async () => {
    const storage = tempStorage();
    const key = newBlobKey();
    await storage.put(key, Buffer.from('kept'));
    const dir = path.dirname(storage.pathFor(key));
    const old = path.join(dir, `.tmp-${key}-aaaaaaaaaaaa`);
    const fresh = path.join(dir, `.tmp-${key}-bbbbbbbbbbbb`);
    writeFileSync(old, 'partial');
    writeFileSync(fresh, 'in progress');
    const anHourAgo = new Date(Date.now() - 3600_000);
    utimesSync(old, new Date(anHourAgo.getTime() - 1000), new Date(anHourAgo.getTime() - 1000));
    // Temporary files are never listed as blobs.
    const listed = [];
    for await (const b of storage.list()) listed.push(b.key);
    expect(listed).toEqual([key]);
    expect(await storage.purgeIncomplete(anHourAgo)).toBe(1);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(await storage.exists(key)).toBe(true);
  });
});

/**
 * A real kill: a child process writes through DiskStorage and is SIGKILLed, either during a
 * put or right after one resolved.
 */
describe('DiskStorage when the process is killed', () => {
  const storageModule = path.join(path.dirname(fileURLToPath(import.meta.url)), 'storage.ts');
  const childScript = `
    import { DiskStorage } from ${JSON.stringify(storageModule)};
    import { Readable } from 'node:stream';
    const [root, key, mode] = process.argv.slice(-3);
    const storage = new DiskStorage(root);
    const chunk = Buffer.alloc(64 * 1024, 7);
    async function* slow() {
      for (let i = 0; ; i++) {
        if (mode === 'after' && i === 64) return; // 4 MB, then the end
        // Past the first megabyte (and Readable.from's read-ahead) the temporary file exists.
        if (mode === 'during' && i === 48) process.stdout.write('writing\\n');
        await new Promise((r) => setTimeout(r, 1));
        yield chunk;
      }
    }
    const result = await storage.put(key, Readable.from(slow()));
    process.stdout.write('done ' + result.sha256 + '\\n');
    process.kill(process.pid, 'SIGKILL');
  `;

  function runChild(root: string, key: string, mode: 'during' | 'after'): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', childScript, root, key, mode], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (mode === 'during' && out.includes('writing')) child.kill('SIGKILL');
      });
      child.stderr.on('data', (d) => {
        err += d;
      });
      child.on('error', reject);
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(out) : reject(new Error(`child exited without being killed: ${err}`))));
    });
  }

  it('a kill during put leaves no blob under the key, only a temporary file for the purge', async () => {
    const storage = tempStorage();
    const key = newBlobKey();
    await runChild(storage.root, key, 'during');
    expect(await storage.exists(key)).toBe(false);
    const leftovers = allFiles(storage.root);
    expect(leftovers).toHaveLength(1);
    expect(path.basename(leftovers[0] as string)).toMatch(/^\.tmp-/);
    expect(await storage.purgeIncomplete(new Date(Date.now() + 1000))).toBe(1);
    expect(allFiles(storage.root)).toEqual([]);
  });

  it('a kill right after put resolved leaves the whole file', async () => {
    const storage = tempStorage();
    const key = newBlobKey();
    const out = await runChild(storage.root, key, 'after');
    const expected = sha256(Buffer.alloc(64 * 64 * 1024, 7));
    expect(out).toContain(`done ${expected}`);
    expect(sha256(readFileSync(storage.pathFor(key)))).toBe(expected);
    expect(allFiles(storage.root)).toEqual([path.join(key.slice(0, 8), key.slice(8, 12), key)]);
  });
});
