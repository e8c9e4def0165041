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
