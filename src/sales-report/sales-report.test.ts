import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { insertIncidentOrder } from '../../test/support/incident-orders.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { adminBrowser, enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { formatYen } from '../i18n/locale.ts';
import { allocateRefund, salesReport } from './sales-report.ts';

async function paidOrder(db: Kysely<any>, n: string, paidAt: string, lines: [rate: number, taxable: number, tax: number][]): Promise<string> {
  const total = lines.reduce((s, l) => s + l[1], 0);
  const id = await insertIncidentOrder(db, { orderNumber: `MA-SALE-${n}`, email: `${n}@example.jp`, total, createdAt: paidAt, paidAt });
  for (const [tax_rate, taxable_total, tax] of lines) await db.insertInto('order_tax_lines').values({ order_id: id, tax_rate, taxable_total, tax }).execute();
  return id;
}

async function refund(db: Kysely<any>, orderId: string, amount: number, at: string, status: 'completed' | 'pending' | 'failed' = 'completed') {
  await db.insertInto('refunds').values({ order_id: orderId, amount, reason: 'test', created_at: at, status, actor: 'admin:1' }).execute();
}

/** The seeded month: around the Tokyo midnight between 30 November and 1 December. */
async function seedSales(db: Kysely<any>) {
  const a = await paidOrder(db, 'A', '2026-11-30T14:59:59.999Z', [[8, 2160, 160], [10, 840, 76]]); // 23:59 JST, 30 Nov
  const b = await paidOrder(db, 'B', '2026-11-30T15:00:00.000Z', [[10, 5500, 500]]); // 00:00 JST, 1 Dec
  const c = await paidOrder(db, 'C', '2026-12-01T02:00:00.000Z', [[8, 1080, 80]]);
  // B was paid after a ¥300 coupon: its total (and tax lines) are already after the discount.
  await db.updateTable('orders').set({ discount_total: 300, coupon_code: 'WINTER300' }).where('id', '=', b).execute();
  await paidOrder(db, 'E', '2026-10-31T15:30:00.000Z', [[10, 2000, 181]]); // already 1 November in Tokyo
  await insertIncidentOrder(db, { orderNumber: 'MA-SALE-D', email: 'd@example.jp', total: 900, createdAt: '2026-12-01T01:00:00.000Z', paidAt: null });
  await refund(db, c, 1080, '2026-12-01T03:00:00.000Z'); // in full
  await refund(db, a, 1500, '2026-12-01T01:00:00.000Z'); // in part, over both rates
  await refund(db, b, 100, '2026-12-01T01:00:00.000Z', 'pending');
  await refund(db, b, 200, '2026-12-01T01:00:00.000Z', 'failed');
}

describe('refund allocation over tax rates', () => {
  it('follows the order in full and in proportion in part', () => {
    const lines = [{ tax_rate: 8, taxable_total: 2160, tax: 160 }, { tax_rate: 10, taxable_total: 840, tax: 76 }];
    expect(allocateRefund(3000, lines)).toEqual([{ rate: 10, amount: 840, tax: 76 }, { rate: 8, amount: 2160, tax: 160 }]);
    expect(allocateRefund(1500, lines)).toEqual([{ rate: 10, amount: 420, tax: 38 }, { rate: 8, amount: 1080, tax: 80 }]);
  });

  it('always adds up to the refund', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ tax_rate: fc.constantFrom(8, 10), taxable_total: fc.integer({ min: 1, max: 1_000_000 }), tax: fc.integer({ min: 0, max: 90_000 }) }), { minLength: 1, maxLength: 2 }),
      fc.integer({ min: 1, max: 2_000_000 }),
      (lines, amount) => allocateRefund(amount, lines).reduce((s, p) => s + p.amount, 0) === amount,
    ));
  });
});

