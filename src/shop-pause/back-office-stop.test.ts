// The owner's kill switch in the back office (/admin/security/pause): stopping the whole storefront
// with a message in Japanese and English needs a fresh TOTP code; bad fields are refused before the
// code is spent; card numbers are not accepted as a message; the stop is audited and reaches the
// storefront; while an incident is open the page shows what blocks resuming and the resume is
// refused (a gate double standing in for the incident record); then it is lifted. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { totpCodeAt } from '../admin/totp.ts';
import type { ResumeBlocker } from '../incidents/resumption-gate.ts';
import { incidentBlockingResume } from '../incidents/resumption-gate.ts';
import { activePauses } from './shop-pause.ts';

type AuditRow = { id: number; action: string; actor: string | null; target: string | null; after_json: string | null };

const fieldError = (body: string, id: string) => new RegExp(`id="${id}-error">([^<]*)<`).exec(body)?.[1];

for (const database of DATABASES) {
  describe(`back-office storefront stop on ${database.name}`, () => {
    let shop: TestShop;
    // Sign-in codes are computed at real time; confirmation codes at the shop's clock once it has
    // moved past the sign-in's time step (each code is good once).
    let offsetMs = 0;
    const clock = () => new Date(Date.now() + offsetMs);
    const nextCode = (secret: string) => { offsetMs += 31_000; return totpCodeAt(secret, clock()); };
    let owner: { id: number; secret: string };
    const audit = async (action: string) => shop.db.db.withTables<{ audit_log: AuditRow }>().selectFrom('audit_log')
      .select(['id', 'action', 'actor', 'target', 'after_json']).where('action', '=', action).orderBy('id').execute();

    beforeAll(async () => {
      shop = await startTestShop(database, { clock });
      const o = await enrolledAccount(shop, 'owner@example.jp', 'owner');
      owner = { id: o.account.id, secret: o.secret };
    });
    afterAll(async () => { await shop?.dispose(); });

    it('stops the storefront with a fresh code and a message in both languages; refuses a bad form without spending the code', async () => {
      offsetMs = 0;
      const b = await signIn(shop, 'owner@example.jp', owner.id, owner.secret);
      const page = await b.get('/admin/security/pause?lang=en');
      expect(page.body).toContain('action="/admin/security/pause" aria-labelledby="stop-heading"');
      expect(page.body).toContain('name="messageEn"');
      // How this server learns of a stop made elsewhere.
      expect(page.body).toContain(database.name === 'postgres' ? 'id="stop-propagation" data-kind="listen" data-listening="true"' : 'id="stop-propagation" data-kind="direct"');

      const code = nextCode(owner.secret);
      const noReason = await b.post('/admin/security/pause?lang=en', { scope: 'storefront', reason: ' ', message: 'お休みします', messageEn: '', code });
      expect(noReason.statusCode).toBe(400);
      expect(fieldError(noReason.body, 'stop-reason')).toBe('Please give a reason (up to 500 characters).');
      expect(noReason.body).toContain('お休みします</textarea>'); // kept for the next try
      const card = await b.post('/admin/security/pause?lang=en', { scope: 'storefront', reason: 'incident', message: 'カード 4242424242424242 の方へ', messageEn: 'ok', code });
      expect(card.statusCode).toBe(400);
      expect(fieldError(card.body, 'stop-message')).toBe('Do not put card numbers in the message.');
      expect(card.body).not.toContain('4242424242424242');
      const long = await b.post('/admin/security/pause?lang=en', { scope: 'storefront', reason: 'incident', message: '', messageEn: 'x'.repeat(2001), code });
      expect(fieldError(long.body, 'stop-message-en')).toBe('Please keep the message within 2000 characters.');
      const wrong = await b.post('/admin/security/pause?lang=en', { scope: 'storefront', reason: 'incident', message: '', messageEn: '', code: String((Number(code) + 1) % 1_000_000).padStart(6, '0') });
      expect(fieldError(wrong.body, 'stop-code')).toBe('The code is wrong or already used. Enter a new code.');
      expect(await activePauses(shop.db.db)).toEqual({});
      expect((await shop.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);

      // The code refused fields did not spend still works.
      const stopped = await b.post('/admin/security/pause?lang=en', { scope: 'storefront', reason: 'card skimming reported by the gateway', message: 'ただいま点検のため休業しております。', messageEn: 'We are closed for a security check.', code });
      expect(stopped.statusCode).toBe(200);
      expect(stopped.body).toContain('The storefront is stopped. Every server follows within a second.');
      expect(stopped.body).toContain('data-scope="storefront" data-paused="yes"');
      expect(stopped.body).toContain('<span lang="en">We are closed for a security check.</span>');
      expect(stopped.body).not.toContain('aria-labelledby="stop-heading"'); // no second stop form
      expect((await activePauses(shop.db.db)).storefront).toMatchObject({ paused_by: `admin:${owner.id}`, message: 'ただいま点検のため休業しております。', message_en: 'We are closed for a security check.' });
      const entries = await audit('shop.paused');
      expect(entries.at(-1)).toMatchObject({ actor: `admin:${owner.id}`, target: 'pause:storefront' });
      expect(JSON.parse(entries.at(-1)!.after_json!)).toMatchObject({ reason: 'card skimming reported by the gateway', message: 'ただいま点検のため休業しております。', messageEn: 'We are closed for a security check.' });

      await shop.app.storefrontStop.state.until((p) => p.storefront !== undefined, 3000);
      const ja = await shop.app.inject({ method: 'GET', url: '/' });
      expect([ja.statusCode, ja.body.includes('ただいま点検のため休業しております。')]).toEqual([503, true]);
      const en = await shop.app.inject({ method: 'GET', url: '/?lang=en' });
      expect([en.statusCode, en.body.includes('We are closed for a security check.')]).toEqual([503, true]);
      // The back office itself keeps working while the storefront is stopped.
      expect((await b.get('/admin')).statusCode).toBe(200);
    });

    it('shows what blocks resuming while an incident is open, refuses the resume (audited), then lifts the stop', async () => {
      offsetMs = 0;
      const blocker: ResumeBlocker = { incidentId: 3, reference: 'INC-2026-0003', openItems: ['Forensic report received', 'Card companies\u2019 consent'] };
      shop.app.storefrontStop.resumeGate = async () => blocker;
      try {
        const b = await signIn(shop, 'owner@example.jp', owner.id, owner.secret);
        const page = await b.get('/admin/security/pause?lang=en');
        expect(page.body).toContain('id="resume-blocked" role="alert" data-incident="INC-2026-0003"');
        expect(page.body).toContain('The resumption checklist of incident INC-2026-0003 is not complete');
        expect(page.body).toContain('<li>Forensic report received</li>');
        const refused = await b.post('/admin/security/pause/resume?lang=en', { scope: 'storefront', note: 'all fixed', code: nextCode(owner.secret) });
        expect(refused.statusCode).toBe(409);
        expect(refused.body).toContain('Not resumed: incident INC-2026-0003 is open.');
        expect(refused.body).toContain('<li>Card companies’ consent</li>');
        expect((await activePauses(shop.db.db)).storefront).toBeDefined();
        expect((await audit('shop.resume_refused')).at(-1)).toMatchObject({ actor: `admin:${owner.id}`, target: 'pause:storefront' });
        expect(await audit('shop.resumed')).toHaveLength(0);
      } finally {
        shop.app.storefrontStop.resumeGate = incidentBlockingResume;
      }

      offsetMs = 0; // the sign-in code is computed at real time
      const b = await signIn(shop, 'owner@example.jp', owner.id, owner.secret);
      const japanese = await b.get('/admin/security/pause');
      expect(japanese.body).not.toContain('id="resume-blocked"');
      expect(japanese.body).toContain('ストアフロントの停止中は、カード決済も止まっています。');
      const resumed = await b.post('/admin/security/pause/resume?lang=en', { scope: 'storefront', note: 'cause fixed and checked', code: nextCode(owner.secret) });
      expect(resumed.statusCode).toBe(200);
      expect(resumed.body).toContain('The storefront: resumed.');
      expect((await audit('shop.resumed')).at(-1)).toMatchObject({ actor: `admin:${owner.id}`, target: 'pause:storefront' });
      await shop.app.storefrontStop.state.until((p) => p.storefront === undefined, 3000);
      expect((await shop.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    });
  });
}
