// The account's data: its orders (through customer_orders), saved addresses, the APPI export and
// deletion. Plain functions over the database handle, the same on SQLite and PostgreSQL.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { CustomerDetails } from '../checkout/customer-details.ts';
import { totpDb } from './totp-tables.ts';

export interface CustomerOrderRow { id: string; order_number: string; created_at: string; status: string; total: number }

export function listCustomerOrders(db: Kysely<Database>, customerId: number): Promise<CustomerOrderRow[]> {
  return db.selectFrom('customer_orders').innerJoin('orders', 'orders.id', 'customer_orders.order_id')
    .where('customer_orders.customer_id', '=', customerId)
    .select(['orders.id', 'orders.order_number', 'orders.created_at', 'orders.status', 'orders.total'])
    .orderBy('orders.created_at', 'desc').orderBy('orders.id').limit(200).execute();
}

export async function customerOwnsOrder(db: Kysely<Database>, customerId: number, orderId: string): Promise<boolean> {
  const row = await db.selectFrom('customer_orders').where('customer_id', '=', customerId).where('order_id', '=', orderId).select('order_id').executeTakeFirst();
  return row !== undefined;
}

/** Called right after checkout placed the order for a signed-in customer. */
export async function linkOrderToCustomer(db: Kysely<Database>, orderId: string, customerId: number, now: Date): Promise<void> {
  await db.insertInto('customer_orders').values({ order_id: orderId, customer_id: customerId, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('order_id').doNothing()).execute();
}

export interface CustomerAddressRow {
  id: number; name: string; phone: string; country: string; postal_code: string; prefecture: string; city: string; line1: string; line2: string; is_default: number;
}

export function listAddresses(db: Kysely<Database>, customerId: number): Promise<CustomerAddressRow[]> {
  return db.selectFrom('customer_addresses').where('customer_id', '=', customerId)
    .select(['id', 'name', 'phone', 'country', 'postal_code', 'prefecture', 'city', 'line1', 'line2', 'is_default'])
    .orderBy('is_default', 'desc').orderBy('id').execute();
}

export function defaultAddress(db: Kysely<Database>, customerId: number): Promise<CustomerAddressRow | undefined> {
  return db.selectFrom('customer_addresses').where('customer_id', '=', customerId).where('is_default', '=', 1)
    .select(['id', 'name', 'phone', 'country', 'postal_code', 'prefecture', 'city', 'line1', 'line2', 'is_default']).executeTakeFirst();
}

/** At most this many saved addresses per account: the table cannot be filled by one customer. */
export const MAX_ADDRESSES = 20;

export async function addAddress(db: Kysely<Database>, customerId: number, d: CustomerDetails, makeDefault: boolean, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const count = await trx.selectFrom('customer_addresses').where('customer_id', '=', customerId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_ADDRESSES) return false;
    const first = Number(count.n) === 0;
    if (makeDefault && !first) await trx.updateTable('customer_addresses').set({ is_default: 0 }).where('customer_id', '=', customerId).execute();
    const a = d.shippingAddress;
    await trx.insertInto('customer_addresses').values({
      customer_id: customerId, name: d.name, phone: d.phone, country: a.country, postal_code: a.postalCode, prefecture: a.prefecture, city: a.city, line1: a.line1, line2: a.line2,
      is_default: makeDefault || first ? 1 : 0, created_at: now.toISOString(),
    }).execute();
    return true;
  });
}

export async function setDefaultAddress(db: Kysely<Database>, customerId: number, addressId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const own = await trx.selectFrom('customer_addresses').where('id', '=', addressId).where('customer_id', '=', customerId).select('id').executeTakeFirst();
    if (!own) return;
    await trx.updateTable('customer_addresses').set({ is_default: 0 }).where('customer_id', '=', customerId).execute();
    await trx.updateTable('customer_addresses').set({ is_default: 1 }).where('id', '=', addressId).execute();
  });
}

export async function deleteAddress(db: Kysely<Database>, customerId: number, addressId: number): Promise<void> {
  await db.deleteFrom('customer_addresses').where('id', '=', addressId).where('customer_id', '=', customerId).execute();
}

/** APPI (開示請求): everything the shop holds about the account, as the customer may ask for it. Never a hash or secret. */
export async function exportCustomerData(db: Kysely<Database>, customerId: number): Promise<Record<string, unknown>> {
  const c = await db.selectFrom('customers').where('id', '=', customerId)
    .select(['email', 'name', 'locale', 'email_verified_at', 'totp_enrolled_at', 'created_at', 'updated_at']).executeTakeFirstOrThrow();
  const addresses = (await listAddresses(db, customerId)).map(({ id: _id, ...a }) => ({ ...a, is_default: a.is_default === 1 }));
  const orders = await db.selectFrom('customer_orders').innerJoin('orders', 'orders.id', 'customer_orders.order_id').where('customer_orders.customer_id', '=', customerId)
    .select(['orders.id', 'orders.order_number', 'orders.created_at', 'orders.status', 'orders.email', 'orders.name', 'orders.phone', 'orders.country', 'orders.postal_code',
      'orders.prefecture', 'orders.city', 'orders.line1', 'orders.line2', 'orders.items_total', 'orders.shipping_fee', 'orders.total', 'orders.refunded_total'])
    .orderBy('orders.created_at').execute();
  const items = orders.length === 0 ? [] : await db.selectFrom('order_items').where('order_id', 'in', orders.map((o) => o.id))
    .select(['order_id', 'sku', 'product_name_ja', 'product_name_en', 'variant_name_ja', 'variant_name_en', 'unit_price', 'quantity', 'tax_rate', 'line_total']).execute();
  // How many recovery codes exist and were used, and when: never a hash, and never the TOTP secret.
  const recoveryCodes = await totpDb(db).selectFrom('customer_recovery_codes').where('customer_id', '=', customerId).select('used_at').orderBy('id').execute();
  const sessions = await db.selectFrom('customer_sessions').where('customer_id', '=', customerId).select(['kind', 'created_at', 'last_seen_at', 'ip', 'user_agent']).execute();
  return {
    account: { ...c, twoStepVerification: c.totp_enrolled_at !== null },
    recoveryCodes: { total: recoveryCodes.length, usedAt: recoveryCodes.flatMap((r) => (r.used_at ? [r.used_at] : [])) },
    addresses,
    orders: orders.map((o) => ({ ...o, items: items.filter((i) => i.order_id === o.id).map(({ order_id: _o, ...i }) => i) })),
    sessions,
  };
}

/**
 * APPI deletion: the account row (with its TOTP secret) and everything hanging off it (sessions,
 * links, addresses, recovery codes, the order links) go; the orders themselves stay, since tax and accounting law make the merchant
 * keep transaction records (7 years), and they are no longer tied to an account.
 */
export async function deleteCustomer(db: Kysely<Database>, customerId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const t of ['customer_orders', 'customer_addresses', 'customer_tokens', 'customer_sessions'] as const) await trx.deleteFrom(t).where('customer_id', '=', customerId).execute();
    // The TOTP secret goes with the customers row; its recovery codes are rows of their own.
    await totpDb(trx).deleteFrom('customer_recovery_codes').where('customer_id', '=', customerId).execute();
    await trx.deleteFrom('customers').where('id', '=', customerId).execute();
  });
}
