// The back office's security area, driven as a browser without JavaScript would: the dashboard
// shows open alerts and the pause banner, an owner acknowledges (audited); lifting a pause and
// approving the payment pages need a fresh TOTP code — a wrong or replayed one changes nothing;
// the status page lists the jobs and the security notices. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { raiseAlert, listOpenAlerts } from '../alerts/raise-alert.ts';
import { activePauses, pauseShop } from '../shop-pause/shop-pause.ts';
import { currentBaseline } from '../page-watch/baseline.ts';
import { recordSecurityCheck } from '../policy/daily.ts';
import type { CheckResult } from '../policy/check.ts';
import { TOTP_PERIOD_SECONDS, totpCodeAt } from './totp.ts';
import { adminDb } from './admin-tables.ts';

type AuditRow = { id: number; action: string; actor: string | null; target: string | null; before_json: string | null; after_json: string | null };

function failedCheck(message: string): CheckResult {
  return {
    status: 'fail', exitCode: 1, checkedAt: '2026-12-01T00:00:00.000Z', target: { host: 'test', source: 'this system' }, policyFile: null,
    advisoryData: { asOf: null, ageHours: null, maxAgeHours: 48, count: 0, sources: [] }, node: null,
    summary: { components: 10, findings: 0, violations: 1, tolerated: 0, excepted: 0, suppressed: 0, highestSeverity: null },
    violations: [{ kind: 'no-advisories', message }], findings: [], warnings: [],
  } as unknown as CheckResult;
}

const fieldError = (body: string, id: string) => new RegExp(`id="${id}-error">([^<]*)<`).exec(body)?.[1];

