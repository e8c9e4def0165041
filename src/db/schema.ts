// Table types for the shop's core tables (Kysely). Security modules declare their own
// tables in their folders and reach them with db.withTables<…>().
import type { ColumnType, Generated, Selectable } from 'kysely';

/** Stored as ISO-8601 UTC text on both engines, so the same queries and comparisons work. */
type Timestamp = string;

export interface CategoryTable {
  id: Generated<number>;
  slug: string;
  name_ja: string;
  name_en: string;
  position: number;
}

export interface ProductTable {
  id: Generated<number>;
  slug: string;
  category_id: number;
  name_ja: string;
  name_en: string;
  description_ja: string;
  description_en: string;
  tax_rate: number; // 10 standard, 8 reduced
  status: 'active' | 'archived';
  /** Normalised names, readings, category names and descriptions (src/catalog/search-text.ts), for trigram search. */
  search_text: string;
  /** The merchant's reading keywords (読み) so kana finds kanji names. */
  reading: Generated<string>;
  /** Normalised names and readings, one per line: what a name match is ranked on. */
  search_name: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProductImageTable {
  id: Generated<number>;
  product_id: number;
  path: string; // under /media/
  alt_ja: string;
  alt_en: string;
  position: number;
}

export interface VariantTable {
  id: Generated<number>;
  product_id: number;
  sku: string;
  name_ja: string;
  name_en: string;
  price: number; // JPY, tax-inclusive
  stock: number; // never negative: CHECK constraint + conditional update
  position: number;
}

export interface CartTable {
  id: string; // random UUID: the cart cookie / API id
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CartItemTable {
  id: Generated<number>;
  cart_id: string;
  variant_id: number;
  quantity: number;
}

export type OrderStatus = 'pending_payment' | 'paid' | 'fulfilled' | 'cancelled' | 'expired' | 'payment_review';

export interface OrderTable {
  id: string; // random UUID
  order_number: string; // customer-facing, e.g. MA-7K3Q-9XPD
  access_token_hash: string; // sha256 of the unguessable token given to the customer
  cart_id: string | null;
  locale: 'ja' | 'en';
  email: string;
  name: string;
  phone: string;
  country: string;
  postal_code: string;
  prefecture: string;
  city: string;
  line1: string;
  line2: string;
  items_total: number;
  shipping_fee: number;
  total: number;
  status: OrderStatus;
  payment_provider: string | null;
  payment_transaction_id: string | null;
  payment_status: string | null;
  expires_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  refunded_total: Generated<number>;
  paid_at: string | null;
  /** Address the order was placed from: bounds the unpaid orders one client can hold. */
  client_ip: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set when the order mail went out (at payment start): sent at most once. */
  confirmation_mailed_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** Store API checkout's returnUrl (an allowed origin): where the gateway's return ends (migration 0580). */
  return_url: ColumnType<string | null, string | null | undefined, string | null>;
  /** 姓・名 and their フリガナ (katakana), migration 0650; null when only `name` was given. */
  family_name: ColumnType<string | null, string | null | undefined, string | null>;
  given_name: ColumnType<string | null, string | null | undefined, string | null>;
  family_name_kana: ColumnType<string | null, string | null | undefined, string | null>;
  given_name_kana: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface OrderItemTable {
  id: Generated<number>;
  order_id: string;
  variant_id: number;
  product_name_ja: string;
  product_name_en: string;
  variant_name_ja: string;
  variant_name_en: string;
  sku: string;
  unit_price: number;
  quantity: number;
  tax_rate: number;
  line_total: number;
}

/** Frozen per-rate breakdown, as printed on a Japanese qualified invoice. */
export interface OrderTaxLineTable {
  order_id: string;
  tax_rate: number;
  taxable_total: number; // tax-inclusive total of the lines at this rate (shipping included at 10%)
  tax: number; // consumption tax contained, rounded once per rate per order
}

export interface OrderEventTable {
  id: Generated<number>;
  order_id: string;
  from_status: string | null;
  to_status: string;
  cause: string;
  created_at: Timestamp;
}

export interface PaymentAttemptTable {
  id: Generated<number>;
  order_id: string;
  provider: string;
  transaction_id: string | null;
  email: string;
  client_ip: string;
  status: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PaymentEventTable {
  provider: string;
  event_id: string;
  order_id: string | null;
  transaction_id: string;
  status: string;
  amount: number;
  outcome: string;
  received_at: Timestamp;
}

export interface RefundTable {
  id: Generated<number>;
  order_id: string;
  amount: number;
  reason: string;
  created_at: Timestamp;
  /** pending: reserved, gateway not yet answered; completed; failed (reservation given back). */
  status: ColumnType<'pending' | 'completed' | 'failed', 'pending' | 'completed' | 'failed' | undefined, 'pending' | 'completed' | 'failed'>;
  /** Who refunded, e.g. 'admin:12', 'system:expiry', 'customer'. */
  actor: string | null;
}

export interface CustomerMailTable {
  id: Generated<number>;
  recipient: string;
  order_id: string | null;
  kind: string;
  sent_at: Timestamp;
}

export interface NotificationRejectionCounterTable {
  client_ip: string;
  minute: Timestamp;
  count: number;
  last_reason: string;
  flushed: ColumnType<number, number | undefined, number>;
}

export interface SecurityEventTable {
  id: Generated<number>;
  type: string;
  detail: string; // JSON
  client_ip: string | null;
  created_at: Timestamp;
}

export interface PaymentBlockTable {
  block_key: string;
  reason: string;
  until: Timestamp;
}

export interface AppMetaTable {
  key: string;
  value: string;
}

export interface Database {
  categories: CategoryTable;
  products: ProductTable;
  product_images: ProductImageTable;
  variants: VariantTable;
  carts: CartTable;
  cart_items: CartItemTable;
  orders: OrderTable;
  order_items: OrderItemTable;
  order_tax_lines: OrderTaxLineTable;
  order_events: OrderEventTable;
  app_meta: AppMetaTable;
  payment_attempts: PaymentAttemptTable;
  payment_events: PaymentEventTable;
  refunds: RefundTable;
  security_events: SecurityEventTable;
  payment_blocks: PaymentBlockTable;
  customer_mails: CustomerMailTable;
  notification_rejection_counters: NotificationRejectionCounterTable;
}

export type Product = Selectable<ProductTable>;
export type Variant = Selectable<VariantTable>;
export type Order = Selectable<OrderTable>;
export type OrderItem = Selectable<OrderItemTable>;
export type { ColumnType };
