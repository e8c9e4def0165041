// The order mail cannot be turned into a spam relay: nothing is mailed until the customer is
// handed to the gateway (the mail says payment is still due), it goes out once per order, at
// most N a day per recipient, and its subject never holds text typed into the form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { ScriptedGateway } from '../../test/support/scripted-gateway.ts';
import type { OutgoingMail } from '../mail/mailer.ts';

const SPAM_NAME = 'WIN A PRIZE visit spam.example now';

for (const database of DATABASES) {
  describe(`order mail on ${database.name}`, () => {
    let shop: TestShop;
    let gateway: ScriptedGateway;
    let now = new Date('2026-03-02T01:00:00.000Z');
    const sent: OutgoingMail[] = [];
    beforeAll(async () => {
      gateway = new ScriptedGateway();
      shop = await startTestShop(database, { payments: gateway, reconcileAtStart: false, clock: () => now, env: { ORDER_MAILS_PER_RECIPIENT_PER_DAY: '2' } });
      await shop.db.db.updateTable('variants').set({ stock: 1000 }).execute();
      const mailer = shop.context.mailer;
      const send = mailer.send.bind(mailer);
      mailer.send = async (m) => { sent.push(m); await send(m); };
    });
    afterAll(async () => { await shop?.dispose(); });

    async function checkout(email: string, name = GOOD_CUSTOMER.name) {
      const cart = (await shop.app.inject({ method: 'POST', url: '/api/store/carts' })).json();
      await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/items`, payload: { variantId: 1, quantity: 1 } });
      const r = await shop.app.inject({ method: 'POST', url: `/api/store/carts/${cart.id}/checkout?lang=en`, headers: { 'accept-language': 'en' }, payload: { ...GOOD_CUSTOMER, email, name } });
      expect(r.statusCode).toBe(201);
      return r.json() as { orderId: string; accessToken: string; orderNumber: string; paymentUrl: string | null };
    }
    const to = (email: string) => sent.filter((m) => m.to === email);
    async function payFromOrderPage(orderId: string, token: string) {
      const page = await shop.app.inject({ url: `/orders/${orderId}?token=${token}` });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      return shop.app.inject({ method: 'POST', url: `/orders/${orderId}/pay`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${token}&_csrf=${encodeURIComponent(csrf)}` });
    }

    it('mails nothing until the payment starts, then once, saying payment is due, with no form text in the subject', async () => {
      gateway.down = true;
      const o = await checkout('first@example.jp', SPAM_NAME);
      gateway.down = false;
      expect(o.paymentUrl).toBeNull();
      expect(to('first@example.jp')).toHaveLength(0);

      expect((await payFromOrderPage(o.orderId, o.accessToken)).statusCode).toBe(303);
      expect(to('first@example.jp')).toHaveLength(1);
      const mail = to('first@example.jp')[0]!;
      expect(mail.subject).toContain(o.orderNumber);
      expect(mail.subject).not.toMatch(/PRIZE|spam\.example/);
      expect(mail.text).toMatch(/Payment is still due|お支払いはまだ完了していません/);

      expect((await payFromOrderPage(o.orderId, o.accessToken)).statusCode).toBe(303); // a second payment start
      expect(to('first@example.jp')).toHaveLength(1);
    });

    it('sends at most the configured number of order mails a day to one recipient', async () => {
      const victim = 'flooded@example.jp';
      for (let i = 0; i < 4; i++) expect((await checkout(victim)).paymentUrl).not.toBeNull();
      expect(to(victim)).toHaveLength(2);
      now = new Date(now.getTime() + 25 * 3600_000);
      await checkout(victim);
      expect(to(victim)).toHaveLength(3);
    });
  });
}
