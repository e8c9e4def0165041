// Issue 14's sign-off as the people do it in a real browser: the owner makes an auditor a committee
// member; the vendor (signed in with password and TOTP) writes comments and an action into last
// month's draft and submits; the auditor returns it with a comment; the vendor revises and resubmits;
// the auditor approves; the page shows "approved on … by …" and the frozen copies verified. Then a
// stored copy is altered in the database and the page reports it as ALTERED. The report itself is a
// fake renderer (the real one is src/monthly-report/, wired at the composition root).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Browser, Locator, Page } from 'playwright-core';
import { describeWithChromium, launchHeadlessChromium } from '../support/headless-chromium.ts';
import { DATABASES } from '../support/databases.ts';
import { startTestShop, type TestShop } from '../support/test-shop.ts';
import { enrolledAccount, freshTotp, TEST_PASSWORD } from '../support/admin-test-client.ts';
import { fakeMonthlyReportRenderer } from '../support/fake-monthly-report-renderer.ts';
import { isPostgres } from '../../src/db/migrate.ts';
import { committeeDb } from '../../src/security-committee/committee-tables.ts';
import { addMonths, monthOf } from '../../src/security-committee/review-service.ts';

const database = DATABASES[0]!;

async function submit(page: Page, button: Locator): Promise<void> {
  const loaded = page.waitForEvent('load');
  await button.click();
  await loaded;
}

