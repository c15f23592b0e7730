import { randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  parseVnpDate,
  queryRequestFields,
  queryResponseFields,
  refundRequestFields,
  refundResponseFields,
  sign,
  signedData,
  signFields,
  type VnpParams,
  verify,
  verifyFields,
  vnpDate,
} from './vnpay.ts';

/**
 * A sandbox payment gateway (`egov paygate`): a separate small server speaking VNPay 2.1.0 over
 * real HTTP, for the demo and the tests. It shows a payment page with pay / cancel / fail,
 * sends signed IPNs server-to-server and signed returns through the browser, answers querydr
 * and refund on /merchant_webapi/api/transaction, and has a control API (/_sandbox/…) to drop,
 * corrupt or replay callbacks and to take the merchant API down. Orders live in memory.
 */
export interface PaygateOptions {
  port: number;
  host?: string;
  tmnCode: string;
  hashSecret: string;
  /** Where IPNs go (VNPay has it registered per merchant; it is not in the payment URL). */
  ipnUrl: string;
}

type OrderState = 'new' | 'paid' | 'failed' | 'refunded';
interface Order {
  params: VnpParams;
  state: OrderState;
  callback: VnpParams | null;
  ipnReplies: unknown[];
}

interface Mode {
  /** send: IPN before the return; drop: return only; corrupt: IPN with a broken signature. */
  ipn: 'send' | 'drop' | 'corrupt';
  /** down: the merchant API answers 503. */
  api: 'up' | 'down';
}

const choices = {
  pay: { responseCode: '00', status: '00', state: 'paid' },
  cancel: { responseCode: '24', status: '02', state: 'failed' },
  fail: { responseCode: '51', status: '02', state: 'failed' },
} as const;

