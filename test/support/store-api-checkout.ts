// Checkout as a headless storefront does it: create a cart, add lines, check out through the
// Store API. One copy for every test that needs an order, in-process (inject) or over HTTP (a URL).
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { ScriptedGateway } from './scripted-gateway.ts';
import { GOOD_CUSTOMER } from './test-shop.ts';

/** Where the Store API is: a Fastify app (inject, no socket) or the base URL of a listening shop. */
export type StoreApiTarget = { app: Pick<FastifyInstance, 'inject'> } | string;

export interface PlacedOrder {
  orderId: string;
  orderNumber: string;
  accessToken: string;
  paymentUrl: string | null;
}

export interface CheckoutOptions {
  lines?: { variantId: number; quantity: number }[];
  /** Fields over GOOD_CUSTOMER's (a whole shippingAddress replaces the default one). */
  customer?: Record<string, unknown>;
}

async function call(target: StoreApiTarget, method: 'POST' | 'GET', url: string, payload?: unknown): Promise<{ status: number; body: unknown }> {
  if (typeof target === 'string') {
    const res = await fetch(`${target}${url}`, { method, ...(payload === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }) });
    return { status: res.status, body: await res.json() };
  }
  const res = await target.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  return { status: res.statusCode, body: res.json() };
}

function expectStatus(step: string, expected: number, r: { status: number; body: unknown }): void {
  // Thrown rather than asserted so a fixture failure names the step and shows the problem details.
  if (r.status !== expected) throw new Error(`${step}: expected ${expected}, got ${r.status} ${JSON.stringify(r.body)}`);
}

/** A new cart holding `lines` (default: one unit of variant 1); returns its id. */
export async function cartWithLines(target: StoreApiTarget, lines: CheckoutOptions['lines'] = [{ variantId: 1, quantity: 1 }]): Promise<string> {
  const created = await call(target, 'POST', '/api/store/carts');
  expectStatus('create cart', 201, created);
  const cartId = (created.body as { id: string }).id;
  for (const line of lines) expectStatus(`add variant ${line.variantId}`, 201, await call(target, 'POST', `/api/store/carts/${cartId}/items`, line));
  return cartId;
}

/** Places an order through the Store API; throws unless checkout answers 201. */
export async function checkoutThroughStoreApi(target: StoreApiTarget, opts: CheckoutOptions = {}): Promise<PlacedOrder> {
  const cartId = await cartWithLines(target, opts.lines);
  const placed = await call(target, 'POST', `/api/store/carts/${cartId}/checkout`, { ...GOOD_CUSTOMER, ...opts.customer });
  expectStatus('checkout', 201, placed);
  return placed.body as PlacedOrder;
}

/** The shop's payment transaction id for an order (what the gateway knows it by). */
export async function paymentTransactionOf(db: Kysely<Database>, orderId: string): Promise<string> {
  const order = await db.selectFrom('orders').where('id', '=', orderId).select('payment_transaction_id').executeTakeFirstOrThrow();
  if (!order.payment_transaction_id) throw new Error(`order ${orderId} has no payment transaction`);
  return order.payment_transaction_id;
}

/**
 * An order paid the way production pays one: checkout, then the gateway's signed capture
 * notification (from a ScriptedGateway) to the shop's notification endpoint.
 */
export async function placePaidOrder(shop: { app: Pick<FastifyInstance, 'inject'>; db: { db: Kysely<Database> } }, gateway: ScriptedGateway, opts: CheckoutOptions = {}): Promise<PlacedOrder & { transactionId: string }> {
  const placed = await checkoutThroughStoreApi(shop, opts);
  const transactionId = await paymentTransactionOf(shop.db.db, placed.orderId);
  const n = gateway.notification(gateway.set(transactionId, 'captured'));
  const notified = await shop.app.inject({ method: 'POST', url: '/payments/sandbox/notifications', headers: n.headers, payload: n.body });
  expectStatus('capture notification', 200, { status: notified.statusCode, body: notified.body });
  return { ...placed, transactionId };
}