describeWithChromium('security report sign-off in Chromium', () => {
  let shop: TestShop;
  let browser: Browser;
  const accounts = {} as Record<'owner' | 'vendor' | 'auditor', { id: number; secret: string; email: string }>;
  const pageErrors: string[] = [];
  let month: string;

  beforeAll(async () => {
    shop = await startTestShop(database, { listen: true, reconcileAtStart: false, jobPollMs: 0, seedDemoCatalog: false, monthlyReportRenderer: fakeMonthlyReportRenderer() });
    await shop.jobs.settled();
    for (const role of ['owner', 'vendor', 'auditor'] as const) {
      const email = `${role}@example.jp`;
      const a = await enrolledAccount(shop, email, role);
      accounts[role] = { id: a.account.id, secret: a.secret, email };
    }
    month = addMonths(monthOf(new Date(), shop.config.timeZone), -1);
    browser = await launchHeadlessChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.dispose();
  });

  async function signInAs(role: 'owner' | 'vendor' | 'auditor'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) pageErrors.push(`${role}: ${m.text()}`); });
    page.on('pageerror', (e) => pageErrors.push(`${role}: ${String(e)}`));
    const a = accounts[role];
    await page.goto(`${shop.url}/admin`);
    await page.waitForURL(/\/admin\/login$/);
    await page.getByLabel('メールアドレス').fill(a.email);
    await page.getByLabel('パスワード').fill(TEST_PASSWORD);
    await submit(page, page.getByRole('button', { name: 'ログイン' }));
    await page.waitForURL(/\/admin\/mfa$/);
    await page.getByLabel('確認コード').fill(await freshTotp(shop, a.id, a.secret));
    await submit(page, page.getByRole('button', { name: '確認' }));
    await page.waitForURL(/\/admin$/);
    return page;
  }

  const openMonth = async (page: Page) => {
    await page.getByRole('navigation', { name: '管理メニュー' }).getByRole('link', { name: 'セキュリティ報告', exact: true }).click();
    await page.waitForURL(/\/admin\/security-reports$/);
    await page.getByRole('row').filter({ hasText: month }).getByRole('link', { name: month, exact: true }).click();
    await page.waitForURL(new RegExp(`/admin/security-reports/${month}$`));
  };
  const state = (page: Page) => page.locator('#review-state').textContent();

  it('takes the report from the vendor\'s draft through a return to the committee\'s approval, and detects a tampered copy', async () => {
    // The owner puts the auditor on the committee.
    const owner = await signInAs('owner');
    await owner.getByRole('navigation', { name: '管理メニュー' }).getByRole('link', { name: 'セキュリティ委員会', exact: true }).click();
    await owner.waitForURL(/\/admin\/security-committee$/);
    await submit(owner, owner.getByRole('button', { name: '委員にする: auditor@example.jp' }));
    expect(await owner.getByRole('status').textContent()).toBe('委員にしました。');

    // The vendor: comments, an action, save, submit.
    const vendor = await signInAs('vendor');
    await openMonth(vendor);
    expect(await state(vendor)).toBe('下書き');
    await vendor.getByLabel('概要').fill('重大な問題はありません。');
    await vendor.getByLabel('既知の脆弱性').fill('高リスクの勧告が1件、12日に修正済み。');
    await vendor.getByLabel('内容 (新しい対応事項)').fill('OpenSSL を更新する');
    await vendor.getByLabel('担当 (新しい対応事項)').fill('保守ベンダー');
    await vendor.getByLabel('期限 (新しい対応事項)').fill('2099-01-31');
    await submit(vendor, vendor.getByRole('button', { name: '保存する' }));
    expect(await vendor.getByRole('status').textContent()).toBe('保存しました。');
    expect(await vendor.getByLabel(`内容 (${month}-1)`).inputValue()).toBe('OpenSSL を更新する');
    await submit(vendor, vendor.getByRole('button', { name: '委員会に提出する' }));
    expect(await state(vendor)).toBe('提出済み（確認待ち）');
    // No approve button for the vendor, and the draft form is gone.
    expect(await vendor.getByRole('button', { name: '承認する' }).count()).toBe(0);
    expect(await vendor.locator('#draft-form').count()).toBe(0);

    // The auditor returns it with a comment.
    const auditor = await signInAs('auditor');
    await openMonth(auditor);
    await auditor.getByLabel('コメント').fill('勧告の番号と対象パッケージを書いてください。');
    await submit(auditor, auditor.getByRole('button', { name: '差し戻す' }));
    expect(await state(auditor)).toBe('差し戻し');

    // The vendor sees the comment, revises, resubmits.
    await vendor.reload();
    expect(await state(vendor)).toBe('差し戻し');
    expect(await vendor.locator('.review-notes [data-kind="returned"]').textContent()).toContain('勧告の番号と対象パッケージを書いてください。');
    await vendor.getByLabel('既知の脆弱性').fill('GHSA-0000-0000-0000（undici、高）: 12日に修正済み。');
    await submit(vendor, vendor.getByRole('button', { name: '保存する' }));
    await submit(vendor, vendor.getByRole('button', { name: '修正して再提出する' }));
    expect(await state(vendor)).toBe('提出済み（確認待ち）');

    // The auditor approves; the draft preview shows the revised comment first.
    await auditor.reload();
    const preview = await auditor.context().request.get(`${shop.url}/admin/security-reports/${month}/report-ja.html`);
    expect(await preview.text()).toContain('GHSA-0000-0000-0000');
    await submit(auditor, auditor.getByRole('button', { name: '承認する' }));
    expect(await state(auditor)).toBe('承認済み');
    expect(await auditor.locator('#approved-on').textContent()).toMatch(/auditor@example\.jp が承認$/);
    expect(await auditor.locator('[data-check="intact"]').count()).toBe(4);

    // The frozen Japanese HTML opens in the browser under its own strict CSP.
    await auditor.getByRole('link', { name: 'HTML（日本語）' }).click();
    await auditor.waitForURL(/report-ja\.html$/);
    expect(await auditor.getByRole('heading', { level: 1 }).textContent()).toBe(`月次セキュリティ報告 ${month}`);
    expect(await auditor.locator('#vulnerabilities .comment').textContent()).toBe('GHSA-0000-0000-0000（undici、高）: 12日に修正済み。');
    await auditor.goBack();

    // The archive lists the month as approved with its approver.
    await owner.goto(`${shop.url}/admin/security-reports`);
    const row = owner.locator(`tr[data-month="${month}"]`);
    expect(await row.getAttribute('data-state')).toBe('approved');
    expect(await row.textContent()).toContain('auditor@example.jp');

    // Somebody with database access rewrites the stored PDF: the page says ALTERED, the download is refused.
    const db = shop.db.db;
    if (isPostgres(db)) await sql`alter table monthly_report_frozen disable trigger monthly_report_frozen_append_only`.execute(db);
    else await sql`drop trigger monthly_report_frozen_no_update`.execute(db);
    await committeeDb(db).updateTable('monthly_report_frozen').set({ content: Buffer.from('%PDF-1.4 forged') }).where('month', '=', month).where('format', '=', 'pdf').execute();
    await owner.goto(`${shop.url}/admin/security-reports/${month}`);
    expect(await owner.locator('[data-format="pdf"] [data-check="altered"]').textContent()).toContain('ALTERED');
    expect(await owner.locator('[data-check="intact"]').count()).toBe(3);
    const download = await owner.context().request.get(`${shop.url}/admin/security-reports/${month}/report.pdf`);
    expect(download.status()).toBe(409);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
