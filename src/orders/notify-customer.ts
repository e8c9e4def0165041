import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { orderUpdateMail, type OrderUpdate } from './order-update-mail.ts';
import { currentMailShop } from '../shop-settings/mail-signature.ts';

/** Sends the customer an order update; a mail failure is logged, never fails the operation. */
export async function notifyCustomer(shop: ShopContext, orderId: string, update: OrderUpdate, log: ShopLogger): Promise<void> {
  const order = await shop.db.db.selectFrom('orders').where('id', '=', orderId).select(['locale', 'email', 'name', 'order_number']).executeTakeFirst();
  if (!order) return;
  try {
    await shop.mailer.send(orderUpdateMail(order, update, await currentMailShop(shop)));
  } catch (err) {
    log.error({ err, orderId, kind: update.kind }, 'order update e-mail failed');
  }
}
