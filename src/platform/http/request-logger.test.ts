import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { redactPaths } from './logging.ts';
import { lazyRequestLogger } from './request-logger.ts';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: pino({ level, redact: { paths: redactPaths, censor: '[redacted]' } }, stream) };
}

describe('the per-request logger', () => {
  it('writes nothing below the level, and binds the request id with personal data redacted above it', async () => {
    const { lines, logger } = capture('warn');
    const log = lazyRequestLogger(logger, { reqId: 'req-12345678' }, {});
    log.info({ route: '/x' }, 'request');
    log.debug('nothing');
    expect((log as unknown as { isLevelEnabled(l: string): boolean }).isLevelEnabled('info')).toBe(false);
    log.error({ applicant: { personalId: '001090012345', fullName: 'Nguyễn Văn An' }, status: 500 }, 'request failed');
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, reqId: 'req-12345678', msg: 'request failed', status: 500, applicant: { personalId: '[redacted]', fullName: '[redacted]' } });
  });

  it('follows a route-level level and hands out real children', async () => {
    const { lines, logger } = capture('warn');
    const log = lazyRequestLogger(logger, { reqId: 'req-abcdefgh' }, { level: 'debug' });
    expect(log.level).toBe('debug');
    log.debug('shown');
    log.child({ part: 'upload' }).warn('from a child');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.msg, l.reqId])).toEqual([
      ['shown', 'req-abcdefgh'],
      ['from a child', 'req-abcdefgh'],
    ]);
    expect(lines[1]).toMatchObject({ part: 'upload' });
  });
});
