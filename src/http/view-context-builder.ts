import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOCALE_COOKIE, messagesFor } from '../i18n/locale.ts';
import type { ViewContext } from '../layout/view-context.ts';
import { cartCountOf, setsLocaleCookie } from '../catalog/page-cache.ts';
import { CART_COOKIE } from './cookies.ts';
import { csrfTokenFor } from './csrf-token.ts';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import { activeNoticeLink } from '../incident-notices/public-notice.ts';
import { currentShopProfile } from '../shop-settings/shop-profile.ts';

/** Everything a page needs from this request: language, CSP nonce, CSRF token, cart badge. */
export async function buildViewContext(request: FastifyRequest, reply: FastifyReply): Promise<ViewContext> {
  const base = await buildPageBase(request, reply);
  return {
    ...base,
    nonce: reply.cspNonce?.script ?? '',
    csrfToken: csrfTokenFor(request, reply),
    cartCount: await cartCountOf(request.server.shop.db.db, request.cookies[CART_COOKIE]),
  };
}

/**
 * What a page shares with every visitor who asks for it in the same language: everything but
 * the nonce, the CSRF token and the cart badge (src/catalog/page-cache.ts fills those per response).
 */
export async function buildPageBase(request: FastifyRequest, reply: FastifyReply): Promise<Omit<ViewContext, 'nonce' | 'csrfToken' | 'cartCount' | 'cartBadge'>> {
  const { config, db } = request.server.shop;
  const shop = request.server.shop;
  const locale = request.locale;
  if (setsLocaleCookie(request)) {
    reply.setCookie(LOCALE_COOKIE, locale, request.server.web.cookieOptions({ maxAge: 365 * 24 * 3600, httpOnly: true }));
  }
  const url = new URL(request.url, 'http://x');
  url.searchParams.delete('lang');
  // The language links repeat this URL: a card number in the query is not repeated with it.
  for (const [k, v] of [...url.searchParams]) if (containsCardNumber(v)) url.searchParams.delete(k);
  const pathname = containsCardNumber(decodeURIComponentOr(url.pathname)) ? '/' : url.pathname;
  // The shop name as saved on the settings page (cached, src/shop-settings/shop-profile.ts).
  const [notice, profile] = await Promise.all([activeNoticeLink(db.db), currentShopProfile(shop)]);
  return {
    locale,
    m: messagesFor(locale),
    path: pathname + url.search,
    publicUrl: config.publicUrl,
    shopName: profile.shopName,
    logoUrl: profile.logoPath ? `/media/${profile.logoPath}` : undefined,
    timeZone: profile.timeZone,
    prices: { taxDisplay: profile.taxDisplay, rounding: shop.rounding },
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
