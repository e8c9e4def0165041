// The audit log pages: search, JSON-lines export (itself audited), and the verification page
// noticing a row edited in the database. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { tamperWithAuditLog } from '../../test/support/audit-test-database.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';


for (const database of DATABASES) {
  describe(`admin audit log pages on ${database.name}`, () => {
    let shop: TestShop;
    beforeAll(async () => { shop = await startTestShop(database, { seedDemoCatalog: false }); });
    afterAll(async () => { await shop?.dispose(); });

    it('lets the auditor search, export and verify the log, and shows where a tampered chain breaks', async () => {
      const { account, secret } = await enrolledAccount(shop, 'audit@example.jp', 'auditor');
      const b = await signIn(shop, 'audit@example.jp', account.id, secret);
      const all = await b.get('/admin/audit');
      expect(all.statusCode).toBe(200);
      expect(all.body).toContain('auth.login_succeeded');
      const filtered = await b.get('/admin/audit?action=auth.*&actor=' + encodeURIComponent(`admin:${account.id}`));
      expect(filtered.body).toContain('auth.login_succeeded');
      expect((await b.get('/admin/audit?action=product.created')).body).not.toContain('auth.login_succeeded');
      expect((await b.get('/admin/audit?from=not-a-date')).statusCode).toBe(400);

      const exported = await b.get('/admin/audit.jsonl');
      expect(exported.statusCode).toBe(200);
      expect(exported.headers['content-type']).toMatch(/^application\/jsonl/);
      const lines = exported.body.trim().split('\n').map((l) => JSON.parse(l) as { id: number; action: string; hash: string; prevHash: string });
      expect(lines.map((l) => l.id)).toEqual(lines.map((_, i) => i + 1));
      expect(lines.at(-1)!.action).toBe('audit.exported');
      for (let i = 1; i < lines.length; i++) expect(lines[i]!.prevHash).toBe(lines[i - 1]!.hash);

      expect((await b.get('/admin/audit/verify')).statusCode).toBe(200);
      await tamperWithAuditLog(shop.db, (db) => db.updateTable('audit_log').set({ ip: '10.9.9.9' }).where('id', '=', 2).execute().then(() => undefined));
      const broken = await b.get('/admin/audit/verify');
      expect(broken.statusCode).toBe(409);
      expect(broken.body).toMatch(/記録 2 でチェーンが壊れています（HASH_MISMATCH）/);
      expect((await b.get('/admin/audit/verify?lang=en')).body).toMatch(/entry 2 \(HASH_MISMATCH\)/);
    });
  });
}
