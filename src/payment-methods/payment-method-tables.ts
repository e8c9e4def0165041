// The tables of migration 0620, reached with db.withTables<PaymentMethodTables>() so that the
// shared schema file stays untouched by this feature.
import type { ColumnType, Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface PaymentMethodSettingsTable {
  /** Always 1: the shop has one set of payment settings. */
  id: number;
  /** JSON, parsed through PaymentSettingsSchema on every read (payment-settings.ts). */
  settings: string;
  updated_at: string;
}

export interface OrderPaymentMethodTable {
  order_id: string;
  method: string;
  /** Fee the method added to the order (代引手数料), yen tax-inclusive at the standard rate; already in orders.total. */
  fee: number;
  konbini_payment_number: string | null;
  konbini_expires_at: string | null;
  /** The chain the number is for (KonbiniChain) and its 確認番号 where it uses one; migration 0750. */
  konbini_store: string | null;
  konbini_confirmation_number: string | null;
  /** The reconciliation job's status queries about this order (konbini only; migration 0770). */
  status_asked_at: string | null;
  status_ask_count: ColumnType<number, number | undefined, number>;
  status_next_ask_at: string | null;
  created_at: string;
}

export type PaymentMethodTables = {
  payment_method_settings: PaymentMethodSettingsTable;
  order_payment_methods: OrderPaymentMethodTable;
};

export type OrderPaymentMethodRow = Selectable<OrderPaymentMethodTable>;

export function paymentMethodDb(db: Kysely<Database> | Kysely<any>): Kysely<Database & PaymentMethodTables> {
  return (db as Kysely<Database>).withTables<PaymentMethodTables>();
}
