// The shop settings page in Chromium (issue 17): the owner sees the dashboard warning, fills in the
// settings form (a refused e-mail first, then the logo and every seller item), and the 特定商取引法
// notice on the store shows them; the owner edits a legal text with a preview and the store page
// shows it. axe on every new admin page and state; the strict CSP holds throughout.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { DATABASES } from '../support/databases.ts';
import { startTestShop, type TestShop } from '../support/test-shop.ts';
import { expectAccessible as expectPageAccessible, signedInAdminPage } from '../support/admin-in-chromium.ts';
import { CLEAN_PNG as PNG } from '../support/test-clamd.ts';


for (const database of DATABASES) {
  describeWithChromium(`shop settings in Chromium on ${database.name}`, () => {
    let shop: TestShop;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let cspViolations: string[] = [];

    beforeAll(async () => {
      shop = await startTestShop(database, { listen: true, catalogCacheTtlMs: 0 });
      browser = await launchHeadlessChromium();
      ({ context, page, cspViolations } = await signedInAdminPage(shop, browser, 'browser-owner@example.jp', 'owner'));
    });
    afterAll(async () => {
      await browser?.close();
      await shop?.dispose();
    });

    const expectAccessible = (label: string) => expectPageAccessible(page, label);

    it('fills in the settings form from the dashboard warning and the legal notice shows it', async () => {
      await page.goto(`${shop.url}/admin?lang=ja`);
      const warning = page.getByRole('region', { name: '特定商取引法に基づく表記が未完成です' });
      expect(await warning.getByRole('listitem').allTextContents()).toEqual(['販売業者', '運営責任者', '所在地', '電話番号', 'メールアドレス']);
      await expectAccessible('dashboard warning');
      await warning.getByRole('link', { name: 'ショップ設定で入力する' }).click();
      await page.waitForURL(/\/admin\/settings$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('ショップ設定');
      await expectAccessible('settings ja');

      await page.getByLabel('ショップ名').fill('まもり茶舗 本店');
      await page.getByLabel('販売業者（会社名・屋号）').fill('株式会社まもり');
      await page.getByLabel('運営責任者').fill('山田 太郎');
      await page.getByLabel('郵便番号').fill('1000001');
      await page.getByLabel('所在地').fill('東京都千代田区千代田1-1');
      await page.getByLabel('電話番号').fill('03-1234-5678');
      await page.getByLabel('お問い合わせ用メールアドレス').fill('support@');
      await page.getByLabel('個人事業者').check();
      await page.getByLabel('適格請求書発行事業者登録番号').fill('T1234567890123');
      await page.getByRole('button', { name: '保存' }).click();
      await page.waitForLoadState();
      const summary = page.getByRole('alert');
      expect(await summary.textContent()).toContain('メールアドレスの形式が正しくありません。');
      expect(await page.getByLabel('お問い合わせ用メールアドレス').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('運営責任者').inputValue()).toBe('山田 太郎');
      await expectAccessible('settings with errors');

      await page.getByLabel('お問い合わせ用メールアドレス').fill('support@mamori.example.jp');
      await page.getByLabel('ロゴ画像').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
      await page.getByRole('button', { name: '保存' }).click();
      await page.waitForURL(/done=saved/);
      expect(await page.getByRole('status').textContent()).toBe('ショップ設定を保存しました。');
      expect(await page.getByRole('img', { name: '現在のロゴ' }).evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
      await expectAccessible('settings saved');
      await page.goto(`${shop.url}/admin/settings?lang=en`);
      await expectAccessible('settings en');

      await page.goto(`${shop.url}/admin?lang=ja`);
      expect(await page.getByRole('region', { name: '特定商取引法に基づく表記が未完成です' }).count()).toBe(0);

      await page.goto(`${shop.url}/legal/tokushoho?lang=ja`);
      const items = page.locator('dl.legal-items');
      const text = await items.textContent();
      for (const v of ['株式会社まもり', '山田 太郎', '〒100-0001 東京都千代田区千代田1-1', '03-1234-5678', 'support@mamori.example.jp', 'T1234567890123']) expect(text).toContain(v);
      // The saved logo heads the storefront, named by the shop's name for screen readers.
      const brandLogo = page.locator('a.brand').getByRole('img', { name: 'まもり茶舗 本店' });
      expect(await brandLogo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
    });

    it('edits the returns text with a preview, and the store page shows the saved text', async () => {
      await page.goto(`${shop.url}/admin/settings/legal/tokushoho?lang=ja`);
      await expectAccessible('legal editor');
      await page.getByLabel('返品・交換・キャンセル（日本語）').fill('## 返品について\n\n商品到着後14日以内にご連絡ください。\n- 未開封に限ります');
      await page.getByRole('button', { name: 'プレビュー' }).click();
      await page.waitForLoadState();
      const preview = page.getByRole('region', { name: 'プレビュー（日本語）' });
      expect(await preview.getByRole('heading', { name: '返品について' }).count()).toBe(1);
      await expectAccessible('legal editor preview');
      await page.getByRole('button', { name: '保存' }).click();
      await page.waitForURL(/done=saved/);
      await expectAccessible('legal editor saved');
      await page.goto(`${shop.url}/legal/tokushoho?lang=ja`);
      expect(await page.getByRole('heading', { name: '返品について' }).count()).toBe(1);
      expect(await page.locator('dl.legal-items').textContent()).toContain('商品到着後14日以内にご連絡ください。');
      await page.goto(`${shop.url}/admin/settings/legal/privacy?lang=en`);
      await expectAccessible('legal editor en');
      expect(cspViolations).toEqual([]);
    });
  });
}
