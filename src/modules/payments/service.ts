import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../../platform/audit/index.ts';
import type { SessionAccount } from '../../platform/auth/policy.ts';
import { can } from '../../platform/auth/policy.ts';
import { zonedInstant } from '../../platform/calendar/index.ts';
import { AppError, validate } from '../../platform/http/errors.ts';
import type { Platform } from '../../platform/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import type { DossierService, PaymentOrder } from '../dossiers/index.ts';
import type { GatewayStatus, PaymentGateway } from './gateway.ts';
import { renderReceipt } from './receipt.ts';
import { PaymentStore, type PaymentTrx } from './store.ts';
import type { PaymentRow, PaymentStatus } from './tables.ts';
import { type Callback, IpnReply, type VnpParams } from './vnpay.ts';

export interface PaymentDeps {
  dossiers: Pick<DossierService, 'paymentOrder' | 'recordPayment'>;
  catalog: Pick<CatalogService, 'getAgency'>;
  gateway: PaymentGateway;
  expireMinutes: number;
}

/** A payment as pages and the API show it. `expired`: still pending at the gateway's deadline. */
export interface PaymentView {
  ref: string;
  dossierCode: string;
  agencyCode: string;
  procedureName: string;
  stage: 'submission' | 'result';
  amount: number;
  lines: { name: string; amount: number }[];
  status: PaymentStatus;
  payerName: string;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  transactionNo: string | null;
  bankCode: string | null;
  responseCode: string | null;
  receiptNumber: string | null;
  refundedAt: string | null;
  refundReason: string | null;
}

export const refundSchema = z.strictObject({ reason: z.string().trim().min(1).max(1000) });
export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'payments.date');

/** Facts from the gateway (an IPN, a return or a status query) that a payment went through. */
type Confirmation = { amount: number; transactionNo: string; bankCode: string; responseCode: string; transactionStatus: string; paidAt: string };

/**
 * Online payment of dossier fees. The payer's browser is only a messenger: a payment is paid
 * when the gateway says so server-to-server, by IPN or by a status query (GOV.UK Pay's rule),
 * and then the payment row, the receipt number and the dossier's event commit together.
 */
export class PaymentService {
  readonly store: PaymentStore;

  constructor(
    private readonly platform: Platform,
    private readonly deps: PaymentDeps,
  ) {
    this.store = new PaymentStore(platform.db);
  }

  /**
   * Opens a payment for the dossier's fee and returns where to send the payer. A payment still
   * open (a double click, a second tab) is reused; one past its deadline is asked about first.
   */
  async start(code: string, account: SessionAccount, ctx: { ip: string; locale: 'vi' | 'en'; returnUrl: string }): Promise<{ ref: string; checkoutUrl: string; reused: boolean }> {
    const order = await this.deps.dossiers.paymentOrder(code, account);
    for (let attempt = 1; ; attempt++) {
      const now = new Date();
      const open = await this.store.transaction((trx) => this.store.pending(trx, order.dossierId));
      if (open && open.expires_at > now.toISOString()) return { ref: open.txn_ref, checkoutUrl: this.checkoutUrl(open, ctx), reused: true };
      if (open) {
        // Past its deadline: paid meanwhile (the IPN is late), or else closed for good.
        const status = await this.refresh(open.txn_ref);
        if (status === 'paid') throw new AppError(409, 'PAYMENT_ALREADY_PAID', 'payments.alreadyPaid');
        await this.store.transaction((trx) => this.store.transition(trx, open.id, ['pending'], { status: 'expired', updated_at: now.toISOString() }));
      }
      const row = this.newPayment(order, account, now);
      try {
        await this.store.transaction((trx) => this.store.insert(trx, row));
        return { ref: row.txn_ref, checkoutUrl: this.checkoutUrl(row, ctx), reused: false };
      } catch (err) {
        // The unique index on open payments: a concurrent click opened one first; use it.
        if (attempt >= 3) throw err;
      }
    }
  }

