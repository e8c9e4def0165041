// Who was affected by an incident: the orders (and the people behind them) that match a period
// and a criterion. A shop may hold millions of orders, so nothing here loads a period at once:
// counts are one aggregate over a covering index (migration 0510), rows come in keyset pages
// through async iteration, and the notice recipients are grouped inside the database.
//
// The shop has no customer accounts (guest checkout only), so "accounts that logged in" has
// nothing to select: a person is an e-mail address (stored lower-cased by checkout).
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { SCOPE_CRITERIA, scopeDb, type ScopeCriterion } from './scope-tables.ts';

export interface ScopeQuery {
  criterion: ScopeCriterion;
  /** ISO 8601 UTC, inclusive. */
  from: string;
  /** ISO 8601 UTC, exclusive. */
  to: string;
  /** Narrow to these customers (e.g. from the forensic report); undefined = everyone in the period. */
  emails?: readonly string[] | undefined;
}

export const MAX_SCOPE_EMAILS = 5000;

const isoInstant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());
export const ScopeQuerySchema = z.object({
  criterion: z.enum(SCOPE_CRITERIA),
  from: isoInstant,
  to: isoInstant,
  emails: z.array(z.email().max(254).transform((e) => e.toLowerCase())).max(MAX_SCOPE_EMAILS).optional()
    .transform((list) => (list && list.length > 0 ? [...new Set(list)] : undefined)),
}).refine((q) => q.from < q.to, { error: 'the period must end after it starts', path: ['to'] });

export interface ScopeCounts {
  orders: number;
  persons: number;
}

/**
 * One row of the scope: an order (card_paid) or a payment attempt (payment_started: each hand-off
 * is one time a card may have been typed, so every attempt is a row for the card companies).
 * No card data: the shop holds none (see the export).
 */
export interface ScopeRow {
  orderNumber: string;
  provider: string | null;
  transactionId: string | null;
  amount: number;
  /** paid_at (card_paid) or the attempt's start (payment_started). */
  at: string;
  email: string;
  name: string;
  locale: string;
}

type AnyDb = Kysely<any>;

/** The aggregate behind the counts, exported so a test can EXPLAIN it on both engines. */
export function scopeCountQuery(db: AnyDb, q: ScopeQuery) {
  const d = scopeDb(db);
  if (q.criterion === 'card_paid') {
    let query = d.selectFrom('orders')
      .select([sql<number>`count(*)`.as('orders'), sql<number>`count(distinct email)`.as('persons')])
      .where('paid_at', '>=', q.from).where('paid_at', '<', q.to);
    if (q.emails) query = query.where('email', 'in', q.emails);
    return query;
  }
  let query = d.selectFrom('payment_attempts')
    .select([sql<number>`count(distinct order_id)`.as('orders'), sql<number>`count(distinct email)`.as('persons')])
    .where('created_at', '>=', q.from).where('created_at', '<', q.to);
  if (q.emails) query = query.where('email', 'in', q.emails);
  return query;
}

export async function countScope(db: AnyDb, q: ScopeQuery): Promise<ScopeCounts> {
  const r = await scopeCountQuery(db, q).executeTakeFirstOrThrow();
  return { orders: Number(r.orders), persons: Number(r.persons) };
}

/** The SQL of one keyset page, exported so a test can EXPLAIN it on both engines. */
export function scopePageQuery(db: AnyDb, q: ScopeQuery, after: { at: string; key: string | number } | undefined, pageSize: number) {
  const d = scopeDb(db);
  if (q.criterion === 'card_paid') {
    let query = d.selectFrom('orders')
      .select(['id as key', 'paid_at as at', 'order_number', 'payment_provider as provider', 'payment_transaction_id as transaction_id', 'total as amount', 'email', 'name', 'locale'])
      .where('paid_at', '>=', q.from).where('paid_at', '<', q.to)
      .orderBy('paid_at').orderBy('id').limit(pageSize);
    if (after) query = query.where(sql<boolean>`(paid_at, id) > (${after.at}, ${after.key})`);
    if (q.emails) query = query.where('email', 'in', q.emails);
    return query;
  }
  let query = d.selectFrom('payment_attempts as a').innerJoin('orders as o', 'o.id', 'a.order_id')
    .select(['a.id as key', 'a.created_at as at', 'o.order_number', 'a.provider', 'a.transaction_id', 'o.total as amount', 'a.email', 'o.name', 'o.locale'])
    .where('a.created_at', '>=', q.from).where('a.created_at', '<', q.to)
    .orderBy('a.created_at').orderBy('a.id').limit(pageSize);
  if (after) query = query.where(sql<boolean>`(a.created_at, a.id) > (${after.at}, ${after.key})`);
  if (q.emails) query = query.where('a.email', 'in', q.emails);
  return query;
}

