// Table types for the shop's core tables (Kysely). Security modules declare their own
// tables in their folders and reach them with db.withTables<…>().
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { LegalTextTable, ShopSettingsTable } from '../shop-settings/shop-settings-tables.ts';

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
  /** Parcel size class (60/80/100… cm, the sum of the sides) the shipping fee table is read with (migration 0610). */
  size_class: Generated<number>;
  /** Draft products are seen only in the back office (0630_catalog_publishing). */
  publication: Generated<'draft' | 'published'>;
  /** UTC ISO time from which a published product is visible; null: at once. */
  publish_at: string | null;
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
  /** The delivery choice (migration 0610, src/shipping/): method, its names then, date and slot. */
  shipping_method_id: ColumnType<number | null, number | null | undefined, number | null>;
  shipping_method_name_ja: ColumnType<string | null, string | null | undefined, string | null>;
  shipping_method_name_en: ColumnType<string | null, string | null | undefined, string | null>;
  delivery_date: ColumnType<string | null, string | null | undefined, string | null>;
  delivery_time_slot: ColumnType<string | null, string | null | undefined, string | null>;
  /** 姓・名 and their フリガナ (katakana), migration 0650; null when only `name` was given. */
  family_name: ColumnType<string | null, string | null | undefined, string | null>;
  given_name: ColumnType<string | null, string | null | undefined, string | null>;
  family_name_kana: ColumnType<string | null, string | null | undefined, string | null>;
  given_name_kana: ColumnType<string | null, string | null | undefined, string | null>;
  /** Coupon discount on the goods, before tax (migration 0740); `total` is net of it. */
  discount_total: ColumnType<number, number | undefined, number>;
  coupon_id: ColumnType<number | null, number | null | undefined, number | null>;
  coupon_code: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** The coupon discount allocated to this rate (migration 0740); taxable_total is after it. */
  discount: ColumnType<number, number | undefined, number>;
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
  shipping_methods: ShippingMethodTable;
  shipping_method_fees: ShippingMethodFeeTable;
  customers: CustomerTable;
  customer_sessions: CustomerSessionTable;
  customer_tokens: CustomerTokenTable;
  customer_addresses: CustomerAddressTable;
  customer_orders: CustomerOrderTable;
  shop_settings: ShopSettingsTable;
  legal_texts: LegalTextTable;
}

export type Product = Selectable<ProductTable>;
export type Variant = Selectable<VariantTable>;
export type Order = Selectable<OrderTable>;
export type OrderItem = Selectable<OrderItemTable>;
export type { ColumnType };

export interface ShippingMethodTable {
  id: Generated<number>;
  name_ja: string;
  name_en: string;
  carrier: string;
  tracking_url_template: string | null;
  free_over: number | null;
  date_selectable: number;
  date_min_days: number;
  date_max_days: number;
  time_slots: string; // JSON array of slot codes
  enabled: number;
  position: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ShippingMethodFeeTable {
  method_id: number;
  size_class: number;
  area: string; // region code or prefecture (Japanese name)
  fee: number; // JPY, tax-inclusive (10%)
}

// Customer accounts (issue 18, migration 0640_customer_accounts.ts; src/customer-accounts/).
export interface CustomerTable {
  id: Generated<number>;
  email: string;
  name: string;
  /** scrypt$N$r$p$salt$key (src/admin/password-hashing.ts). */
  password_hash: string;
  locale: 'ja' | 'en';
  email_verified_at: Timestamp | null;
  disabled_at: Timestamp | null;
  /** TOTP secret sealed with the installation key (src/admin/totp-secret-box.ts). */
  totp_secret: string | null;
  totp_enrolled_at: Timestamp | null;
  totp_last_step: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomerSessionTable {
  /** sha256 of the cookie value or bearer token. */
  id_hash: string;
  customer_id: number;
  stage: 'password' | 'full';
  kind: 'web' | 'api';
  created_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string;
  user_agent: string;
}

export interface CustomerTokenTable {
  token_hash: string;
  customer_id: number;
  purpose: 'verify_email' | 'reset_password' | 'change_email';
  new_email: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface CustomerAddressTable {
  id: Generated<number>;
  customer_id: number;
  name: string;
  phone: string;
  country: string;
  postal_code: string;
  prefecture: string;
  city: string;
  line1: string;
  line2: string;
  is_default: Generated<number>;
  created_at: Timestamp;
}

export interface CustomerOrderTable {
  order_id: string;
  customer_id: number;
  created_at: Timestamp;
}

export type Customer = Selectable<CustomerTable>;
