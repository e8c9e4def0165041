// The order mail. Anyone can type anyone's address into the checkout form, so this mail is an
// open relay for the name field unless it is bounded: it is sent once per order, only when the
// customer is handed to the gateway (it says payment is still due), at most N a day per
// recipient (ORDER_MAILS_PER_RECIPIENT_PER_DAY), and its subject holds nothing from the form.
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import { getOrderDetail } from './service.ts';
import { orderConfirmationMail } from './order-confirmation-mail.tsx';
import { currentMailShop } from '../shop-settings/mail-signature.ts';
import { orderPaymentDetails } from '../payment-methods/order-payment-method.ts';

export type ConfirmationOutcome = 'sent' | 'already_sent' | 'recipient_limit' | 'failed' | 'no_order';

export async function sendOrderConfirmation(shop: ShopContext, orderId: string, orderUrl: string, log: ShopLogger): Promise<ConfirmationOutcome> {
  const db = shop.db.db;
  const now = shop.clock();
  const ts = now.toISOString();
  const claimed = await db.transaction().execute(async (trx) => {
    const order = await trx.selectFrom('orders').where('id', '=', orderId).select(['email', 'confirmation_mailed_at']).executeTakeFirst();
    if (!order) return 'no_order' as const;
    if (order.confirmation_mailed_at) return 'already_sent' as const;
    const since = new Date(now.getTime() - 24 * 3600_000).toISOString();
    const sent = await trx.selectFrom('customer_mails').where('recipient', '=', order.email).where('kind', '=', 'order_confirmation').where('sent_at', '>', since)
      .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(sent.n) >= shop.config.orderLimits.confirmationMailsPerRecipientPerDay) return 'recipient_limit' as const;
    const r = await trx.updateTable('orders').set({ confirmation_mailed_at: ts }).where('id', '=', orderId).where('confirmation_mailed_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return 'already_sent' as const;
    await trx.insertInto('customer_mails').values({ recipient: order.email, order_id: orderId, kind: 'order_confirmation', sent_at: ts }).execute();
    return 'claimed' as const;
  });
  if (claimed === 'recipient_limit') log.warn({ orderId }, 'order mail not sent: daily limit for this recipient reached');
  if (claimed !== 'claimed') return claimed;
  const detail = await getOrderDetail(db, orderId);
  if (!detail) return 'no_order';
  try {
    await shop.mailer.send(orderConfirmationMail(detail, orderUrl, await currentMailShop(shop), await orderPaymentDetails(shop, orderId)));
    return 'sent';
  } catch (err) {
    log.error({ err, orderId }, 'order confirmation e-mail failed');
    return 'failed';
  }
}
