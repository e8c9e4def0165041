import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../layout/page-layout.tsx';
import type { Messages } from '../i18n/messages-ja.ts';
import type { Locale } from '../i18n/locale.ts';
import { ORDER_ACCESS_COOKIE } from '../http/cookies.ts';
import { buildViewContext } from '../http/view-context-builder.ts';
import { getCart } from '../cart/service.ts';
import { cartIdFrom } from '../cart/routes.tsx';
import { priceLines } from '../cart/price-cart.ts';
import { FORM_REQUIREMENTS, parseCustomerDetails, type DetailsFieldError } from './customer-details.ts';
import { fillFromPostalCode } from './postal-code-fill.ts';
import { customerNameMessages } from './customer-name-messages.ts';
import { checkoutCustomer } from '../customer-accounts/checkout-customer.ts';
import { blankCardNumbers } from '../card-data/card-number-guard.ts';
import { checkoutCart, customerOrderPath } from './checkout-cart.ts';
import { isCardPaymentPaused } from '../shop-pause/shop-pause.ts';
import { CheckoutPage, EMPTY_CHECKOUT_FORM, type CheckoutFormValues, type CheckoutSectionError } from './views/checkout-page.tsx';
import { deliveryForOrder, deliveryView, type CheckoutDeliveryState } from '../shipping/checkout-delivery.ts';
import { deliveryFormValues } from '../shipping/delivery-form.ts';
import { DeliveryChoiceSection } from '../shipping/views/delivery-choice.tsx';
import { paymentChoiceFromForm, paymentMethodChoice, type PaymentChoiceState } from '../payment-methods/checkout-payment-choice.tsx';
import type { CouponRefusal } from '../coupons/coupon-checkout.ts';
import { couponErrorText, couponFromForm, previewCoupon, type CheckoutCouponView } from './checkout-coupon.ts';
import { shippingMessages } from '../shipping/shipping-messages.ts';
import { paymentMethodMessages } from '../payment-methods/payment-method-messages.ts';
import type { DeliveryChoiceView } from '../shipping/views/delivery-choice.tsx';

function formValues(body: unknown): CheckoutFormValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const pick = (k: keyof CheckoutFormValues) => (typeof b[k] === 'string' ? (b[k] as string).slice(0, 300) : EMPTY_CHECKOUT_FORM[k]);
  return {
    email: pick('email'), name: pick('name'), familyName: pick('familyName'), givenName: pick('givenName'),
    familyNameKana: pick('familyNameKana'), givenNameKana: pick('givenNameKana'), phone: pick('phone'), country: pick('country'),
    postalCode: pick('postalCode'), prefecture: pick('prefecture'), city: pick('city'), line1: pick('line1'), line2: pick('line2'),
  };
}

const formFlag = (body: unknown, key: string) => !!body && typeof body === 'object' && (body as Record<string, unknown>)[key] !== undefined;

/**
 * The form asks for 姓・名 and フリガナ. A post without the familyName field at all comes from the
 * form as it was before them (a page open across an upgrade): its single `name` is taken as the
 * Store API takes it, rather than losing the customer's cart at the last step.
 */
function parseCheckoutForm(body: unknown, values: CheckoutFormValues) {
  return parseCustomerDetails({
    email: values.email, name: values.name, familyName: values.familyName, givenName: values.givenName,
    familyNameKana: values.familyNameKana, givenNameKana: values.givenNameKana, phone: values.phone,
    shippingAddress: { country: values.country, postalCode: values.postalCode, prefecture: values.prefecture, city: values.city, line1: values.line1, line2: values.line2 },
  }, formFlag(body, 'familyName') ? FORM_REQUIREMENTS : undefined);
}

function postalStatusText(locale: Locale, status: 'postalFilled' | 'postalFound' | 'postalNotFound' | undefined, values: CheckoutFormValues): string | undefined {
  if (!status) return undefined;
  const n = customerNameMessages(locale);
  return status === 'postalFound' ? n.postalFound(values.prefecture + values.city) : n[status];
}

