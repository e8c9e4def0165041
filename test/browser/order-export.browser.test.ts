// The order exports as a merchant downloads them in Chromium: from the order list, the plain CSV
// and the line-item CSV (one row per product) keep the list's filter, open in Excel in Japan
// (UTF-8 with a BOM, CRLF), carry Japanese headers in the Japanese back office, times in the shop's
// zone and a file name by the shop's date. axe on the list with its export links.
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeWithChromium } from '../support/headless-chromium.ts';
import { shopInChromium } from '../support/shop-in-chromium.ts';
import type { TestShop } from '../support/test-shop.ts';
import { expectAccessible, signedInAdminPage } from '../support/admin-in-chromium.ts';
import { checkoutThroughStoreApi } from '../support/store-api-checkout.ts';
import { csvDateTime } from '../../src/admin/orders-admin.ts';

describeWithChromium('order exports in Chromium', () => {
  const suite = shopInChromium();
  let shop: TestShop;
  let browser: Browser;
  beforeAll(() => { ({ shop, browser } = suite); });

  it('downloads the filtered order CSV and the line-item CSV from the order list', async () => {
    const placed = await checkoutThroughStoreApi(shop, { lines: [{ variantId: 1, quantity: 2 }, { variantId: 3, quantity: 1 }] });
    await checkoutThroughStoreApi(shop); // another order, which the filter leaves out
    const { created_at } = await shop.db.db.selectFrom('orders').where('id', '=', placed.orderId).select('created_at').executeTakeFirstOrThrow();
    const { page, context } = await signedInAdminPage(shop, browser, 'export-owner@example.jp', 'owner');
    await page.goto(`${shop.url}/admin/orders?text=${placed.orderNumber}&lang=ja`);
    await expectAccessible(page, 'order list with its exports');

    const download = async (name: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
      return { name: file.suggestedFilename(), body: readFileSync((await file.path())!).toString('utf8') };
    };
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
    const orders = await download('CSV をダウンロード');
    expect(orders.name).toBe(`orders-${today}.csv`);
    expect(orders.body.startsWith('\uFEFF')).toBe(true);
    const rows = orders.body.slice(1).trim().split('\r\n');
    expect(rows[0]!.split(',').slice(0, 4)).toEqual(['"注文番号"', '"注文日時"', '"注文状態"', '"決済状態"']);
    expect(rows).toHaveLength(2); // the header and the filtered order only
    expect(rows[1]).toContain(`"${placed.orderNumber}"`);
    expect(rows[1]).toContain(`"${csvDateTime(created_at, 'Asia/Tokyo')}"`);

    const lines = await download('明細ごとの CSV（1 行 1 商品）');
    expect(lines.name).toBe(`order-lines-${today}.csv`);
    const lineRows = lines.body.slice(1).trim().split('\r\n');
    expect(lineRows).toHaveLength(3); // the header and one row per product of the filtered order
    for (const r of lineRows.slice(1)) expect(r).toContain(`"${placed.orderNumber}"`);
    await context.close();
  }, 120_000);
});
