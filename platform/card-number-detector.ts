// Finds card-number-shaped strings in free text: the shop's form fields, its log lines and
// the gateway's cardholder-name field. Generic on purpose (no shop or gateway types), so both
// processes may import it without one importing the other. Hand-written: the rule is a
// regular expression and a checksum, and every package on a payment page is attack surface.

/**
 * Between two digits of a card number people (and encoders) put a space, a hyphen, a dot, a
 * `+` (form-encoded space) or a percent-encoded one of those. At most three in a row, so
 * "4242 - 4242" counts while a sentence with numbers far apart does not.
 */
const SEP = String.raw`(?:[ \t\u00a0\u3000.+\-\u2010-\u2015\u2212\u30fc\uff0d]|%20|%2[bBdDeE]|%09|%C2%A0){0,3}`;
const DIGIT = String.raw`[0-9\uff10-\uff19]`;

/** Any run of at least 13 digits with separators: what the logs redact, Luhn or not. */
const LONG_DIGIT_RUN = new RegExp(String.raw`(?<![0-9\uff10-\uff19])(?:${DIGIT}${SEP}){12,}${DIGIT}(?![0-9\uff10-\uff19])`, 'g');
/** Maximal runs of 13 or more digits, each separator kept so group boundaries are known. */
const RUN = LONG_DIGIT_RUN;
/** Cheap pre-check: text without two digits close together cannot hold a card number. */
const ANY_DIGIT_RUN_HINT = /[0-9\uff10-\uff19][^0-9\uff10-\uff19]{0,5}[0-9\uff10-\uff19]/;
/** Percent-encoded separators hold digits themselves ("%20"): read them as a space first. */
const PERCENT_SEP = /%(?:20|2[bBdDeE]|09|C2%A0)/g;

function asciiDigit(ch: string): string {
  const c = ch.charCodeAt(0);
  return c >= 0xff10 && c <= 0xff19 ? String.fromCharCode(c - 0xff10 + 48) : ch;
}

export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Issuer ranges of the card brands accepted in Japan (Visa, Mastercard, JCB, Amex, Diners,
 * Discover, UnionPay, Mir). Only used inside longer digit runs, where checking every window
 * by Luhn alone would flag one window in ten.
 */
const KNOWN_IIN = /^(?:4|5[1-5]|2(?:2[2-9]\d|[3-6]\d\d|7[01]\d|720)|220[0-4]|3[47]|35(?:2[89]|[3-8]\d)|30[0-5]|3[689]|6011|64[4-9]|65|62|81)/;

export function knownIssuerPrefix(digits: string): boolean {
  return KNOWN_IIN.test(digits);
}

/**
 * Whether `digits` (13–19 ASCII digits) is a card number by shape: Luhn-valid. The issuer range
 * is deliberately not required for a standalone number: ranges are added every year (8-digit
 * IINs, Mir, new Mastercard 2-series) and a free-text field has no legitimate use for a
 * Luhn-valid 13–19 digit number, so refusing one costs nothing and catches cards we do not know.
 */
export function cardNumberShaped(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && luhnValid(digits);
}

function runHoldsCard(run: string): boolean {
  // Digits and where each separator group starts, so windows can align with what was typed.
  const digits: string[] = [];
  const groupStarts = new Set<number>([0]);
  let prevWasSep = false;
  for (const ch of run) {
    if (/[0-9\uff10-\uff19]/.test(ch)) {
      if (prevWasSep) groupStarts.add(digits.length);
      digits.push(asciiDigit(ch));
      prevWasSep = false;
    } else {
      prevWasSep = true;
    }
  }
  const all = digits.join('');
  if (cardNumberShaped(all)) return true;
  // A card with something glued on ("4242 4242 4242 4242 12/30" with the expiry): look at the
  // windows with a known issuer prefix that start and end where the writer left a gap — or,
  // in a run too long to be one card, that start or end at one.
  groupStarts.add(all.length);
  const tooLong = all.length > 19;
  for (const start of groupStarts) {
    for (let len = 13; len <= 19 && start + len <= all.length; len++) {
      if (!groupStarts.has(start + len) && !tooLong) continue;
      const w = all.slice(start, start + len);
      if (knownIssuerPrefix(w) && luhnValid(w)) return true;
    }
  }
  if (tooLong) {
    for (const end of groupStarts) {
      for (let len = 13; len <= 19 && end - len >= 0; len++) {
        const w = all.slice(end - len, end);
        if (knownIssuerPrefix(w) && luhnValid(w)) return true;
      }
    }
  }
  return false;
}

