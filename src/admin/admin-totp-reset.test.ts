// The owner resets a colleague's TOTP (lost phone) on the account's page: reason and the owner's
// own fresh code; the secret, recovery codes and every session of that account end in one
// transaction with the audit entry, and its next sign-in is the first-sign-in enrolment again.
// Staff cannot, an owner cannot on themselves, a missing reason changes nothing. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { adminBrowser, directSession, enrolledAccount, freshTotp, signIn, TEST_PASSWORD } from '../../test/support/admin-test-client.ts';
import { adminDb } from './admin-tables.ts';
import { adminMessagesJa } from './admin-messages-ja.ts';
import { listOpenAlerts } from '../alerts/raise-alert.ts';

const r = adminMessagesJa.accounts.resetTotp;

for (const database of DATABASES) {
  describe(`owner resets another account's TOTP on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database, { seedDemoCatalog: false }); });
    afterAll(async () => { await shop?.dispose(); });

    const db = () => adminDb(shop.db.db);
    const state = async (id: number) => ({
      account: await db().selectFrom('admin_accounts').where('id', '=', id).select(['totp_secret', 'mfa_enrolled_at']).executeTakeFirstOrThrow(),
      codes: (await db().selectFrom('admin_recovery_codes').where('account_id', '=', id).select('id').execute()).length,
      sessions: (await db().selectFrom('admin_sessions').where('account_id', '=', id).select('id_hash').execute()).length,
    });
    const resets = () => shop.db.db.withTables<{ audit_log: { id: number; action: string; actor: string; target: string | null; before_json: string | null; after_json: string | null } }>()
      .selectFrom('audit_log').where('action', '=', 'mfa.reset').selectAll().orderBy('id').execute();

    it('ends the staff member\'s sessions, sends their next sign-in to enrolment and audits the reason', async () => {
      const { account: owner, secret: ownerSecret } = await enrolledAccount(shop, 'owner@example.jp', 'owner');
      const { account: staff, secret: staffSecret } = await enrolledAccount(shop, 'lost-phone@example.jp', 'staff');
      await db().insertInto('admin_recovery_codes').values({ account_id: staff.id, code_hash: 'h'.repeat(64), used_at: null }).execute();
      const staffBrowser = await signIn(shop, 'lost-phone@example.jp', staff.id, staffSecret);
      await directSession(shop, staff.id, 'full');
      const sealed = (await state(staff.id)).account.totp_secret!;
      expect(await state(staff.id)).toMatchObject({ codes: 1, sessions: 2 });

      const b = await signIn(shop, 'owner@example.jp', owner.id, ownerSecret);
      expect((await b.get('/admin/accounts')).body).toContain(`href="/admin/accounts/${staff.id}"`);
      const page = await b.get(`/admin/accounts/${staff.id}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`action="/admin/accounts/${staff.id}/reset-totp"`);

      // No reason: the form comes back with the field's message, the code is not spent, nothing changes.
      const code = await freshTotp(shop, owner.id, ownerSecret);
      const missing = await b.post(`/admin/accounts/${staff.id}/reset-totp`, { reason: '  ', code });
      expect(missing.statusCode).toBe(400);
      expect(missing.body).toContain('id="account-totp-reason-error"');
      expect(missing.body).toContain(r.reasonRequired);
      expect(await state(staff.id)).toMatchObject({ account: { totp_secret: sealed }, codes: 1, sessions: 2 });
      expect(await resets()).toHaveLength(0);
      // Without the form's CSRF token nothing changes either.
      expect((await b.post(`/admin/accounts/${staff.id}/reset-totp`, { reason: 'csrf', code }, { csrf: false })).statusCode).toBe(403);

      const done = await b.post(`/admin/accounts/${staff.id}/reset-totp`, { reason: '本人が来店、社員証で確認', code });
      expect(done.statusCode).toBe(303);
      expect(done.headers.location).toBe(`/admin/accounts/${staff.id}?done=totp-reset`);
      expect((await b.get(done.headers.location as string)).body).toContain(r.done);
      expect(await state(staff.id)).toEqual({ account: { totp_secret: null, mfa_enrolled_at: null }, codes: 0, sessions: 0 });

      // The session they had is gone; signing in with the password leads to enrolment, not the back office.
      expect((await staffBrowser.get('/admin')).statusCode).toBe(303);
      const again = adminBrowser(shop);
      await again.get('/admin/login');
      const pw = await again.post('/admin/login', { email: 'lost-phone@example.jp', password: TEST_PASSWORD });
      expect(pw.headers.location).toBe('/admin/mfa');
      const enrol = await again.get('/admin/mfa');
      expect(enrol.body).toContain('id="totp-secret"');
      const inside = await again.get('/admin/orders');
      expect(inside.statusCode).toBe(303);
      expect(inside.headers['x-mamori-admin-refused']).toBe('second-factor-due');

      const entries = await resets();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actor: `admin:${owner.id}`, target: `account:${staff.id}` });
      expect(JSON.parse(entries[0]!.after_json!)).toMatchObject({ mfaEnrolled: false, reason: '本人が来店、社員証で確認', sessionsEnded: 2 });
      expect(`${entries[0]!.before_json}${entries[0]!.after_json}`).not.toContain(sealed);
      const alerts = (await listOpenAlerts(shop.db.db, 100)).filter((a) => a.kind === 'admin.mfa_reset');
      expect(alerts.map((a) => JSON.parse(a.evidence).auditEntryIds)).toEqual([[entries[0]!.id]]);
      // Nothing left to reset: the page says so instead of offering the form.
      expect((await b.get(`/admin/accounts/${staff.id}`)).body).not.toContain('reset-totp');
    });

    it('refuses staff (403) and leaves the account as it was', async () => {
      const { account: clerk, secret } = await enrolledAccount(shop, 'clerk@example.jp', 'staff');
      const { account: colleague } = await enrolledAccount(shop, 'colleague@example.jp', 'staff');
      await directSession(shop, colleague.id, 'full');
      const before = await state(colleague.id);
      const b = await signIn(shop, 'clerk@example.jp', clerk.id, secret);
      expect((await b.get(`/admin/accounts/${colleague.id}`)).statusCode).toBe(403);
      await b.get('/admin');
      const refused = await b.post(`/admin/accounts/${colleague.id}/reset-totp`, { reason: 'lost phone', code: await freshTotp(shop, clerk.id, secret) });
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['x-mamori-admin-refused']).toBe('role');
      expect(await state(colleague.id)).toEqual(before);
      expect(before.account.mfa_enrolled_at).not.toBeNull();
      expect((await resets()).filter((e) => e.target === `account:${colleague.id}`)).toHaveLength(0);
    });

    it('refuses an owner resetting their own TOTP, with a message, and keeps their sessions', async () => {
      const { account: owner, secret } = await enrolledAccount(shop, 'self@example.jp', 'owner');
      const b = await signIn(shop, 'self@example.jp', owner.id, secret);
      const page = await b.get(`/admin/accounts/${owner.id}`);
      expect(page.body).toContain(r.self);
      expect(page.body).not.toContain('reset-totp');
      const before = await state(owner.id);
      const refused = await b.post(`/admin/accounts/${owner.id}/reset-totp`, { reason: 'lost phone', code: await freshTotp(shop, owner.id, secret) });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain(r.self);
      expect(await state(owner.id)).toEqual(before);
      expect((await b.get('/admin')).statusCode).toBe(200);
      expect((await resets()).filter((e) => e.target === `account:${owner.id}`)).toHaveLength(0);
    });
  });
}
