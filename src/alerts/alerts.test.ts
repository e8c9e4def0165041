// The shared alert channel and checkout pause: recorded with an audit entry, owners mailed once
// per open alert, the webhook signed so its receiver can verify it, the pause kept across a
// restart and lifted only by an explicit resume (audited).
import { createServer, type IncomingMessage } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { verifyEventSignature, SIGNED_EVENT_HEADERS } from '../../platform/hmac-event-signing.ts';
import { acknowledgeAlert, listOpenAlerts, raiseAlert } from './raise-alert.ts';
import { raiseAlertAndPauseCardPayments } from './raise-alert-and-pause.ts';
import { activePauses, isCardPaymentPaused, pauseShop, resumeShop } from '../shop-pause/shop-pause.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';

const SECRET = 'alert-webhook-secret-of-at-least-32-chars';

function outbox(shop: TestShop): string[] {
  try {
    return readdirSync(path.join(shop.dataDir, 'outbox')).map((f) => readFileSync(path.join(shop.dataDir, 'outbox', f), 'utf8'));
  } catch {
    return [];
  }
}

for (const database of DATABASES) {
  describe(`security alerts and the checkout pause on ${database.name}`, () => {
    let shop: TestShop;
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => { received.push({ headers: req.headers, body }); res.end('ok'); });
    });
    let clockNow = new Date('2026-12-01T03:00:00Z');

    beforeAll(async () => {
      await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
      const port = (hook.address() as AddressInfo).port;
      shop = await startTestShop(database, {
        seedDemoCatalog: false,
        clock: () => clockNow,
        env: { ALERT_WEBHOOK_URL: `http://127.0.0.1:${port}/hook`, ALERT_WEBHOOK_SECRET: SECRET },
      });
      await shop.db.db.withTables<{ admin_accounts: { email: string; role: string; password_hash: string; created_at: string } }>()
        .insertInto('admin_accounts').values({ email: 'owner@example.jp', role: 'owner', password_hash: 'x', created_at: clockNow.toISOString() }).execute();
    });
    afterAll(async () => {
      await shop?.dispose();
      await new Promise((r) => hook.close(r));
    });

    it('records a new alert in the audit log, mails every owner and posts a signed webhook once', async () => {
      const first = await raiseAlert(shop.context, { kind: 'page_watch.script_added', severity: 'critical', dedupeKey: 'pw:/checkout:/static/x.js', summary: 'new script on /checkout', evidence: { url: '/static/x.js' } });
      expect(first.isNew).toBe(true);
      const mails = outbox(shop);
      expect(mails).toHaveLength(1);
      expect(mails[0]).toContain('owner@example.jp');
      expect(received).toHaveLength(1);
      const got = received[0]!;
      const check = verifyEventSignature({
        secret: SECRET, now: clockNow, body: got.body,
        timestamp: String(got.headers[SIGNED_EVENT_HEADERS.timestamp]), eventId: String(got.headers[SIGNED_EVENT_HEADERS.eventId]), signature: String(got.headers[SIGNED_EVENT_HEADERS.signature]),
      });
      expect(check).toEqual({ ok: true });
      expect(JSON.parse(got.body)).toMatchObject({ type: 'mamori.security_alert', kind: 'page_watch.script_added', severity: 'critical' });
      // A forged body does not verify with the same headers.
      expect(verifyEventSignature({ secret: SECRET, now: clockNow, body: got.body.replace('critical', 'low'), timestamp: String(got.headers[SIGNED_EVENT_HEADERS.timestamp]), eventId: String(got.headers[SIGNED_EVENT_HEADERS.eventId]), signature: String(got.headers[SIGNED_EVENT_HEADERS.signature]) }).ok).toBe(false);

      // The same finding a minute later: counted, not sent again.
      clockNow = new Date(clockNow.getTime() + 60_000);
      const again = await raiseAlert(shop.context, { kind: 'page_watch.script_added', severity: 'critical', dedupeKey: 'pw:/checkout:/static/x.js', summary: 'new script on /checkout', evidence: {} });
      expect(again.isNew).toBe(false);
      expect(again.alert.occurrences).toBe(2);
      expect(outbox(shop)).toHaveLength(1);
      expect(received).toHaveLength(1);

      const open = await listOpenAlerts(shop.db.db);
      expect(open.map((a) => a.id)).toEqual([first.alert.id]);
      const audit = await shop.db.db.selectFrom('audit_log' as never).selectAll().execute() as { action: string; target: string }[];
      expect(audit.filter((e) => e.action === 'security.alert_raised')).toHaveLength(1);

      expect(await acknowledgeAlert(shop.context, first.alert.id, { id: 'admin:1' }, 'checked: our deploy')).toEqual({ ok: true });
      expect(await acknowledgeAlert(shop.context, first.alert.id, { id: 'admin:1' }, 'twice')).toEqual({ ok: false, error: 'ALREADY_ACKNOWLEDGED' });
      expect(await listOpenAlerts(shop.db.db)).toEqual([]);
      // After acknowledgement the same finding is a new alert again.
      expect((await raiseAlert(shop.context, { kind: 'page_watch.script_added', severity: 'critical', dedupeKey: 'pw:/checkout:/static/x.js', summary: 'again', evidence: {} })).isNew).toBe(true);
      expect(outbox(shop)).toHaveLength(2);
    });

    it('pauses card payments with the alert in one step, keeps the pause, and lifts it only by resume', async () => {
      expect(await isCardPaymentPaused(shop.db.db)).toBe(false);
      const r = await raiseAlertAndPauseCardPayments(shop.context, { kind: 'page_watch.card_field', severity: 'critical', summary: 'card field on /checkout', evidence: {} }, 'page-watch');
      expect(r.paused).toBe(true);
      expect(await isCardPaymentPaused(shop.db.db)).toBe(true);
      const pauses = await activePauses(shop.db.db);
      expect(pauses.card_payments).toMatchObject({ alert_id: r.alert.id, paused_by: 'system:page-watch' });
      // A second detector does not overwrite who paused first.
      expect((await pauseShop(shop.db.db, { scope: 'card_payments', reason: 'other', actor: { id: 'system:integrity' } }, clockNow)).paused).toBe(false);
      expect(await resumeShop(shop.context, 'card_payments', { id: 'admin:1', ip: '127.0.0.1' }, 'baseline approved')).toEqual({ ok: true });
      expect(await isCardPaymentPaused(shop.db.db)).toBe(false);
      expect(await resumeShop(shop.context, 'card_payments', { id: 'admin:1' }, 'again')).toEqual({ ok: false, error: 'NOT_PAUSED' });
      // A stopped storefront stops card payments too.
      await pauseShop(shop.db.db, { scope: 'storefront', reason: 'incident', actor: { id: 'cli' } }, clockNow);
      expect(await isCardPaymentPaused(shop.db.db)).toBe(true);
      await resumeShop(shop.context, 'storefront', { id: 'cli' }, 'resumed');
      const audit = await shop.db.db.selectFrom('audit_log' as never).selectAll().execute() as { action: string }[];
      expect(audit.filter((e) => e.action === 'shop.paused')).toHaveLength(2);
      expect(audit.filter((e) => e.action === 'shop.resumed')).toHaveLength(2);
      expect((await verifyAuditChain(shop.db.db, {})).ok).toBe(true);
    });
  });
}
