// Table types of the back office (migrations 0350_admin_accounts.ts, 0420_admin_login_throttle.ts), reached with
// db.withTables<AdminTables>() so the shop's core schema stays untouched.
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';

export const ADMIN_ROLES = ['owner', 'staff', 'vendor', 'auditor'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export interface AdminAccountTable {
  id: Generated<number>;
  email: string;
  role: AdminRole;
  /** scrypt$N$r$p$salt$key (password-hashing.ts). */
  password_hash: string;
  /** Base32 TOTP secret; set at enrolment start, confirmed by mfa_enrolled_at. Never logged. */
  totp_secret: string | null;
  mfa_enrolled_at: string | null;
  totp_last_step: number | null;
  /** Unused since 0420: failures are counted per (name, address) in admin_login_throttle. */
  failed_attempts: Generated<number>;
  locked_until: string | null;
  /** Vendor time-box: no access after this instant. */
  access_expires_at: string | null;
  /** Staff: largest refund (yen) they may issue; null = none. */
  refund_limit: number | null;
  disabled: Generated<number>;
  created_at: string;
}

export interface AdminSessionTable {
  /** sha256 of the cookie value: a leaked table does not give usable session ids. */
  id_hash: string;
  account_id: number;
  stage: 'password' | 'full';
  created_at: string;
  last_seen_at: string;
  ip: string;
  user_agent: string;
  /** Keys this session's CSRF tokens (admin-csrf.ts); null only for rows made outside createSession. */
  csrf_secret: string | null;
}

export interface AdminRecoveryCodeTable {
  id: Generated<number>;
  account_id: number;
  code_hash: string;
  used_at: string | null;
}

export interface AdminSetupTokenTable {
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AdminStockAdjustmentTable {
  id: Generated<number>;
  variant_id: number;
  delta: number;
  stock_after: number;
  reason: string;
  account_id: number | null;
  created_at: string;
}

export interface AdminLoginThrottleTable {
  name_key: string;
  /** Client address (IPv6 by /64), or '*' for the row holding the name-wide lock. */
  address: string;
  /** Consecutive failures of this pair; reset when the pair is locked or signs in. */
  failures: number;
  /** Failures within the counting window, for the name-wide lock. */
  window_failures: number;
  last_failed_at: string;
  locked_until: string | null;
}

// A type alias, not an interface: withTables<T> wants an index-signature-compatible record.
export type AdminTables = {
  admin_accounts: AdminAccountTable;
  admin_sessions: AdminSessionTable;
  admin_recovery_codes: AdminRecoveryCodeTable;
  admin_setup_tokens: AdminSetupTokenTable;
  admin_stock_adjustments: AdminStockAdjustmentTable;
  admin_login_throttle: AdminLoginThrottleTable;
};

export type AdminDb = Kysely<Database & AdminTables>;
export type AdminAccount = Selectable<AdminAccountTable>;

export function adminDb(db: Kysely<Database> | Kysely<any>): AdminDb {
  return (db as Kysely<Database>).withTables<AdminTables>();
}
