import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { csrfFromInject, formHeaders, formWithCsrf } from '../../test/support/csrf.ts';
import { GOOD_CUSTOMER, startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { cardFieldsInDocument, findCardFields, mayContainCardFields, type CardFieldKind } from './card-field-detector.ts';
import { parseHtml } from './html-elements.ts';

const fixture = (name: string) => readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name), 'utf8');

describe('findCardFields on fake card forms', () => {
  const cases: [string, CardFieldKind[]][] = [
    ['fake-form-plain.html', ['number', 'expiry', 'csc']],
    ['fake-form-obfuscated.html', ['number', 'csc', 'expiry']],
    ['fake-form-japanese.html', ['number', 'expiry', 'csc', 'holder']],
    ['fake-form-autocomplete-only.html', ['number', 'expiry', 'csc']],
    ['fake-form-name-only.html', ['number', 'expiry', 'csc']],
  ];
  for (const [file, kinds] of cases) {
    it(`flags every card field of ${file}`, () => {
      const html = fixture(file);
      expect(mayContainCardFields(html)).toBe(true);
      expect(findCardFields(html).map((f) => f.kind)).toEqual(kinds);
    });
  }

  it('reports where the evidence came from and which form the field posts to', () => {
    const [number] = findCardFields(fixture('fake-form-japanese.html'));
    expect(number).toMatchObject({ tag: 'input', kind: 'number', evidence: 'label', name: 'f1', formAction: '/checkout' });
    const [auto] = findCardFields(fixture('fake-form-autocomplete-only.html'));
    expect(auto).toMatchObject({ evidence: 'autocomplete', name: 'a', formAction: '' });
  });

  it('ignores hidden fields, radio buttons and prose that mentions cards', () => {
    const html = '<form><input type="hidden" name="cardNumber"><input type="radio" name="pay" aria-label="Card number"><p>Your card number is never sent to us. カード番号は送られません。</p><label for="q">数量</label><input id="q" name="quantity"></form>';
    expect(mayContainCardFields(html)).toBe(true);
    expect(findCardFields(html)).toEqual([]);
  });

  it('flags the common spellings of card fields', () => {
    const spellings = ['cardNumber', 'card_number', 'card-no', 'CardNum', 'ccnum', 'cc_number', 'pan_no', 'cvc', 'CVV2', 'csc', 'securityCode', 'card_code', 'expiry', 'expirationDate', 'exp_month', 'expYear', 'ccExp', 'cc-exp', 'exp', 'MM/YY', 'cardholder', 'nameOnCard', 'カード番号', 'セキュリティーコード', '有効期限', 'カード名義'];
    for (const spelling of spellings) {
      for (const attr of ['name', 'id', 'placeholder', 'aria-label']) {
        const html = `<form><input ${attr}="${spelling}"></form>`;
        expect([spelling, attr, findCardFields(html).length]).toEqual([spelling, attr, 1]);
      }
    }
  });

  it('the pre-check never rejects a page the parser would flag (property)', () => {
    const token = fc.constantFrom('card', 'Card', 'number', 'Num', 'no', 'cc', 'pan', 'exp', 'Expiry', 'month', 'yy', 'mm', '/', 'cvc', 'CVV', 'csc', 'security', 'code', 'holder', 'name', 'on', 'the', 'カード', '番号', 'セキュリティ', 'ー', 'コード', '有効', '期限', '名義', 'x', '1');
    const sep = fc.constantFrom('', ' ', '_', '-', '.', '  ', '[', ')', '\n');
    const value = fc.array(fc.tuple(token, sep), { minLength: 1, maxLength: 5 }).map((parts) => parts.map(([t, s]) => t + s).join(''));
    const where = fc.constantFrom('name', 'id', 'placeholder', 'aria-label', 'title', 'autocomplete', 'label', 'label-open');
    fc.assert(fc.property(value, where, (v, w) => {
      const html = w === 'label' ? `<form><label for="f">${v}</label><input id="f"></form>`
        : w === 'label-open' ? `<form><label>${v}<input name="f"></form>`
        : `<form><input ${w}="${v}"></form>`;
      const flagged = cardFieldsInDocument(parseHtml(html)).length > 0;
      return !flagged || mayContainCardFields(html);
    }), { numRuns: 20_000 });
  });

  it('the pre-check alone rejects a page without fields or without any card word', () => {
    expect(mayContainCardFields('<p>カード番号</p>')).toBe(false);
    expect(mayContainCardFields('<form><input name="email"></form>')).toBe(false);
  });
});

