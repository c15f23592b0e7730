import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testPlatform } from '../../../test/helpers/platform.ts';
import { memoryLogger } from '../outbox/test-clock.ts';
import { createNotifications, enqueueNotification, NOTIFY_TOPIC, type Notifications, type SmsGateway, type SmsMessage } from './index.ts';

/** notify.send through the outbox, with the log sinks (no SMTP configured). */
let t: TestDatabase;
let n: Notifications;
const log = memoryLogger();
const gatewaySends: SmsMessage[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  // A gateway that records what it was asked to send, so repeated sends can be counted.
  const sms: SmsGateway = {
    name: 'log',
    send: async (message) => {
      gatewaySends.push(message);
    },
  };
  n = createNotifications(testPlatform(t), { logger: log, sms });
});
afterAll(async () => {
  await n?.close();
  await t?.dispose();
});

const db = () => t.handle.db;
const logRows = () => db().selectFrom('notification_log').selectAll().orderBy('id').execute();

describe('notify.send', () => {
  it('sends an SMS queued in a committed transaction, and records it', async () => {
    const { id } = await db()
      .transaction()
      .execute((trx) =>
        enqueueNotification(n.outbox, trx, { channel: 'sms', to: '0912345678', text: 'Hồ sơ H26.01-250101-0001 đã được tiếp nhận.', ref: 'H26.01-250101-0001' }),
      );
    expect(await n.worker.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    const rows = await logRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      channel: 'sms',
      transport: 'log',
      recipient: '0912345678',
      subject: null,
      body: 'Hồ sơ H26.01-250101-0001 đã được tiếp nhận.',
      outbox_id: id,
      ref: 'H26.01-250101-0001',
    });
    expect(gatewaySends).toEqual([{ to: '0912345678', text: 'Hồ sơ H26.01-250101-0001 đã được tiếp nhận.' }]);
  });

  it('records e-mail in the log sink without writing personal data to the logs', async () => {
    await db()
      .transaction()
      .execute((trx) =>
        enqueueNotification(n.outbox, trx, { channel: 'email', to: 'nguyen.van.an@example.vn', subject: 'Kết quả hồ sơ', text: 'Kính gửi ông Nguyễn Văn An' }),
      );
    await n.worker.runOnce();
    const row = (await logRows()).at(-1);
    expect(row).toMatchObject({ channel: 'email', transport: 'log', recipient: 'nguyen.van.an@example.vn', subject: 'Kết quả hồ sơ' });
    const written = JSON.stringify(log.lines);
    expect(written).toContain('e-mail recorded, not sent');
    for (const personal of ['nguyen.van.an@example.vn', 'Nguyễn Văn An', '0912345678']) expect(written).not.toContain(personal);
  });

  it('sends nothing when the transaction rolls back', async () => {
    const before = (await logRows()).length;
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await enqueueNotification(n.outbox, trx, { channel: 'sms', to: '0987654321', text: 'không gửi' });
          throw new Error('rolled back');
        }),
    ).rejects.toThrow('rolled back');
    await n.worker.runOnce();
    expect(await logRows()).toHaveLength(before);
  });

  it('refuses an invalid notification in the caller, before anything is queued', async () => {
    const before = await n.outbox.stats();
    await expect(
      db()
        .transaction()
        .execute((trx) => enqueueNotification(n.outbox, trx, { channel: 'email', to: 'not an address', subject: 'x', text: 'y' })),
    ).rejects.toThrow();
    await expect(
      db()
        .transaction()
        .execute((trx) => enqueueNotification(n.outbox, trx, { channel: 'sms', to: '09123', text: 'y' })),
    ).rejects.toThrow();
    expect(await n.outbox.stats()).toEqual(before);
  });

  it('gives up at once on a queued payload that does not validate, without echoing its values', async () => {
    const { id } = await db()
      .transaction()
      .execute((trx) => n.outbox.enqueue(trx, { topic: NOTIFY_TOPIC, payload: { channel: 'sms', to: 'secret-number', text: 'x' } }));
    expect(await n.worker.runOnce()).toMatchObject({ dead: 1 });
    const row = await db().selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('dead');
    expect(row.last_error).toMatch(/^PermanentFailure: invalid notify\.send payload: to: /);
    expect(row.last_error).not.toContain('secret-number');
  });

  it('does not send again a message already delivered by a try that died before recording its outcome', async () => {
    const { id } = await db()
      .transaction()
      .execute((trx) => enqueueNotification(n.outbox, trx, { channel: 'sms', to: '0911111111', text: 'Mã tra cứu: 123' }));
    // An earlier try (of a version that recorded sends apart) sent and logged it, then the
    // process died: the message is still pending, its lease run out.
    await db()
      .updateTable('outbox_messages')
      .set({ attempts: 1, locked_by: 'gone', locked_until: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', id)
      .execute();
    await db()
      .insertInto('notification_log')
      .values({ channel: 'sms', transport: 'log', recipient: '0911111111', subject: null, body: 'Mã tra cứu: 123', sent_at: new Date().toISOString(), outbox_id: id, ref: null })
      .execute();
    const sendsBefore = gatewaySends.length;
    expect(await n.worker.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(gatewaySends).toHaveLength(sendsBefore);
    expect((await logRows()).filter((r) => r.outbox_id === id)).toHaveLength(1);
  });

  it('accepts a subject on an SMS (one shape for both channels) and drops it', async () => {
    const { id } = await db()
      .transaction()
      .execute((trx) => enqueueNotification(n.outbox, trx, { channel: 'sms', to: '+84933333333', subject: 'Hồ sơ đã tiếp nhận', text: 'Đã tiếp nhận.', ref: 'X-1' }));
    await n.worker.runOnce();
    expect((await logRows()).find((r) => r.outbox_id === id)).toMatchObject({ channel: 'sms', subject: null, body: 'Đã tiếp nhận.' });
  });

  it('records a message sent directly, outside the outbox', async () => {
    await n.notifier.sms({ to: '0922222222', text: 'trực tiếp' }, { ref: 'direct' });
    expect((await logRows()).at(-1)).toMatchObject({ recipient: '0922222222', outbox_id: null, ref: 'direct' });
  });
});

describe('configuration', () => {
  const base = { EGOV_SECRET: 'test-secret-test-secret-test-secret-0123', EGOV_DATA_DIR: '/tmp/egov-unused' };

  it('reads the SMTP and outbox settings, with defaults', () => {
    expect(loadConfig(base)).toMatchObject({ smtp: { url: undefined, from: 'no-reply@localhost' }, outbox: { pollMs: 500, maxAttempts: 10 } });
    const config = loadConfig({ ...base, EGOV_SMTP_URL: 'smtps://u:p@mail.example.vn:465', EGOV_SMTP_FROM: 'egov <a@b.vn>', EGOV_OUTBOX_POLL_MS: '250', EGOV_OUTBOX_MAX_ATTEMPTS: '3' });
    expect(config).toMatchObject({ smtp: { url: 'smtps://u:p@mail.example.vn:465', from: 'egov <a@b.vn>' }, outbox: { pollMs: 250, maxAttempts: 3 } });
  });

  it('names a bad setting', () => {
    expect(() => loadConfig({ ...base, EGOV_SMTP_URL: 'http://mail.example.vn' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, EGOV_OUTBOX_MAX_ATTEMPTS: '0' })).toThrow(/EGOV_OUTBOX_MAX_ATTEMPTS/);
  });

  it('chooses SMTP when a URL is set, the log sink otherwise', () => {
    const withSmtp = createNotifications(testPlatform(t, { EGOV_SMTP_URL: 'smtp://127.0.0.1:1' }), { logger: log });
    expect(withSmtp.notifier.transports).toEqual({ mail: 'smtp', sms: 'log' });
    const without = createNotifications(testPlatform(t), { logger: log });
    expect(without.notifier.transports).toEqual({ mail: 'log', sms: 'log' });
  });
});