for (const database of DATABASES) {
  describe(`admin security area on ${database.name}`, () => {
    let shop: TestShop;
    // Real time plus an offset the test moves on: sign-in codes are computed at the real time,
    // the confirmation codes at the shop's clock once it has moved past the sign-in's time step.
    let offsetMs = 0;
    const clock = () => new Date(Date.now() + offsetMs);
    const nextStep = () => { offsetMs += 31_000; return clock(); };
    let owner: { id: number; secret: string };
    let auditor: { id: number; secret: string };
    let staff: { id: number; secret: string };

    const audit = async (action: string) => shop.db.db.withTables<{ audit_log: AuditRow }>().selectFrom('audit_log')
      .select(['id', 'action', 'actor', 'target', 'before_json', 'after_json']).where('action', '=', action).orderBy('id').execute();

    beforeAll(async () => {
      shop = await startTestShop(database, { clock });
      const o = await enrolledAccount(shop, 'owner@example.jp', 'owner');
      const a = await enrolledAccount(shop, 'auditor@example.jp', 'auditor');
      const s = await enrolledAccount(shop, 'staff@example.jp', 'staff');
      owner = { id: o.account.id, secret: o.secret };
      auditor = { id: a.account.id, secret: a.secret };
      staff = { id: s.account.id, secret: s.secret };
    });
    afterAll(async () => { await shop?.dispose(); });

    it('shows a raised alert and the pause banner on the dashboard; the owner acknowledges it (audited), the auditor only sees it', async () => {
      offsetMs = 0;
      const { alert } = await raiseAlert(shop.context, { kind: 'page_watch.difference', severity: 'critical', summary: 'a script was added to /checkout', evidence: { page: 'checkout' } });
      await raiseAlert(shop.context, { kind: 'integrity.file_changed', severity: 'low', summary: 'a file changed', evidence: {} });
      await pauseShop(shop.db.db, { scope: 'card_payments', reason: 'page watch found a new script', actor: { id: 'page-watch' } }, clock());

      const asAuditor = await signIn(shop, 'auditor@example.jp', auditor.id, auditor.secret);
      const seen = await asAuditor.get('/admin');
      expect(seen.statusCode).toBe(200);
      expect(seen.body).toContain(`data-alert-id="${alert.id}" data-severity="critical"`);
      expect(seen.body).toContain('a script was added to /checkout');
      expect(seen.body.indexOf('data-severity="critical"')).toBeLessThan(seen.body.indexOf('data-severity="low"')); // most severe first
      expect(seen.body).toMatch(/id="pause-banner" role="alert"><p data-pause-scope="card_payments">カード決済を一時停止中です（[^）]*から、page-watchによる。理由: page watch found a new script）/);
      expect(seen.body).not.toContain('/acknowledge'); // the auditor gets no form
      expect(seen.body).not.toContain('href="/admin/security/pause"'); // nor a link to a page they may not open
      const refused = await asAuditor.post(`/admin/alerts/${alert.id}/acknowledge`, { note: 'seen' });
      expect([refused.statusCode, refused.headers['x-mamori-admin-refused']]).toEqual([403, 'role']);

      const b = await signIn(shop, 'owner@example.jp', owner.id, owner.secret);
      const dash = await b.get('/admin?lang=en');
      expect(dash.body).toContain('href="/admin/security/pause"');
      expect(dash.body).toMatch(/Card payments: paused since .* by page-watch\. Reason: page watch found a new script/);
      expect(dash.body).toContain(`action="/admin/alerts/${alert.id}/acknowledge"`);

      const noNote = await b.post(`/admin/alerts/${alert.id}/acknowledge`, { note: '  ' });
      expect(noNote.statusCode).toBe(400);
      expect((await listOpenAlerts(shop.db.db)).map((x) => x.id)).toContain(alert.id);

      const acked = await b.post(`/admin/alerts/${alert.id}/acknowledge`, { note: 'checked the script: our own deploy' });
      expect(acked.statusCode).toBe(200);
      expect(acked.body).toContain('The alert was acknowledged.');
      expect(acked.body).not.toContain(`data-alert-id="${alert.id}"`);
      expect(acked.body).toContain('data-severity="low"');
      expect((await listOpenAlerts(shop.db.db)).map((x) => x.id)).not.toContain(alert.id);
      const entries = await audit('security.alert_acknowledged');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actor: `admin:${owner.id}`, target: `alert:${alert.id}` });
      expect(JSON.parse(entries[0]!.after_json!)).toMatchObject({ kind: 'page_watch.difference', note: 'checked the script: our own deploy' });
      expect((await b.post(`/admin/alerts/${alert.id}/acknowledge`, { note: 'again' })).statusCode).toBe(409);
    });

    it('lifts a pause only with a fresh TOTP code and a note: a wrong or replayed code changes nothing', async () => {
      offsetMs = 0;
      expect((await activePauses(shop.db.db)).card_payments).toBeDefined();
      const b = await signIn(shop, 'owner@example.jp', owner.id, owner.secret);
      const page = await b.get('/admin/security/pause?lang=en');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('data-scope="card_payments" data-paused="yes"');
      expect(page.body).toContain('data-scope="storefront" data-paused="no"');

      // The code the sign-in used: its time step is spent.
      const { totp_last_step: loginStep } = await adminDb(shop.db.db).selectFrom('admin_accounts').select('totp_last_step').where('id', '=', owner.id).executeTakeFirstOrThrow();
      const loginCode = totpCodeAt(owner.secret, new Date(loginStep! * TOTP_PERIOD_SECONDS * 1000));
      const replayed = await b.post('/admin/security/pause/resume', { scope: 'card_payments', note: 'checked', code: loginCode });
      expect(replayed.statusCode).toBe(400);
      expect(fieldError(replayed.body, 'resume-card_payments-code')).toBe('The code is wrong or already used. Enter a new code.');
      expect(replayed.body).toContain('aria-invalid="true"');
      expect(replayed.body).toContain('value="checked"'); // the note is kept for the next try

      const now = nextStep();
      const right = totpCodeAt(owner.secret, now);
      const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
      expect((await b.post('/admin/security/pause/resume', { scope: 'card_payments', note: 'checked', code: wrong })).statusCode).toBe(400);
      // A note missing: refused before the code is looked at, so the code is not spent.
      expect((await b.post('/admin/security/pause/resume', { scope: 'card_payments', note: '', code: right })).statusCode).toBe(400);
      expect((await activePauses(shop.db.db)).card_payments).toBeDefined();
      expect(await audit('shop.resumed')).toHaveLength(0);

      const resumed = await b.post('/admin/security/pause/resume', { scope: 'card_payments', note: 'the script was our deploy', code: right });
      expect(resumed.statusCode).toBe(200);
      expect(resumed.body).toContain('Card payments: resumed.');
      expect((await activePauses(shop.db.db)).card_payments).toBeUndefined();
      const entries = await audit('shop.resumed');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actor: `admin:${owner.id}`, target: 'pause:card_payments' });
      expect(JSON.parse(entries[0]!.after_json!)).toEqual({ note: 'the script was our deploy' });
      expect(JSON.parse(entries[0]!.before_json!)).toMatchObject({ pausedBy: 'page-watch' });

      // The same code once more (pausing by hand): already spent.
      const again = await b.post('/admin/security/pause', { scope: 'card_payments', reason: 'test', code: right });
      expect(again.statusCode).toBe(400);
      expect(fieldError(again.body, 'pause-code')).toBe('The code is wrong or already used. Enter a new code.');
      expect((await activePauses(shop.db.db)).card_payments).toBeUndefined();

      const paused = await b.post('/admin/security/pause', { scope: 'card_payments', reason: 'checking a report', code: totpCodeAt(owner.secret, nextStep()) });
      expect(paused.statusCode).toBe(200);
      expect((await activePauses(shop.db.db)).card_payments).toMatchObject({ paused_by: `admin:${owner.id}`, reason: 'checking a report' });
      expect(await audit('shop.paused')).toEqual(expect.arrayContaining([expect.objectContaining({ actor: `admin:${owner.id}`, target: 'pause:card_payments' })]));
      // The failed codes counted on the login's (name, address) pair like failed logins do.
      expect((await audit('auth.login_failed')).filter((e) => JSON.parse(e.after_json!).reason === 'bad_confirmation_code')).toHaveLength(3);
    });

    it('keeps staff out of the pause and approve routes', async () => {
      offsetMs = 0;
      const b = await signIn(shop, 'staff@example.jp', staff.id, staff.secret);
      expect((await b.get('/admin')).statusCode).toBe(200); // a page of this session: its forms' CSRF token
      const code = totpCodeAt(staff.secret, nextStep());
      for (const r of [
        await b.get('/admin/security/pause'),
        await b.get('/admin/security/page-watch'),
        await b.post('/admin/security/pause/resume', { scope: 'card_payments', note: 'x', code }),
        await b.post('/admin/security/pause', { scope: 'card_payments', reason: 'x', code }),
        await b.post('/admin/security/page-watch/approve', { code }),
      ]) {
        expect(r.statusCode).toBe(403);
        expect(r.headers['x-mamori-admin-refused']).toBe('role');
      }
      expect((await activePauses(shop.db.db)).card_payments).toBeDefined();
    });

    it('approves the pages as walked now, recording who approved; approving lifts no pause', async () => {
      offsetMs = 0;
      const asAuditor = await signIn(shop, 'auditor@example.jp', auditor.id, auditor.secret);
      const before = await asAuditor.get('/admin/security/page-watch');
      expect(before.statusCode).toBe(200);
      expect(before.body).toContain('id="no-baseline"');
      expect(before.body).not.toContain('/admin/security/page-watch/approve'); // the auditor sees, does not approve
      expect(before.body).toContain('承認しても一時停止は解除されません');

      const b = await signIn(shop, 'owner@example.jp', owner.id, owner.secret);
      await b.get('/admin/security/page-watch');
      const wrong = await b.post('/admin/security/page-watch/approve', { code: '000000' });
      expect(wrong.statusCode).toBe(400);
      expect(fieldError(wrong.body, 'approve-code')).toBeDefined();
      expect(await currentBaseline(shop.db.db)).toBeUndefined();

      const approved = await b.post('/admin/security/page-watch/approve?lang=en', { code: totpCodeAt(owner.secret, nextStep()) });
      expect(approved.statusCode, approved.body.slice(0, 2000)).toBe(200);
      const baseline = await currentBaseline(shop.db.db);
      expect(baseline).toMatchObject({ status: 'approved', approvedBy: `admin:${owner.id}` });
      expect(baseline!.snapshots.map((s) => s.page)).toContain('checkout');
      expect(approved.body).toContain(`Baseline #${baseline!.id} approved.`);
      expect(approved.body).toContain(`data-baseline-id="${baseline!.id}" data-status="approved"`);
      expect(approved.body).toContain('owner@example.jp'); // approved by, as the account's address
      expect(approved.body).toContain('data-page="checkout"');
      expect(approved.body).toContain('Approving does not lift a pause');
      const entries = await audit('page_watch.baseline_approved');
      expect(entries.at(-1)).toMatchObject({ actor: `admin:${owner.id}`, target: `page_watch_baseline:${baseline!.id}` });
      expect((await activePauses(shop.db.db)).card_payments).toBeDefined();
    });

    it('lists every job and the security notices on the status page', async () => {
      offsetMs = 0;
      await recordSecurityCheck(shop.db, failedCheck('no advisory data'), { startedAt: clock() });
      const b = await signIn(shop, 'auditor@example.jp', auditor.id, auditor.secret);
      const status = await b.get('/admin/status?lang=en');
      expect(status.statusCode).toBe(200);
      expect(status.body).toContain('<caption>Background jobs</caption>');
      expect(status.body).toMatch(/<tr data-job="[a-z-]+" data-outcome="/);
      expect(status.body).toMatch(/<li data-source="security-check">.*no advisory data/);
      expect(status.body).toContain('npm run mamori -- advisories import');
    });
  });
}
