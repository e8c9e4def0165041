// Compares a walk's snapshots with the baseline and lists what changed on the way to payment.
// Only changes an intruder could use are differences: a CSP that got stricter, or a product page
// for another product, is not one.
import type { CardField } from './card-field-detector.ts';
import type { PageSnapshot, ResourceRef } from './page-snapshot.ts';

export type Difference =
  | { type: 'page-missing'; page: string }
  | { type: 'page-added'; page: string }
  | { type: 'script-added'; page: string; script: ResourceRef }
  | { type: 'script-removed'; page: string; script: ResourceRef }
  | { type: 'script-changed'; page: string; url: string; before: string | null; after: string | null }
  | { type: 'stylesheet-added'; page: string; stylesheet: ResourceRef }
  | { type: 'stylesheet-removed'; page: string; stylesheet: ResourceRef }
  | { type: 'stylesheet-changed'; page: string; url: string; before: string | null; after: string | null }
  | { type: 'frame-added'; page: string; src: string }
  | { type: 'form-added'; page: string; action: string | null }
  | { type: 'form-action-changed'; page: string; before: string | null; after: string | null; method: string | null }
  | { type: 'form-fields-changed'; page: string; action: string | null; added: string[]; removed: string[] }
  | { type: 'card-field-added'; page: string; field: CardField }
  | { type: 'payment-origin-changed'; page: string; before: string[] | null; after: string[] | null }
  | { type: 'csp-weakened'; page: string; directive: string; detail: string }
  | { type: 'hsts-weakened'; page: string; detail: string }
  | { type: 'framing-allowed'; page: string; detail: string };

export type DifferenceType = Difference['type'];

function resourceKey(r: ResourceRef): string {
  return r.kind === 'external' ? `url:${r.url}` : `inline:${r.sha256}`;
}

function resourceLabel(r: ResourceRef): string {
  return r.kind === 'external' ? r.url : `inline (${r.length} chars, sha256 ${r.sha256.slice(0, 12)}…)`;
}

function compareResources(page: string, kind: 'script' | 'stylesheet', before: ResourceRef[], after: ResourceRef[], out: Difference[]): void {
  const old = new Map(before.map((r) => [resourceKey(r), r]));
  const now = new Map(after.map((r) => [resourceKey(r), r]));
  for (const [key, r] of now) {
    const was = old.get(key);
    if (!was) {
      out.push(kind === 'script' ? { type: 'script-added', page, script: r } : { type: 'stylesheet-added', page, stylesheet: r });
    } else if (r.kind === 'external' && was.kind === 'external' && (r.sha256 !== was.sha256 || r.integrity !== was.integrity)) {
      out.push({ type: kind === 'script' ? 'script-changed' : 'stylesheet-changed', page, url: r.url, before: was.sha256, after: r.sha256 });
    }
  }
  for (const [key, r] of old) {
    if (!now.has(key)) out.push(kind === 'script' ? { type: 'script-removed', page, script: r } : { type: 'stylesheet-removed', page, stylesheet: r });
  }
}

const fieldLabel = (f: { tag: string; name: string | null; type: string | null; autocomplete: string | null }) =>
  `${f.tag}${f.type ? `[type=${f.type}]` : ''}${f.name ? `[name=${f.name}]` : ''}${f.autocomplete ? `[autocomplete=${f.autocomplete}]` : ''}`;

function compareForms(page: string, before: PageSnapshot['forms'], after: PageSnapshot['forms'], out: Difference[]): void {
  // Server-rendered pages keep their forms in order, so forms are matched by position.
  for (let i = 0; i < after.length; i++) {
    const now = after[i]!;
    const was = before[i];
    if (!was) {
      out.push({ type: 'form-added', page, action: now.action });
      continue;
    }
    if (was.action !== now.action || was.method !== now.method) out.push({ type: 'form-action-changed', page, before: was.action, after: now.action, method: now.method });
    const oldFields = new Set(was.fields.map(fieldLabel));
    const newFields = new Set(now.fields.map(fieldLabel));
    const added = [...newFields].filter((f) => !oldFields.has(f));
    const removed = [...oldFields].filter((f) => !newFields.has(f));
    if (added.length > 0 || removed.length > 0) out.push({ type: 'form-fields-changed', page, action: now.action, added, removed });
  }
}

