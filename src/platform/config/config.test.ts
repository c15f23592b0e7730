import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

describe('configuration', () => {
  it('defaults to port 3000 and an SQLite file in the data directory', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'egov-cfg-'));
    const config = loadConfig({ EGOV_DATA_DIR: dir });
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'sqlite', file: path.join(dir, 'egov.db') });
    expect(config.cityCode).toBe('H26');
    // A generated secret is kept for the next start.
    expect(readFileSync(path.join(dir, 'secret.key'), 'utf8')).toBe(config.secret);
    expect(loadConfig({ EGOV_DATA_DIR: dir }).secret).toBe(config.secret);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db', EGOV_SECRET: 'x'.repeat(32) });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/db' });
  });

  it('runs several worker processes only on PostgreSQL', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'egov-cfg-'));
    expect(loadConfig({ EGOV_DATA_DIR: dir }).workers).toBe(1);
    expect(loadConfig({ EGOV_DATA_DIR: dir, EGOV_WORKERS: 'auto' }).workers).toBe(1);
    expect(() => loadConfig({ EGOV_DATA_DIR: dir, EGOV_WORKERS: '2' })).toThrow(/EGOV_WORKERS: more than one worker needs PostgreSQL/);
    const pg = { DATABASE_URL: 'postgres://u@h:5432/db', EGOV_SECRET: 'x'.repeat(32) };
    expect(loadConfig({ ...pg, EGOV_WORKERS: '4' }).workers).toBe(4);
    expect(loadConfig({ ...pg, EGOV_WORKERS: 'auto' }).workers).toBe(os.availableParallelism());
    expect(() => loadConfig({ ...pg, EGOV_WORKERS: '0' })).toThrow(/EGOV_WORKERS/);
    expect(() => loadConfig({ ...pg, EGOV_WORKERS: 'many' })).toThrow(/EGOV_WORKERS/);
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'abc', EGOV_CITY_CODE: 'Hanoi', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'abc', EGOV_CITY_CODE: 'Hanoi', DATABASE_URL: 'mysql://x' });
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('EGOV_CITY_CODE');
      expect(message).toContain('DATABASE_URL');
    }
  });
});
