import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The VNPay protocol, version 2.1.0 (docs/domain.md §7), as pure functions: the signed payment
 * URL, the checks on a callback (return URL or IPN) and the signed JSON of the merchant API
 * (querydr, refund). No network and no clock here; the gateway adapter and the sandbox both
 * speak through these, so they cannot drift apart.
 */
export const VNP_VERSION = '2.1.0';

export type VnpParams = Record<string, string>;

/**
 * The text that is signed: every vnp_* parameter except the hash itself, empty values dropped,
 * keys in ascending ASCII order, keys and values form-URL-encoded (a space becomes "+").
 */
export function signedData(params: Readonly<VnpParams>): string {
  const entries = Object.entries(params)
    .filter(([k, v]) => k.startsWith('vnp_') && k !== 'vnp_SecureHash' && k !== 'vnp_SecureHashType' && v !== '' && v !== undefined && v !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(entries).toString();
}

export function hmacSha512(secret: string, data: string): string {
  return createHmac('sha512', Buffer.from(secret, 'utf8')).update(Buffer.from(data, 'utf8')).digest('hex');
}

export function sign(params: Readonly<VnpParams>, secret: string): string {
  return hmacSha512(secret, signedData(params));
}

/** True when `vnp_SecureHash` is the HMAC of the other parameters (compared in constant time). */
export function verify(params: Readonly<VnpParams>, secret: string): boolean {
  const given = (params.vnp_SecureHash ?? '').toLowerCase();
  if (!/^[0-9a-f]{128}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(sign(params, secret), 'hex'));
}

/** yyyyMMddHHmmss in GMT+7, whatever the server's own zone: the protocol's only time format. */
export function vnpDate(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

export function parseVnpDate(text: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, (h ?? 0) - 7, mi, s));
}

export interface PayOrder {
  tmnCode: string;
  txnRef: string;
  /** Integer VND; sent × 100. */
  amount: number;
  orderInfo: string;
  returnUrl: string;
  ipAddr: string;
  locale: 'vn' | 'en';
  createdAt: Date;
  expiresAt: Date;
}

export function payParams(o: PayOrder): VnpParams {
  return {
    vnp_Version: VNP_VERSION,
    vnp_Command: 'pay',
    vnp_TmnCode: o.tmnCode,
    vnp_Amount: String(o.amount * 100),
    vnp_CurrCode: 'VND',
    vnp_TxnRef: o.txnRef,
    vnp_OrderInfo: o.orderInfo,
    vnp_OrderType: 'other',
    vnp_Locale: o.locale,
    vnp_ReturnUrl: o.returnUrl,
    vnp_IpAddr: o.ipAddr,
    vnp_CreateDate: vnpDate(o.createdAt),
    vnp_ExpireDate: vnpDate(o.expiresAt),
  };
}

/** The URL the payer's browser is sent to: the parameters plus their signature. */
export function paymentUrl(base: string, o: PayOrder, secret: string): string {
  const params = payParams(o);
  return `${base}?${signedData(params)}&vnp_SecureHash=${sign(params, secret)}`;
}

/** What a signed callback (return URL or IPN) says about one transaction. */
export interface Callback {
  txnRef: string;
  /** Integer VND (vnp_Amount / 100); NaN when the parameter is not a whole number of dong. */
  amount: number;
  responseCode: string;
  transactionStatus: string;
  transactionNo: string;
  bankCode: string;
  payDate: string;
  /** Paid: both codes say success. */
  success: boolean;
}

export function readCallback(params: Readonly<VnpParams>): Callback {
  const raw = params.vnp_Amount ?? '';
  const cents = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  const responseCode = params.vnp_ResponseCode ?? '';
  const transactionStatus = params.vnp_TransactionStatus ?? '';
  return {
    txnRef: params.vnp_TxnRef ?? '',
    amount: cents % 100 === 0 ? cents / 100 : Number.NaN,
    responseCode,
    transactionStatus,
    transactionNo: params.vnp_TransactionNo ?? '',
    bankCode: params.vnp_BankCode ?? '',
    payDate: params.vnp_PayDate ?? '',
    success: responseCode === '00' && transactionStatus === '00',
  };
}

/** The IPN replies, in the order the handler checks them. */
export const IpnReply = {
  confirmed: { RspCode: '00', Message: 'Confirm Success' },
  orderNotFound: { RspCode: '01', Message: 'Order not found' },
  alreadyConfirmed: { RspCode: '02', Message: 'Order already confirmed' },
  invalidAmount: { RspCode: '04', Message: 'Invalid amount' },
  invalidChecksum: { RspCode: '97', Message: 'Invalid Checksum' },
  unknownError: { RspCode: '99', Message: 'Unknown error' },
} as const;
export type IpnReply = (typeof IpnReply)[keyof typeof IpnReply];

// ---- merchant_webapi: querydr and refund, JSON over POST, each signed over fields joined by "|"

export const queryRequestFields = ['vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_TxnRef', 'vnp_TransactionDate', 'vnp_CreateDate', 'vnp_IpAddr', 'vnp_OrderInfo'] as const;
export const refundRequestFields = [
  'vnp_RequestId',
  'vnp_Version',
  'vnp_Command',
  'vnp_TmnCode',
  'vnp_TransactionType',
  'vnp_TxnRef',
  'vnp_Amount',
  'vnp_TransactionNo',
  'vnp_TransactionDate',
  'vnp_CreateBy',
  'vnp_CreateDate',
  'vnp_IpAddr',
  'vnp_OrderInfo',
] as const;
export const refundResponseFields = [
  'vnp_ResponseId',
  'vnp_Command',
  'vnp_ResponseCode',
  'vnp_Message',
  'vnp_TmnCode',
  'vnp_TxnRef',
  'vnp_Amount',
  'vnp_BankCode',
  'vnp_PayDate',
  'vnp_TransactionNo',
  'vnp_TransactionType',
  'vnp_TransactionStatus',
  'vnp_OrderInfo',
] as const;
/** The query answer signs the refund answer's fields, then the promotion's. */
export const queryResponseFields = [...refundResponseFields, 'vnp_PromotionCode', 'vnp_PromotionAmount'] as const;

/** The merchant API's signature: HMAC-SHA512 over the listed fields' values joined by "|". */
export function signFields(body: Readonly<Record<string, unknown>>, fields: readonly string[], secret: string): string {
  return hmacSha512(secret, fields.map((f) => String(body[f] ?? '')).join('|'));
}

export function verifyFields(body: Readonly<Record<string, unknown>>, fields: readonly string[], secret: string): boolean {
  const given = String(body.vnp_SecureHash ?? '').toLowerCase();
  if (!/^[0-9a-f]{128}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(signFields(body, fields, secret), 'hex'));
}

/** ASCII only, as the gateway's order description asks: accents folded, odd characters dropped. */
export function asciiInfo(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 .,:_-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 255);
}