/** True when the text holds a card-number-shaped string in any common spelling. */
export function containsCardNumber(text: string): boolean {
  if (text.length < 13 || !ANY_DIGIT_RUN_HINT.test(text)) return false;
  const plain = text.includes('%') ? text.replace(PERCENT_SEP, ' ') : text;
  for (const m of plain.matchAll(RUN)) if (runHoldsCard(m[0])) return true;
  return false;
}

/**
 * Replaces every run of 13 or more digits (with separators) — Luhn-valid or not — by `mark`.
 * For logs, where an over-eager redaction costs a little readability and a miss costs a breach.
 */
export function redactLongDigitRuns(text: string, mark = '[redacted-pan]'): string {
  if (text.length < 13 || !ANY_DIGIT_RUN_HINT.test(text)) return text;
  const plain = text.includes('%') ? text.replace(PERCENT_SEP, ' ') : text;
  const redacted = plain.replace(LONG_DIGIT_RUN, mark);
  return redacted === plain ? text : redacted;
}

// ---------------------------------------------------------------------------------------------
// Finding card numbers where they are (pan-scan, log masking): strict rules and positions.
// The guard above may refuse any Luhn-valid 13–19 digit run in a form field; a scanner or a log
// reads text full of barcodes, timestamps and ids, where that would flag one number in ten. So
// here a number must also be in a brand's IIN range and of a length that brand issues.

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'jcb' | 'diners' | 'discover' | 'unionpay' | 'mir';

/** IIN ranges (first digits) and PAN lengths per brand, from the brands' published tables. */
const BRAND_RULES: readonly { brand: CardBrand; iin: RegExp; lengths: readonly number[] }[] = [
  { brand: 'amex', iin: /^3[47]/, lengths: [15] },
  { brand: 'jcb', iin: /^35(?:2[89]|[3-8]\d)/, lengths: [16, 17, 18, 19] },
  { brand: 'diners', iin: /^36/, lengths: [14, 15, 16, 17, 18, 19] },
  { brand: 'diners', iin: /^(?:30[0-5]|3095|3[89])/, lengths: [16, 17, 18, 19] },
  { brand: 'mir', iin: /^220[0-4]/, lengths: [16, 17, 18, 19] },
  { brand: 'mastercard', iin: /^(?:5[1-5]|2(?:2[2-9]\d|[3-6]\d\d|7[01]\d|720))/, lengths: [16] },
  // Discover before UnionPay: 622126–622925 is Discover's share of UnionPay's range.
  { brand: 'discover', iin: /^(?:6011|64[4-9]|65|622(?:12[6-9]|1[3-9]\d|[2-8]\d\d|9[01]\d|92[0-5]))/, lengths: [16, 17, 18, 19] },
  { brand: 'unionpay', iin: /^(?:62|81(?:[0-6]\d|7[01]))/, lengths: [16, 17, 18, 19] },
  { brand: 'visa', iin: /^4/, lengths: [13, 16, 19] },
];