export async function startPaygate(o: PaygateOptions): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const orders = new Map<string, Order>();
  const mode: Mode = { ipn: 'send', api: 'up' };

  const callbackFor = (order: Order, choice: keyof typeof choices): VnpParams => {
    const c = choices[choice];
    const params: VnpParams = {
      vnp_Amount: order.params.vnp_Amount ?? '0',
      vnp_BankCode: 'NCB',
      vnp_CardType: 'ATM',
      vnp_OrderInfo: order.params.vnp_OrderInfo ?? '',
      vnp_PayDate: vnpDate(new Date()),
      vnp_ResponseCode: c.responseCode,
      vnp_TmnCode: o.tmnCode,
      vnp_TransactionNo: c.state === 'paid' ? String(randomInt(10_000_000, 99_999_999)) : '0',
      vnp_TransactionStatus: c.status,
      vnp_TxnRef: order.params.vnp_TxnRef ?? '',
    };
    if (c.state === 'paid') params.vnp_BankTranNo = `VNP${params.vnp_TransactionNo}`;
    return { ...params, vnp_SecureHashType: 'HmacSHA512', vnp_SecureHash: sign(params, o.hashSecret) };
  };

  const sendIpn = async (order: Order, params: VnpParams): Promise<unknown> => {
    let reply: unknown;
    try {
      const res = await fetch(`${o.ipnUrl}?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(10_000) });
      reply = await res.json();
    } catch (err) {
      reply = { error: String(err) };
    }
    order.ipnReplies.push(reply);
    return reply;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://paygate');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/healthz') return json(res, 200, { ok: true });

    if (req.method === 'GET' && path === '/paymentv2/vpcpay.html') {
      const params = Object.fromEntries(url.searchParams);
      if (!verify(params, o.hashSecret) || params.vnp_TmnCode !== o.tmnCode) return page(res, 400, 'Sai chữ ký', '<p>Chữ ký dữ liệu không hợp lệ (mã 70). Giao dịch không được thực hiện.</p>');
      const ref = params.vnp_TxnRef ?? '';
      const expires = parseVnpDate(params.vnp_ExpireDate ?? '');
      const known = orders.get(ref);
      if (known && known.state !== 'new') return page(res, 409, 'Giao dịch đã xử lý', `<p>Đơn hàng ${esc(ref)} đã được xử lý trước đó.</p>`);
      if (!expires || expires.getTime() < Date.now()) {
        return page(res, 410, 'Giao dịch đã hết hạn', `<p>Giao dịch ${esc(ref)} đã quá thời gian chờ thanh toán (mã 11).</p>`);
      }
      orders.set(ref, known ?? { params, state: 'new', callback: null, ipnReplies: [] });
      const amount = Number(params.vnp_Amount ?? 0) / 100;
      const form = (choice: keyof typeof choices, label: string) =>
        `<form method="post" action="/paymentv2/decide"><input type="hidden" name="ref" value="${esc(ref)}"><input type="hidden" name="choice" value="${choice}"><button type="submit" name="${choice}">${label}</button></form>`;
      return page(
        res,
        200,
        'Cổng thanh toán thử nghiệm',
        `<p>Đơn vị: <strong>${esc(o.tmnCode)}</strong></p><p>Mã giao dịch: <strong>${esc(ref)}</strong></p>
<p>Nội dung: ${esc(params.vnp_OrderInfo ?? '')}</p><p>Số tiền: <strong id="amount">${new Intl.NumberFormat('vi-VN').format(amount)} VND</strong></p>
${form('pay', 'Thanh toán')}${form('cancel', 'Hủy giao dịch')}${form('fail', 'Giả lập thất bại')}`,
      );
    }

    if (req.method === 'POST' && path === '/paymentv2/decide') {
      const body = new URLSearchParams(await readBody(req));
      const order = orders.get(body.get('ref') ?? '');
      const choice = body.get('choice') as keyof typeof choices | null;
      if (!order || !choice || !(choice in choices)) return page(res, 404, 'Không tìm thấy', '<p>Không tìm thấy giao dịch.</p>');
      if (order.state !== 'new') return page(res, 409, 'Giao dịch đã xử lý', '<p>Giao dịch đã được xử lý trước đó.</p>');
      if ((parseVnpDate(order.params.vnp_ExpireDate ?? '')?.getTime() ?? 0) < Date.now()) return page(res, 410, 'Giao dịch đã hết hạn', '<p>Giao dịch đã quá thời gian chờ thanh toán (mã 11).</p>');
      order.state = choices[choice].state;
      const params = callbackFor(order, choice);
      order.callback = params;
      if (mode.ipn === 'send') await sendIpn(order, params);
      // A corrupted IPN: the amount changed after signing, as a man in the middle would.
      if (mode.ipn === 'corrupt') await sendIpn(order, { ...params, vnp_Amount: String(Number(params.vnp_Amount) + 100) });
      const back = `${order.params.vnp_ReturnUrl}?${new URLSearchParams(params)}`;
      res.writeHead(302, { location: back }).end();
      return;
    }

    if (req.method === 'POST' && path === '/merchant_webapi/api/transaction') {
      if (mode.api === 'down') return json(res, 503, { error: 'unavailable' });
      let body: Record<string, string>;
      try {
        body = JSON.parse(await readBody(req)) as Record<string, string>;
      } catch {
        return json(res, 400, { error: 'malformed' });
      }
      const command = body.vnp_Command;
      const fields = command === 'refund' ? refundRequestFields : queryRequestFields;
      const out: Record<string, string> = { vnp_ResponseId: body.vnp_RequestId ?? '', vnp_Command: command ?? '', vnp_TmnCode: o.tmnCode, vnp_TxnRef: body.vnp_TxnRef ?? '' };
      const order = orders.get(body.vnp_TxnRef ?? '');
      const cb = order?.callback;
      if (!verifyFields(body, fields, o.hashSecret) || body.vnp_TmnCode !== o.tmnCode) Object.assign(out, { vnp_ResponseCode: '97', vnp_Message: 'Invalid Checksum' });
      else if (!order) Object.assign(out, { vnp_ResponseCode: '91', vnp_Message: 'Transaction not found' });
      else if (command === 'querydr') {
        const status = order.state === 'new' ? '01' : order.state === 'refunded' ? '05' : (cb?.vnp_TransactionStatus ?? '02');
        Object.assign(out, {
          vnp_ResponseCode: '00',
          vnp_Message: 'QueryDR Success',
          vnp_Amount: order.params.vnp_Amount ?? '',
          vnp_BankCode: cb?.vnp_BankCode ?? '',
          vnp_PayDate: cb?.vnp_PayDate ?? '',
          vnp_TransactionNo: cb?.vnp_TransactionNo ?? '',
          vnp_TransactionType: '01',
          vnp_TransactionStatus: status,
          vnp_OrderInfo: order.params.vnp_OrderInfo ?? '',
          vnp_PromotionCode: '',
          vnp_PromotionAmount: '',
        });
      } else if (command === 'refund') {
        if (order.state !== 'paid' || body.vnp_Amount !== order.params.vnp_Amount) Object.assign(out, { vnp_ResponseCode: '95', vnp_Message: 'Transaction is not refundable' });
        else {
          order.state = 'refunded';
          Object.assign(out, {
            vnp_ResponseCode: '00',
            vnp_Message: 'Refund Success',
            vnp_Amount: body.vnp_Amount,
            vnp_BankCode: cb?.vnp_BankCode ?? '',
            vnp_PayDate: vnpDate(new Date()),
            vnp_TransactionNo: cb?.vnp_TransactionNo ?? '',
            vnp_TransactionType: '02',
            vnp_TransactionStatus: '05',
            vnp_OrderInfo: body.vnp_OrderInfo ?? '',
          });
        }
      } else Object.assign(out, { vnp_ResponseCode: '99', vnp_Message: 'Unknown command' });
      out.vnp_SecureHash = signFields(out, command === 'refund' ? refundResponseFields : queryResponseFields, o.hashSecret);
      return json(res, 200, out);
    }

    // ---- Control API for tests and demos
    if (req.method === 'POST' && path === '/_sandbox/mode') {
      const body = JSON.parse((await readBody(req)) || '{}') as Partial<Mode>;
      if (body.ipn === 'send' || body.ipn === 'drop' || body.ipn === 'corrupt') mode.ipn = body.ipn;
      if (body.api === 'up' || body.api === 'down') mode.api = body.api;
      return json(res, 200, mode);
    }
    const orderPath = /^\/_sandbox\/orders\/([A-Za-z0-9]+)(\/replay)?$/.exec(path);
    if (orderPath) {
      const order = orders.get(orderPath[1] ?? '');
      if (!order) return json(res, 404, { error: 'no such order' });
      if (req.method === 'POST' && orderPath[2]) {
        if (!order.callback) return json(res, 409, { error: 'not decided yet' });
        return json(res, 200, { reply: await sendIpn(order, order.callback) });
      }
      return json(res, 200, { state: order.state, callback: order.callback, ipnReplies: order.ipnReplies, signedData: signedData(order.params) });
    }
    return json(res, 404, { error: 'not found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) json(res, 500, { error: String(err) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return {
    url: `http://${o.host && o.host !== '0.0.0.0' ? o.host : '127.0.0.1'}:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 65_536) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res
    .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action *" })
    .end(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} – VNPay sandbox</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:1rem auto;padding:0 1rem}button{font-size:1rem;padding:.6rem 1rem;margin:.3rem 0;min-width:12rem}</style></head>
<body><main><h1>${esc(title)}</h1><p><em>Cổng thanh toán thử nghiệm (sandbox) – không dùng tiền thật.</em></p>${body}</main></body></html>`);
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