const UNSAFE_KEYWORDS = ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", "'strict-dynamic'", "'inline-speculation-rules'"];
// Directives that fall back to default-src when absent.
const FETCH_DIRECTIVES = ['script-src', 'script-src-elem', 'script-src-attr', 'style-src', 'style-src-elem', 'style-src-attr', 'connect-src', 'img-src', 'font-src', 'frame-src', 'child-src', 'worker-src', 'object-src', 'manifest-src', 'media-src'];

function effective(csp: Record<string, string[]>, directive: string): string[] | undefined {
  if (csp[directive]) return csp[directive];
  if (directive.startsWith('script-src-')) return csp['script-src'] ?? csp['default-src'];
  if (directive.startsWith('style-src-')) return csp['style-src'] ?? csp['default-src'];
  if (FETCH_DIRECTIVES.includes(directive)) return csp['default-src'];
  return undefined;
}

function compareCsp(page: string, before: Record<string, string[]> | null, after: Record<string, string[]> | null, out: Difference[]): void {
  if (!before) return;
  if (!after) {
    out.push({ type: 'csp-weakened', page, directive: '*', detail: 'the page no longer sends a Content-Security-Policy' });
    return;
  }
  // Directives implicit in both (falling back to the same parent) are reported once, on the parent.
  const directives = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const d of directives) {
    if (d === 'frame-ancestors') continue; // framing is reported on its own
    const was = effective(before, d);
    const now = effective(after, d);
    if (!was) continue;
    if (!now) {
      // Without the directive (and, for fetch directives, without default-src) anything is allowed.
      if (d !== 'report-uri' && d !== 'report-to') out.push({ type: 'csp-weakened', page, directive: d, detail: `${d} removed` });
      continue;
    }
    if (d === 'upgrade-insecure-requests' || d === 'block-all-mixed-content' || d === 'report-uri' || d === 'report-to') continue;
    const wasSet = new Set(was);
    const added = now.filter((s) => !wasSet.has(s) && s !== "'none'");
    if (added.length === 0) continue;
    const unsafe = added.filter((s) => UNSAFE_KEYWORDS.includes(s));
    const detail = unsafe.length > 0 ? `${unsafe.join(' ')} added to ${d}` : `source${added.length > 1 ? 's' : ''} ${added.join(' ')} added to ${d}`;
    out.push({ type: 'csp-weakened', page, directive: d, detail });
  }
}

function compareFraming(page: string, before: PageSnapshot['headers'], after: PageSnapshot['headers'], out: Difference[]): void {
  const was = before.frameAncestors;
  const now = after.frameAncestors;
  if (was && !now) {
    // X-Frame-Options alone still protects older browsers; still, the policy the page was approved with is gone.
    out.push({ type: 'framing-allowed', page, detail: `frame-ancestors removed${after.xFrameOptions ? ` (X-Frame-Options ${after.xFrameOptions} remains)` : ''}` });
  } else if (was && now) {
    const added = now.filter((s) => !was.includes(s) && s !== "'none'");
    if (added.length > 0) out.push({ type: 'framing-allowed', page, detail: `frame-ancestors now allows ${added.join(' ')}` });
  }
  if (!was && before.xFrameOptions && !after.xFrameOptions && !now) out.push({ type: 'framing-allowed', page, detail: 'X-Frame-Options removed' });
}

function compareHsts(page: string, before: PageSnapshot['headers']['hsts'], after: PageSnapshot['headers']['hsts'], out: Difference[]): void {
  if (!before) return;
  if (!after) out.push({ type: 'hsts-weakened', page, detail: 'Strict-Transport-Security removed' });
  else if (after.maxAge < before.maxAge) out.push({ type: 'hsts-weakened', page, detail: `max-age lowered from ${before.maxAge} to ${after.maxAge}` });
  else if (before.includeSubDomains && !after.includeSubDomains) out.push({ type: 'hsts-weakened', page, detail: 'includeSubDomains dropped' });
}

const cardFieldKey = (f: CardField) => `${f.tag}|${f.kind}|${f.name ?? ''}|${f.id ?? ''}|${f.formAction ?? ''}`;

