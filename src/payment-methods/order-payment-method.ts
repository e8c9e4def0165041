// What an order's payment method means for the customer: the details they need to pay (the
// shop's bank account and the deadline, the konbini number, the COD fee), read in one place for
// the order page, the order mail and the Store API.
import type { Kysely } from 'kysely';
import type { ShopContext } from '../shop-context.ts';
import type { Database } from '../db/schema.ts';
import { currentShopProfile } from '../shop-settings/shop-profile.ts';
import { KONBINI_CHAINS, type KonbiniChain } from '../payments/payment-provider.ts';
import { paymentMethodDb } from './payment-method-tables.ts';
import { loadPaymentSettings } from './payment-settings.ts';

export type PaymentInstructions =
  | { method: 'bank_transfer'; amount: number; deadline: string; account: string | null; note: string }
  | { method: 'cod'; amount: number; fee: number }
  | { method: 'konbini'; amount: number; store: KonbiniChain | null; paymentNumber: string | null; confirmationNumber: string | null; deadline: string | null };

export interface OrderPaymentDetails {
  instructions: PaymentInstructions;
  /** True while the customer still has something to do (or, for COD, the carrier still collects). */
  due: boolean;
}

/** True for card orders (no row: every order placed before payment methods existed). */
export async function paysByCard(db: Kysely<Database> | Kysely<any>, orderId: string): Promise<boolean> {
  const row = await paymentMethodDb(db).selectFrom('order_payment_methods').where('order_id', '=', orderId).select('method').executeTakeFirst();
  return !row || row.method === 'card';
}

/** Undefined for a card order: its page and mail stay as they were. */
export async function orderPaymentDetails(shop: Pick<ShopContext, 'db' | 'config'>, orderId: string): Promise<OrderPaymentDetails | undefined> {
  const db = paymentMethodDb(shop.db.db);
  const row = await db.selectFrom('order_payment_methods as pm').innerJoin('orders as o', 'o.id', 'pm.order_id')
    .where('pm.order_id', '=', orderId)
    .select(['pm.method', 'pm.fee', 'pm.konbini_payment_number', 'pm.konbini_expires_at', 'pm.konbini_store', 'pm.konbini_confirmation_number', 'o.total', 'o.expires_at', 'o.status', 'o.paid_at'])
    .executeTakeFirst();
  if (!row || row.method === 'card') return undefined;
  const due = row.status === 'pending_payment' || (row.method === 'cod' && row.status === 'fulfilled' && row.paid_at === null);
  if (row.method === 'bank_transfer') {
    const [profile, settings] = await Promise.all([currentShopProfile(shop), loadPaymentSettings(shop.db.db)]);
    return { due, instructions: { method: 'bank_transfer', amount: row.total, deadline: row.expires_at, account: profile.bankTransferAccount ?? null, note: settings.bankTransferNote } };
  }
  if (row.method === 'cod') return { due, instructions: { method: 'cod', amount: row.total, fee: row.fee } };
  const store = KONBINI_CHAINS.find((c) => c === row.konbini_store) ?? null;
  return { due, instructions: { method: 'konbini', amount: row.total, store, paymentNumber: row.konbini_payment_number, confirmationNumber: row.konbini_confirmation_number, deadline: row.konbini_expires_at } };
}
