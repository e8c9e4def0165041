// The page every storefront URL shows while the storefront is stopped. Self-contained on purpose:
// no cart, no CSRF token, no database read beyond the stop itself — the storefront may be what is
// suspect — and nothing but the shop's own stylesheet (with Subresource Integrity).
import { renderToString } from 'preact-render-to-string';
import type { Locale } from '../i18n/locale.ts';
import { messagesFor } from '../i18n/locale.ts';
import { staticAsset } from '../layout/static-assets.ts';
import { LanguageSwitch } from '../layout/language-switch.tsx';

export interface MaintenancePageInput {
  locale: Locale;
  shopName: string;
  /** The merchant's words for this language (or the one text), if any. */
  message: string | null;
  /** This page's path (no query), for the language link. */
  path: string;
  /** The published incident notice (src/incident-notices/), which stays reachable during a stop. */
  notice?: { slug: string; title: string } | undefined;
}

function MaintenancePage({ locale, shopName, message, path, notice }: MaintenancePageInput) {
  const m = messagesFor(locale).shopStopped;
  const css = staticAsset('shop.css');
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${m.title} | ${shopName}`}</title>
        <link rel="stylesheet" href={css.href} integrity={css.integrity} />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <header class="site-header">
          <span class="brand">{shopName}</span>
          <nav aria-label={locale === 'ja' ? '言語' : 'Language'}>
            <ul class="nav-list"><li><LanguageSwitch locale={locale} path={path} /></li></ul>
          </nav>
        </header>
        <main id="main" class="error-page shop-stopped" data-shop-stopped="yes">
          <h1>{m.title}</h1>
          <p>{m.lead}</p>
          {message ? (
            <section aria-labelledby="shop-message-heading" id="shop-message">
              <h2 id="shop-message-heading">{m.fromShop}</h2>
              {message.split(/\r?\n/).map((line) => <p>{line}</p>)}
            </section>
          ) : null}
          {notice ? <p id="shop-notice">{m.notice} <a href={`/notice/${encodeURIComponent(notice.slug)}`}>{notice.title}</a></p> : null}
          <p><a id="shop-contact" href="/contact">{m.contact}</a></p>
          <p>{m.inFlight}</p>
          <p>{m.cardSafety}</p>
        </main>
        <footer class="site-footer"><p>© {shopName}</p></footer>
      </body>
    </html>
  );
}

/** The whole document; preact-render-to-string escapes the merchant's text like any other. */
export function renderMaintenancePage(input: MaintenancePageInput): string {
  return '<!doctype html>' + renderToString(<MaintenancePage {...input} />);
}
