// A back-office page in Chromium for browser tests: an account of the given role with a full
// session made directly (no login UI in the way), a context holding its cookie, and a record of
// every CSP refusal or page error so a test can assert the strict CSP held.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AdminRole } from '../../src/admin/admin-tables.ts';
import { directSession, enrolledAccount } from './admin-test-client.ts';
import { seriousAccessibilityViolations } from './axe.ts';
import type { TestShop } from './test-shop.ts';

export interface AdminInChromium { context: BrowserContext; page: Page; cspViolations: string[] }

export async function signedInAdminPage(shop: TestShop, browser: Browser, email: string, role: AdminRole): Promise<AdminInChromium> {
  const { account } = await enrolledAccount(shop, email, role);
  const session = await directSession(shop, account.id, 'full');
  const [name, value] = session.cookie.split('=') as [string, string];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
  await context.addCookies([{ name, value, url: shop.url }]);
  const page = await context.newPage();
  const cspViolations: string[] = [];
  watchCspViolations(page, cspViolations);
  return { context, page, cspViolations };
}

/** Collects Chromium's CSP refusals and uncaught page errors into `into`. */
export function watchCspViolations(page: Page, into: string[]): void {
  page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) into.push(m.text()); });
  page.on('pageerror', (e) => into.push(String(e)));
}

/** Fails with every serious or critical axe violation of the page, labelled. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const violations = await seriousAccessibilityViolations(page);
  expect(violations.map((v) => `${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}
