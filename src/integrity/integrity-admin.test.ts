// The back office's file-integrity page: the latest result and the trust-on-first-use baseline
// for the auditor (no approve form), nothing for staff, and an owner's approval that needs a
// fresh TOTP code (a wrong one changes nothing), is audited with the changes, and lifts no pause.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { createFixtureInstallation, type FixtureInstallation } from '../../test/support/integrity-installation.ts';
import { totpCodeAt } from '../admin/totp.ts';
import { isCardPaymentPaused } from '../shop-pause/shop-pause.ts';
import { integritySubject, verifyInstallation } from './check-integrity.ts';

for (const database of DATABASES) {
  describe(`the file-integrity page on ${database.name}`, () => {
    let shop: TestShop;
    let fx: FixtureInstallation;
    let offsetMs = 0;
    const clock = () => new Date(Date.now() + offsetMs);
    const nextStep = () => { offsetMs += 31_000; return clock(); };
    let owner: { id: number; secret: string };
    let auditor: { id: number; secret: string };
    let staff: { id: number; secret: string };
    beforeAll(async () => {
      fx = createFixtureInstallation();
      shop = await startTestShop(database, { clock, integrity: true, env: { INTEGRITY_ROOT: fx.root, INTEGRITY_KEY_FILE: fx.keyFile } });
      await shop.jobs.settled();
      const o = await enrolledAccount(shop, 'owner@example.jp', 'owner');
      const a = await enrolledAccount(shop, 'auditor@example.jp', 'auditor');
      const s = await enrolledAccount(shop, 'staff@example.jp', 'staff');
      owner = { id: o.account.id, secret: o.secret };
      auditor = { id: a.account.id, secret: a.secret };
      staff = { id: s.account.id, secret: s.secret };
    });
    afterAll(async () => {
      await shop?.dispose();
      fx?.dispose();
    });

    it('shows the auditor the latest result and the baseline flagged as recorded on trust, without an approve form', async () => {
      offsetMs = 0;
      const b = await signIn(shop, 'auditor@example.jp', auditor.id, auditor.secret);
      const page = await b.get('/admin/security/integrity?lang=en');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('id="integrity-latest" data-outcome="clean"');
      expect(page.body).toContain('data-trust="trust-on-first-use"');
      expect(page.body).toContain('id="integrity-tofu"');
      expect(page.body).not.toContain('/admin/security/integrity/approve');
      const status = await b.get('/admin/status?lang=en');
      expect(status.body).toMatch(/id="integrity-status" data-outcome="clean"><strong>File integrity: <\/strong>No change/);
    });

    it('keeps staff out', async () => {
      offsetMs = 0;
      const b = await signIn(shop, 'staff@example.jp', staff.id, staff.secret);
      await b.get('/admin');
      for (const r of [await b.get('/admin/security/integrity'), await b.post('/admin/security/integrity/approve', { code: totpCodeAt(staff.secret, nextStep()) })]) {
        expect([r.statusCode, r.headers['x-mamori-admin-refused']]).toEqual([403, 'role']);
      }
    });

    it('lists a tampered file, then lets the owner approve the deploy with a fresh code only; audited, no pause lifted', async () => {
      offsetMs = 0;
      fx.write('src/app.ts', 'export const app = "release 2";\n');
      await shop.jobs.runNow('integrity');
      expect(await isCardPaymentPaused(shop.db.db)).toBe(true);
      const b = await signIn(shop, 'owner@example.jp', owner.id, owner.secret);
      const page = await b.get('/admin/security/integrity');
      expect(page.body).toContain('id="integrity-latest" data-outcome="findings"');
      expect(page.body).toContain('<li data-kind="changed" data-pauses="yes"><code>changed: src/app.ts</code></li>');
      expect(page.body).toContain('action="/admin/security/integrity/approve"');

      const wrong = await b.post('/admin/security/integrity/approve', { code: '000000' });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('id="integrity-approve-code-error"');
      const subject = integritySubject(shop.config);
      expect((await verifyInstallation(subject)).outcome).toBe('changed');

      const approved = await b.post('/admin/security/integrity/approve?lang=en', { code: totpCodeAt(owner.secret, nextStep()) });
      expect(approved.statusCode, approved.body.slice(0, 1500)).toBe(200);
      expect(approved.body).toContain('The installation was approved (1 change accepted).');
      expect(approved.body).toContain('data-trust="approved"');
      expect((await verifyInstallation(subject)).outcome).toBe('clean');
      const entries = await shop.db.db.selectFrom('audit_log' as never).select(['actor' as never, 'after_json' as never]).where('action' as never, '=', 'integrity.approved' as never).execute() as { actor: string; after_json: string }[];
      expect(entries).toHaveLength(1);
      expect(entries[0]!.actor).toBe(`admin:${owner.id}`);
      expect(JSON.parse(entries[0]!.after_json)).toMatchObject({ changeCount: 1, changes: ['changed: src/app.ts'] });
      expect(await isCardPaymentPaused(shop.db.db)).toBe(true);
    });
  });
}