/** Every row of the scope, in time order, one keyset page in memory at a time. */
export async function* scopeRows(db: AnyDb, q: ScopeQuery, pageSize = 1000): AsyncGenerator<ScopeRow> {
  let after: { at: string; key: string | number } | undefined;
  for (;;) {
    const page = await scopePageQuery(db, q, after, pageSize).execute();
    for (const r of page) {
      yield { orderNumber: r.order_number, provider: r.provider, transactionId: r.transaction_id, amount: Number(r.amount), at: r.at as string, email: r.email, name: r.name, locale: r.locale };
    }
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = { at: last.at as string, key: last.key };
  }
}

export interface ScopeCustomer {
  email: string;
  name: string;
  orders: number;
}

/** One page of affected people (grouped by e-mail), keyset on the address. */
export async function scopeCustomersPage(db: AnyDb, q: ScopeQuery, afterEmail: string | undefined, pageSize = 50): Promise<ScopeCustomer[]> {
  const d = scopeDb(db);
  if (q.criterion === 'card_paid') {
    let query = d.selectFrom('orders').select(['email', sql<string>`max(name)`.as('name'), sql<number>`count(*)`.as('orders')])
      .where('paid_at', '>=', q.from).where('paid_at', '<', q.to).groupBy('email').orderBy('email').limit(pageSize);
    if (afterEmail) query = query.where('email', '>', afterEmail);
    if (q.emails) query = query.where('email', 'in', q.emails);
    return (await query.execute()).map((r) => ({ email: r.email, name: r.name, orders: Number(r.orders) }));
  }
  let query = d.selectFrom('payment_attempts as a').innerJoin('orders as o', 'o.id', 'a.order_id')
    .select(['a.email', sql<string>`max(o.name)`.as('name'), sql<number>`count(distinct a.order_id)`.as('orders')])
    .where('a.created_at', '>=', q.from).where('a.created_at', '<', q.to).groupBy('a.email').orderBy('a.email').limit(pageSize);
  if (afterEmail) query = query.where('a.email', '>', afterEmail);
  if (q.emails) query = query.where('a.email', 'in', q.emails);
  return (await query.execute()).map((r) => ({ email: r.email, name: r.name, orders: Number(r.orders) }));
}

export interface StoredScope extends ScopeQuery, ScopeCounts {
  incidentId: number;
  computedBy: string;
  computedAt: string;
}

/** Counts the scope and stores it as the incident's scope (one per incident, replaced), audited. */
export async function saveIncidentScope(db: AnyDb, incidentId: number, q: ScopeQuery, actor: string, at: Date, ip?: string): Promise<StoredScope> {
  const counts = await countScope(db, q);
  const row = {
    incident_id: incidentId, criterion: q.criterion, period_from: q.from, period_to: q.to,
    emails_json: q.emails ? JSON.stringify(q.emails) : null,
    orders_count: counts.orders, persons_count: counts.persons, computed_by: actor, computed_at: at.toISOString(),
  };
  await db.transaction().execute(async (trx) => {
    const d = scopeDb(trx);
    const before = await d.selectFrom('incident_scopes').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
    await d.deleteFrom('incident_scopes').where('incident_id', '=', incidentId).execute();
    await d.insertInto('incident_scopes').values(row).execute();
    await appendAuditEntry(trx, {
      actor, action: 'incident.scope_saved', target: `incident:${incidentId}`, ...(ip ? { ip } : {}),
      before: before ? { criterion: before.criterion, from: before.period_from, to: before.period_to, orders: before.orders_count, persons: before.persons_count } : undefined,
      after: { criterion: q.criterion, from: q.from, to: q.to, narrowedToEmails: q.emails?.length ?? 0, orders: counts.orders, persons: counts.persons },
      at,
    });
  });
  return { incidentId, ...q, ...counts, computedBy: actor, computedAt: row.computed_at };
}

export async function loadIncidentScope(db: AnyDb, incidentId: number): Promise<StoredScope | undefined> {
  const r = await scopeDb(db).selectFrom('incident_scopes').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
  if (!r) return undefined;
  return {
    incidentId, criterion: r.criterion, from: r.period_from, to: r.period_to,
    emails: r.emails_json ? (JSON.parse(r.emails_json) as string[]) : undefined,
    orders: r.orders_count, persons: r.persons_count, computedBy: r.computed_by, computedAt: r.computed_at,
  };
}

/** For the PPC report draft ("number of persons"): the stored scope's counts, or undefined before one is saved. */
export async function incidentScopeCounts(db: AnyDb, incidentId: number): Promise<(ScopeCounts & { computedAt: string }) | undefined> {
  const s = await loadIncidentScope(db, incidentId);
  return s ? { persons: s.persons, orders: s.orders, computedAt: s.computedAt } : undefined;
}
