// Junk notifications cannot flood the append-only audit log: per address and minute the first
// few are recorded one by one and the rest are folded into one entry carrying the count, written
// once the minute has closed. The attack stays visible, with its size. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { ScriptedGateway } from '../../test/support/scripted-gateway.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { flushClosedRejectionCounters, REJECTIONS_RECORDED_EACH_MINUTE } from './rejected-notifications.ts';

const JUNK = 200;

for (const database of DATABASES) {
  describe(`rejected notifications on ${database.name}`, () => {
    let shop: TestShop;
    let now = new Date('2026-03-02T01:00:05.000Z');
    beforeAll(async () => {
      shop = await startTestShop(database, { payments: new ScriptedGateway(), reconcileAtStart: false, clock: () => now, seedDemoCatalog: false });
    });
    afterAll(async () => { await shop?.dispose(); });

    const junk = (remoteAddress: string) => shop.app.inject({
      method: 'POST', url: '/payments/sandbox/notifications', remoteAddress,
      headers: { 'content-type': 'application/json', 'x-signature': 'v1=deadbeef' }, payload: '{"eventId":"evt_x","status":"captured"}',
    });
    const rows = async (ip: string) => {
      const events = await shop.db.db.selectFrom('security_events').where('type', '=', 'payment.notification_rejected').where('client_ip', '=', ip).select('detail').orderBy('id').execute();
      const audit = await shop.db.db.withTables<{ audit_log: { id: number; action: string; ip: string | null } }>()
        .selectFrom('audit_log').where('action', '=', 'security.payment.notification_rejected').where('ip', '=', ip).select('id').execute();
      return { events: events.map((e) => JSON.parse(e.detail) as Record<string, unknown>), audit: audit.length };
    };

    it(`${JUNK} junk notifications from one address make a handful of entries that carry the total`, async () => {
      const ip = '203.0.113.9';
      for (let i = 0; i < JUNK; i++) {
        now = new Date(now.getTime() + 100); // 20 s in all: one minute
        expect((await junk(ip)).statusCode).toBe(400);
      }
      let r = await rows(ip);
      expect(r.events).toHaveLength(REJECTIONS_RECORDED_EACH_MINUTE);
      expect(r.audit).toBe(REJECTIONS_RECORDED_EACH_MINUTE);

      // The minute closes; the next rejection from that address writes the folded count first.
      now = new Date(now.getTime() + 60_000);
      await junk(ip);
      r = await rows(ip);
      expect(r.events).toHaveLength(REJECTIONS_RECORDED_EACH_MINUTE + 2);
      expect(r.audit).toBe(REJECTIONS_RECORDED_EACH_MINUTE + 2);
      const summary = r.events.find((e) => e.aggregated === true)!;
      expect(summary).toMatchObject({ rejectedThisMinute: JUNK, notRecordedSeparately: JUNK - REJECTIONS_RECORDED_EACH_MINUTE, lastReason: 'MALFORMED' });
      expect((await verifyAuditChain(shop.db.db)).ok).toBe(true);
    });

    it('writes the count of a closed minute from the background job when no further rejection comes', async () => {
      const ip = '203.0.113.10';
      for (let i = 0; i < 50; i++) await junk(ip);
      expect((await rows(ip)).events).toHaveLength(REJECTIONS_RECORDED_EACH_MINUTE);
      expect(await flushClosedRejectionCounters(shop.db.db, now)).toBe(0); // the minute is still open
      now = new Date(now.getTime() + 61_000);
      expect(await flushClosedRejectionCounters(shop.db.db, now)).toBe(1);
      expect(await flushClosedRejectionCounters(shop.db.db, now)).toBe(0); // written once
      const r = await rows(ip);
      expect(r.events).toHaveLength(REJECTIONS_RECORDED_EACH_MINUTE + 1);
      expect(r.events.at(-1)).toMatchObject({ aggregated: true, rejectedThisMinute: 50 });
    });
  });
}
