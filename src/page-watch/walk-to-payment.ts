// Walks the shopper's way to payment over HTTP — catalog → product page → add to cart → cart →
// checkout page — keeping cookies as a browser would, and snapshots every page on the way.
//
// A dry run: it stops at the checkout page and never submits the checkout form, because a monitor
// order every few minutes would fill the order list, reserve stock until it expired and reach the
// gateway. Adding to the cart reserves nothing (stock is reserved when an order is placed), and the
// walk removes its cart line afterwards. Pass the returned cookies to the next walk to reuse one
// cart instead of leaving an empty one behind each time.
import { parseHtml, attrOf, elementsOf, ancestorOf, type HtmlDocument } from './html-elements.ts';
import { snapshotPage, type PageSnapshot, type ResourceFetcher } from './page-snapshot.ts';

/** The part of `fetch` the walk uses: a real fetch, or `injectFetch(app)` for an in-process shop. */
export type PageFetch = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string; redirect?: 'manual' }) => Promise<Response>;

/** Which walk produced a snapshot: plain HTTP, or headless Chromium (walk-in-browser.ts). */
export type WalkLevel = 'http' | 'browser';

export interface WalkOptions {
  /** The shop's base URL, e.g. https://shop.example.jp */
  baseUrl: string;
  fetch: PageFetch;
  /** Product page to start from; default the first product on the catalog page that can be added. */
  productPath?: string;
  /** Cookies from an earlier walk (the same cart is reused). */
  cookies?: Record<string, string>;
  /** Limit on one response body (HTML or resource); default 2 MiB. */
  maxBytes?: number;
}

export type WalkResult =
  | { ok: true; level: 'http'; snapshots: PageSnapshot[]; cookies: Record<string, string>; cleanedUp: boolean }
  | { ok: false; level: 'http'; error: 'UNREACHABLE' | 'UNEXPECTED_RESPONSE' | 'NO_PRODUCT_AVAILABLE'; step: string; detail: string; snapshots: PageSnapshot[] };

class WalkFailure extends Error {
  constructor(readonly code: 'UNREACHABLE' | 'UNEXPECTED_RESPONSE' | 'NO_PRODUCT_AVAILABLE', readonly step: string, detail: string) {
    super(detail);
  }
}

/** How many catalog products are tried before the walk gives up (all sold out, say). */
const MAX_PRODUCTS_TRIED = 5;

