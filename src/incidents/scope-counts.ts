// The counts of who was affected, as the PPC report quotes them. The scope tool (who was affected:
// orders, customers) writes them with recordScopeCounts; the report reads them with
// incidentScopeCounts, and an incident not scoped yet simply has none.
import type { Kysely } from 'kysely';
import { incidentDb } from './incident-tables.ts';

export interface ScopeCounts {
  persons: number;
  orders: number;
  /** Kinds of personal data involved, e.g. 'name', 'email', 'address', 'phone', 'card_last4'. */
  dataItems: string[];
  /** How the scope was drawn (period and criteria), in the merchant's words. */
  criteria: string;
  computedAt: string;
}

export async function incidentScopeCounts(db: Kysely<any>, incidentId: number): Promise<ScopeCounts | null> {
  const row = await incidentDb(db).selectFrom('incident_scope_counts').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
  if (!row) return null;
  let dataItems: string[] = [];
  try {
    const parsed = JSON.parse(row.data_items) as unknown;
    if (Array.isArray(parsed)) dataItems = parsed.filter((x): x is string => typeof x === 'string');
  } catch { /* a malformed list reads as none */ }
  return { persons: Number(row.persons), orders: Number(row.orders), dataItems, criteria: row.criteria, computedAt: row.computed_at };
}

/** Replaces the incident's counts (the scope tool calls this in its own transaction, with its audit entry). */
export async function recordScopeCounts(db: Kysely<any>, incidentId: number, counts: Omit<ScopeCounts, 'computedAt'>, now: Date): Promise<void> {
  const values = { persons: counts.persons, orders: counts.orders, data_items: JSON.stringify(counts.dataItems), criteria: counts.criteria, computed_at: now.toISOString() };
  await incidentDb(db).insertInto('incident_scope_counts').values({ incident_id: incidentId, ...values })
    .onConflict((oc) => oc.column('incident_id').doUpdateSet(values)).execute();
}

/** Japanese names of the data kinds, for the report. */
export const DATA_ITEM_NAMES_JA: Record<string, string> = {
  name: '氏名', email: 'メールアドレス', address: '住所', phone: '電話番号', order_history: '注文履歴',
  card_brand: 'カードブランド', card_last4: 'カード番号の下4桁', card_number: 'クレジットカード番号', card_expiry: '有効期限', card_cvc: 'セキュリティコード',
};
