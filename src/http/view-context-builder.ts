import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOCALE_COOKIE, messagesFor } from '../i18n/locale.ts';
import type { ViewContext } from '../layout/view-context.ts';
import { cartItemCount, getCart } from '../cart/service.ts';
import { CART_COOKIE } from './cookies.ts';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import { activeNoticeLink } from '../incident-notices/public-notice.ts';

/** Everything a page needs from this request: language, CSP nonce, CSRF token, cart badge. */
export async function buildViewContext(request: FastifyRequest, reply: FastifyReply): Promise<ViewContext> {
  const { config, db } = request.server.shop;
  const locale = request.locale;
  if ((request.query as Record<string, unknown> | undefined)?.lang === locale && request.cookies[LOCALE_COOKIE] !== locale) {
    reply.setCookie(LOCALE_COOKIE, locale, request.server.web.cookieOptions({ maxAge: 365 * 24 * 3600, httpOnly: true }));
  }
  const cartId = request.cookies[CART_COOKIE];
  const cart = cartId && /^[0-9a-f-]{36}$/.test(cartId) ? await getCart(db.db, cartId) : undefined;
  const url = new URL(request.url, 'http://x');
  url.searchParams.delete('lang');
  // The language links repeat this URL: a card number in the query is not repeated with it.
  for (const [k, v] of [...url.searchParams]) if (containsCardNumber(v)) url.searchParams.delete(k);
  const pathname = containsCardNumber(decodeURIComponentOr(url.pathname)) ? '/' : url.pathname;
  const notice = await activeNoticeLink(db.db);
  return {
    locale,
    m: messagesFor(locale),
    nonce: (reply as FastifyReply & { cspNonce?: { script: string } }).cspNonce?.script ?? '',
    csrfToken: reply.generateCsrf(),
    path: pathname + url.search,
    publicUrl: config.publicUrl,
    shopName: config.shopName,
    cartCount: cartItemCount(cart),
    incidentNotice: notice ? { href: `/notice/${notice.slug}?lang=${locale}`, title: locale === 'ja' ? notice.title_ja : notice.title_en } : undefined,
  };
}

function decodeURIComponentOr(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
