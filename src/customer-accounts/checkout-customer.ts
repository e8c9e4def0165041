// The account's part in the storefront checkout: who is signed in (their orders are linked to the
// account inside the order's own transaction, src/checkout/place-order.ts) and what the form
// starts with — the account's e-mail and name and its default shipping address. A guest gets
// neither, and the checkout works for them unchanged.
import type { FastifyRequest } from 'fastify';
import type { CheckoutFormValues } from '../checkout/views/checkout-page.tsx';
import { defaultAddress } from './account-queries.ts';
import { signedInCustomer } from './routes.tsx';

export interface CheckoutCustomer { customerId: number; prefill: Partial<CheckoutFormValues> }

/**
 * Saved addresses keep one `name` ("姓 名", as the checkout joins them): split at the first space
 * back into the two fields; a name without a space goes to 姓 alone for the customer to check.
 */
function nameParts(name: string): { familyName: string; givenName: string } {
  const [family = '', ...given] = name.trim().split(/[\s\u3000]+/);
  return { familyName: family, givenName: given.join(' ') };
}

export async function checkoutCustomer(request: FastifyRequest): Promise<CheckoutCustomer | undefined> {
  const session = await signedInCustomer(request);
  if (!session) return undefined;
  const { customer } = session;
  const address = await defaultAddress(request.server.shop.db.db, customer.id);
  const prefill: Partial<CheckoutFormValues> = { email: customer.email, ...nameParts(customer.name) };
  if (address) {
    Object.assign(prefill, nameParts(address.name), {
      phone: address.phone, country: address.country, postalCode: address.postal_code, prefecture: address.prefecture,
      city: address.city, line1: address.line1, line2: address.line2,
    });
  }
  return { customerId: customer.id, prefill };
}
