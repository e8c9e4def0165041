import { staticAsset } from '../../layout/static-assets.ts';
import type { ComponentChildren } from 'preact';
import { LanguageSwitch } from '../../layout/language-switch.tsx';
import { renderToString } from 'preact-render-to-string';
import type { Locale } from '../../i18n/locale.ts';
import type { AdminMessages } from '../admin-messages-ja.ts';
import type { AdminRole } from '../admin-tables.ts';
import { roleMayUse, accessFor } from '../route-access.ts';

/** What every back-office page needs from the request. */
export interface AdminViewContext {
  locale: Locale;
  m: AdminMessages;
  nonce: string;
  csrfToken: string;
  /** Path + query without `lang`. */
  path: string;
  shopName: string;
  /** The shop's time zone as saved on the settings page (SHOP_TIME_ZONE until then): every time shown is in it. */
  timeZone: string;
  /** The signed-in account (full session only). */
  account: { email: string; role: AdminRole } | undefined;
}

export function CsrfField({ ctx }: { ctx: AdminViewContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

/** Menu entries are shown by the same table that enforces access, so menu and rules agree. */
const MENU: { href: string; label: (m: AdminMessages) => string }[] = [
  { href: '/admin', label: (m) => m.nav.dashboard },
  { href: '/admin/orders', label: (m) => m.nav.orders },
  { href: '/admin/customers', label: (m) => m.customersNav },
  { href: '/admin/inquiries', label: (m) => m.nav.inquiries },
  { href: '/admin/reports/sales', label: (m) => m.nav.salesReport },
  { href: '/admin/products', label: (m) => m.nav.products },
  { href: '/admin/coupons', label: (m) => m.couponsNav },
  { href: '/admin/accounts', label: (m) => m.nav.accounts },
  { href: '/admin/audit', label: (m) => m.nav.audit },
  { href: '/admin/status', label: (m) => m.nav.status },
  { href: '/admin/security', label: (m) => m.nav.security },
  { href: '/admin/security/pause', label: (m) => m.securityArea.nav.pause },
  { href: '/admin/security/page-watch', label: (m) => m.securityArea.nav.pageWatch },
  { href: '/admin/incidents', label: (m) => m.nav.incidents },
  { href: '/admin/security/csp-reports', label: (m) => m.securityArea.nav.cspReports },
  { href: '/admin/compliance', label: (m) => m.complianceNav },
  { href: '/admin/security-reports', label: (m) => m.securityCommitteeNav.reports },
  { href: '/admin/security-committee', label: (m) => m.securityCommitteeNav.committee },
  { href: '/admin/settings/shipping', label: (m) => m.shippingSettingsNav },
  { href: '/admin/settings', label: (m) => m.shopSettingsNav },
  { href: '/admin/settings/payments', label: (m) => m.paymentSettingsNav },
];

function AdminLayout({ ctx, title, children }: { ctx: AdminViewContext; title: string; children: ComponentChildren }) {
  const { m, locale, account } = ctx;
  const currentPath = ctx.path.split('?')[0];
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${title} | ${m.title} | ${ctx.shopName}`}</title>
        <link rel="stylesheet" href={staticAsset('shop.css').href} integrity={staticAsset('shop.css').integrity} />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#main">{m.skipToContent}</a>
        <header class="site-header">
          <a class="brand" href="/admin">{`${ctx.shopName} ${m.title}`}</a>
          <nav aria-label={m.nav.label}>
            <ul class="nav-list">
              {account ? MENU.filter((e) => {
                const access = accessFor('GET', e.href);
                return access !== undefined && roleMayUse(access, account.role);
              }).map((e) => (
                <li><a href={e.href} aria-current={currentPath === e.href ? 'page' : undefined}>{e.label(m)}</a></li>
              )) : null}
              <li>
                <LanguageSwitch locale={locale} path={ctx.path} />
              </li>
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          {account ? (
            <div class="inline-form">
              <p class="note">{m.signedInAs(account.email, m.roles[account.role])}</p>
              <form method="post" action="/admin/logout" class="inline-form">
                <CsrfField ctx={ctx} />
                <button type="submit" class="link-button">{m.nav.logout}</button>
              </form>
            </div>
          ) : null}
          {children}
        </main>
      </body>
    </html>
  );
}

export function renderAdminPage(ctx: AdminViewContext, title: string, body: ComponentChildren): string {
  return '<!doctype html>' + renderToString(<AdminLayout ctx={ctx} title={title}>{body}</AdminLayout>);
}

export function MessagePage({ title, message }: { title: string; message: string }) {
  return (
    <section>
      <h1>{title}</h1>
      <p>{message}</p>
    </section>
  );
}
