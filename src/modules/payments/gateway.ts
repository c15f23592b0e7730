import { randomBytes } from 'node:crypto';
import {
  asciiInfo,
  type Callback,
  paymentUrl,
  queryRequestFields,
  queryResponseFields,
  readCallback,
  refundRequestFields,
  refundResponseFields,
  signFields,
  VNP_VERSION,
  type VnpParams,
  verify,
  verifyFields,
  vnpDate,
} from './vnpay.ts';

/**
 * The payment port: what the payment service needs from a gateway. VNPay is the one adapter
 * today; a national payment platform (PayGov) would be another behind the same interface.
 */
export interface PaymentGateway {
  readonly name: string;
  /** Where to send the payer's browser to pay this order. */
  checkoutUrl(order: CheckoutOrder): string;
  /** The callback's facts when its signature is good; null for a forged or corrupted one. */
  readCallback(params: VnpParams): Callback | null;
  /** The gateway's own record of the order (server-to-server): the truth for reconciliation. */
  query(order: { txnRef: string; createdAt: Date; orderInfo: string }): Promise<GatewayStatus>;
  /** Gives the whole amount back; resolves with the gateway's answer. */
  refund(order: { txnRef: string; amount: number; transactionNo: string; createdAt: Date; by: string; orderInfo: string }): Promise<{ ok: boolean; code: string }>;
}

export interface CheckoutOrder {
  txnRef: string;
  amount: number;
  orderInfo: string;
  returnUrl: string;
  ipAddr: string;
  locale: 'vi' | 'en';
  createdAt: Date;
  expiresAt: Date;
}

/** `unknown`: the gateway has no such order (never reached it) or could not be asked. */
export type GatewayStatus =
  | { state: 'paid'; amount: number; transactionNo: string; bankCode: string; payDate: string }
  | { state: 'failed' | 'pending' | 'refunded'; code: string }
  | { state: 'unknown'; code: string };

export interface VnpayOptions {
  tmnCode: string;
  hashSecret: string;
  paymentUrl: string;
  apiUrl: string;
  /** The address the merchant API sees calls coming from (vnp_IpAddr of querydr and refund). */
  serverIp?: string;
  timeoutMs?: number;
}

export class VnpayGateway implements PaymentGateway {
  readonly name = 'vnpay';
  constructor(private readonly o: VnpayOptions) {}

  checkoutUrl(order: CheckoutOrder): string {
    return paymentUrl(
      this.o.paymentUrl,
      { ...order, tmnCode: this.o.tmnCode, orderInfo: asciiInfo(order.orderInfo), locale: order.locale === 'en' ? 'en' : 'vn' },
      this.o.hashSecret,
    );
  }

  readCallback(params: VnpParams): Callback | null {
    if (!verify(params, this.o.hashSecret) || params.vnp_TmnCode !== this.o.tmnCode) return null;
    return readCallback(params);
  }

  async query(order: { txnRef: string; createdAt: Date; orderInfo: string }): Promise<GatewayStatus> {
    const body: Record<string, string> = {
      vnp_RequestId: requestId(),
      vnp_Version: VNP_VERSION,
      vnp_Command: 'querydr',
      vnp_TmnCode: this.o.tmnCode,
      vnp_TxnRef: order.txnRef,
      vnp_OrderInfo: asciiInfo(order.orderInfo),
      vnp_TransactionDate: vnpDate(order.createdAt),
      vnp_CreateDate: vnpDate(new Date()),
      vnp_IpAddr: this.o.serverIp ?? '127.0.0.1',
    };
    body.vnp_SecureHash = signFields(body, queryRequestFields, this.o.hashSecret);
    const res = await this.post(body, queryResponseFields);
    if (!res) return { state: 'unknown', code: '99' };
    if (res.vnp_ResponseCode !== '00') return { state: 'unknown', code: String(res.vnp_ResponseCode ?? '99') };
    const status = String(res.vnp_TransactionStatus ?? '');
    if (status === '00') {
      return { state: 'paid', amount: Number(res.vnp_Amount) / 100, transactionNo: String(res.vnp_TransactionNo ?? ''), bankCode: String(res.vnp_BankCode ?? ''), payDate: String(res.vnp_PayDate ?? '') };
    }
    if (status === '01') return { state: 'pending', code: status };
    if (status === '04' || status === '05' || status === '06') return { state: 'refunded', code: status };
    return { state: 'failed', code: status };
  }

  async refund(order: { txnRef: string; amount: number; transactionNo: string; createdAt: Date; by: string; orderInfo: string }): Promise<{ ok: boolean; code: string }> {
    const body: Record<string, string> = {
      vnp_RequestId: requestId(),
      vnp_Version: VNP_VERSION,
      vnp_Command: 'refund',
      vnp_TmnCode: this.o.tmnCode,
      vnp_TransactionType: '02',
      vnp_TxnRef: order.txnRef,
      vnp_Amount: String(order.amount * 100),
      vnp_OrderInfo: asciiInfo(order.orderInfo),
      vnp_TransactionNo: order.transactionNo,
      vnp_TransactionDate: vnpDate(order.createdAt),
      vnp_CreateBy: asciiInfo(order.by).slice(0, 250) || 'egov',
      vnp_CreateDate: vnpDate(new Date()),
      vnp_IpAddr: this.o.serverIp ?? '127.0.0.1',
    };
    body.vnp_SecureHash = signFields(body, refundRequestFields, this.o.hashSecret);
    const res = await this.post(body, refundResponseFields);
    const code = String(res?.vnp_ResponseCode ?? '99');
    return { ok: code === '00', code };
  }

  /** One merchant API call; an answer whose signature is wrong counts as no answer. */
  private async post(body: Record<string, string>, responseFields: readonly string[]): Promise<Record<string, unknown> | null> {
    try {
      const res = await fetch(this.o.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
      if (!res.ok) return null;
      const json = (await res.json()) as Record<string, unknown>;
      return verifyFields(json, responseFields, this.o.hashSecret) ? json : null;
    } catch {
      return null;
    }
  }
}

function requestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}
