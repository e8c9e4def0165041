// Builds the per-request context of a back-office page and sends pages; shared by the admin
// route files.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { LOCALE_COOKIE, type Locale } from '../i18n/locale.ts';
import type { AdminAccount } from './admin-tables.ts';
import type { SessionStage } from './admin-sessions.ts';
import { adminMessagesJa, type AdminMessages } from './admin-messages-ja.ts';
import { adminMessagesEn } from './admin-messages-en.ts';
import { renderAdminPage, type AdminViewContext } from './views/admin-layout.tsx';
import { adminCsrfToken } from './admin-csrf.ts';
import { shopProfileFromConfig, type ShopProfile } from '../shop-settings/shop-profile.ts';

export interface AdminRequestState {
  account: AdminAccount;
  stage: SessionStage;
  idHash: string;
  /** Keys this session's CSRF tokens; null for a row made without one (its forms are refused). */
  csrfSecret: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    adminSession: AdminRequestState | null;
    /** The pre-session cookie's value (admin-csrf.ts), read or set for this request. */
    adminPreSession: string | null;
    /** The shop's profile (saved settings over configuration), read once per back-office request by the guard. */
    adminShopProfile: ShopProfile | null;
  }
}

const MESSAGES: Record<Locale, AdminMessages> = { ja: adminMessagesJa, en: adminMessagesEn };

export function adminMessagesFor(locale: Locale): AdminMessages {
  return MESSAGES[locale];
}

export function adminViewContext(request: FastifyRequest, reply: FastifyReply): AdminViewContext {
  const shop = request.server.shop;
  const locale = request.locale;
  if ((request.query as Record<string, unknown> | undefined)?.lang === locale && request.cookies[LOCALE_COOKIE] !== locale) {
    reply.setCookie(LOCALE_COOKIE, locale, request.server.web.cookieOptions({ maxAge: 365 * 24 * 3600 }));
  }
  const url = new URL(request.url, 'http://x');
  url.searchParams.delete('lang');
  const s = request.adminSession;
  return {
    locale,
    m: MESSAGES[locale],
    nonce: (reply as FastifyReply & { cspNonce?: { script: string } }).cspNonce?.script ?? '',
    csrfToken: adminCsrfToken(request, reply),
    path: url.pathname + url.search,
    shopName: adminShopProfile(request).shopName,
    timeZone: adminShopProfile(request).timeZone,
    account: s && s.stage === 'full' ? { email: s.account.email, role: s.account.role } : undefined,
  };
}

/** The profile the guard read for this request (configuration alone before the guard ran). */
export function adminShopProfile(request: FastifyRequest): ShopProfile {
  return request.adminShopProfile ?? shopProfileFromConfig(request.server.shop.config);
}

/** The zone a back-office request reads and shows times in: the one saved on the settings page. */
export function adminTimeZone(request: FastifyRequest): string {
  return adminShopProfile(request).timeZone;
}

export function sendAdminPage(reply: FastifyReply, ctx: AdminViewContext, title: string, body: ComponentChildren, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').send(renderAdminPage(ctx, title, body));
}

/** The signed-in account of a route behind the role table (the hook guarantees there is one). */
export function signedInAccount(request: FastifyRequest): AdminAccount {
  const s = request.adminSession;
  if (!s || s.stage !== 'full') throw new Error('admin route reached without a signed-in session');
  return s.account;
}
