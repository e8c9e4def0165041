// コンビニ決済 end to end on both databases, against the sandbox gateway in its own process: the
// Store API checkout gets a payment number and deadline from the gateway, the order page and the
// order mail show them, the gateway's simulated store payment sends its signed notification, and
// the order is paid once: the same notification sent again, and the number paid again at the
// store, change nothing. An unpaid konbini order expires through the shop's expiry job once the
// gateway's grace after the deadline has passed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startPaymentStack, type PaymentStack } from '../../test/support/payment-stack.ts';
import { GOOD_CUSTOMER, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { formatDateTime } from '../i18n/locale.ts';
import { mailDateTime } from '../orders/mail-shop.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import { expireUnpaidOrders } from '../orders/expire-orders.ts';
import { DEFAULT_PAYMENT_SETTINGS, savePaymentSettings } from './payment-settings.ts';
import { supportsKonbini } from '../payments/payment-provider.ts';

describeEachDatabase('konbini payment through the sandbox gateway', (database) => {
  let stack: PaymentStack;
  let token: string;
  const sent: OutgoingMail[] = [];
  const mailWaiters: { match: (m: OutgoingMail) => boolean; resolve: (m: OutgoingMail) => void }[] = [];
  /** Resolves with the first mail (already sent or still to come) that matches: the event, not a sleep. */
  const mailSent = (match: (m: OutgoingMail) => boolean) => new Promise<OutgoingMail>((resolve) => {
    const already = sent.find(match);
    if (already) resolve(already); else mailWaiters.push({ match, resolve });
  });

  beforeAll(async () => {
    stack = await startPaymentStack(database);
    token = readFileSync(path.join(stack.dataDir, 'paygate-sandbox-token'), 'utf8').trim();
    const mailer = stack.shop.context.mailer;
    const send = mailer.send.bind(mailer);
    mailer.send = async (m) => {
      await send(m);
      sent.push(m);
      for (const w of mailWaiters.filter((x) => x.match(m))) { mailWaiters.splice(mailWaiters.indexOf(w), 1); w.resolve(m); }
    };
    expect(supportsKonbini(stack.shop.context.payments)).toBe(true);
    const saved = await savePaymentSettings(stack.shop.db.db, { ...DEFAULT_PAYMENT_SETTINGS, enabled: ['card', 'konbini'], konbiniDeadlineDays: 3 }, { actor: 'admin:1', now: new Date(), konbiniSupported: true });
    expect(saved).toEqual({ ok: true });
  });
  afterAll(async () => { await stack?.dispose(); });

  const shopUrl = () => `http://127.0.0.1:${stack.shopPort}`;
  const json = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const res = await fetch(`${shopUrl()}${url}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: await res.json() as Record<string, any> };
  };
  async function konbiniCheckout(email: string, konbiniStore = 'ministop') {
    const v = await stack.shop.db.db.selectFrom('variants as v').innerJoin('products as p', 'p.id', 'v.product_id').where('p.status', '=', 'active').where('v.stock', '>', 5).select('v.id').orderBy('v.id').executeTakeFirstOrThrow();
    const cart = await json('POST', '/api/store/carts');
    expect((await json('POST', `/api/store/carts/${cart.body.id}/items`, { variantId: v.id, quantity: 1 })).status).toBe(201);
    const r = await json('POST', `/api/store/carts/${cart.body.id}/checkout`, { ...GOOD_CUSTOMER, email, paymentMethod: 'konbini', konbiniStore });
    expect(r.status).toBe(201);
    return r.body as { orderId: string; accessToken: string; total: number; paymentUrl: null; instructions: { method: 'konbini'; amount: number; store: string | null; paymentNumber: string; confirmationNumber: string | null; deadline: string } };
  }
  const payAtStore = async (paymentNumber: string) => {
    const res = await fetch(`${stack.gateway.credentials.gatewayBaseUrl}/_sandbox/konbini/pay`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ paymentNumber, format: 'json' }),
    });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };
  const db = () => stack.shop.db.db as Kysely<any>;
  const asTestShop = (): TestShop => ({ ...stack.shop, config: stack.shop.context.config, dataDir: stack.dataDir, dispose: async () => {} });
  /** Every <dt>label</dt><dd>value</dd> pair of a page, tags inside the value stripped. */
  const definitionList = (html: string) => Object.fromEntries([...html.matchAll(/<dt>(.*?)<\/dt>\s*<dd>(.*?)<\/dd>/gs)].map(([, k, v]) => [k!.trim(), v!.replace(/<[^>]+>/g, '').trim()]));

  it('checkout → chain, number, confirmation number and deadline on the order page, in the mail and in the back office → paid at the store → order paid once', async () => {
    const placed = await konbiniCheckout('konbini@example.jp');
    expect(placed.paymentUrl).toBeNull();
    // Issued for the chain the customer chose (the gateway's default would be FamilyMart); Ministop asks for a 確認番号 too.
    expect(placed.instructions).toMatchObject({ method: 'konbini', amount: placed.total, store: 'ministop' });
    expect(placed.instructions.paymentNumber).toMatch(/^\d{11}$/);
    expect(placed.instructions.confirmationNumber).toMatch(/^\d{6}$/);
    const deadlineJa = formatDateTime(placed.instructions.deadline, 'ja', 'Asia/Tokyo');
    const order = await db().selectFrom('orders').where('id', '=', placed.orderId).select(['status', 'expires_at', 'payment_provider', 'payment_transaction_id']).executeTakeFirstOrThrow();
    // The order lives until the store's deadline the gateway gave plus its grace for late store reports.
    const grace = supportsKonbini(stack.shop.context.payments) ? stack.shop.context.payments.konbiniReportGraceMs : NaN;
    expect(grace).toBe(30 * 60_000);
    expect(order).toMatchObject({ status: 'pending_payment', payment_provider: 'sandbox', expires_at: new Date(Date.parse(placed.instructions.deadline) + grace).toISOString() });
    expect(Date.parse(order.expires_at) - Date.now()).toBeGreaterThan(2.9 * 24 * 3600_000);

    const page = await fetch(`${shopUrl()}/orders/${placed.orderId}?token=${placed.accessToken}`).then((r) => r.text());
    const facts = definitionList(page);
    expect(facts).toMatchObject({ 'お支払いいただけるコンビニ': 'ミニストップ', '受付番号': placed.instructions.paymentNumber, '確認番号': placed.instructions.confirmationNumber, 'お支払い期限': deadlineJa });
    const mail = await mailSent((m) => m.to === 'konbini@example.jp');
    const mailDeadline = mailDateTime(placed.instructions.deadline, 'ja', stack.shop.context.config.timeZone);
    for (const line of ['お支払いいただけるコンビニ: ミニストップ', `受付番号: ${placed.instructions.paymentNumber}`, `確認番号: ${placed.instructions.confirmationNumber}`, `お支払い期限: ${mailDeadline}`]) {
      expect(mail.text).toContain(line);
    }
    expect(containsCardNumber(mail.text)).toBe(false);

    const staff = await enrolledAccount(asTestShop(), 'konbini-staff@example.jp', 'staff');
    const admin = await signIn(asTestShop(), 'konbini-staff@example.jp', staff.account.id, staff.secret);
    const adminPage = await admin.get(`/admin/orders/${placed.orderId}`);
    expect(adminPage.statusCode).toBe(200);
    expect(definitionList(adminPage.body)).toMatchObject({ 'お支払いいただけるコンビニ': 'ミニストップ', '受付番号': placed.instructions.paymentNumber, '確認番号': placed.instructions.confirmationNumber, 'お支払い期限': deadlineJa });

    const paid = mailSent((m) => m.to === 'konbini@example.jp' && m !== mail);
    expect(await payAtStore(placed.instructions.paymentNumber)).toEqual({ status: 200, body: { outcome: 'paid', transactionId: order.payment_transaction_id, status: 'captured' } });
    await paid; // the shop sends the "paid" mail once settleOrder has made the order paid
    expect((await db().selectFrom('orders').where('id', '=', placed.orderId).select('status').executeTakeFirstOrThrow()).status).toBe('paid');

    // The gateway's notification, sent again byte for byte: a duplicate, nothing changes.
    const notification = stack.requests.find((r) => r.method === 'POST' && r.url === '/payments/sandbox/notifications' && r.body.includes(order.payment_transaction_id));
    expect(notification).toBeDefined();
    const headers = Object.fromEntries(Object.entries(notification!.headers).filter(([k]) => k.startsWith('x-mamori-') || k === 'content-type').map(([k, v]) => [k, String(v)]));
    const replay = await fetch(`${shopUrl()}/payments/sandbox/notifications`, { method: 'POST', headers, body: notification!.body });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ received: true, outcome: 'duplicate_event' });
    // Paid again at the store: the gateway answers already_paid and sends nothing new.
    expect(await payAtStore(placed.instructions.paymentNumber)).toMatchObject({ status: 200, body: { outcome: 'already_paid' } });

    const paidAudit = await db().selectFrom('audit_log').where('action', '=', 'order.paid').where('target', '=', `order:${placed.orderId}`).select('actor').execute();
    expect(paidAudit).toHaveLength(1);
    const events = await db().selectFrom('order_events').where('order_id', '=', placed.orderId).where('to_status', '=', 'paid').select('cause').execute();
    expect(events).toHaveLength(1);
    expect(sent.filter((m) => m.to === 'konbini@example.jp')).toHaveLength(2); // order mail, paid mail
    const after = await fetch(`${shopUrl()}/orders/${placed.orderId}?token=${placed.accessToken}`).then((r) => r.text());
    expect(after).not.toContain(placed.instructions.paymentNumber); // nothing left to pay
  });

  it('a konbini checkout without the chain is 422 naming konbiniStore, an unknown chain 400, and neither places an order', async () => {
    const v = await stack.shop.db.db.selectFrom('variants as v').innerJoin('products as p', 'p.id', 'v.product_id').where('p.status', '=', 'active').where('v.stock', '>', 5).select(['v.id', 'v.stock']).orderBy('v.id').executeTakeFirstOrThrow();
    const cart = await json('POST', '/api/store/carts');
    expect((await json('POST', `/api/store/carts/${cart.body.id}/items`, { variantId: v.id, quantity: 1 })).status).toBe(201);
    const missing = await json('POST', `/api/store/carts/${cart.body.id}/checkout`, { ...GOOD_CUSTOMER, email: 'nochain@example.jp', paymentMethod: 'konbini' });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ code: 'MAMORI_ERR_KONBINI_STORE_REQUIRED', status: 422, errors: [{ field: 'konbiniStore' }] });
    const unknown = await json('POST', `/api/store/carts/${cart.body.id}/checkout`, { ...GOOD_CUSTOMER, email: 'nochain@example.jp', paymentMethod: 'konbini', konbiniStore: 'circle-k' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('konbiniStore');
    expect(await stack.shop.db.db.selectFrom('orders').where('email', '=', 'nochain@example.jp').select('id').execute()).toEqual([]);
    expect((await stack.shop.db.db.selectFrom('variants').where('id', '=', v.id).select('stock').executeTakeFirstOrThrow()).stock).toBe(v.stock);
    // Seven-Eleven takes the 払込票番号 alone: no 確認番号.
    const seven = await konbiniCheckout('seven@example.jp', 'seven-eleven');
    expect(seven.instructions).toMatchObject({ store: 'seven-eleven', confirmationNumber: null });
  });

  it('an unpaid konbini order expires through the expiry job at its deadline plus the gateway’s grace', async () => {
    const placed = await konbiniCheckout('late@example.jp');
    const deadline = new Date(Date.parse(placed.instructions.deadline) + 30 * 60_000);
    expect(await expireUnpaidOrders(stack.shop.db.db, new Date(Date.parse(placed.instructions.deadline) + 1000))).not.toContain(placed.orderId);
    expect(await expireUnpaidOrders(stack.shop.db.db, new Date(deadline.getTime() - 1000))).not.toContain(placed.orderId);
    expect(await expireUnpaidOrders(stack.shop.db.db, new Date(deadline.getTime() + 1000))).toContain(placed.orderId);
    expect((await db().selectFrom('orders').where('id', '=', placed.orderId).select('status').executeTakeFirstOrThrow()).status).toBe('expired');
  });
});