/** GS1's EAN-13 / JAN check digit (weights 1,3 from the left): a product barcode, not a card. */
export function ean13Valid(digits: string): boolean {
  if (!/^\d{13}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (digits.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(12) - 48;
}

/**
 * The brand whose IIN range and PAN length `digits` fits, when it is also Luhn-valid. A 13-digit
 * Visa number that is also a valid EAN-13 is read as a barcode: Japanese JAN codes start with
 * 45/49, one in ten passes Luhn, and Visa has not issued 13-digit numbers for decades.
 */
export function cardBrand(digits: string): CardBrand | undefined {
  if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) return undefined;
  for (const rule of BRAND_RULES) {
    if (!rule.iin.test(digits)) continue;
    if (!rule.lengths.includes(digits.length)) continue;
    if (rule.brand === 'visa' && digits.length === 13 && ean13Valid(digits)) return undefined;
    return rule.brand;
  }
  return undefined;
}

export interface CardNumberMatch {
  /** UTF-16 offsets into the text given: text.slice(start, end) is the number as written. */
  start: number;
  end: number;
  /** The ASCII digits. Never log or store this; show `maskCardNumber(digits)`. */
  digits: string;
  brand: CardBrand;
}

/** First six and last four, as PCI DSS 3.4.1 allows to be shown: 424242******4242. */
export function maskCardNumber(digits: string): string {
  return digits.length < 13 ? '*'.repeat(digits.length) : `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

// Percent-encoded separators are replaced by one space plus filler of the same length, so match
// offsets stay offsets into the original text; the run pattern below skips the filler.
const FILLER = '\u0000';
const SEP_CHARS = String.raw`[ \t\u00a0\u3000.+\-\u2010-\u2015\u2212\u30fc\uff0d]`;
const RUN_IN_PLAIN = new RegExp(String.raw`(?<![0-9\uff10-\uff19])(?:${DIGIT}(?:${SEP_CHARS}${FILLER}*){0,3}){12,}${DIGIT}(?![0-9\uff10-\uff19])`, 'g');

function withPercentSeparatorsBlanked(text: string): string {
  return text.includes('%') ? text.replace(PERCENT_SEP, (m) => ' ' + FILLER.repeat(m.length - 1)) : text;
}

/**
 * Whether text[start, end) lies inside a long hexadecimal token (a SHA-256 or SHA-1 digest, an
 * ETag, a hashed token): about one digest in 25 holds a run of 13+ digits, and an audit log or
 * session table holds thousands of digests. No card number is written glued inside hex.
 */
function insideHexToken(text: string, start: number, end: number): boolean {
  const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  let a = start;
  let b = end;
  while (a > 0 && isAlnum(text.charCodeAt(a - 1))) a--;
  while (b < text.length && isAlnum(text.charCodeAt(b))) b++;
  if (b - a >= 24) {
    const token = text.slice(a, b);
    if (/^[0-9a-fA-F]+$/.test(token) && /[a-fA-F]/.test(token)) return true;
  }
  return insideUuid(text, start, end);
}

/**
 * A run inside a UUID (36 characters, 8-4-4-4-12 hex digits): dashes join its groups, so a random
 * id like 3d4cf829-3ddc-4371-8542-79701bc03ab9 holds a 13-digit run that can be Luhn-valid.
 */
function insideUuid(text: string, start: number, end: number): boolean {
  const isUuidChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 45;
  let a = start;
  let b = end;
  while (a > 0 && isUuidChar(text.charCodeAt(a - 1))) a--;
  while (b < text.length && isUuidChar(text.charCodeAt(b))) b++;
  const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if ((a > 0 && isAlnum(text.charCodeAt(a - 1))) || (b < text.length && isAlnum(text.charCodeAt(b)))) return false;
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(text.slice(a, b));
}

/** Card numbers in one maximal digit run: the whole run, or windows aligned with its gaps. */
function cardsInRun(run: string, offset: number): CardNumberMatch[] {
  const digits: string[] = [];
  const at: number[] = [];
  const groupStarts = new Set<number>([0]);
  /** Group starts whose separator before them holds a dot. */
  const afterDot = new Set<number>();
  let sep = '';
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19)) {
      if (sep) {
        groupStarts.add(digits.length);
        if (sep.includes('.')) afterDot.add(digits.length);
      }
      digits.push(asciiDigit(run[i]!));
      at.push(offset + i);
      sep = '';
    } else {
      sep += run[i];
    }
  }
  const all = digits.join('');
  // A decimal number ("responseTime":1332.4872969999851) is no card, nor is its fraction.
  if (/^[0-9]+\.[0-9]+$/.test(run)) return [];
  const match = (from: number, to: number): CardNumberMatch | undefined => {
    const d = all.slice(from, to);
    // 13 digits only as a whole run: a 13-digit Visa is long obsolete, and a 13-digit window in a
    // longer run is mostly a timestamp's or a fraction's tail.
    if (d.length === 13 && (from > 0 || to < all.length)) return undefined;
    const brand = cardBrand(d);
    return brand ? { start: at[from]!, end: at[to - 1]! + 1, digits: d, brand } : undefined;
  };
  // The whole run counts when it is written the way people write a card: unbroken, digit by
  // digit, or in groups of four or more (the last may be shorter). "5-1-1 4950198538488" — a
  // block-and-lot address before a JAN code — is 16 Luhn-valid digits but no one's card.
  const groups = [...groupStarts, all.length].slice(1).map((g, i) => g - [...groupStarts][i]!);
  const wholePlausible = groups.length === 1 || groups.every((l) => l === 1) || groups.slice(0, -1).every((l) => l >= 4);
  const whole = wholePlausible ? match(0, all.length) : undefined;
  if (whole) return [whole];
  // A card with something glued on (the expiry, a CVV after a gap): windows that start and end
  // where the writer left a gap or, in one unbroken run too long to be one card ("card+expiry"
  // typed without a space), that start or end the run. Windows ending mid-group inside a run
  // with gaps would match one "timestamp date" pair in six.
  const tooLong = all.length > 19 && groupStarts.size === 1;
  groupStarts.add(all.length);
  const found: CardNumberMatch[] = [];
  let from = 0;
  const starts = [...groupStarts].sort((a, b) => a - b);
  // Inside a longer run, a window must also be grouped as cards are printed or typed: unbroken,
  // 4-4-4-4(-3) or 4-6-5 / 4-6-4. A phone number next to a postal code ("090-3407-5678 100-0001")
  // otherwise yields an "Amex" of 4-4-3-4 digits.
  const groupedLikeACard = (s: number, e: number) => {
    const cuts = starts.filter((g) => g > s && g < e);
    if (cuts.length === 0) return true;
    const lengths = [s, ...cuts, e].slice(1).map((g, i) => g - [s, ...cuts][i]!);
    const shape = lengths.join('-');
    return shape === '4-6-5' || shape === '4-6-4' || (lengths.slice(0, -1).every((l) => l === 4) && lengths.at(-1)! <= 4);
  };
  // Next to a dot, a window is a decimal's fraction or integer part ("2065.029 12.38287227566182")
  // unless it is itself dotted like a card (4242.4242.4242.4242).
  const besideDecimal = (s: number, e: number) => (afterDot.has(s) || afterDot.has(e)) && !starts.some((g) => g > s && g < e && afterDot.has(g));
  const take = (s: number, e: number) => {
    if (s < from || !groupedLikeACard(s, e) || besideDecimal(s, e)) return false;
    const m = match(s, e);
    if (m) { found.push(m); from = e; }
    return m !== undefined;
  };
  for (const s of starts) {
    for (let len = 19; len >= 13; len--) {
      const e = s + len;
      if (e > all.length || (!groupStarts.has(e) && !tooLong)) continue;
      if (take(s, e)) break;
    }
  }
  if (tooLong) {
    for (const e of starts) {
      for (let len = 19; len >= 13; len--) {
        if (e - len < 0) continue;
        if (take(e - len, e)) break;
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Every card number in `text` with its position, in any common spelling (plain, spaces, hyphens,
 * dots, form- or percent-encoded spaces, full-width digits): Luhn-valid, in a brand's IIN range
 * and of that brand's length.
 */
export function findCardNumbers(text: string): CardNumberMatch[] {
  if (text.length < 13 || !ANY_DIGIT_RUN_HINT.test(text)) return [];
  const plain = withPercentSeparatorsBlanked(text);
  const found: CardNumberMatch[] = [];
  for (const m of plain.matchAll(RUN_IN_PLAIN)) {
    if (insideHexToken(plain, m.index, m.index + m[0].length)) continue;
    found.push(...cardsInRun(m[0], m.index));
  }
  return found;
}

/** `text` with every card number `findCardNumbers` sees replaced by `mark`. */
export function redactCardNumbers(text: string, mark = '[redacted-pan]'): string {
  const found = findCardNumbers(text);
  if (found.length === 0) return text;
  let out = '';
  let last = 0;
  for (const m of found) {
    out += text.slice(last, m.start) + mark;
    last = m.end;
  }
  return out + text.slice(last);
}

/**
 * Replaces the digit runs (13 or more digits, with separators) that `redact(digits)` picks, and
 * every card number `findCardNumbers` sees, by `mark`. For logs: `redact` lets a caller also
 * hide what is nearly a card (a mistyped one) without hiding every barcode and timestamp.
 */
export function redactCardNumbersAndRuns(text: string, redact: (digits: string, groups: number[]) => boolean, mark = '[redacted-pan]'): string {
  const cards = redactCardNumbers(text, mark);
  if (cards.length < 13 || !ANY_DIGIT_RUN_HINT.test(cards)) return cards;
  const plain = withPercentSeparatorsBlanked(cards);
  let out = '';
  let last = 0;
  for (const m of plain.matchAll(RUN_IN_PLAIN)) {
    const groups = [...m[0].matchAll(/[0-9\uff10-\uff19]+/g)].map((g) => g[0].length);
    const digits = [...m[0]].filter((ch) => /[0-9\uff10-\uff19]/.test(ch)).map(asciiDigit).join('');
    if (insideHexToken(plain, m.index, m.index + m[0].length) || !redact(digits, groups)) continue;
    out += cards.slice(last, m.index) + mark;
    last = m.index + m[0].length;
  }
  return last === 0 ? cards : out + cards.slice(last);
}
