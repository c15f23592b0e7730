import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfToken, TestClient } from '../../../test/helpers/client.ts';
import { freePort } from '../../../test/helpers/server-process.ts';
import { VnpayGateway } from './gateway.ts';
import { gatewayEnv, startPaygateProcess, TEST_HASH_SECRET } from './testing.ts';
import { sign } from './vnpay.ts';

/**
 * Online payment over real HTTP on a real database, with the sandbox gateway (`egov paygate`)
 * as a separate process that calls the portal back: the protocol's IPN codes, callbacks that
 * are forged, replayed, reordered or missing, double clicks, expiry, the receipt, and the
 * finance staff's reconciliation and refund. Nothing but the gateway's server-to-server word
 * marks a payment paid.
 */
const PASSWORD = 'Demo@2026pass';
const CITIZEN = '0912345678';
const WARD = '000.00.61.H26';
const AT_SUBMISSION = '1.004873'; // 3 000 đồng, paid with the application
const BEFORE_RESULT = '2.000635'; // 8 000 đồng, paid before the result

// Two servers and a gateway process share two busy cores.
vi.setConfig({ testTimeout: 90_000 });

let t: TestApp;
let gate: Awaited<ReturnType<typeof startPaygateProcess>>;
let citizen: TestClient;

beforeAll(async () => {
  const port = await freePort();
  t = await createTestApp({ listen: true, env: gatewayEnv(`http://127.0.0.1:${port}`) });
  gate = await startPaygateProcess({ port, ipnUrl: `${t.url}/api/v1/payments/vnpay/ipn` });
  citizen = await new TestClient(t.url).signIn(CITIZEN, PASSWORD);
}, 60_000);
afterAll(async () => {
  await gate?.stop();
  await t?.close();
});

const as = (login: string) => new TestClient(t.url).signIn(login, PASSWORD);