  /** The IPN, in the protocol's order: checksum, order, amount, already confirmed, update. */
  async handleIpn(params: VnpParams): Promise<IpnReply> {
    try {
      const cb = this.deps.gateway.readCallback(params);
      if (!cb) return IpnReply.invalidChecksum;
      const row = await this.store.byRef(cb.txnRef);
      if (!row) return IpnReply.orderNotFound;
      if (cb.amount !== row.amount) return IpnReply.invalidAmount;
      if (row.status !== 'pending' && row.status !== 'expired') return IpnReply.alreadyConfirmed;
      const applied = cb.success ? await this.confirm(row, fromCallback(cb)) : await this.fail(row, cb.responseCode, cb.transactionStatus);
      return applied ? IpnReply.confirmed : IpnReply.alreadyConfirmed;
    } catch {
      return IpnReply.unknownError;
    }
  }

  /**
   * The payer's return from the gateway. Its signature is checked, but what it claims is never
   * recorded: an open payment is settled by asking the gateway. Null when forged.
   */
  async returned(params: VnpParams): Promise<PaymentRow | null> {
    const cb = this.deps.gateway.readCallback(params);
    if (!cb) return null;
    const row = await this.store.byRef(cb.txnRef);
    if (!row) return null;
    if (row.status === 'pending' || row.status === 'expired') await this.refresh(row.txn_ref);
    return (await this.store.byRef(row.txn_ref)) ?? null;
  }

  /** Asks the gateway about an open payment and records a definite answer. Returns the status after. */
  async refresh(ref: string): Promise<PaymentStatus | null> {
    const row = await this.store.byRef(ref);
    if (!row) return null;
    if (row.status !== 'pending' && row.status !== 'expired') return row.status;
    const answer: GatewayStatus = await this.deps.gateway.query({ txnRef: row.txn_ref, createdAt: new Date(row.created_at), orderInfo: orderInfo(row) });
    if (answer.state === 'paid' && answer.amount === row.amount) {
      await this.confirm(row, { amount: answer.amount, transactionNo: answer.transactionNo, bankCode: answer.bankCode, responseCode: '00', transactionStatus: '00', paidAt: new Date().toISOString() });
    } else if (answer.state === 'failed') await this.fail(row, null, answer.code);
    return (await this.store.byRef(ref))?.status ?? null;
  }

  /** The payment if `account` paid it or is an officer of its agency; else null. */
  async get(ref: string, account: SessionAccount | null): Promise<PaymentView | null> {
    const row = await this.store.byRef(ref);
    if (!row || !mayRead(row, account)) return null;
    return view(row);
  }

  /** Whether the dossier still waits for this applicant's payment (so "try again" makes sense). */
  async stillDue(code: string, account: SessionAccount): Promise<boolean> {
    try {
      await this.deps.dossiers.paymentOrder(code, account);
      return true;
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return false;
      throw err;
    }
  }

  async forDossier(dossierId: string): Promise<PaymentView[]> {
    return (await this.store.forDossier(dossierId)).map(view);
  }

  /** One agency's payments opened on one local day, with totals per status. */
  async reconciliation(agencyCode: string, date: string, timeZone: string) {
    const day = validate(dateSchema, date, 'date');
    const from = zonedInstant(day, { hour: 0, minute: 0 }, timeZone);
    const to = new Date(from.getTime() + 24 * 3600_000);
    const items = (await this.store.between(agencyCode, from.toISOString(), to.toISOString())).map(view);
    const statuses: PaymentStatus[] = ['paid', 'pending', 'expired', 'failed', 'refunded'];
    const totals = Object.fromEntries(
      statuses.map((s) => {
        const of = items.filter((i) => i.status === s);
        return [s, { count: of.length, amount: of.reduce((n, i) => n + i.amount, 0) }];
      }),
    ) as Record<PaymentStatus, { count: number; amount: number }>;
    return { date: day, agencyCode, items, totals };
  }

