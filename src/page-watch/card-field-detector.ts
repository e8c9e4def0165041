// Finds card-entry fields in an HTML page. Mamori's shop never asks for card data (the customer
// types it on the gateway's page), so a field that reads like a card number, security code or
// expiry on one of its own pages is the signature of the common Japanese breach: an intruder adds
// a fake card form just before the redirect to a link-type gateway.
//
// It runs on every HTML response, so it is two steps: a regex pre-check that rejects almost every
// page in microseconds, and only then a real parse (parse5) that decides field by field.
import { ancestorOf, attrOf, elementsOf, parseHtml, textOf, type HtmlDocument, type HtmlElement } from './html-elements.ts';

export type CardFieldKind = 'number' | 'csc' | 'expiry' | 'holder';

export interface CardField {
  tag: 'input' | 'select' | 'textarea';
  kind: CardFieldKind;
  /** What gave it away: the autocomplete token, an attribute (name, id, placeholder, aria-label, title) or its label's text. */
  evidence: 'autocomplete' | 'attribute' | 'label';
  name: string | null;
  id: string | null;
  /** The action of the form it belongs to, as written (null outside a form). */
  formAction: string | null;
}

const FIELD_TAG = /<(?:input|select|textarea)\b/i;

// Every spelling the precise step below could match, on the raw HTML of a field's tag or a label
// (cardNumber, card_no, cc-exp, カード番号 …). A numeric character reference lets a page spell a
// keyword in entities (`&#99;c-number`), so it sends the page on too. This must stay a superset of
// the patterns below: a property test holds it to that.
const SEP = String.raw`[\s_.\-[\]()]*`;
const KEYWORDS = new RegExp([
  String.raw`cc-(?:number|csc|exp|name|given|family)`,
  `card${SEP}(?:number|num|no|holder|code|verification)`, `(?:cc|pan)${SEP}(?:number|num|no)`, 'ccnum',
  'cvc', 'cvv', 'cvn', 'csc', `security${SEP}code`,
  // Bare 'exp': camelCase makes any letter a possible word start (cardExp, expNo), which a regex with /i cannot see.
  'exp', `mm${SEP}/${SEP}yy`,
  `name${SEP}on${SEP}(?:the${SEP})?card`,
  `カード${SEP}(?:番号|名義)`, `ｶｰﾄﾞ${SEP}番号`, '名義人', `セキュリティー?${SEP}コード`, `有効${SEP}期限`,
  '&#',
].join('|'), 'i');