async function apply(procedureCode = AT_SUBMISSION): Promise<string> {
  const res = await citizen.api('POST', '/api/v1/dossiers', {
    procedureCode,
    receivingAgency: WARD,
    applicant: { fullName: 'Nguyễn Văn An', personalId: '001090012345', phone: '0912345678', address: 'Phường Ba Đình, Hà Nội' },
    form: { requestContent: 'Xin cấp giấy' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.code;
}

/** The citizen clicks "pay" on the dossier page: the answer is a redirect to the gateway. */
async function clickPay(code: string): Promise<{ location: string; ref: string }> {
  const res = await citizen.submit(`/my/dossiers/${code}`, `/my/dossiers/${code}/pay`, {});
  expect(res.status).toBe(303);
  const location = res.headers.get('location') ?? '';
  expect(location.startsWith(`${gate.url}/paymentv2/vpcpay.html?`)).toBe(true);
  return { location, ref: new URL(location).searchParams.get('vnp_TxnRef') ?? '' };
}

/** The payer on the gateway's page chooses; the gateway sends its IPN (per its mode) and redirects back. */
async function decide(location: string, choice: 'pay' | 'cancel' | 'fail'): Promise<string> {
  const page = await fetch(location);
  expect(page.status).toBe(200);
  const ref = new URL(location).searchParams.get('vnp_TxnRef') ?? '';
  const res = await fetch(`${gate.url}/paymentv2/decide`, { method: 'POST', body: new URLSearchParams({ ref, choice }), redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location') ?? '';
}

const dossier = async (code: string) => (await citizen.api('GET', `/api/v1/dossiers/${code}`)).body;
const payment = async (ref: string) => (await citizen.api('GET', `/api/v1/payments/${ref}`)).body;
const ipn = async (params: Record<string, string>) => (await fetch(`${t.url}/api/v1/payments/vnpay/ipn?${new URLSearchParams(params)}`)).json();
const signed = (params: Record<string, string>) => ({ ...params, vnp_SecureHash: sign(params, TEST_HASH_SECRET) });
/** Everything a callback could change: the payments and the dossier's events. */
const snapshot = async () => ({
  payments: await t.db.handle.db.selectFrom('payments' as never).selectAll().orderBy('created_at' as never).execute(),
  events: await t.db.handle.db.selectFrom('dossier_events' as never).select(['dossier_id', 'seq'] as never).execute(),
});

describe('a fee paid with the application', () => {
  let code = '';
  let ref = '';
  let back = '';

  it('waits for payment (national status 6); the counter cannot receive it meanwhile', async () => {
    code = await apply();
    const d = await dossier(code);
    expect(d).toMatchObject({ status: 'WAITING_PAYMENT', nationalStatus: 6, actions: ['withdraw'], paymentDue: { stage: 'submission', amount: 3000 } });
    expect(d.history.map((e: { data: { type: string } }) => e.data.type)).toEqual(['submitted', 'payment_requested']);
    const clerk = await as('motcua.badinh@hanoi.gov.vn');
    expect((await clerk.api('POST', `/api/v1/dossiers/${code}/receive`, {})).status).toBe(409);
    // The public tracking page says so, and where to pay.
    const secret = (await t.db.handle.db.selectFrom('dossiers' as never).select('tracking_secret' as never).where('code' as never, '=', code as never).executeTakeFirstOrThrow()) as { tracking_secret: string };
    const tracked = await (await new TestClient(t.url).get(`/track?code=${code}&secret=${secret.tracking_secret}`)).text();
    expect(tracked).toContain('Chờ thực hiện nghĩa vụ tài chính');
    expect(tracked).toContain(`href="/my/dossiers/${code}#payment-title"`);
  });

  it('"pay" opens one order at the gateway, however often it is clicked', async () => {
    const first = await clickPay(code);
    const again = await clickPay(code);
    const api = await citizen.api('POST', `/api/v1/dossiers/${code}/payments`);
    expect(again.ref).toBe(first.ref);
    expect(api.body).toMatchObject({ ref: first.ref, reused: true });
    ref = first.ref;
    const url = new URL(first.location);
    expect(url.searchParams.get('vnp_Amount')).toBe('300000');
    expect(url.searchParams.get('vnp_ReturnUrl')).toBe(`${t.url}/payments/vnpay/return`);
    expect((await payment(ref)).status).toBe('pending');
  });

  it('paying at the gateway confirms it by IPN; the return page states it, the dossier goes to the counter', async () => {
    back = await decide((await clickPay(code)).location, 'pay');
    expect(back.startsWith(`${t.url}/payments/vnpay/return?`)).toBe(true);
    const order = await gate.control(`/_sandbox/orders/${ref}`);
    expect(order.ipnReplies).toEqual([{ RspCode: '00', Message: 'Confirm Success' }]);
    const returned = await citizen.get(back.slice(t.url.length));
    expect(returned.status).toBe(303);
    const page = await citizen.follow(returned);
    expect(await page.text()).toContain(`Thanh toán thành công. Hồ sơ ${code} được tiếp tục giải quyết.`);
    const d = await dossier(code);
    expect(d).toMatchObject({ status: 'NEW', nationalStatus: 1 });
    expect(d.history.at(-1).data).toEqual({ type: 'payment_confirmed', paymentRef: ref, amount: 3000 });
    const p = await payment(ref);
    expect(p).toMatchObject({ status: 'paid', amount: 3000, receiptNumber: `0000001/${new Date().getFullYear()}` });
    expect(p.transactionNo).toMatch(/^\d{8}$/);
  });

  it('the e-receipt is a PDF for the payer and the agency, nobody else', async () => {
    const pdf = await citizen.get(`/payments/${ref}/receipt.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(Buffer.from(await (await citizen.get(`/payments/${ref}/receipt.pdf`)).arrayBuffer()).equals(bytes)).toBe(true);
    expect((await (await as('ketoan.badinh@hanoi.gov.vn')).get(`/backoffice/payments/${ref}/receipt.pdf`)).status).toBe(200);
    expect((await (await as('lanhdao.stp@hanoi.gov.vn')).get(`/backoffice/payments/${ref}/receipt.pdf`)).status).toBe(404);
  });

  it('a replayed IPN gets 02, a forged one 97, an unknown order 01: none changes anything', async () => {
    const before = await snapshot();
    expect((await gate.control(`/_sandbox/orders/${ref}/replay`, {})).reply).toEqual({ RspCode: '02', Message: 'Order already confirmed' });
    const cb = Object.fromEntries(new URL(back).searchParams) as Record<string, string>;
    expect(await ipn({ ...cb, vnp_Amount: '100' })).toMatchObject({ RspCode: '97' });
    const { vnp_SecureHash: _, vnp_SecureHashType: __, ...unsigned } = cb;
    expect(await ipn({ ...unsigned, vnp_SecureHash: sign(unsigned, 'not-the-merchant-secret-0000') })).toMatchObject({ RspCode: '97' });
    expect(await ipn(unsigned)).toMatchObject({ RspCode: '97' });
    expect(await ipn(signed({ ...unsigned, vnp_TxnRef: 'EG000000NOSUCH' }))).toMatchObject({ RspCode: '01' });
    // Checked in the protocol's order: the amount before "already confirmed".
    expect(await ipn(signed({ ...unsigned, vnp_Amount: '100' }))).toMatchObject({ RspCode: '04' });
    expect(await ipn(signed(unsigned))).toMatchObject({ RspCode: '02' });
    expect(await snapshot()).toEqual(before);
  });

  it('the dossier page shows the payment to the counter', async () => {
    const clerk = await as('motcua.badinh@hanoi.gov.vn');
    const page = await (await clerk.get(`/backoffice/dossiers/${code}`)).text();
    expect(page).toContain(ref);
    expect(page).toContain('Đã thanh toán');
  });
});

describe('callbacks that do not come, come late, come twice or lie', () => {
  it('a return without IPN marks nothing paid, even a correctly signed "00"; the status query does', async () => {
    const code = await apply();
    await gate.control('/_sandbox/mode', { ipn: 'drop', api: 'down' });
    try {
      const { location, ref } = await clickPay(code);
      const back = await decide(location, 'pay');
      const page = await citizen.follow(await citizen.get(back.slice(t.url.length)));
      expect(await page.text()).toContain('Chúng tôi chưa nhận được xác nhận của cổng thanh toán');
      expect((await dossier(code)).status).toBe('WAITING_PAYMENT');
      // A return forged with the right signature but no payment behind it at the gateway.
      const { vnp_SecureHash: _, ...claims } = Object.fromEntries(new URL(back).searchParams) as Record<string, string>;
      await citizen.get(`/payments/vnpay/return?${new URLSearchParams(signed({ ...claims, vnp_TransactionNo: '99999999' }))}`);
      expect((await payment(ref)).status).toBe('pending');
      expect((await dossier(code)).status).toBe('WAITING_PAYMENT');
      // The gateway answers again: "check again" asks it, and it says paid.
      await gate.control('/_sandbox/mode', { api: 'up' });
      const checked = await (await citizen.get(`/payments/${ref}?check=1`)).text();
      expect(checked).toContain('Thanh toán thành công');
      expect((await dossier(code)).status).toBe('NEW');
      // The IPN that finally arrives after the query finds the order confirmed.
      expect((await gate.control(`/_sandbox/orders/${ref}/replay`, {})).reply).toMatchObject({ RspCode: '02' });
    } finally {
      await gate.control('/_sandbox/mode', { ipn: 'send', api: 'up' });
    }
  });

  it('a return before its IPN (reordered) shows "pending"; the late IPN then confirms it once', async () => {
    const code = await apply();
    await gate.control('/_sandbox/mode', { ipn: 'drop', api: 'down' });
    const { location, ref } = await clickPay(code);
    const back = await decide(location, 'pay');
    expect(await (await citizen.follow(await citizen.get(back.slice(t.url.length)))).text()).toContain('Đang chờ xác nhận');
    await gate.control('/_sandbox/mode', { ipn: 'send', api: 'up' });
    const [a, b] = await Promise.all([gate.control(`/_sandbox/orders/${ref}/replay`, {}), gate.control(`/_sandbox/orders/${ref}/replay`, {})]);
    expect([a.reply.RspCode, b.reply.RspCode].sort()).toEqual(['00', '02']);
    const d = await dossier(code);
    expect(d.status).toBe('NEW');
    expect(d.history.filter((e: { data: { type: string } }) => e.data.type === 'payment_confirmed')).toHaveLength(1);
  });

  it('a corrupted IPN gets 97 and changes nothing', async () => {
    const code = await apply();
    await gate.control('/_sandbox/mode', { ipn: 'corrupt', api: 'down' });
    try {
      const { location, ref } = await clickPay(code);
      await decide(location, 'pay');
      expect((await gate.control(`/_sandbox/orders/${ref}`)).ipnReplies).toEqual([{ RspCode: '97', Message: 'Invalid Checksum' }]);
      expect((await payment(ref)).status).toBe('pending');
      expect((await dossier(code)).status).toBe('WAITING_PAYMENT');
    } finally {
      await gate.control('/_sandbox/mode', { ipn: 'send', api: 'up' });
    }
  });

  it('a failed payment leaves the dossier waiting; paying again opens a new order', async () => {
    const code = await apply();
    const first = await clickPay(code);
    const back = await decide(first.location, 'fail');
    const page = await (await citizen.follow(await citizen.get(back.slice(t.url.length)))).text();
    expect(page).toContain('Giao dịch không thành công nên chưa bị trừ tiền');
    expect(page).toContain('Thanh toán lại');
    expect((await payment(first.ref)).status).toBe('failed');
    expect((await dossier(code)).status).toBe('WAITING_PAYMENT');
    const second = await clickPay(code);
    expect(second.ref).not.toBe(first.ref);
    await decide(second.location, 'pay');
    expect((await dossier(code)).status).toBe('NEW');
  });

  it('an expired order is not reused; the gateway refuses an expired payment URL', async () => {
    const code = await apply();
    const first = await clickPay(code);
    await t.db.handle.db.updateTable('payments' as never).set({ expires_at: new Date(Date.now() - 60_000).toISOString() } as never).where('txn_ref' as never, '=', first.ref as never).execute();
    expect((await payment(first.ref)).status).toBe('expired');
    const second = await clickPay(code);
    expect(second.ref).not.toBe(first.ref);
    expect((await payment(first.ref)).status).toBe('expired');
    const gateway = new VnpayGateway({ tmnCode: 'EGOVTEST', hashSecret: TEST_HASH_SECRET, paymentUrl: `${gate.url}/paymentv2/vpcpay.html`, apiUrl: `${gate.url}/merchant_webapi/api/transaction` });
    const stale = gateway.checkoutUrl({ txnRef: 'EG000000STALE', amount: 3000, orderInfo: 'x', returnUrl: `${t.url}/payments/vnpay/return`, ipAddr: '127.0.0.1', locale: 'vi', createdAt: new Date(Date.now() - 30 * 60_000), expiresAt: new Date(Date.now() - 15 * 60_000) });
    expect((await fetch(stale)).status).toBe(410);
    expect((await dossier(code)).status).toBe('WAITING_PAYMENT');
  });

  it('an old order paid after a new one: both are recorded, the dossier moves once, the extra is for a refund', async () => {
    const code = await apply();
    const old = await clickPay(code);
    expect((await fetch(old.location)).status).toBe(200);
    await t.db.handle.db.updateTable('payments' as never).set({ expires_at: new Date(Date.now() - 1000).toISOString() } as never).where('txn_ref' as never, '=', old.ref as never).execute();
    const fresh = await clickPay(code);
    await decide(fresh.location, 'pay');
    expect((await dossier(code)).status).toBe('NEW');
    // The first tab was still open at the gateway: its payment goes through too.
    const res = await fetch(`${gate.url}/paymentv2/decide`, { method: 'POST', body: new URLSearchParams({ ref: old.ref, choice: 'pay' }), redirect: 'manual' });
    expect(res.status).toBe(302);
    expect((await gate.control(`/_sandbox/orders/${old.ref}`)).ipnReplies).toEqual([{ RspCode: '00', Message: 'Confirm Success' }]);
    expect((await payment(old.ref)).status).toBe('paid');
    expect((await payment(old.ref)).receiptNumber).not.toBe((await payment(fresh.ref)).receiptNumber);
    const d = await dossier(code);
    expect(d.status).toBe('NEW');
    expect(d.history.filter((e: { data: { type: string } }) => e.data.type === 'payment_confirmed').map((e: { data: { paymentRef: string } }) => e.data.paymentRef)).toEqual([fresh.ref]);
  });

  it('the applicant may withdraw instead of paying; a payment made in a tab left open is recorded and leaves the dossier withdrawn', async () => {
    const code = await apply();
    const open = await clickPay(code);
    expect((await fetch(open.location)).status).toBe(200);
    const withdrawn = await citizen.api('POST', `/api/v1/dossiers/${code}/withdraw`, { reason: 'Không nộp lệ phí nữa' });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    await decide(open.location, 'pay');
    expect((await payment(open.ref)).status).toBe('paid');
    const d = await dossier(code);
    expect(d.status).toBe('WITHDRAWN');
    expect(d.history.map((e: { data: { type: string } }) => e.data.type)).not.toContain('payment_confirmed');
  });

  it('clicks at once open one order; only the applicant may open it or see it', async () => {
    const code = await apply();
    const clicks = await Promise.all(Array.from({ length: 6 }, () => citizen.api('POST', `/api/v1/dossiers/${code}/payments`)));
    expect(clicks.map((c) => c.status)).toEqual(Array(6).fill(200));
    expect(new Set(clicks.map((c) => c.body.ref)).size).toBe(1);
    const officer = await as('chuyenvien.badinh@hanoi.gov.vn');
    expect((await officer.api('POST', `/api/v1/dossiers/${code}/payments`)).status).toBe(403);
    expect((await new TestClient(t.url).api('POST', `/api/v1/dossiers/${code}/payments`)).status).toBe(401);
    expect((await new TestClient(t.url).api('GET', `/api/v1/payments/${clicks[0]?.body.ref}`)).status).toBe(404);
    expect((await (await as('lanhdao.stp@hanoi.gov.vn')).api('GET', `/api/v1/payments/${clicks[0]?.body.ref}`)).status).toBe(404);
    // A dossier that does not wait for payment has nothing to pay.
    const paid = await citizen.api('POST', `/api/v1/dossiers/${code}/payments`);
    expect(paid.body.ref).toBe(clicks[0]?.body.ref);
    const free = await citizen.api('POST', '/api/v1/dossiers', { procedureCode: '1.001193', receivingAgency: WARD, applicant: { fullName: 'Nguyễn Văn An', personalId: '001090012345', address: 'Phường Ba Đình, Hà Nội' }, form: { requestContent: 'x' } });
    const refused = await citizen.api('POST', `/api/v1/dossiers/${free.body.code}/payments`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'PAYMENT_NOT_DUE', message: 'Hồ sơ này hiện không chờ thanh toán.' });
  });
});

describe('a fee paid before the result', () => {
  it('the granted result waits for payment; it cannot be handed over unpaid; once paid it can', async () => {
    const code = await apply(BEFORE_RESULT);
    expect((await dossier(code)).status).toBe('NEW');
    const clerk = await as('motcua.badinh@hanoi.gov.vn');
    const leader = await as('lanhdao.badinh@hanoi.gov.vn');
    const specialist = await as('chuyenvien.badinh@hanoi.gov.vn');
    expect((await clerk.api('POST', `/api/v1/dossiers/${code}/receive`, {})).status).toBe(200);
    const specialistId = (await t.app.dossiers.service.specialists(WARD)).find((s) => s.full_name === 'Vũ Văn Chung')?.id;
    expect((await leader.api('POST', `/api/v1/dossiers/${code}/assign`, { assigneeId: specialistId })).status).toBe(200);
    expect((await specialist.api('POST', `/api/v1/dossiers/${code}/send-for-approval`, {})).status).toBe(200);
    const approved = await leader.api('POST', `/api/v1/dossiers/${code}/approve`, { decision: 'granted', summary: 'Cấp bản sao trích lục' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'WAITING_PAYMENT', nationalStatus: 6, decision: 'granted' });
    expect((await clerk.api('POST', `/api/v1/dossiers/${code}/return-result`, { method: 'counter' })).status).toBe(409);
    // The signed result exists (the agency can see it), but the applicant gets it once paid.
    expect((await clerk.get(`/backoffice/dossiers/${code}/result.pdf`)).status).toBe(200);
    expect((await citizen.get(`/my/dossiers/${code}/result.pdf`)).status).toBe(409);
    expect(await (await citizen.get(`/my/dossiers/${code}`)).text()).toContain('Kết quả được trả sau khi nộp phí, lệ phí.');
    await decide((await clickPay(code)).location, 'pay');
    expect((await dossier(code)).status).toBe('DONE');
    const released = await citizen.get(`/my/dossiers/${code}/result.pdf`);
    expect(released.status).toBe(200);
    expect(released.headers.get('content-type')).toContain('application/pdf');
    expect((await clerk.api('POST', `/api/v1/dossiers/${code}/return-result`, { method: 'counter' })).status).toBe(200);
  });
});

describe('finance staff', () => {
  it('see the day per agency with totals, query open payments, and refund (audited, once)', async () => {
    const finance = await as('ketoan.badinh@hanoi.gov.vn');
    expect(await (await finance.get('/backoffice')).text()).toContain('href="/backoffice/payments"');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const report = await finance.api('GET', `/api/v1/payments/reconciliation?date=${today}`);
    expect(report.status).toBe(200);
    expect(report.body.agencyCode).toBe(WARD);
    const paid = report.body.items.filter((i: { status: string }) => i.status === 'paid');
    expect(report.body.totals.paid).toEqual({ count: paid.length, amount: paid.reduce((n: number, i: { amount: number }) => n + i.amount, 0) });
    expect(report.body.totals.failed.count).toBeGreaterThanOrEqual(1);
    expect(report.body.totals.expired.count + report.body.totals.pending.count).toBeGreaterThanOrEqual(1);

    const target = paid[0];
    const page = await finance.get(`/backoffice/payments?date=${today}`);
    expect(await page.text()).toContain(target.ref);
    expect((await finance.submit(`/backoffice/payments?date=${today}`, `/backoffice/payments/${target.ref}/refund`, { reason: '' })).status).toBe(400);
    const refunded = await finance.submit(`/backoffice/payments?date=${today}`, `/backoffice/payments/${target.ref}/refund`, { reason: 'Nộp trùng' });
    expect(refunded.status).toBe(303);
    expect((await finance.api('GET', `/api/v1/payments/${target.ref}`)).body).toMatchObject({ status: 'refunded', refundReason: 'Nộp trùng' });
    expect((await finance.api('POST', `/api/v1/payments/${target.ref}/refund`, { reason: 'Lần nữa' })).status).toBe(409);
    expect((await gate.control(`/_sandbox/orders/${target.ref}`)).state).toBe('refunded');
    const audit = await t.app.audit.list({ targetTypes: ['payment'] });
    expect(audit.filter((a) => a.action === 'payment.refund' && a.target_id === target.ref).map((a) => a.outcome)).toEqual(['ok']);
  });

  it('only finance staff of the payment’s agency may reconcile or refund', async () => {
    const specialist = await as('chuyenvien.badinh@hanoi.gov.vn');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    expect((await specialist.api('GET', `/api/v1/payments/reconciliation?date=${today}`)).status).toBe(403);
    expect((await specialist.get('/backoffice/payments')).status).toBe(403);
    const finance = await as('ketoan.badinh@hanoi.gov.vn');
    expect((await finance.api('GET', `/api/v1/payments/reconciliation?date=${today}&agency=000.00.02.H26`)).status).toBe(403);
    const bad = await finance.api('GET', '/api/v1/payments/reconciliation?date=27-11-2026');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]).toMatchObject({ field: 'date', message: 'Ngày phải có dạng năm-tháng-ngày, ví dụ 2026-11-27.' });
    const token = csrfToken(await (await finance.get('/backoffice/payments')).text());
    expect(token).toBeTruthy();
  });
});
