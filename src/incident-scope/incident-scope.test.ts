import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { insertIncidentOrder } from '../../test/support/incident-orders.ts';
import { countScope, scopeCountQuery, incidentScopeCounts, saveIncidentScope, scopeCustomersPage, scopePageQuery, scopeRows, ScopeQuerySchema, type ScopeQuery } from './incident-scope.ts';
import { scopeExportCsv, scopeExportJson, SCOPE_EXPORT_COLUMNS } from './scope-export.ts';
import { csvCell } from '../admin/orders-admin.ts';

const FROM = '2026-11-01T00:00:00.000Z';
const TO = '2026-11-08T00:00:00.000Z';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describeEachDatabase('incident scope', (database) => {
  let t: MigratedTestDatabase;
  beforeAll(async () => {
    t = await openMigratedDatabase(database);
    const db = t.db;
    // Inside the period: 5 paid orders by 3 people, two at the very same instant (keyset ties).
    await insertIncidentOrder(db, { orderNumber: 'MA-0001', email: 'a@example.jp', createdAt: '2026-11-01T00:00:00.000Z', paidAt: '2026-11-01T00:00:00.000Z', attempts: ['2026-11-01T00:00:00.000Z'] });
    await insertIncidentOrder(db, { orderNumber: 'MA-0002', email: 'a@example.jp', createdAt: '2026-11-02T10:00:00.000Z', paidAt: '2026-11-02T10:05:00.000Z', attempts: ['2026-11-02T10:01:00.000Z'] });
    await insertIncidentOrder(db, { orderNumber: 'MA-0003', email: 'b@example.jp', createdAt: '2026-11-02T10:00:00.000Z', paidAt: '2026-11-02T10:05:00.000Z', attempts: ['2026-11-02T10:01:00.000Z', '2026-11-02T10:03:00.000Z'] });
    await insertIncidentOrder(db, { orderNumber: 'MA-0004', email: 'c@example.jp', name: '=HYPERLINK("http://evil")', createdAt: '2026-11-05T00:00:00.000Z', paidAt: '2026-11-05T00:10:00.000Z', attempts: ['2026-11-05T00:01:00.000Z'], transactionId: '+cmd|calc' });
    await insertIncidentOrder(db, { orderNumber: 'MA-0005', email: 'c@example.jp', createdAt: '2026-11-07T23:00:00.000Z', paidAt: '2026-11-07T23:59:59.999Z', attempts: ['2026-11-07T23:01:00.000Z'] });
    // Reached the hand-off but never paid (declined): in payment_started only.
    await insertIncidentOrder(db, { orderNumber: 'MA-0006', email: 'd@example.jp', createdAt: '2026-11-03T00:00:00.000Z', attempts: ['2026-11-03T00:01:00.000Z'] });
    // Never reached the gateway: in neither.
    await insertIncidentOrder(db, { orderNumber: 'MA-0007', email: 'e@example.jp', createdAt: '2026-11-03T00:00:00.000Z', transactionId: null });
    // Outside the period (the end is exclusive).
    await insertIncidentOrder(db, { orderNumber: 'MA-0008', email: 'f@example.jp', createdAt: '2026-10-31T23:00:00.000Z', paidAt: '2026-10-31T23:59:59.999Z', attempts: ['2026-10-31T23:01:00.000Z'] });
    await insertIncidentOrder(db, { orderNumber: 'MA-0009', email: 'f@example.jp', createdAt: '2026-11-08T00:00:00.000Z', paidAt: '2026-11-08T00:00:00.000Z', attempts: ['2026-11-08T00:00:00.000Z'] });
  });
  afterAll(async () => t?.dispose());

  const paid: ScopeQuery = { criterion: 'card_paid', from: FROM, to: TO };
  const started: ScopeQuery = { criterion: 'payment_started', from: FROM, to: TO };

  it('counts card-paid orders and the people behind them in the period', async () => {
    expect(await countScope(t.db, paid)).toEqual({ orders: 5, persons: 3 });
    expect(await countScope(t.db, { ...paid, emails: ['c@example.jp', 'f@example.jp'] })).toEqual({ orders: 2, persons: 1 });
  });

  it('counts orders that reached the payment hand-off, once per order however many attempts', async () => {
    expect(await countScope(t.db, started)).toEqual({ orders: 6, persons: 4 });
  });

  it('streams every row across keyset pages, ties included, each exactly once', async () => {
    const rows = await collect(scopeRows(t.db, paid, 2));
    expect(rows.map((r) => r.orderNumber).sort()).toEqual(['MA-0001', 'MA-0002', 'MA-0003', 'MA-0004', 'MA-0005']);
    const attempts = await collect(scopeRows(t.db, started, 1));
    // One row per attempt: MA-0003 was tried twice (perhaps with two cards).
    expect(attempts.map((r) => r.orderNumber).sort()).toEqual(['MA-0001', 'MA-0002', 'MA-0003', 'MA-0003', 'MA-0004', 'MA-0005', 'MA-0006']);
    expect(attempts.filter((r) => r.orderNumber === 'MA-0003').map((r) => r.transactionId).sort()).toEqual(['tx_MA-0003_0', 'tx_MA-0003_1']);
  });

  it('lists the affected people page by page', async () => {
    const first = await scopeCustomersPage(t.db, paid, undefined, 2);
    expect(first).toEqual([{ email: 'a@example.jp', name: '山田 花子', orders: 2 }, { email: 'b@example.jp', name: '山田 花子', orders: 1 }]);
    const second = await scopeCustomersPage(t.db, paid, first.at(-1)!.email, 2);
    expect(second.map((c) => c.email)).toEqual(['c@example.jp']);
  });

  it('stores the counts for the incident, which the PPC draft reads', async () => {
    expect(await incidentScopeCounts(t.db, 41)).toBeUndefined();
    await saveIncidentScope(t.db, 41, paid, 'admin:1', new Date('2026-11-10T00:00:00Z'));
    await saveIncidentScope(t.db, 41, started, 'admin:1', new Date('2026-11-10T01:00:00Z'));
    expect(await incidentScopeCounts(t.db, 41)).toEqual({ persons: 4, orders: 6, computedAt: '2026-11-10T01:00:00.000Z' });
    const audit = await t.db.selectFrom('audit_log').select(['action', 'target']).where('action', '=', 'incident.scope_saved').execute();
    expect(audit).toHaveLength(2);
  });

  it('exports only named non-card columns, with formula-safe CSV cells', async () => {
    const csv = (await collect(scopeExportCsv(scopeRows(t.db, paid)))).join('');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe(SCOPE_EXPORT_COLUMNS.map((c) => `"${c}"`).join(','));
    expect(lines).toHaveLength(6);
    // The gateway transaction id starting with '+' is text, not a formula.
    expect(csv).toContain(`"'+cmd|calc"`);
    expect(csv).not.toContain('山田'); // the export carries no names or addresses
    const json = JSON.parse((await collect(scopeExportJson(scopeRows(t.db, paid), { incident: 41 }))).join(''));
    expect(json.rows).toHaveLength(5);
    expect(Object.keys(json.rows[0]).sort()).toEqual([...SCOPE_EXPORT_COLUMNS].sort());
    expect(json.rows[0]).toMatchObject({ order_number: 'MA-0001', gateway_transaction_id: 'tx_MA-0001', brand: '', last4: '', amount_jpy: 3000 });
  });

  it('walks an index, not the table, for the count and for each page', async () => {
    const after = { at: FROM, key: 'x' };
    const queries = [
      scopePageQuery(t.db, paid, after, 1000).compile(),
      scopePageQuery(t.db, started, { at: FROM, key: 1 }, 1000).compile(),
    ];
    const counts = [scopeCountQuery(t.db, paid).compile(), scopeCountQuery(t.db, started).compile()];
    if (database.name === 'sqlite') {
      for (const q of queries) {
        const rows = (await t.db.executeQuery({ ...q, sql: `explain query plan ${q.sql}`, query: q.query })).rows as { detail: string }[];
        const details = rows.map((r) => r.detail).join(' | ');
        expect(details).toMatch(/^SEARCH (orders|a) USING (COVERING )?INDEX (orders_paid_scope_idx|payment_attempts_\w+) \(/);
        // No full scan of a table, and no sort of the whole period: the index delivers the keyset order.
        expect(details).not.toMatch(/\bSCAN\b|TEMP B-TREE/);
      }
      for (const q of counts) {
        const rows = (await t.db.executeQuery({ ...q, sql: `explain query plan ${q.sql}`, query: q.query })).rows as { detail: string }[];
        // Covering: the count never reads the table rows (count(DISTINCT) keeps its own b-tree of keys).
        expect(rows.map((r) => r.detail).join(' | ')).toMatch(/SEARCH (orders|payment_attempts) USING COVERING INDEX (orders_paid_scope_idx|payment_attempts_scope_idx) \(/);
      }
    } else {
      await t.db.transaction().execute(async (trx) => {
        // A handful of rows: the planner would rightly read the table; forbid that to see whether an index serves.
        await sql`set local enable_seqscan = off`.execute(trx);
        for (const q of queries) {
          const rows = (await trx.executeQuery({ ...q, sql: `explain ${q.sql}`, query: q.query })).rows as { 'QUERY PLAN': string }[];
          const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
          expect(plan).toMatch(/Index (Only )?Scan using (orders_paid_scope_idx|payment_attempts_\w+)/);
          expect(plan).not.toMatch(/Seq Scan on (orders|payment_attempts)|Sort/);
        }
        for (const q of counts) {
          const rows = (await trx.executeQuery({ ...q, sql: `explain ${q.sql}`, query: q.query })).rows as { 'QUERY PLAN': string }[];
          expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index (Only )?Scan using (orders_paid_scope_idx|payment_attempts_\w+)/);
        }
      });
    }
  });
});

describe('scope query input', () => {
  it('refuses a period that ends before it starts and lower-cases e-mails', () => {
    expect(ScopeQuerySchema.safeParse({ criterion: 'card_paid', from: TO, to: FROM }).success).toBe(false);
    const ok = ScopeQuerySchema.parse({ criterion: 'card_paid', from: '2026-11-01T09:00:00+09:00', to: TO, emails: ['A@Example.jp', 'a@example.jp'] });
    expect(ok).toEqual({ criterion: 'card_paid', from: '2026-11-01T00:00:00.000Z', to: TO, emails: ['a@example.jp'] });
  });

  it('prefixes every formula-leading character with an apostrophe', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${lead}SUM(A1)`)).toBe(`"'${lead}SUM(A1)"`);
    for (const cell of ['＝SUM(A1)', '＋1', '－1', '＠SUM(A1)', ' =SUM(A1)', '\t=1', '  +1', '\n=1', '\u3000＝1']) expect(csvCell(cell)).toBe(`"'${cell}"`);
    expect(csvCell(' 山田')).toBe('" 山田"');
    expect(csvCell('MA-0001')).toBe('"MA-0001"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  });
});
