// The counts of who was affected, as the PPC report quotes them: read from the incident's saved
// scope (src/incident-scope/), so the report and the scope page can never disagree. An incident
// not scoped yet simply has none.
import type { Kysely } from 'kysely';
import { loadIncidentScope } from '../incident-scope/incident-scope.ts';
import type { ScopeCriterion } from '../incident-scope/scope-tables.ts';

export interface ScopeCounts {
  persons: number;
  orders: number;
  /** Kinds of personal data involved, e.g. 'name', 'email', 'address', 'phone'. */
  dataItems: string[];
  /** How the scope was drawn (criterion and period), in Japanese for the report. */
  criteria: string;
  computedAt: string;
}

/** What the shop holds about the person behind an order: the data an order-scope incident involves. The shop holds no card data. */
const ORDER_DATA_ITEMS = ['name', 'email', 'address', 'phone', 'order_history'];

const CRITERION_JA: Record<ScopeCriterion, string> = {
  card_paid: 'カード決済された注文',
  payment_started: '決済ページへ遷移した注文',
};

export async function scopeForPpcReport(db: Kysely<any>, incidentId: number): Promise<ScopeCounts | null> {
  const scope = await loadIncidentScope(db, incidentId);
  if (!scope) return null;
  const day = (iso: string) => iso.slice(0, 10);
  return {
    persons: scope.persons, orders: scope.orders, dataItems: ORDER_DATA_ITEMS,
    criteria: `${CRITERION_JA[scope.criterion]}（${day(scope.from)}〜${day(scope.to)}、UTC）${scope.emails ? `のうち指定された${scope.emails.length}件のメールアドレス` : ''}`,
    computedAt: scope.computedAt,
  };
}

/** Japanese names of the data kinds, for the report. */
export const DATA_ITEM_NAMES_JA: Record<string, string> = {
  name: '氏名', email: 'メールアドレス', address: '住所', phone: '電話番号', order_history: '注文履歴',
  card_brand: 'カードブランド', card_last4: 'カード番号の下4桁', card_number: 'クレジットカード番号', card_expiry: '有効期限', card_cvc: 'セキュリティコード',
};