export async function walkToPayment(opts: WalkOptions): Promise<WalkResult> {
  const base = opts.baseUrl.replace(/\/$/, '');
  const maxBytes = opts.maxBytes ?? 2 * 1024 * 1024;
  const jar = new Map(Object.entries(opts.cookies ?? {}));
  const snapshots: PageSnapshot[] = [];

  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const request = async (step: string, path: string, init: { method?: string; body?: string } = {}) => {
    let res: Response;
    try {
      res = await opts.fetch(base + path, {
        method: init.method ?? 'GET',
        redirect: 'manual',
        headers: {
          accept: 'text/html',
          ...(jar.size ? { cookie: cookieHeader() } : {}),
          ...(init.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(init.body !== undefined ? { body: init.body } : {}),
      });
    } catch (err) {
      throw new WalkFailure('UNREACHABLE', step, err instanceof Error ? err.message : String(err));
    }
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      if (eq <= 0) continue;
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    // A declared size over the limit is refused unread; an undeclared one is checked once read.
    if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw new WalkFailure('UNEXPECTED_RESPONSE', step, `${path}: response larger than ${maxBytes} bytes`);
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw new WalkFailure('UNEXPECTED_RESPONSE', step, `${path}: response larger than ${maxBytes} bytes`);
    return { res, text: new TextDecoder().decode(bytes), bytes };
  };

  const fetchResource: ResourceFetcher = async (url) => {
    try {
      const res = await opts.fetch(url, { headers: {}, redirect: 'manual' });
      if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
        await res.body?.cancel().catch(() => {});
        return { error: `larger than ${maxBytes} bytes` };
      }
      const body = new Uint8Array(await res.arrayBuffer());
      if (res.status !== 200) return { error: `HTTP ${res.status}` };
      if (body.byteLength > maxBytes) return { error: `larger than ${maxBytes} bytes` };
      return { body };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  };

  const page = async (name: string, path: string) => {
    const { res, text } = await request(name, path);
    if (res.status !== 200) throw new WalkFailure('UNEXPECTED_RESPONSE', name, `GET ${path} answered ${res.status}${res.headers.get('location') ? ` → ${res.headers.get('location')}` : ''}`);
    const snapshot = await snapshotPage({ page: name, url: base + path, status: res.status, html: text, headers: res.headers }, fetchResource);
    snapshots.push(snapshot);
    return { html: text, doc: parseHtml(text) };
  };

  let cartDoc: HtmlDocument | undefined;
  try {
    const catalog = await page('catalog', '/');
    const candidates = opts.productPath ? [opts.productPath] : productLinks(catalog.doc).slice(0, MAX_PRODUCTS_TRIED);
    if (candidates.length === 0) throw new WalkFailure('NO_PRODUCT_AVAILABLE', 'catalog', 'the catalog page links no product');

    let added = false;
    for (const productPath of candidates) {
      const product = await page('product', productPath);
      const form = addToCartForm(product.doc);
      if (form) {
        const { res } = await request('add-to-cart', form.action, { method: 'POST', body: new URLSearchParams(form.fields).toString() });
        if (res.status === 303 || res.status === 302) {
          added = true;
          break;
        }
        if (res.status !== 409) throw new WalkFailure('UNEXPECTED_RESPONSE', 'add-to-cart', `POST ${form.action} answered ${res.status}`);
      }
      // Sold out: that product's snapshot is not the one to keep.
      snapshots.pop();
    }
    if (!added) throw new WalkFailure('NO_PRODUCT_AVAILABLE', 'add-to-cart', `none of ${candidates.length} products could be added to a cart`);

    const cart = await page('cart', '/cart');
    cartDoc = cart.doc;
    await page('checkout', '/checkout');
    cartDoc = undefined;
    const cleanedUp = await removeCartLines(cart.doc, request);
    return { ok: true, level: 'http', snapshots, cookies: Object.fromEntries(jar), cleanedUp };
  } catch (err) {
    // Even a failed walk takes its line out of the cart (best effort: the failure is the news).
    if (cartDoc) await removeCartLines(cartDoc, request).catch(() => false);
    if (err instanceof WalkFailure) return { ok: false, level: 'http', error: err.code, step: err.step, detail: err.message, snapshots };
    throw err;
  }
}

function productLinks(doc: HtmlDocument): string[] {
  const seen = new Set<string>();
  for (const el of elementsOf(doc)) {
    const href = el.tagName === 'a' ? attrOf(el, 'href') : undefined;
    if (!href) continue;
    const m = /^\/products\/[^/?#]+/.exec(href);
    if (m) seen.add(m[0]);
  }
  return [...seen];
}

/** The product page's add-to-cart form with its CSRF token, the first variant in stock and quantity 1. */
function addToCartForm(doc: HtmlDocument): { action: string; fields: Record<string, string> } | undefined {
  for (const form of elementsOf(doc)) {
    if (form.tagName !== 'form' || attrOf(form, 'action') !== '/cart/items') continue;
    const fields: Record<string, string> = {};
    for (const el of elementsOf(form)) {
      if (el.tagName !== 'input') continue;
      const name = attrOf(el, 'name');
      const value = attrOf(el, 'value') ?? '';
      const type = attrOf(el, 'type') ?? 'text';
      if (!name) continue;
      if (type === 'radio') {
        if (attrOf(el, 'disabled') === undefined && !(name in fields)) fields[name] = value;
      } else fields[name] = value;
    }
    fields.quantity = '1';
    if (!fields.variantId) return undefined;
    return { action: '/cart/items', fields };
  }
  return undefined;
}

/** Posts every remove form of the cart page, so the walk leaves the cart as empty as it found it. */
async function removeCartLines(doc: HtmlDocument, request: (step: string, path: string, init: { method: string; body: string }) => Promise<{ res: Response }>): Promise<boolean> {
  let ok = true;
  for (const input of elementsOf(doc)) {
    if (input.tagName !== 'input' || attrOf(input, 'name') !== '_csrf') continue;
    const form = ancestorOf(input, 'form');
    const action = form && attrOf(form, 'action');
    if (!action || !/^\/cart\/items\/\d+\/remove$/.test(action)) continue;
    const { res } = await request('remove-from-cart', action, { method: 'POST', body: new URLSearchParams({ _csrf: attrOf(input, 'value') ?? '' }).toString() });
    if (res.status !== 303 && res.status !== 302) ok = false;
  }
  return ok;
}