// A field's own tag (quote-aware: a `>` inside an attribute value does not end it) and a label's
// content up to its end, the next label or the end of the page (parsers close labels left open).
const FIELD_TAGS = /<(?:input|select|textarea)\b(?:[^>"']|"[^"]*"|'[^']*')*>?/gi;
const LABELS = /<label\b[\s\S]*?(?=<\/label|<label\b|$)/gi;

/** The cheap pre-check: false means the page certainly has no card field. */
export function mayContainCardFields(html: string): boolean {
  if (!FIELD_TAG.test(html)) return false;
  // Only a field's own tag and label text can make it a card field, so the keywords are looked for
  // there, not in the page's prose (the checkout says "your card number is never sent to us").
  for (const re of [FIELD_TAGS, LABELS]) {
    re.lastIndex = 0;
    for (let m = re.exec(html); m; m = re.exec(html)) {
      if (KEYWORDS.test(m[0])) return true;
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return false;
}

const AUTOCOMPLETE_KINDS: Record<string, CardFieldKind> = {
  'cc-number': 'number',
  'cc-csc': 'csc',
  'cc-exp': 'expiry',
  'cc-exp-month': 'expiry',
  'cc-exp-year': 'expiry',
  'cc-name': 'holder',
  'cc-given-name': 'holder',
  'cc-family-name': 'holder',
};

// Attribute values are identifiers as much as words (cardNumber, card_no, cc-num), so the
// patterns run on a lower-cased value whose separators are spaces; `(?<![a-z])` stands for a word start.
const ATTRIBUTE_PATTERNS: [CardFieldKind, RegExp][] = [
  ['number', /card ?(?:number|num|no)(?![a-z])|(?<![a-z])(?:cc|pan) ?(?:number|num|no)(?![a-z])|(?<![a-z])ccnum|カード番号|ｶｰﾄﾞ番号|クレジットカード番号/],
  ['csc', /(?<![a-z])(?:cvc|cvv|cvn|csc)\d?(?![a-z])|security ?code|card ?(?:code|verification)|セキュリティ ?コード|セキュリティー ?コード/],
  ['expiry', /expir|(?<![a-z])(?:cc ?)?exp ?(?:date|mon|month|year|yy|yyyy|mm)?(?![a-z])|mm ?\/ ?yy|有効期限/],
  ['holder', /card ?holder|name ?on ?(?:the )?card|カード名義|名義人/],
];

// Label text is prose, so only unambiguous phrases count (the checkout's note "your card number is
// never sent to our servers" is a paragraph, not a label, and must stay silent).
const LABEL_PATTERNS: [CardFieldKind, RegExp][] = [
  ['number', /card ?number|カード番号|ｶｰﾄﾞ番号/],
  ['csc', /(?<![a-z])(?:cvc|cvv|csc)\d?(?![a-z])|security ?code|セキュリティ ?コード|セキュリティー ?コード/],
  ['expiry', /expir(?:y|ation) ?date|有効期限|mm ?\/ ?yy/],
  ['holder', /card ?holder|name on card|カード名義|名義人/],
];

// Not places a customer types into; a hidden field named cardNumber is not an entry form.
const NOT_ENTRY_TYPES = new Set(['hidden', 'submit', 'button', 'image', 'reset', 'checkbox', 'radio', 'file', 'range', 'color']);

function normalise(value: string): string {
  return value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[\s_\-.[\]()]+/g, ' ')
    .trim();
}

function kindFrom(value: string | undefined, patterns: [CardFieldKind, RegExp][]): CardFieldKind | undefined {
  if (!value) return undefined;
  const v = normalise(value);
  for (const [kind, re] of patterns) if (re.test(v)) return kind;
  return undefined;
}

function autocompleteKind(value: string | undefined): CardFieldKind | undefined {
  if (!value) return undefined;
  // autocomplete is a token list ("section-pay billing cc-number").
  for (const token of value.toLowerCase().split(/\s+/)) {
    const kind = AUTOCOMPLETE_KINDS[token];
    if (kind) return kind;
  }
  return undefined;
}

function isEntryField(el: HtmlElement): el is HtmlElement & { tagName: CardField['tag'] } {
  if (el.tagName === 'select' || el.tagName === 'textarea') return true;
  if (el.tagName !== 'input') return false;
  return !NOT_ENTRY_TYPES.has((attrOf(el, 'type') ?? 'text').toLowerCase());
}

/** Card fields in an already parsed document (the snapshot parses once and reuses the tree). */
export function cardFieldsInDocument(doc: HtmlDocument): CardField[] {
  const fields: (HtmlElement & { tagName: CardField['tag'] })[] = [];
  const labels: HtmlElement[] = [];
  for (const el of elementsOf(doc)) {
    if (el.tagName === 'label') labels.push(el);
    else if (isEntryField(el)) fields.push(el);
  }
  const labelKindById = new Map<string, CardFieldKind>();
  const labelKindByField = new Map<HtmlElement, CardFieldKind>();
  for (const label of labels) {
    const kind = kindFrom(textOf(label), LABEL_PATTERNS);
    if (!kind) continue;
    const target = attrOf(label, 'for');
    if (target) labelKindById.set(target, kind);
    for (const inner of elementsOf(label)) if (inner !== label && isEntryField(inner)) labelKindByField.set(inner, kind);
  }

  const found: CardField[] = [];
  for (const el of fields) {
    const id = attrOf(el, 'id') ?? null;
    let kind = autocompleteKind(attrOf(el, 'autocomplete'));
    let evidence: CardField['evidence'] = 'autocomplete';
    if (!kind) {
      evidence = 'attribute';
      for (const attr of ['name', 'id', 'placeholder', 'aria-label', 'title']) {
        kind = kindFrom(attrOf(el, attr), ATTRIBUTE_PATTERNS);
        if (kind) break;
      }
    }
    if (!kind) {
      evidence = 'label';
      kind = labelKindByField.get(el) ?? (id ? labelKindById.get(id) : undefined);
    }
    if (!kind) continue;
    found.push({ tag: el.tagName, kind, evidence, name: attrOf(el, 'name') ?? null, id, formAction: ancestorOf(el, 'form') ? (attrOf(ancestorOf(el, 'form')!, 'action') ?? '') : null });
  }
  return found;
}

/** Card-entry fields in an HTML page; [] for the shop's own pages. */
export function findCardFields(html: string): CardField[] {
  if (!mayContainCardFields(html)) return [];
  return cardFieldsInDocument(parseHtml(html));
}
