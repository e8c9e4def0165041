import type { Order } from '../../db/schema.ts';
import type { Locale } from '../../i18n/locale.ts';
import { orderDeliveryFacts } from '../order-delivery.ts';
import { shippingMessages } from '../shipping-messages.ts';

/** The delivery choice on the customer's and the back office's order page. */
export function OrderDelivery({ order, locale }: { order: Order; locale: Locale }) {
  const facts = orderDeliveryFacts(order, locale);
  if (facts.length === 0) return null;
  return (
    <section class="order-delivery" aria-labelledby="order-delivery-heading">
      <h2 id="order-delivery-heading">{shippingMessages(locale).delivery}</h2>
      <dl class="order-facts">
        {facts.map((f) => <><dt>{f.label}</dt><dd>{f.value}</dd></>)}
      </dl>
    </section>
  );
}
