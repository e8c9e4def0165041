// The customer-facing pages: the hosted payment page, the 3-D Secure challenge and the
// cancel link. The full card number and security code exist only in the memory of the
// POST request that carries them; nothing here logs, stores or re-renders them.
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { cardFormSchema, validateCardForm, type CardField, type CardFieldError } from './card-form.ts';
import { findMerchant, type Merchant } from './merchants.ts';
import { applyPageSecurityHeaders } from './page-security-headers.ts';
import { answerChallenge, cancelPayment, getPayment, payWithCard, type Payment, type PaymentServiceContext } from './payments.ts';
import { signedResultUrl } from './signed-result-url.ts';
import { renderChallengePage } from './views/challenge-page.tsx';
import { HOSTED_PAGE_MESSAGES, type Locale } from './views/hosted-page-messages.ts';
import { renderMessagePage } from './views/message-page.tsx';
import { renderPaymentPage } from './views/payment-page.tsx';
import { containsCardNumber } from '../platform/card-number-detector.ts';

const params = z.object({ transactionId: z.string().regex(/^tx_[0-9a-f]{24}$/) });
const langQuery = z.object({ lang: z.enum(['ja', 'en']).optional() }).catch({});

const FIELD_INVALID: Record<CardField, CardFieldError> = {
  cardNumber: 'CARD_NUMBER_INVALID',
  expiry: 'EXPIRY_INVALID',
  securityCode: 'SECURITY_CODE_INVALID_3',
  cardholderName: 'CARDHOLDER_NAME_INVALID',
};

function originOf(url: string): string {
  return new URL(url).origin;
}

/** Where the customer goes after the payment ended: the cancel URL for a cancel, the return URL otherwise. */
function resultUrl(p: Payment, merchant: Merchant, now: Date): string {
  const base = p.status === 'cancelled' ? p.cancel_url : p.return_url;
  return signedResultUrl(base, merchant.secret, { transactionId: p.id, status: p.status }, now);
}

export interface CardSubmitRateLimit {
  /** Card or one-time-code submissions allowed per client IP per window. */
  max: number;
  timeWindowMs: number;
}

