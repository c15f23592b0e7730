import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testPlatform } from '../../../test/helpers/platform.ts';
import { memoryLogger } from '../outbox/test-clock.ts';
import { createNotifications, enqueueNotification, type Notification } from './index.ts';
import { startSmtpSink } from './test-support/smtp-sink-process.ts';

/** E-mail through nodemailer to a real SMTP server (smtp-server, in a child process). */
let t: TestDatabase;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;

beforeAll(async () => {
  t = await createTestDatabase();
  sink = await startSmtpSink({ user: 'egov', pass: 'mật-khẩu' });
});
afterAll(async () => {
  await sink?.stop();
  await t?.dispose();
});

const from = 'Cổng Dịch vụ công Hà Nội <no-reply@dichvucong.example.vn>';
const smtpEnv = (url: string) => ({ EGOV_SMTP_URL: url, EGOV_SMTP_FROM: from });
const sinkUrl = (pass = 'mật-khẩu') => `smtp://egov:${encodeURIComponent(pass)}@127.0.0.1:${sink.port}`;

async function queue(notifications: ReturnType<typeof createNotifications>, message: Notification) {
  return t.handle.db.transaction().execute((trx) => enqueueNotification(notifications.outbox, trx, message));
}

const outboxRow = (id: number) => t.handle.db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('SMTP', () => {
  it('delivers Vietnamese subject, text and HTML intact', async () => {
    const n = createNotifications(testPlatform(t, smtpEnv(sinkUrl())), { logger: memoryLogger() });
    const subject = 'Thông báo: hồ sơ đã được tiếp nhận – Sở Tư pháp Hà Nội';
    const text = 'Kính gửi bà Trần Thị Bình,\n\nHồ sơ “Cấp phiếu lý lịch tư pháp” của bà đã được tiếp nhận.\nNgày hẹn trả kết quả: 15/01/2026. Đường dẫn tra cứu: https://dichvucong.example.vn/tra-cuu\n\nTrân trọng.';
    const html = '<p>Kính gửi bà <strong>Trần Thị Bình</strong>,</p><p>Hồ sơ đã được tiếp nhận. Ngày hẹn trả: 15/01/2026.</p>';
    const { id } = await queue(n, { channel: 'email', to: 'tran.thi.binh@example.vn', subject, text, html, ref: 'H26.06-260105-0007' });

    expect(await n.worker.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    const [mail] = await sink.waitFor(1);
    expect(mail).toMatchObject({ user: 'egov', envelopeTo: ['tran.thi.binh@example.vn'], to: 'tran.thi.binh@example.vn', subject, html });
    expect(mail?.text?.trimEnd()).toBe(text);
    expect(mail?.from).toBe('"Cổng Dịch vụ công Hà Nội" <no-reply@dichvucong.example.vn>');
    // The same Message-ID on every try of this outbox message.
    expect(mail?.messageId).toMatch(new RegExp(`^<egov-outbox-${id}-[0-9a-z]+@dichvucong\\.example\\.vn>$`));

    const logged = await t.handle.db.selectFrom('notification_log').selectAll().where('outbox_id', '=', id).executeTakeFirstOrThrow();
    expect(logged).toMatchObject({ channel: 'email', transport: 'smtp', recipient: 'tran.thi.binh@example.vn', subject, body: text, ref: 'H26.06-260105-0007' });
    await n.close();
  });

  it('gives up at once when the server refuses the recipient', async () => {
    const n = createNotifications(testPlatform(t, smtpEnv(sinkUrl())), { logger: memoryLogger() });
    const { id } = await queue(n, { channel: 'email', to: 'refuse.me@example.vn', subject: 'Thử', text: 'Thử' });
    expect(await n.worker.runOnce()).toMatchObject({ dead: 1 });
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'dead', attempts: 1 });
    expect(row.last_error).toMatch(/^PermanentFailure: recipient refused/);
    await n.close();
  });

  it('retries when the server is unreachable or refuses the credentials', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise((resolve) => closed.close(resolve));

    for (const url of [`smtp://egov:x@127.0.0.1:${port}`, sinkUrl('wrong')]) {
      const n = createNotifications(testPlatform(t, smtpEnv(url)), { logger: memoryLogger() });
      const { id } = await queue(n, { channel: 'email', to: 'le.van.cuong@example.vn', subject: 'Thử lại', text: 'Thử lại' });
      expect(await n.worker.runOnce()).toMatchObject({ retried: 1 });
      const row = await outboxRow(id);
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.last_error).toMatch(/ECONNREFUSED|EAUTH/);
      expect(row.last_error).not.toContain('mật-khẩu');
      await t.handle.db.updateTable('outbox_messages').set({ status: 'dead' }).where('id', '=', id).execute();
      await n.close();
    }
    expect(sink.received.map((m) => m.subject)).not.toContain('Thử lại');
  });
});