function samePaymentOrigins(a: string[] | null, b: string[] | null): boolean {
  return a === null || b === null ? a === b : a.length === b.length && a.every((o, i) => o === b[i]);
}

/** Differences between the baseline's snapshots and a new walk's, page by page ([] when nothing that matters changed). */
export function compareToBaseline(baseline: readonly PageSnapshot[], snapshots: readonly PageSnapshot[]): Difference[] {
  const out: Difference[] = [];
  const before = new Map(baseline.map((s) => [s.page, s]));
  const after = new Map(snapshots.map((s) => [s.page, s]));
  for (const [page, now] of after) {
    const was = before.get(page);
    if (!was) {
      out.push({ type: 'page-added', page });
      continue;
    }
    compareResources(page, 'script', was.scripts, now.scripts, out);
    compareResources(page, 'stylesheet', was.stylesheets, now.stylesheets, out);
    for (const src of now.frames) if (!was.frames.includes(src)) out.push({ type: 'frame-added', page, src });
    compareForms(page, was.forms, now.forms, out);
    const known = new Set(was.cardFields.map(cardFieldKey));
    for (const f of now.cardFields) if (!known.has(cardFieldKey(f))) out.push({ type: 'card-field-added', page, field: f });
    if (!samePaymentOrigins(was.paymentOrigins, now.paymentOrigins)) out.push({ type: 'payment-origin-changed', page, before: was.paymentOrigins, after: now.paymentOrigins });
    compareCsp(page, was.headers.csp, now.headers.csp, out);
    compareFraming(page, was.headers, now.headers, out);
    compareHsts(page, was.headers.hsts, now.headers.hsts, out);
  }
  for (const page of before.keys()) if (!after.has(page)) out.push({ type: 'page-missing', page });
  return out;
}

const originsLabel = (o: string[] | null) => (o === null ? '(unrestricted)' : o.length === 0 ? "(the shop's own origin only)" : o.join(' '));

/** One line per difference, for the CLI's table and the alert text. */
export function describeDifference(d: Difference): string {
  switch (d.type) {
    case 'page-missing': return `page ${d.page} was not reached`;
    case 'page-added': return `page ${d.page} is new (not in the baseline)`;
    case 'script-added': return `new script: ${resourceLabel(d.script)}`;
    case 'script-removed': return `script removed: ${resourceLabel(d.script)}`;
    case 'script-changed': return `script changed: ${d.url} (sha256 ${d.before?.slice(0, 12) ?? 'unfetched'} → ${d.after?.slice(0, 12) ?? 'unfetched'})`;
    case 'stylesheet-added': return `new stylesheet: ${resourceLabel(d.stylesheet)}`;
    case 'stylesheet-removed': return `stylesheet removed: ${resourceLabel(d.stylesheet)}`;
    case 'stylesheet-changed': return `stylesheet changed: ${d.url} (sha256 ${d.before?.slice(0, 12) ?? 'unfetched'} → ${d.after?.slice(0, 12) ?? 'unfetched'})`;
    case 'frame-added': return `new frame: ${d.src}`;
    case 'form-added': return `new form posting to ${d.action ?? '(no form)'}`;
    case 'form-action-changed': return `form action changed: ${d.before ?? '(none)'} → ${d.after ?? '(none)'}`;
    case 'form-fields-changed': return `fields of the form to ${d.action ?? '(no form)'} changed: ${[...d.added.map((f) => `+${f}`), ...d.removed.map((f) => `-${f}`)].join(' ')}`;
    case 'card-field-added': return `card-entry field (${d.field.kind}) found: <${d.field.tag}${d.field.name ? ` name="${d.field.name}"` : ''}> by ${d.field.evidence}${d.field.formAction !== null ? `, form posts to ${d.field.formAction || '(the page)'}` : ''}`;
    case 'payment-origin-changed': return `payment origin changed: ${originsLabel(d.before)} → ${originsLabel(d.after)}`;
    case 'csp-weakened': return `CSP weakened: ${d.detail}`;
    case 'hsts-weakened': return `HSTS weakened: ${d.detail}`;
    case 'framing-allowed': return `framing allowed: ${d.detail}`;
  }
}