export async function checkoutRoutes(app: FastifyInstance) {
  const { orderLimits } = app.shop.config;
  type Notice = 'stockChanged' | 'orderLimit' | 'tooManyPending' | 'checkoutPaused';
  const noticeText = (m: Messages, notice: Notice | undefined) =>
    notice === 'orderLimit' ? m.checkout.orderLimit(orderLimits.maxUnitsPerVariant, orderLimits.maxLines)
    : notice === 'checkoutPaused' ? m.errors.checkoutPaused
    : notice ? m.checkout[notice] : undefined;
  const shop = app.shop;
  const db = shop.db.db;

  /** The error summary's entries for the sections below the address, top to bottom as the form shows them. */
  function sectionErrors(locale: Locale, m: Messages, delivery: DeliveryChoiceView, payment: PaymentChoiceState, coupon: CheckoutCouponView): CheckoutSectionError[] {
    const sm = shippingMessages(locale);
    const out: CheckoutSectionError[] = [];
    const deliveryFields = [['delivery.methodId', 'deliveryMethod', sm.method], ['delivery.date', 'deliveryDate', sm.date], ['delivery.timeSlot', 'deliveryTimeSlot', sm.timeSlot]] as const;
    for (const [field, target, label] of deliveryFields) {
      const e = delivery.errors.find((x) => x.field === field);
      if (e) out.push({ target, label, message: sm.errors[e.code] });
    }
    const pm = paymentMethodMessages(locale);
    if (payment.error) out.push({ target: 'paymentMethod', label: pm.legend, message: pm.unavailable });
    if (payment.storeError) out.push({ target: 'konbiniStore', label: pm.konbiniStoreLegend, message: pm.konbiniStoreRequired });
    if (coupon.error) out.push({ target: 'couponCode', label: m.checkout.couponCode, message: couponErrorText(m, coupon.error) });
    return out;
  }

  async function renderCheckout(request: FastifyRequest, reply: FastifyReply, values: CheckoutFormValues, errors: DetailsFieldError[], status = 200, notice?: Notice, delivery: CheckoutDeliveryState = {}, payment: PaymentChoiceState = {}, postalStatus?: 'postalFilled' | 'postalFound' | 'postalNotFound', couponRefused?: CouponRefusal) {
    const cartId = cartIdFrom(request);
    const cart = cartId ? await getCart(db, cartId) : undefined;
    if (!cart || cart.lines.length === 0) return reply.redirect(`/cart?lang=${request.locale}`, 303);
    const ctx = await buildViewContext(request, reply);
    const deliveryChoice = await deliveryView(shop, cart.lines, values, delivery);
    // Every re-render (適用, 送料を再計算, 住所を検索, a refusal) keeps the posted code and shows its discount or why not.
    const goodsTotal = cart.lines.reduce((s, l) => s + l.lineTotal, 0);
    const coupon = await previewCoupon(db, shop.clock, couponFromForm(request.body), goodsTotal, { customerId: (await checkoutCustomer(request))?.customerId, email: values.email }, couponRefused);
    const priced = priceLines(cart.lines.map((l) => ({ unitPrice: l.unitPrice, quantity: l.quantity, taxRate: l.taxRate })), deliveryChoice.resolved.charge, shop.rounding, coupon.applied?.amount ?? 0);
    const totals = { ...priced, discount: coupon.applied ? { code: coupon.applied.code, amount: priced.discountTotal } : undefined };
    if (coupon.error && status === 200) status = 400;
    return reply.code(status).type('text/html; charset=utf-8').send(
      renderPage(ctx, { title: ctx.m.checkout.title, description: ctx.m.checkout.title, indexable: false },
        <CheckoutPage ctx={ctx} cart={cart} totals={totals} values={values} errors={errors} sectionErrors={sectionErrors(ctx.locale, ctx.m, deliveryChoice, payment, coupon)} notice={noticeText(ctx.m, notice)} freeOver={deliveryChoice.resolved.charge.freeOver} delivery={<DeliveryChoiceSection ctx={ctx} view={deliveryChoice} />} paymentChoice={await paymentMethodChoice(shop, ctx.locale, totals.total, payment)} postalStatus={postalStatusText(ctx.locale, postalStatus, values)} coupon={coupon} />),
    );
  }

  // While card payment is paused the page says so before the customer types anything.
  // A signed-in customer starts from their account's name and default address.
  app.get('/checkout', async (request, reply) => {
    const values = { ...EMPTY_CHECKOUT_FORM, ...(await checkoutCustomer(request))?.prefill };
    return (await isCardPaymentPaused(db)
      ? renderCheckout(request, reply, values, [], 200, 'checkoutPaused')
      : renderCheckout(request, reply, values, []));
  });

  app.post('/checkout', { config: { rateLimit: { max: app.web.rateLimits.checkout, timeWindow: '1 minute' } } }, async (request, reply) => {
    const values = formValues(request.body);
    const deliveryForm = deliveryFormValues(request.body);
    // 適用 (no JavaScript needed): the same page again with the discount, or the code's field message; nothing is placed.
    if (formFlag(request.body, 'applyCoupon')) return renderCheckout(request, reply, blankCardNumbers(values), [], 200, undefined, { form: deliveryForm }, paymentChoiceFromForm(request.body));
    if (deliveryForm.recalculate) return renderCheckout(request, reply, blankCardNumbers(values), [], 200, undefined, { form: deliveryForm }, paymentChoiceFromForm(request.body));
    const payment = paymentChoiceFromForm(request.body);
    const paymentMethod = payment.selected;
    // Without JavaScript the postal code fills prefecture and city here: on 住所を検索, or when they
    // were left empty on submit (the form comes back filled for the customer to check, then submit).
    const lookup = formFlag(request.body, 'postalLookup');
    const filled = fillFromPostalCode(values, { replace: lookup });
    if (lookup && !filled) return renderCheckout(request, reply, blankCardNumbers(values), [], 200, undefined, { form: deliveryForm }, payment, values.country.toUpperCase() === 'JP' ? 'postalNotFound' : undefined);
    if (filled) {
      const check = lookup ? undefined : parseCheckoutForm(request.body, filled);
      const errors = check && !check.ok ? check.errors : [];
      return renderCheckout(request, reply, blankCardNumbers(filled), errors, errors.length ? 400 : 200, undefined, { form: deliveryForm }, payment, lookup ? 'postalFound' : 'postalFilled');
    }
    const parsed = parseCheckoutForm(request.body, values);
    // A card number typed into a field is not echoed back into the re-rendered form.
    if (!parsed.ok) return renderCheckout(request, reply, blankCardNumbers(values), parsed.errors, 400, undefined, { form: deliveryForm }, { ...payment, storeError: payment.selected === 'konbini' && !payment.konbiniStore });
    const coupon = couponFromForm(request.body);
    if (!coupon.ok) return renderCheckout(request, reply, blankCardNumbers(values), [], 400, undefined, { form: deliveryForm }, payment);
    const cartId = cartIdFrom(request);
    if (!cartId) return reply.redirect(`/cart?lang=${request.locale}`, 303);
    const delivery = await deliveryForOrder(shop, (await getCart(db, cartId))?.lines ?? [], parsed.value.shippingAddress, deliveryForm);
    if (!delivery.ok) return renderCheckout(request, reply, values, [], delivery.status, undefined, delivery.state, payment);
    const customerId = (await checkoutCustomer(request))?.customerId;
    const result = await checkoutCart(shop, request.log, { cartId, customer: parsed.value, locale: request.locale, clientIp: request.ip, delivery: delivery.resolved, ...(paymentMethod ? { paymentMethod } : {}), konbiniStore: payment.konbiniStore, customerId, couponCode: coupon.code });
    if (!result.ok) {
      if (result.error === 'COUPON_REFUSED') return renderCheckout(request, reply, values, [], 400, undefined, { form: deliveryForm }, payment, undefined, result.reason);
      if (result.error === 'KONBINI_STORE_REQUIRED') return renderCheckout(request, reply, values, [], 400, undefined, { form: deliveryForm }, { ...payment, storeError: true });
      if (result.error === 'PAYMENT_METHOD_UNAVAILABLE') return renderCheckout(request, reply, values, [], 422, undefined, { form: deliveryForm }, { ...payment, error: true });
      if (result.error === 'INSUFFICIENT_STOCK') {
        return renderCheckout(request, reply, values, [], 409, 'stockChanged');
      }
      if (result.error === 'ORDER_LIMIT') return renderCheckout(request, reply, values, [], 409, 'orderLimit');
      if (result.error === 'NOT_DELIVERABLE') return renderCheckout(request, reply, values, [], 409, undefined, { form: deliveryForm, errors: [{ field: 'delivery.methodId', code: 'notDeliverable' }] });
      if (result.error === 'TOO_MANY_PENDING_ORDERS') return renderCheckout(request, reply, values, [], 429, 'tooManyPending');
      if (result.error === 'CHECKOUT_PAUSED') {
        reply.header('retry-after', '300');
        return renderCheckout(request, reply, values, [], 503, 'checkoutPaused');
      }
      return reply.redirect(`/cart?lang=${request.locale}`, 303);
    }
    // Lets the payment-return page (reached from the gateway's redirect) find the order again
    // without putting the access token in a URL the gateway sees.
    reply.setCookie(ORDER_ACCESS_COOKIE, `${result.order.orderId}.${result.order.accessToken}`, app.web.cookieOptions({ path: '/orders', maxAge: 24 * 3600 }));
    return reply.redirect(result.paymentUrl ?? customerOrderPath(result.order.orderId, result.order.accessToken) + (result.paymentError === 'PAYMENT_BLOCKED' ? '&payment=paymentBlocked' : result.paymentError === 'CHECKOUT_PAUSED' ? '&payment=checkoutPaused' : result.paymentError ? '&payment=gatewayUnavailable' : ''), 303);
  });
}
