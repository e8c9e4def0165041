// The differences the tamper tests against a live shop do not reach (HSTS needs HTTPS, the test shop
// has no scripts to remove), on hand-made snapshots; and the changes that are not differences.
import { describe, expect, it } from 'vitest';
import { compareToBaseline, describeDifference } from './compare.ts';
import { parseCsp, snapshotPage, type PageSnapshot } from './page-snapshot.ts';

const CSP = "default-src 'self';script-src 'self' 'nonce-abc';style-src 'self';object-src 'none';frame-ancestors 'none';form-action 'self' https://gw.example;sandbox allow-forms";

function page(overrides: Partial<PageSnapshot> = {}): PageSnapshot {
  const csp = parseCsp(CSP);
  return {
    page: 'checkout', path: '/checkout', status: 200,
    scripts: [{ kind: 'external', url: '/static/app.js', sha256: 'a'.repeat(64) }],
    stylesheets: [{ kind: 'external', url: '/static/shop.css', sha256: 'b'.repeat(64) }],
    frames: [],
    forms: [{ action: '/checkout', method: 'post', fields: [{ tag: 'input', name: 'email', type: 'email', autocomplete: 'email' }] }],
    cardFields: [],
    headers: { csp, frameAncestors: csp!['frame-ancestors']!, hsts: { maxAge: 63072000, includeSubDomains: true, preload: false }, xFrameOptions: 'SAMEORIGIN' },
    paymentOrigins: ['https://gw.example'],
    ...overrides,
  };
}

const headersWith = (edit: Partial<PageSnapshot['headers']>) => ({ ...page().headers, ...edit });

describe('compareToBaseline', () => {
  it('finds nothing between equal snapshots', () => {
    expect(compareToBaseline([page()], [page()])).toEqual([]);
  });

  it('reports a removed script and an added stylesheet', () => {
    const diffs = compareToBaseline([page()], [page({ scripts: [], stylesheets: [...page().stylesheets, { kind: 'inline', sha256: 'c'.repeat(64), length: 12 }] })]);
    expect(diffs.map((d) => d.type)).toEqual(['script-removed', 'stylesheet-added']);
  });

  it('reports an external script whose integrity attribute changed', () => {
    const diffs = compareToBaseline([page()], [page({ scripts: [{ kind: 'external', url: '/static/app.js', sha256: 'a'.repeat(64), integrity: 'sha384-x' }] })]);
    expect(diffs.map((d) => d.type)).toEqual(['script-changed']);
  });

  it('reports HSTS removed, shortened or without subdomains', () => {
    expect(compareToBaseline([page()], [page({ headers: headersWith({ hsts: null }) })])).toEqual([{ type: 'hsts-weakened', page: 'checkout', detail: 'Strict-Transport-Security removed' }]);
    expect(compareToBaseline([page()], [page({ headers: headersWith({ hsts: { maxAge: 60, includeSubDomains: true, preload: false } }) })]).map((d) => d.type)).toEqual(['hsts-weakened']);
    expect(compareToBaseline([page()], [page({ headers: headersWith({ hsts: { maxAge: 63072000, includeSubDomains: false, preload: false } }) })]).map((d) => d.type)).toEqual(['hsts-weakened']);
  });

  it('reports frame-ancestors removed, and X-Frame-Options removed where it was the only guard', () => {
    const noFa = parseCsp(CSP.replace(";frame-ancestors 'none'", ''));
    expect(compareToBaseline([page()], [page({ headers: headersWith({ csp: noFa, frameAncestors: null }) })]).map((d) => d.type)).toEqual(['framing-allowed']);
    const before = page({ headers: headersWith({ csp: noFa, frameAncestors: null }) });
    expect(compareToBaseline([before], [page({ headers: headersWith({ csp: noFa, frameAncestors: null, xFrameOptions: null }) })])).toEqual([{ type: 'framing-allowed', page: 'checkout', detail: 'X-Frame-Options removed' }]);
  });

  it('reports a removed sandbox, and a form now sent with GET', () => {
    expect(compareToBaseline([page()], [page({ headers: headersWith({ csp: parseCsp(CSP.replace(';sandbox allow-forms', '')) }) })]).map((d) => d.type === 'csp-weakened' && d.directive)).toEqual(['sandbox']);
    const get = page({ forms: [{ ...page().forms[0]!, method: 'get' }] });
    expect(compareToBaseline([page()], [get]).map((d) => d.type)).toEqual(['form-action-changed']);
  });

  it('reports a page the walk no longer reached, and a new one', () => {
    expect(compareToBaseline([page(), page({ page: 'cart' })], [page()])).toEqual([{ type: 'page-missing', page: 'cart' }]);
    expect(compareToBaseline([page()], [page(), page({ page: 'confirm' })])).toEqual([{ type: 'page-added', page: 'confirm' }]);
  });

  it('does not report a stricter CSP or a different product', () => {
    const stricter = parseCsp(CSP.replace(" https://gw.example", '').replace("script-src 'self' 'nonce-abc'", "script-src 'nonce-abc'"));
    expect(compareToBaseline([page()], [page({ path: '/products/other', headers: headersWith({ csp: stricter }), paymentOrigins: ['https://gw.example'] })])).toEqual([]);
  });

  it('describes every difference in one line', () => {
    const diffs = compareToBaseline([page(), page({ page: 'cart' })], [page({ scripts: [], headers: headersWith({ hsts: null }), paymentOrigins: null })]);
    for (const d of diffs) expect(describeDifference(d)).toMatch(/^\S.*[^\n]$/);
    expect(diffs.map(describeDifference)).toContain('payment origin changed: https://gw.example → (unrestricted)');
  });
});