describeEachDatabase('sales report', (database) => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop(database, { jobPollMs: 0, reconcileAtStart: false, auditAnchoring: false, seedDemoCatalog: false });
    await seedSales(shop.db.db);
  });
  afterAll(async () => shop?.dispose());

  it('counts sales on the shop day they were paid and refunds on the day they completed, per tax rate', async () => {
    const nov = await salesReport(shop.db.db, { from: '2026-11-01', to: '2026-12-01', granularity: 'day', timeZone: 'Asia/Tokyo' });
    expect(nov.periods).toHaveLength(30);
    expect(nov.periods[0]).toMatchObject({ period: '2026-11-01', orders: 1, discounts: 0, sales: 2000, refunds: 0, net: 2000 });
    expect(nov.periods[29]).toMatchObject({ period: '2026-11-30', orders: 1, sales: 3000, net: 3000 });
    expect(nov.periods[29]!.rates).toEqual([
      { rate: 10, sales: 840, tax: 76, refunds: 0, refundTax: 0, netSales: 840, netTax: 76 },
      { rate: 8, sales: 2160, tax: 160, refunds: 0, refundTax: 0, netSales: 2160, netTax: 160 },
    ]);
    expect(nov.total).toMatchObject({ orders: 2, sales: 5000, refunds: 0, net: 5000 });

    const dec = await salesReport(shop.db.db, { from: '2026-12-01', to: '2026-12-02', granularity: 'day', timeZone: 'Asia/Tokyo' });
    expect(dec.periods).toEqual([{
      period: '2026-12-01', orders: 2, discounts: 300, sales: 6580, refunds: 2580, net: 4000,
      rates: [
        { rate: 10, sales: 5500, tax: 500, refunds: 420, refundTax: 38, netSales: 5080, netTax: 462 },
        { rate: 8, sales: 1080, tax: 80, refunds: 2160, refundTax: 160, netSales: -1080, netTax: -80 },
      ],
    }]);

    const year = await salesReport(shop.db.db, { from: '2026-01-01', to: '2027-01-01', granularity: 'month', timeZone: 'Asia/Tokyo' });
    expect(year.periods.map((p) => p.period)).toHaveLength(12);
    expect(year.periods.find((p) => p.period === '2026-10')).toMatchObject({ orders: 0, sales: 0 });
    expect(year.periods.find((p) => p.period === '2026-11')).toMatchObject({ orders: 2, sales: 5000 });
    expect(year.periods.find((p) => p.period === '2026-12')).toMatchObject({ orders: 2, sales: 6580, refunds: 2580, net: 4000 });
    expect(year.total).toMatchObject({ orders: 4, discounts: 300, sales: 11580, refunds: 2580, net: 9000 });
    expect(year.total.rates.reduce((s, r) => s + r.netSales, 0)).toBe(year.total.net);
  });

  it('puts the days right in a zone whose offset is not whole hours', async () => {
    // Kolkata is UTC+5:30: 18:29Z is 23:59 on the 30th there and 18:30Z is midnight of the 1st.
    await paidOrder(shop.db.db, 'K1', '2026-11-15T18:29:00.000Z', [[10, 110, 10]]);
    await paidOrder(shop.db.db, 'K2', '2026-11-15T18:30:00.000Z', [[10, 220, 20]]);
    const r = await salesReport(shop.db.db, { from: '2026-11-15', to: '2026-11-17', granularity: 'day', timeZone: 'Asia/Kolkata' });
    expect(r.periods.map((p) => [p.period, p.sales])).toEqual([['2026-11-15', 110], ['2026-11-16', 220]]);
    await shop.db.db.deleteFrom('order_tax_lines').where('order_id', 'in', shop.db.db.selectFrom('orders').where('order_number', 'in', ['MA-SALE-K1', 'MA-SALE-K2']).select('id')).execute();
    await shop.db.db.deleteFrom('orders').where('order_number', 'in', ['MA-SALE-K1', 'MA-SALE-K2']).execute();
  });

  it('shows the back office page with charts and a CSV to owner and auditor, not to the vendor', async () => {
    const owner = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    const o = await signIn(shop, 'owner@example.jp', owner.account.id, owner.secret);
    const page = await o.get('/admin/reports/sales?month=2026-12');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('売上レポート');
    expect(page.body).toContain(formatYen(6580));
    expect(page.body).toContain(formatYen(-1080));
    expect(page.body).toContain('<th scope="col">クーポン割引</th>');
    expect(page.body).toContain(`<td class="num">${formatYen(300)}</td>`);
    expect(page.body.match(/<svg/g)).toHaveLength(2);
    // No inline style or script the strict CSP would block.
    expect(page.body).not.toMatch(/\sstyle="/);
    expect(page.body).not.toMatch(/<script(?![^>]*nonce=)/);

    const csv = await o.get('/admin/reports/sales.csv?view=daily&month=2026-12');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="sales-daily-2026-12.csv"');
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toContain('"10%対象（税込）"');
    expect(lines[0]).toContain('"うち消費税（8%）"');
    expect(lines).toHaveLength(1 + 31 + 1);
    expect(lines[0]!.split(',').slice(0, 4)).toEqual(['"期間"', '"件数"', '"クーポン割引"', '"売上（税込）"']);
    expect(lines[1]).toBe('"2026-12-01",2,300,6580,2580,4000,5500,500,420,38,5080,462,1080,80,2160,160,-1080,-80');
    expect(lines.at(-1)).toBe('"合計",2,300,6580,2580,4000,5500,500,420,38,5080,462,1080,80,2160,160,-1080,-80');
    const audited = await (shop.db.db as Kysely<any>).selectFrom('audit_log').where('action', '=', 'sales_report.exported').select('actor').execute();
    expect(audited).toEqual([{ actor: `admin:${owner.account.id}` }]);

    const bad = await o.get('/admin/reports/sales?month=2026-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('月は YYYY-MM の形で指定してください。');
    expect((await o.get('/admin/reports/sales.csv?month=nope')).headers['content-type']).toContain('application/problem+json');

    const auditor = await enrolledAccount(shop, 'auditor@example.jp', 'auditor');
    const a = await signIn(shop, 'auditor@example.jp', auditor.account.id, auditor.secret);
    expect((await a.get('/admin/reports/sales?view=monthly&year=2026')).statusCode).toBe(200);
    const vendor = await enrolledAccount(shop, 'vendor@example.jp', 'vendor');
    const v = await signIn(shop, 'vendor@example.jp', vendor.account.id, vendor.secret);
    expect((await v.get('/admin/reports/sales')).statusCode).toBe(403);
    expect((await v.get('/admin/reports/sales.csv')).statusCode).toBe(403);
    expect((await adminBrowser(shop).get('/admin/reports/sales')).statusCode).not.toBe(200);
  });
});
