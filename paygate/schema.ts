// The gateway's own tables (its own SQLite file; nothing here is shared with the shop).
// Times are ISO-8601 UTC strings, so they sort and compare as text.
import type { Generated } from 'kysely';

export type GatewayPaymentStatus = 'pending' | 'captured' | 'declined' | 'cancelled' | 'expired' | 'refunded' | 'partially_refunded';
export type NotificationDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface MerchantsTable {
  id: string;
  name: string;
  /** Shared HMAC secret; the gateway must be able to recompute signatures, so it is kept, never logged. */
  secret: string;
  /** JSON array of origins allowed in return/cancel/notification URLs; empty = any http(s). */
  allowed_return_origins: string;
  created_at: string;
}

export interface PaymentsTable {
  id: string;
  merchant_id: string;
  order_reference: string;
  amount: number;
  currency: string;
  description: string;
  locale: 'ja' | 'en';
  return_url: string;
  cancel_url: string;
  notification_url: string;
  status: GatewayPaymentStatus;
  refunded_amount: number;
  /** Card facts after payment: brand, last four and a keyed fingerprint. Never the number or CVC. */
  card_brand: string | null;
  card_last4: string | null;
  card_fingerprint: string | null;
  failure_reason: string | null;
  /** 1 while a 3-D Secure challenge is waiting for the one-time code. */
  challenge_pending: number;
  created_at: string;
  updated_at: string;
  expires_at: string;
  /** 'card' (hosted page) or 'konbini' (paid at a store with the number below); migration 0002. */
  method: PaymentMethod;
  konbini_store: KonbiniStore | null;
  /** What the customer gives the store: 11 digits, unique across the gateway, never card-shaped. */
  konbini_payment_number: string | null;
  /** 確認番号: asked for beside the number at some chains. */
  konbini_confirmation_number: string | null;
}

export type PaymentMethod = 'card' | 'konbini';
export const KONBINI_STORES = ['seven-eleven', 'familymart', 'lawson', 'ministop', 'seicomart'] as const;
export type KonbiniStore = (typeof KONBINI_STORES)[number];

export interface NotificationsTable {
  event_id: string;
  merchant_id: string;
  transaction_id: string;
  type: string;
  /** The exact JSON bytes that are signed and sent on every attempt. */
  body: string;
  url: string;
  status: NotificationDeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_response_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  seq: Generated<number>;
}

export interface RequestNoncesTable {
  merchant_id: string;
  nonce: string;
  seen_at: string;
}

export interface GatewaySettingsTable {
  key: string;
  value: string;
}

export interface PaygateSchema {
  merchants: MerchantsTable;
  payments: PaymentsTable;
  notifications: NotificationsTable;
  request_nonces: RequestNoncesTable;
  gateway_settings: GatewaySettingsTable;
}
