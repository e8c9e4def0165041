import { staticAsset } from './static-assets.ts';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { LOCALES } from '../i18n/locale.ts';
import { withLang, type ViewContext } from './view-context.ts';
import { LanguageSwitch } from './language-switch.tsx';
import { noticeLinkLabel } from '../incident-notices/notice-messages.ts';
import { LegalFooterLinks } from '../legal-pages/legal-links.tsx';

export interface PageMeta {
  title: string;
  description: string;
  /** Index the page (catalog, product) or not (cart, checkout, orders). */
  indexable?: boolean;
  /** Canonical path (defaults to ctx.path); the language becomes ?lang= on it. */
  canonicalPath?: string;
}

function PageLayout({ ctx, meta, children }: { ctx: ViewContext; meta: PageMeta; children: ComponentChildren }) {
  const { m, locale } = ctx;
  const canonical = ctx.publicUrl + withLang(meta.canonicalPath ?? ctx.path, locale);
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${meta.title} | ${ctx.shopName}`}</title>
        <meta name="description" content={meta.description} />
        {meta.indexable === false ? <meta name="robots" content="noindex" /> : null}
        <link rel="canonical" href={canonical} />
        {LOCALES.map((l) => (
          <link rel="alternate" hreflang={l} href={ctx.publicUrl + withLang(meta.canonicalPath ?? ctx.path, l)} />
        ))}
        <link rel="alternate" hreflang="x-default" href={ctx.publicUrl + withLang(meta.canonicalPath ?? ctx.path, 'ja')} />
        <link rel="stylesheet" href={staticAsset('shop.css').href} integrity={staticAsset('shop.css').integrity} />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#main">{m.skipToContent}</a>
        <header class="site-header">
          {/* The logo's alt text is the shop's name: the link reads the same with or without it. */}
          <a class="brand" href={`/?lang=${locale}`}>{ctx.logoUrl ? <img class="brand-logo" src={ctx.logoUrl} alt={ctx.shopName} height={40} /> : ctx.shopName}</a>
          <nav aria-label={m.nav.main}>
            <ul class="nav-list">
              <li><a href="/cart">{m.nav.cart}{ctx.cartBadge ?? (ctx.cartCount > 0 ? ` (${ctx.cartCount})` : '')}</a></li>
              <li><a href="/orders/lookup">{m.nav.orderLookup}</a></li>
              <li>
                <LanguageSwitch locale={locale} path={ctx.path} />
              </li>
            </ul>
          </nav>
          {ctx.incidentNotice ? (
            <p class="incident-notice-link" role="note">
              <strong>{noticeLinkLabel(locale)}</strong> <a href={ctx.incidentNotice.href}>{ctx.incidentNotice.title}</a>
            </p>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>{children}</main>
        <footer class="site-footer">
          <LegalFooterLinks locale={locale} />
          <p>{m.footer.security}</p>
          <p>© {ctx.shopName}</p>
        </footer>
      </body>
    </html>
  );
}

/** Renders a full HTML document. preact-render-to-string escapes every text and attribute. */
export function renderPage(ctx: ViewContext, meta: PageMeta, body: ComponentChildren): string {
  return '<!doctype html>' + renderToString(<PageLayout ctx={ctx} meta={meta}>{body}</PageLayout>);
}