describe('snapshotPage normalisation', () => {
  const headers = (csp: string) => new Headers({ 'content-security-policy': csp });
  const none = async () => ({ error: 'not fetched' });

  it('replaces nonces, drops CSRF values and normalises cart ids in form actions', async () => {
    const html = (nonce: string, token: string, item: number) => `<html><head><script nonce="${nonce}">x()</script></head><body><form method="post" action="/cart/items/${item}/remove"><input type="hidden" name="_csrf" value="${token}"></form><form action="/orders/0b7c2f9e-1d2a-4c3b-9a8e-1234567890ab"></form></body></html>`;
    const a = await snapshotPage({ page: 'cart', url: 'http://shop.example/cart?lang=ja', status: 200, html: html('n1', 't1', 1), headers: headers("script-src 'self' 'nonce-n1'") }, none);
    const b = await snapshotPage({ page: 'cart', url: 'http://shop.example/cart?lang=en', status: 200, html: html('n2', 't2', 42), headers: headers("script-src 'self' 'nonce-n2'") }, none);
    expect(a).toEqual(b);
    expect(a.headers.csp).toEqual({ 'script-src': ["'self'", "'nonce'"] });
    expect(a.forms.map((f) => f.action)).toEqual(['/cart/items/:n/remove', '/orders/:id']);
    expect(JSON.stringify(a)).not.toContain('t1');
  });

  it('records preloaded scripts, srcdoc frames and cross-origin URLs as absolute', async () => {
    const html = '<link rel="modulepreload" href="https://cdn.example/m.js"><iframe srcdoc="<b>x</b>"></iframe><style>a{}</style>';
    const s = await snapshotPage({ page: 'p', url: 'http://shop.example/', status: 200, html, headers: new Headers() }, none);
    expect(s.scripts).toEqual([{ kind: 'external', url: 'https://cdn.example/m.js', sha256: null, fetchError: 'not fetched' }]);
    expect(s.frames).toEqual([expect.stringMatching(/^iframe:srcdoc:[0-9a-f]{64}$/)]);
    expect(s.stylesheets).toEqual([{ kind: 'inline', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), length: 3 }]);
    expect(s.paymentOrigins).toBeNull();
  });
});
