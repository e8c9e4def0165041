// The way back to a headless storefront after the gateway. Not a redirect: the customer arrives
// here at the end of a redirect chain that began with the gateway's payment form, and a browser
// applies that page's CSP form-action to every hop of the chain, so a gateway that allows only its
// own origin and the shop's (as the sandbox gateway does) would block a 303 on to the storefront.
// A page that moves on by itself (meta refresh, no script) starts a new navigation instead.
import { renderToString } from 'preact-render-to-string';
import type { Locale } from '../../i18n/locale.ts';
import { messagesFor } from '../../i18n/locale.ts';

export function renderStorefrontReturnPage(locale: Locale, url: string): string {
  const m = messagesFor(locale).order;
  return `<!doctype html>${renderToString(
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="robots" content="noindex, nofollow" />
        <meta http-equiv="refresh" content={`0; url=${url}`} />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{m.backToStorefront}</title>
      </head>
      <body>
        <main>
          <h1>{m.backToStorefront}</h1>
          <p><a href={url}>{m.backToStorefrontLink}</a></p>
        </main>
      </body>
    </html>,
  )}`;
}