export function registerHostedPageRoutes(app: FastifyInstance, ctx: PaymentServiceContext & { secureCookies: boolean; cardSubmitRateLimit: CardSubmitRateLimit | false }): void {
  app.register(async (pages) => {
    await pages.register(formbody, { bodyLimit: 8 * 1024 });
    await pages.register(cookie);
    await pages.register(csrf, {
      cookieKey: 'paygate_csrf',
      // Path-scoped and strict: the token cookie is only ever needed by the gateway's own form posts.
      cookieOpts: { path: '/pay', sameSite: 'strict', httpOnly: true, secure: ctx.secureCookies },
    });
    // Card testing ("credit master") tries many numbers fast from few clients: cap submissions per IP.
    await pages.register(rateLimit, { global: false });
    const submitLimit = ctx.cardSubmitRateLimit
      ? {
          rateLimit: {
            max: ctx.cardSubmitRateLimit.max,
            timeWindow: ctx.cardSubmitRateLimit.timeWindowMs,
            groupId: 'card-submit',
            errorResponseBuilder: () => ({ statusCode: 429, code: 'PAYGATE_CARD_SUBMIT_RATE_LIMITED', message: 'too many card submissions' }),
            onExceeded: (request: FastifyRequest) => request.log.warn({ securityEvent: 'card_submit_rate_limited', ip: request.ip, url: request.url }, 'card submission rate limit exceeded'),
          },
        }
      : {};

    function locale(request: FastifyRequest, p: Payment): Locale {
      return langQuery.parse(request.query).lang ?? p.locale;
    }

    function html(reply: FastifyReply, status: number, render: (nonce: string) => string, formActionOrigins: string[] = []): FastifyReply {
      const nonce = applyPageSecurityHeaders(reply, formActionOrigins);
      return reply.code(status).send(render(nonce));
    }

    function notFound(reply: FastifyReply, lang: Locale): FastifyReply {
      const m = HOSTED_PAGE_MESSAGES[lang];
      return html(reply, 404, (nonce) => renderMessagePage({ locale: lang, nonce, title: m.notFoundTitle, text: m.notFoundText }));
    }

    function notOpen(reply: FastifyReply, p: Payment, lang: Locale): FastifyReply {
      const m = HOSTED_PAGE_MESSAGES[lang];
      // Anyone holding the transaction id can open this page: link to the shop's front page, not
      // to a freshly signed result URL (which would name the order and its status).
      return html(reply, 409, (nonce) => renderMessagePage({ locale: lang, nonce, title: m.notOpenTitle, text: m.notOpenText, link: { href: `${originOf(p.return_url)}/`, label: m.backToShop } }));
    }

    async function load(request: FastifyRequest): Promise<{ payment: Payment; merchant: Merchant } | undefined> {
      const parsed = params.safeParse(request.params);
      if (!parsed.success) return undefined;
      const payment = await getPayment(ctx, parsed.data.transactionId, null);
      // A konbini payment has no hosted page: it is paid at a store, never by card here.
      if (payment && payment.method !== 'card') return undefined;
      const merchant = payment && (await findMerchant(ctx.db, payment.merchant_id));
      return payment && merchant ? { payment, merchant } : undefined;
    }

    function showPaymentForm(request: FastifyRequest, reply: FastifyReply, p: Payment, merchant: Merchant, status: number, failed?: { errors: Partial<Record<CardField, CardFieldError>>; expiry: string; cardholderName: string }) {
      const lang = locale(request, p);
      return html(reply, status, (nonce) =>
        renderPaymentPage({
          locale: lang,
          nonce,
          csrfToken: reply.generateCsrf(),
          transactionId: p.id,
          merchantName: merchant.name,
          description: p.description,
          amount: p.amount,
          cancelHref: `/pay/${p.id}/cancel`,
          ...(failed ? { errors: failed.errors, retained: { expiry: failed.expiry, cardholderName: failed.cardholderName } } : {}),
        }),
        [originOf(p.return_url), originOf(p.cancel_url)],
      );
    }

    function showChallenge(request: FastifyRequest, reply: FastifyReply, p: Payment, merchant: Merchant) {
      const lang = locale(request, p);
      return html(reply, 200, (nonce) =>
        renderChallengePage({ locale: lang, nonce, csrfToken: reply.generateCsrf(), transactionId: p.id, merchantName: merchant.name, cardLast4: p.card_last4 ?? '', cancelHref: `/pay/${p.id}/cancel` }),
        [originOf(p.return_url), originOf(p.cancel_url)],
      );
    }

    pages.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
      const lang = langQuery.parse(request.query).lang ?? 'ja';
      const m = HOSTED_PAGE_MESSAGES[lang];
      if (error.statusCode === 429) {
        return html(reply.header('retry-after', '60'), 429, (nonce) => renderMessagePage({ locale: lang, nonce, title: m.tooManyTitle, text: m.tooManyText }));
      }
      if (typeof error.code === 'string' && error.code.startsWith('FST_CSRF')) {
        const back = params.safeParse(request.params);
        return html(reply, 403, (nonce) => renderMessagePage({ locale: lang, nonce, title: m.csrfTitle, text: m.csrfText, ...(back.success ? { link: { href: `/pay/${back.data.transactionId}?lang=${lang}`, label: m.reloadPaymentPage } } : {}) }));
      }
      if (error.statusCode && error.statusCode < 500) return notFound(reply, lang);
      request.log.error({ err: error }, 'hosted page failure');
      return html(reply, 500, (nonce) => renderMessagePage({ locale: lang, nonce, title: 'Error / エラー', text: 'Internal error. Please try again later. / 内部エラーが発生しました。' }));
    });

    pages.get('/pay/:transactionId', async (request, reply) => {
      const found = await load(request);
      if (!found) return notFound(reply, langQuery.parse(request.query).lang ?? 'ja');
      const { payment: p, merchant } = found;
      if (p.status !== 'pending') return notOpen(reply, p, locale(request, p));
      if (p.challenge_pending) return reply.redirect(`/pay/${p.id}/challenge?lang=${locale(request, p)}`, 303);
      return showPaymentForm(request, reply, p, merchant, 200);
    });

    pages.post('/pay/:transactionId', { preHandler: pages.csrfProtection, config: submitLimit }, async (request, reply) => {
      const found = await load(request);
      if (!found) return notFound(reply, langQuery.parse(request.query).lang ?? 'ja');
      const { payment: p, merchant } = found;
      if (p.status !== 'pending' || p.challenge_pending) return notOpen(reply, p, locale(request, p));

      const body = (request.body ?? {}) as Record<string, unknown>;
      const pick = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
      const form = cardFormSchema.safeParse({ cardNumber: pick('cardNumber'), expiry: pick('expiry'), securityCode: pick('securityCode'), cardholderName: pick('cardholderName') });
      const validated = form.success
        ? validateCardForm(form.data, ctx.clock())
        : { ok: false as const, errors: Object.fromEntries(form.error.issues.map((i) => [i.path[0], FIELD_INVALID[i.path[0] as CardField]])) as Partial<Record<CardField, CardFieldError>> };
      if (!validated.ok) {
        request.log.info({ transactionId: p.id, fields: Object.keys(validated.errors) }, 'card form refused');
        const expiry = pick('expiry').slice(0, 7);
        const typedName = pick('cardholderName');
        // Never echo a card number typed into the name field (nor one cut in half by the slice).
        const cardholderName = containsCardNumber(typedName) ? '' : typedName.slice(0, 100);
        return showPaymentForm(request, reply, p, merchant, 422, { errors: validated.errors, expiry, cardholderName });
      }

      const result = await payWithCard(ctx, p.id, validated.card);
      if (!result.ok) return result.payment ? notOpen(reply, result.payment, locale(request, p)) : notFound(reply, locale(request, p));
      request.log.info({ transactionId: p.id, brand: validated.card.brand, last4: validated.card.last4, status: result.payment.status, next: result.next }, 'card payment processed');
      if (result.next === 'challenge') return reply.redirect(`/pay/${p.id}/challenge?lang=${locale(request, p)}`, 303);
      return reply.redirect(resultUrl(result.payment, merchant, ctx.clock()), 303);
    });

    pages.get('/pay/:transactionId/challenge', async (request, reply) => {
      const found = await load(request);
      if (!found) return notFound(reply, langQuery.parse(request.query).lang ?? 'ja');
      const { payment: p, merchant } = found;
      if (p.status !== 'pending') return notOpen(reply, p, locale(request, p));
      if (!p.challenge_pending) return reply.redirect(`/pay/${p.id}?lang=${locale(request, p)}`, 303);
      return showChallenge(request, reply, p, merchant);
    });

    pages.post('/pay/:transactionId/challenge', { preHandler: pages.csrfProtection, config: submitLimit }, async (request, reply) => {
      const found = await load(request);
      if (!found) return notFound(reply, langQuery.parse(request.query).lang ?? 'ja');
      const { payment: p, merchant } = found;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const code = typeof body.oneTimeCode === 'string' ? body.oneTimeCode.slice(0, 20) : '';
      const result = await answerChallenge(ctx, p.id, code);
      if (!result.ok) return result.payment ? notOpen(reply, result.payment, locale(request, p)) : notFound(reply, locale(request, p));
      request.log.info({ transactionId: p.id, status: result.payment.status }, '3-D Secure challenge answered');
      return reply.redirect(resultUrl(result.payment, merchant, ctx.clock()), 303);
    });

    // A link, as the issue asks, so it is a GET with an effect: harmless, since it only
    // cancels a still-open payment behind an unguessable transaction id, and idempotent.
    pages.get('/pay/:transactionId/cancel', async (request, reply) => {
      const found = await load(request);
      if (!found) return notFound(reply, langQuery.parse(request.query).lang ?? 'ja');
      const r = await cancelPayment(ctx, found.payment.id, null, 'customer');
      const p = r.ok ? r.payment : (r.payment ?? found.payment);
      if (r.ok) request.log.info({ transactionId: p.id }, 'payment cancelled by customer');
      return reply.redirect(resultUrl(p, found.merchant, ctx.clock()), 303);
    });
  });
}
