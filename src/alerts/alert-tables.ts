// Table types of the alert and pause mechanism (migration 0450_alerts_and_pauses.ts), reached
// with db.withTables<AlertTables>() so the shop's core schema stays untouched.
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';

export const ALERT_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface SecurityAlertTable {
  id: Generated<number>;
  /** What raised it, dotted: 'page_watch.script_added', 'integrity.file_changed', 'admin.lockout' … */
  kind: string;
  severity: AlertSeverity;
  /** Alerts with the same key fold into one open row until acknowledged (no mail every minute). */
  dedupe_key: string;
  summary: string;
  /** JSON: audit entry ids, paths, URLs — what an owner needs to check the claim. Never card data. */
  evidence: string;
  occurrences: Generated<number>;
  first_seen_at: string;
  last_seen_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
}

export const PAUSE_SCOPES = ['card_payments', 'storefront'] as const;
export type PauseScope = (typeof PAUSE_SCOPES)[number];

export interface ShopPauseTable {
  scope: PauseScope;
  reason: string;
  /** Shown to customers (storefront stop), in the merchant's words. */
  message: string | null;
  alert_id: number | null;
  paused_by: string;
  paused_at: string;
}

// A type alias, not an interface: withTables<T> wants an index-signature-compatible record.
export type AlertTables = {
  security_alerts: SecurityAlertTable;
  shop_pauses: ShopPauseTable;
};

export type SecurityAlert = Selectable<SecurityAlertTable>;
export type ShopPause = Selectable<ShopPauseTable>;

export type AlertDb = Kysely<Database & AlertTables>;

export function alertDb(db: Kysely<Database> | Kysely<any>): AlertDb {
  return (db as Kysely<Database>).withTables<AlertTables>();
}
