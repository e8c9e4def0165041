// Issue 17, bugs 4 and 5, in a real browser: a 360 px phone sees the English cart without
// horizontal scrolling, the product page shows one image (the others one tap away, no script)
// and the add-to-cart button on the first screen; the checkout's error summary lists the
// problems in the order of the form. On both databases, as every browser test of issue 17.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { startTestShop, type TestShop } from '../support/test-shop.ts';
import { seriousAccessibilityViolations } from '../support/axe.ts';

const PHONE = { width: 360, height: 740 };

describeEachDatabase('phone layout and checkout errors in Chromium', (database) => {
  let shop: TestShop;
  let browser: Browser;
  beforeAll(async () => {
    shop = await startTestShop(database, { listen: true });
    browser = await launchHeadlessChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.dispose();
  });

  async function phonePage(locale: 'en-US' | 'ja-JP' = 'en-US'): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, locale });
    context.setDefaultTimeout(15_000);
    return context.newPage();
  }
  const expectAccessible = async (page: Page, label: string) =>
    expect((await seriousAccessibilityViolations(page)).map((v) => `${label}: ${v.id} ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  it('English cart at 360 px: no horizontal overflow, the subtotal fully visible', async () => {
    const page = await phonePage();
    await page.goto(`${shop.url}/products/organic-uji-matcha?lang=en`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL(/\/cart/);
    await page.goto(`${shop.url}/products/uji-matcha-latte?lang=en`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL(/\/cart/);
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
    expect(widths.doc).toBeLessThanOrEqual(360);
    expect(widths.body).toBeLessThanOrEqual(360);
    // Every cell of the cart (the line subtotals among them) ends inside the screen.
    const rightmost = await page.evaluate(() => Math.max(...Array.from(document.querySelectorAll('main td, main th, main .totals *')).map((el) => el.getBoundingClientRect().right)));
    expect(rightmost).toBeLessThanOrEqual(360);
    await expectAccessible(page, 'cart en 360');
    await page.context().close();
  }, 120_000);

  {
    it('product page on 360×740: one image shown, the others reachable without script, add-to-cart on the first screen', async () => {
      const page = await phonePage('en-US');
      await page.goto(`${shop.url}/products/uji-matcha-latte?lang=en`);
      // The gallery works without JavaScript: the page ships none.
      expect(await page.locator('script').count()).toBe(0);
      const images = page.locator('.gallery img');
      const count = await images.count();
      expect(count).toBeGreaterThan(1);
      const inView = await images.evaluateAll((els) => els.filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth + 0.5 && r.top < window.innerHeight;
      }).length);
      expect(inView).toBe(1);
      const button = await page.getByRole('button', { name: 'Add to cart' }).boundingBox();
      expect(button).not.toBeNull();
      expect(button!.y + button!.height).toBeLessThanOrEqual(PHONE.height);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      // Each other image is one link away (a thumbnail), and following it brings that image into view.
      const thumbs = page.getByRole('link', { name: /^Image \d+ of \d+/ });
      expect(await thumbs.count()).toBe(count);
      await thumbs.nth(1).click();
      await expect.poll(() => images.nth(1).evaluate((el) => { const r = el.getBoundingClientRect(); return r.left >= -0.5 && r.right <= window.innerWidth + 0.5; })).toBe(true);
      await expectAccessible(page, 'product en 360');
      await page.context().close();
    }, 120_000);
  }

  it('the checkout error summary lists the problems in form order, each linking to its field', async () => {
    const page = await phonePage();
    await page.goto(`${shop.url}/products/uji-matcha-latte?lang=en`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL(/\/cart/);
    await page.goto(`${shop.url}/checkout?lang=en`);
    await page.getByLabel('E-mail').fill('not-an-email');
    await page.getByLabel('Phone').fill('12');
    await page.getByLabel('Postal code').fill('12-34');
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    await page.waitForSelector('.error-summary');
    const linked = await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!.slice(1)));
    const formOrder = await page.locator('form.checkout-form').locator('input:not([type=hidden]), select').evaluateAll((els) => els.map((el) => el.id));
    expect(linked.length).toBeGreaterThanOrEqual(5);
    expect(linked).toEqual(formOrder.filter((id) => linked.includes(id)));
    expect(linked.slice(0, 5)).toEqual(['email', 'familyName', 'givenName', 'phone', 'postalCode']);
    await page.context().close();
  }, 120_000);
}, describeWithChromium);
