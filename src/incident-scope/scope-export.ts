// The export for the payment gateway and the card companies: which transactions fall in the
// incident's scope. Built only from these named, non-card fields, so it cannot carry a card
// number by construction (the shop never has one: the customer types it on the gateway's page).
// Brand and last four digits are columns the card companies ask for, but the shop's payment
// record holds neither (src/payments stores the gateway's transaction id only): they stay empty,
// and the gateway fills them from the transaction id.
import { csvCell } from '../admin/orders-admin.ts';
import type { ScopeRow } from './incident-scope.ts';

export const SCOPE_EXPORT_COLUMNS = ['order_number', 'payment_provider', 'gateway_transaction_id', 'brand', 'last4', 'amount_jpy', 'time_utc'] as const;

export interface ScopeExportRecord {
  order_number: string;
  payment_provider: string;
  gateway_transaction_id: string;
  /** Not recorded by the shop. */
  brand: string;
  /** Not recorded by the shop. */
  last4: string;
  amount_jpy: number;
  time_utc: string;
}

export function scopeExportRecord(r: ScopeRow): ScopeExportRecord {
  return {
    order_number: r.orderNumber,
    payment_provider: r.provider ?? '',
    gateway_transaction_id: r.transactionId ?? '',
    brand: '',
    last4: '',
    amount_jpy: r.amount,
    time_utc: r.at,
  };
}

/** CSV (UTF-8 with BOM, CRLF, formula-safe cells), one chunk per row. */
export async function* scopeExportCsv(rows: AsyncIterable<ScopeRow>): AsyncGenerator<string> {
  yield '\uFEFF' + SCOPE_EXPORT_COLUMNS.map(csvCell).join(',') + '\r\n';
  for await (const r of rows) {
    const rec = scopeExportRecord(r);
    yield SCOPE_EXPORT_COLUMNS.map((c) => csvCell(rec[c])).join(',') + '\r\n';
  }
}

/** A JSON document `{ columns, note, rows: [...] }`, written row by row. */
export async function* scopeExportJson(rows: AsyncIterable<ScopeRow>, meta: Record<string, unknown>): AsyncGenerator<string> {
  yield `{"meta":${JSON.stringify({ ...meta, brandAndLast4: 'not recorded by the shop; the gateway has them for each transaction id' })},"rows":[`;
  let first = true;
  for await (const r of rows) {
    yield (first ? '\n' : ',\n') + JSON.stringify(scopeExportRecord(r));
    first = false;
  }
  yield '\n]}\n';
}