// Every HTML page the shop can show a customer or an admin before login: none may look like a card form.
describeEachDatabase('findCardFields on the shop\'s own pages', (database) => {
  let shop: TestShop;
  const pages = new Map<string, string>();

  beforeAll(async () => {
    shop = await startTestShop(database);
    const queue = ['/', '/?lang=en', '/cart', '/orders/lookup', '/admin/login', '/no-such-page'];
    const seen = new Set<string>();
    while (queue.length > 0 && seen.size < 400) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await shop.app.inject({ url });
      if (!String(res.headers['content-type'] ?? '').startsWith('text/html')) continue;
      pages.set(url, res.body);
      for (const m of res.body.matchAll(/href="(\/[^"#]*)"/g)) {
        const href = m[1]!.replace(/&amp;/g, '&');
        if (!href.startsWith('/static/') && !href.startsWith('/media/') && !seen.has(href)) queue.push(href);
      }
    }
    // The pages behind a cart: cart with a line, checkout, checkout with field errors, the order page.
    const product = await shop.app.inject({ url: [...pages.keys()].find((u) => u.startsWith('/products/'))! });
    const csrf = csrfFromInject(product);
    const variantId = /name="variantId" value="(\d+)"/.exec(product.body)![1]!;
    const added = await shop.app.inject({ method: 'POST', url: '/cart/items', headers: formHeaders(csrf), payload: formWithCsrf(csrf, { variantId, quantity: '1' }) });
    const cookie = [csrf.cookie, ...added.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
    for (const url of ['/cart', '/checkout', '/cart?lang=en', '/checkout?lang=en']) pages.set(url, (await shop.app.inject({ url, headers: { cookie } })).body);
    const invalid = await shop.app.inject({ method: 'POST', url: '/checkout', headers: formHeaders({ cookie }), payload: formWithCsrf(csrf, { email: 'not-an-email' }) });
    expect(invalid.statusCode).toBe(400);
    pages.set('POST /checkout (errors)', invalid.body);
    const placed = await shop.app.inject({
      method: 'POST', url: '/checkout', headers: formHeaders({ cookie }),
      payload: formWithCsrf(csrf, { email: GOOD_CUSTOMER.email, name: GOOD_CUSTOMER.name, phone: GOOD_CUSTOMER.phone, country: 'JP', postalCode: '100-0001', prefecture: '東京都', city: '千代田区', line1: '千代田1-1', line2: '' }),
    });
    expect(placed.statusCode).toBe(303);
    const order = await shop.app.inject({ url: placed.headers.location!, headers: { cookie } });
    expect(order.statusCode).toBe(200);
    pages.set('order page', order.body);
  });

  afterAll(async () => {
    await shop?.dispose();
  });

  it('walks enough of the shop to mean something', () => {
    expect([...pages.keys()].filter((u) => u.startsWith('/products/')).length).toBeGreaterThanOrEqual(14);
    expect(pages.has('/checkout')).toBe(true);
    // The checkout page mentions "カード番号" in its payment note, in prose: the pre-check already clears it.
    expect(pages.get('/checkout')).toContain('カード番号');
    expect(mayContainCardFields(pages.get('/checkout')!)).toBe(false);
  });

  it('flags none of them', () => {
    const flagged = [...pages].filter(([, html]) => findCardFields(html).length > 0).map(([url]) => url);
    expect(flagged).toEqual([]);
  });

  it('flags the checkout page once a fake card field is added to it', () => {
    const html = pages.get('/checkout')!.replace('</form>', '<label for="x">カード番号</label><input id="x" name="x"></form>');
    expect(findCardFields(html)).toHaveLength(1);
  });
});