  /** Gives a paid fee back through the gateway; audited with the officer and the reason. */
  async refund(ref: string, input: unknown, officer: SessionAccount, actor: Actor): Promise<PaymentView> {
    const { reason } = validate(refundSchema, input);
    const row = await this.store.byRef(ref);
    if (!row || !can(officer, 'payments.refund', row.agency_code)) throw new AppError(404, 'PAYMENT_NOT_FOUND', 'payments.notFound');
    if (row.status !== 'paid' || !row.gateway_txn_no) throw new AppError(409, 'PAYMENT_NOT_REFUNDABLE', 'payments.notRefundable');
    const answer = await this.deps.gateway.refund({ txnRef: row.txn_ref, amount: row.amount, transactionNo: row.gateway_txn_no, createdAt: new Date(row.created_at), by: officer.label, orderInfo: `Hoan phi ${orderInfo(row)}` });
    const audit = (outcome: 'ok' | 'failed', trx?: PaymentTrx) =>
      this.platform.audit.record(
        { actorId: actor.id, actorLabel: actor.label, ip: actor.ip, requestId: actor.requestId, action: 'payment.refund', outcome, targetType: 'payment', targetId: row.txn_ref, after: { dossier: row.dossier_code, amount: row.amount, reason, gatewayCode: answer.code } },
        trx as never,
      );
    if (!answer.ok) {
      await audit('failed');
      throw new AppError(502, 'PAYMENT_REFUND_FAILED', 'payments.refundFailed', { params: { code: answer.code } });
    }
    const now = new Date().toISOString();
    await this.store.transaction(async (trx) => {
      if (!(await this.store.transition(trx, row.id, ['paid'], { status: 'refunded', refunded_at: now, refunded_by: officer.id, refund_reason: reason, updated_at: now }))) {
        throw new AppError(409, 'PAYMENT_NOT_REFUNDABLE', 'payments.notRefundable');
      }
      await audit('ok', trx);
    });
    return view((await this.store.byRef(ref)) as PaymentRow);
  }

  /** The e-receipt (biên lai điện tử) of a paid fee, as a PDF. */
  async receipt(ref: string, account: SessionAccount | null, timeZone: string): Promise<{ pdf: Buffer; number: string } | null> {
    const row = await this.store.byRef(ref);
    if (!row || !mayRead(row, account) || row.receipt_number === null || row.receipt_year === null) return null;
    const agency = await this.deps.catalog.getAgency(row.agency_code);
    const v = view(row);
    // Dated at the payment, so every download of a receipt is the same document, byte for byte.
    const pdf = await renderReceipt({ payment: v, agencyName: agency?.name ?? row.agency_code, timeZone, creationDate: new Date(row.paid_at ?? row.created_at) });
    return { pdf, number: v.receiptNumber ?? '' };
  }

  private newPayment(order: PaymentOrder, account: SessionAccount, now: Date): PaymentRow {
    const iso = now.toISOString();
    return {
      id: randomUUID(),
      txn_ref: txnRef(now),
      gateway: this.deps.gateway.name,
      dossier_id: order.dossierId,
      dossier_code: order.code,
      agency_code: order.agencyCode,
      procedure_code: order.procedureCode,
      procedure_name: order.procedureName,
      stage: order.stage,
      amount: order.amount,
      lines_json: JSON.stringify(order.lines),
      status: 'pending',
      payer_account_id: account.id,
      payer_name: order.payerName,
      created_at: iso,
      expires_at: new Date(now.getTime() + this.deps.expireMinutes * 60_000).toISOString(),
      updated_at: iso,
      paid_at: null,
      gateway_txn_no: null,
      bank_code: null,
      response_code: null,
      transaction_status: null,
      receipt_year: null,
      receipt_number: null,
      refunded_at: null,
      refunded_by: null,
      refund_reason: null,
    };
  }

