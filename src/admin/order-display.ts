// How the back office words an order's payment state and timeline. Both are stored as stable
// codes and English cause lines (the audit trail keeps its wording); the pages translate them
// here, so a Japanese merchant reads 決済完了, not `captured`. A cause this file does not know is
// shown as stored rather than hidden.
import type { Locale } from '../i18n/locale.ts';
import { formatYen } from '../i18n/locale.ts';
import type { PaymentStatus } from '../payments/payment-provider.ts';

export const PAYMENT_STATUSES: readonly PaymentStatus[] = ['pending', 'authorized', 'captured', 'declined', 'cancelled', 'expired', 'refunded', 'partially_refunded'];

interface OrderDisplayMessages {
  paymentStatuses: Record<PaymentStatus, string>;
  sources: Record<string, string>;
  placed: string;
  expired: string;
  cancelled: (reason: string) => string;
  refunded: (amount: string, reason: string) => string;
  shipped: (carrier: string, tracking: string) => string;
  captured: (source: string, provider: string, transactionId: string) => string;
  mismatch: (source: string, received: string, expected: string) => string;
  secondPayment: (transactionId: string) => string;
  capturedAfter: (status: string) => string;
  /** Offline payments (src/orders/record-offline-payment.ts): COD collected, the merchant's note. */
  codCollected: (amount: string) => string;
  paymentNote: (note: string) => string;
}

const ja: OrderDisplayMessages = {
  paymentStatuses: {
    pending: '決済待ち', authorized: 'オーソリ済み（売上未確定）', captured: '決済完了', declined: '決済不可', cancelled: '決済キャンセル',
    expired: '決済期限切れ', refunded: '全額返金済み', partially_refunded: '一部返金済み',
  },
  sources: { notification: '決済通知', return: 'お客様の戻り', reconciliation: '照合', merchant: 'ショップが記録' },
  placed: '注文を受け付け、在庫を確保しました',
  expired: 'お支払い期限までに決済されませんでした',
  cancelled: (reason) => `キャンセル：${reason}`,
  refunded: (amount, reason) => `${amount}を返金：${reason}`,
  shipped: (carrier, tracking) => `${carrier}で発送（追跡番号 ${tracking}）`,
  captured: (source, provider, tx) => `決済完了（${source}、${provider} ${tx}）`,
  mismatch: (source, received, expected) => `決済金額の不一致（${source}）：受領 ${received}、注文 ${expected}`,
  secondPayment: (tx) => `二重に決済されました（${tx}）：一方を返金してください`,
  capturedAfter: (status) => `注文が「${status}」になった後に決済されました`,
  codCollected: (amount) => `代金引換 ${amount} を回収`,
  paymentNote: (note) => `入金メモ：${note}`,
};

const en: OrderDisplayMessages = {
  paymentStatuses: {
    pending: 'Pending', authorized: 'Authorised (not captured)', captured: 'Captured', declined: 'Declined', cancelled: 'Cancelled',
    expired: 'Expired', refunded: 'Refunded', partially_refunded: 'Partially refunded',
  },
  sources: { notification: 'gateway notification', return: 'customer return', reconciliation: 'reconciliation', merchant: 'recorded by the shop' },
  placed: 'Order placed; stock reserved',
  expired: 'Payment not completed in time',
  cancelled: (reason) => `Cancelled: ${reason}`,
  refunded: (amount, reason) => `Refunded ${amount}: ${reason}`,
  shipped: (carrier, tracking) => `Shipped with ${carrier}, tracking ${tracking}`,
  captured: (source, provider, tx) => `Payment captured (${source}, ${provider} ${tx})`,
  mismatch: (source, received, expected) => `Payment mismatch (${source}): received ${received}, order ${expected}`,
  secondPayment: (tx) => `Second payment captured (${tx}): refund one`,
  capturedAfter: (status) => `Payment captured after the order was ${status}`,
  codCollected: (amount) => `Cash on delivery collected: ${amount}`,
  paymentNote: (note) => `Payment note: ${note}`,
};

export function orderDisplayMessages(locale: Locale): OrderDisplayMessages {
  return locale === 'en' ? en : ja;
}

export function paymentStatusLabel(locale: Locale, status: string | null): string {
  if (status === null) return '—';
  return (orderDisplayMessages(locale).paymentStatuses as Record<string, string>)[status] ?? status;
}

/** One timeline line, from the cause as the order services wrote it. */
export function describeOrderEvent(locale: Locale, cause: string, statuses: Record<string, string>): string {
  const d = orderDisplayMessages(locale);
  const source = (s: string) => d.sources[s] ?? s;
  const yen = (n: string) => formatYen(Number(n));
  let m: RegExpExecArray | null;
  if (cause === 'order placed; stock reserved') return d.placed;
  if (cause === 'payment not completed in time') return d.expired;
  if ((m = /^cancelled: ([\s\S]*)$/.exec(cause))) return d.cancelled(m[1]!);
  if ((m = /^refunded (\d+) yen: ([\s\S]*)$/.exec(cause))) return d.refunded(yen(m[1]!), m[2]!);
  if ((m = /^shipped with ([\s\S]*), tracking ([A-Za-z0-9-]+)$/.exec(cause))) return d.shipped(m[1]!, m[2]!);
  if ((m = /^payment captured \(([a-z_]+), (\S+) (\S+)\)$/.exec(cause))) return d.captured(source(m[1]!), m[2]!, m[3]!);
  if ((m = /^payment mismatch \(([a-z_]+)\): (\d+) (\S+) for (\d+) JPY$/.exec(cause))) return d.mismatch(source(m[1]!), m[3] === 'JPY' ? yen(m[2]!) : `${m[2]} ${m[3]}`, yen(m[4]!));
  if ((m = /^second payment captured \((\S+)\): refund one$/.exec(cause))) return d.secondPayment(m[1]!);
  if ((m = /^payment captured after the order was ([a-z_]+)$/.exec(cause))) return d.capturedAfter(statuses[m[1]!] ?? m[1]!);
  if ((m = /^cash on delivery collected \((\d+) yen\)$/.exec(cause))) return d.codCollected(yen(m[1]!));
  if ((m = /^payment note: ([\s\S]*)$/.exec(cause))) return d.paymentNote(m[1]!);
  return cause;
}
