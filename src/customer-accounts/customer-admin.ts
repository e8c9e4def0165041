// 会員管理: the back office's view of customer accounts — search, one account's page, disable and
// enable, CSV export. Every read of personal data and every change is in the audit log; a
// disabled account's sessions end in the same transaction as the change; a customer who lost
// both TOTP device and recovery codes can have TOTP turned off (sessions end likewise).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { csvCell, csvDateTime } from '../admin/orders-admin.ts';
import type { Locale } from '../i18n/locale.ts';
import { totpDb } from './totp-tables.ts';

export const CUSTOMER_STATES = ['active', 'unverified', 'disabled'] as const;
export type CustomerState = (typeof CUSTOMER_STATES)[number];

export interface CustomerFilter {
  /** Part of the e-mail or name, compared after NFKC and case folding. */
  text?: string | undefined;
  state?: CustomerState | undefined;
}

export interface CustomerListRow {
  id: number; email: string; name: string; locale: string; state: CustomerState; orders: number; createdAt: string;
}

export interface AdminActor { label: string; ip: string }

export function customerState(c: { disabled_at: string | null; email_verified_at: string | null }): CustomerState {
  return c.disabled_at ? 'disabled' : c.email_verified_at ? 'active' : 'unverified';
}

/** LIKE with the query's own % and _ taken literally. */
function likePattern(text: string): string {
  return `%${text.normalize('NFKC').toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filtered(db: Kysely<Database>, f: CustomerFilter) {
  let q = db.selectFrom('customers');
  if (f.text) {
    const p = likePattern(f.text);
    // ESCAPE spelled out: SQLite's LIKE has no default escape character.
    q = q.where(sql<boolean>`(lower(customers.email) like ${p} escape '\\' or lower(customers.name) like ${p} escape '\\')`);
  }
  if (f.state === 'disabled') q = q.where('customers.disabled_at', 'is not', null);
  if (f.state === 'active') q = q.where('customers.disabled_at', 'is', null).where('customers.email_verified_at', 'is not', null);
  if (f.state === 'unverified') q = q.where('customers.disabled_at', 'is', null).where('customers.email_verified_at', 'is', null);
  return q;
}

export async function searchCustomers(db: Kysely<Database>, f: CustomerFilter, page: number, pageSize: number): Promise<{ rows: CustomerListRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    filtered(db, f).select(['customers.id', 'customers.email', 'customers.name', 'customers.locale', 'customers.disabled_at', 'customers.email_verified_at', 'customers.created_at'])
      .select((eb) => eb.selectFrom('customer_orders').whereRef('customer_orders.customer_id', '=', 'customers.id').select(eb.fn.countAll<number>().as('n')).as('orders')).orderBy('customers.created_at', 'desc').orderBy('customers.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
    filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({ id: r.id, email: r.email, name: r.name, locale: r.locale, state: customerState(r), orders: Number(r.orders ?? 0), createdAt: r.created_at })),
    total: Number(count.n),
  };
}

export interface CustomerDetail {
  id: number; email: string; name: string; locale: string; state: CustomerState; createdAt: string; verifiedAt: string | null; disabledAt: string | null;
  /** Whether the account signs in with a second step (TOTP); what the back office may reset. */
  totpOn: boolean;
  addresses: { name: string; postalCode: string; prefecture: string; city: string; line1: string; line2: string; phone: string; isDefault: boolean }[];
  orders: { id: string; orderNumber: string; createdAt: string; status: string; total: number }[];
}

export async function customerDetail(db: Kysely<Database>, id: number): Promise<CustomerDetail | undefined> {
  const c = await db.selectFrom('customers').where('id', '=', id).select(['id', 'email', 'name', 'locale', 'disabled_at', 'email_verified_at', 'created_at', 'totp_enrolled_at']).executeTakeFirst();
  if (!c) return undefined;
  const [addresses, orders] = await Promise.all([
    db.selectFrom('customer_addresses').where('customer_id', '=', id).selectAll().orderBy('is_default', 'desc').orderBy('id').execute(),
    db.selectFrom('customer_orders').innerJoin('orders', 'orders.id', 'customer_orders.order_id').where('customer_orders.customer_id', '=', id)
      .select(['orders.id', 'orders.order_number', 'orders.created_at', 'orders.status', 'orders.total']).orderBy('orders.created_at', 'desc').limit(100).execute(),
  ]);
  return {
    id: c.id, email: c.email, name: c.name, locale: c.locale, state: customerState(c), createdAt: c.created_at, verifiedAt: c.email_verified_at, disabledAt: c.disabled_at, totpOn: c.totp_enrolled_at !== null,
    addresses: addresses.map((a) => ({ name: a.name, postalCode: a.postal_code, prefecture: a.prefecture, city: a.city, line1: a.line1, line2: a.line2, phone: a.phone, isDefault: a.is_default === 1 })),
    orders: orders.map((o) => ({ id: o.id, orderNumber: o.order_number, createdAt: o.created_at, status: o.status, total: o.total })),
  };
}

/**
 * Disables (or enables again) an account. Disabling ends every session of it, web and API, in the
 * same transaction, so a signed-in customer is out at once; the audit entry says who and why.
 */
export async function setCustomerDisabled(db: Kysely<Database>, id: number, disabled: boolean, reason: string, actor: AdminActor, now: Date): Promise<{ ok: true } | { ok: false; error: 'NOT_FOUND' | 'UNCHANGED' }> {
  return db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('customers').where('id', '=', id).select(['id', 'disabled_at']).executeTakeFirst();
    if (!c) return { ok: false, error: 'NOT_FOUND' } as const;
    if ((c.disabled_at !== null) === disabled) return { ok: false, error: 'UNCHANGED' } as const;
    const ts = now.toISOString();
    await trx.updateTable('customers').set({ disabled_at: disabled ? ts : null, updated_at: ts }).where('id', '=', id).execute();
    if (disabled) await trx.deleteFrom('customer_sessions').where('customer_id', '=', id).execute();
    await appendAuditEntry(trx, {
      actor: actor.label, action: disabled ? 'customer.disabled' : 'customer.enabled', target: `customer:${id}`, ip: actor.ip,
      before: { disabledAt: c.disabled_at }, after: { disabledAt: disabled ? ts : null, reason }, at: now,
    });
    return { ok: true } as const;
  });
}

/**
 * Turns a customer's TOTP off for someone who lost both the phone and the recovery codes, after
 * the shop has checked who is asking (the reason says how). Whoever holds a session may be the one
 * who took the phone, so every session and API token of the account ends in the same transaction;
 * the customer is told by mail (the caller), so a reset asked for by an impostor does not go unseen.
 */
export async function resetCustomerTotp(db: Kysely<Database>, id: number, reason: string, actor: AdminActor, now: Date): Promise<{ ok: true } | { ok: false; error: 'NOT_FOUND' | 'NOT_ON' }> {
  return db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('customers').where('id', '=', id).select(['id', 'totp_enrolled_at']).executeTakeFirst();
    if (!c) return { ok: false, error: 'NOT_FOUND' } as const;
    const ts = now.toISOString();
    const r = await trx.updateTable('customers').set({ totp_secret: null, totp_enrolled_at: null, totp_last_step: null, updated_at: ts })
      .where('id', '=', id).where('totp_enrolled_at', 'is not', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return { ok: false, error: 'NOT_ON' } as const;
    await totpDb(trx).deleteFrom('customer_recovery_codes').where('customer_id', '=', id).execute();
    await trx.deleteFrom('customer_sessions').where('customer_id', '=', id).execute();
    await appendAuditEntry(trx, {
      actor: actor.label, action: 'customer.totp_reset', target: `customer:${id}`, ip: actor.ip,
      before: { totpEnrolledAt: c.totp_enrolled_at }, after: { totpEnrolledAt: null, reason }, at: now,
    });
    return { ok: true } as const;
  });
}

const CSV_COLUMNS = ['id', 'email', 'name', 'locale', 'state', 'orders', 'created_at'] as const;
const JA_HEADERS: Record<(typeof CSV_COLUMNS)[number], string> = { id: '会員ID', email: 'メール', name: '氏名', locale: '言語', state: '状態', orders: '注文数', created_at: '登録日時' };

/** UTF-8 with a BOM and CRLF, formula-safe cells (csvCell), times in the shop's zone. */
export async function customersCsv(db: Kysely<Database>, f: CustomerFilter, opts: { locale: Locale; timeZone: string; stateLabel: (s: CustomerState) => string }, maxRows = 50_000): Promise<{ csv: string; rows: number }> {
  const { rows } = await searchCustomers(db, f, 1, maxRows);
  const ja = opts.locale === 'ja';
  const lines = [CSV_COLUMNS.map((c) => csvCell(ja ? JA_HEADERS[c] : c)).join(',')];
  for (const r of rows) {
    lines.push([r.id, r.email, r.name, r.locale, ja ? opts.stateLabel(r.state) : r.state, r.orders, csvDateTime(r.createdAt, opts.timeZone)].map((v) => csvCell(v)).join(','));
  }
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows: rows.length };
}