  private checkoutUrl(row: PaymentRow, ctx: { ip: string; locale: 'vi' | 'en'; returnUrl: string }): string {
    return this.deps.gateway.checkoutUrl({
      txnRef: row.txn_ref,
      amount: row.amount,
      orderInfo: orderInfo(row),
      returnUrl: ctx.returnUrl,
      ipAddr: ctx.ip,
      locale: ctx.locale,
      createdAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
    });
  }

  /**
   * Paid: the payment, its receipt number and the dossier's `payment_confirmed` event in one
   * transaction. False when another callback got there first (nothing written).
   */
  private async confirm(row: PaymentRow, c: Confirmation): Promise<boolean> {
    return this.store.transaction(async (trx) => {
      const won = await this.store.transition(trx, row.id, ['pending', 'expired'], {
        status: 'paid',
        paid_at: c.paidAt,
        gateway_txn_no: c.transactionNo,
        bank_code: c.bankCode,
        response_code: c.responseCode,
        transaction_status: c.transactionStatus,
        updated_at: c.paidAt,
      });
      if (!won) return false;
      const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: this.platform.config.timeZone, year: 'numeric' }).format(new Date(c.paidAt)));
      const number = await this.store.nextReceiptNumber(trx, row.agency_code, year);
      await this.store.setReceipt(trx, row.id, year, number);
      // Paid twice (a second attempt after a late IPN): the money is recorded for a refund, the dossier moves once.
      await this.deps.dossiers.recordPayment(trx as never, row.dossier_id, { ref: row.txn_ref, amount: row.amount });
      return true;
    });
  }

  private async fail(row: PaymentRow, responseCode: string | null, transactionStatus: string): Promise<boolean> {
    const now = new Date().toISOString();
    return this.store.transaction((trx) =>
      this.store.transition(trx, row.id, ['pending', 'expired'], { status: 'failed', response_code: responseCode, transaction_status: transactionStatus, updated_at: now }),
    );
  }
}

function fromCallback(cb: Callback): Confirmation {
  return { amount: cb.amount, transactionNo: cb.transactionNo, bankCode: cb.bankCode, responseCode: cb.responseCode, transactionStatus: cb.transactionStatus, paidAt: new Date().toISOString() };
}

/** The payer, or an officer of the agency the fee is paid to. */
function mayRead(row: PaymentRow, account: SessionAccount | null): boolean {
  if (!account) return false;
  if (account.kind === 'citizen') return row.payer_account_id === account.id;
  return can(account, 'backoffice.enter', row.agency_code);
}

function orderInfo(row: Pick<PaymentRow, 'dossier_code'>): string {
  return `Thanh toan phi le phi ho so ${row.dossier_code}`;
}

/** vnp_TxnRef: unique, alphanumeric (a "-" is refused by some gateway versions), dated for people. */
function txnRef(now: Date): string {
  const day = now.toISOString().slice(2, 10).replace(/-/g, '');
  return `EG${day}${randomBytes(5).toString('hex').toUpperCase()}`;
}

export function receiptNumber(row: Pick<PaymentRow, 'receipt_number' | 'receipt_year'>): string | null {
  return row.receipt_number === null ? null : `${String(row.receipt_number).padStart(7, '0')}/${row.receipt_year}`;
}

function view(row: PaymentRow): PaymentView {
  return {
    ref: row.txn_ref,
    dossierCode: row.dossier_code,
    agencyCode: row.agency_code,
    procedureName: row.procedure_name,
    stage: row.stage,
    amount: Number(row.amount),
    lines: JSON.parse(row.lines_json),
    status: row.status === 'pending' && row.expires_at < new Date().toISOString() ? 'expired' : row.status,
    payerName: row.payer_name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    paidAt: row.paid_at,
    transactionNo: row.gateway_txn_no,
    bankCode: row.bank_code,
    responseCode: row.response_code,
    receiptNumber: receiptNumber(row),
    refundedAt: row.refunded_at,
    refundReason: row.refund_reason,
  };
}
