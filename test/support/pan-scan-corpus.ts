// The labelled precision corpus for card-number detection (pan-scan, log masking): strings a shop
// really holds that are not card numbers, and card numbers of every brand in every spelling.
// Generated from a fixed seed, so every run (test, bench) sees the same strings.
import { createHash } from 'node:crypto';

/** mulberry32: a tiny seeded PRNG; deterministic output is the point, not quality. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CorpusEntry { kind: string; text: string }
export interface CardCorpusEntry extends CorpusEntry { brand: string; digits: string; spelling: string }

function digitsOf(random: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(random() * 10);
  return s;
}
const pad = (n: number, w: number) => String(n).padStart(w, '0');

function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function ean13CheckDigit(body12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (body12.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

/** At least 1,000 strings a Japanese shop holds that are not card numbers. */
export function nonCardCorpus(seed = 12): CorpusEntry[] {
  const r = seeded(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const out: CorpusEntry[] = [];
  const add = (kind: string, text: string) => out.push({ kind, text });
  const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  for (let i = 0; i < 150; i++) {
    // The shop's own order numbers (src/orders/order-access.ts: MA-XXXX-XXXX, Crockford base32),
    // some all digits by chance.
    const chars = Array.from({ length: 8 }, () => (i % 3 === 0 ? pick([...'0123456789']) : pick([...BASE32]))).join('');
    add('order-number', `MA-${chars.slice(0, 4)}-${chars.slice(4)}`);
  }
  for (let i = 0; i < 200; i++) {
    const mobile = `${pick(['090', '080', '070'])}-${digitsOf(r, 4)}-${digitsOf(r, 4)}`;
    const land = `${pick(['03', '06', '052', '011', '092', '0120', '0570'])}-${digitsOf(r, 3)}-${digitsOf(r, 4)}`;
    const spelled = [mobile, land, mobile.replace(/-/g, ''), mobile.replace(/-/g, ' '), `+81 ${mobile.slice(1).replace(/-/g, ' ')}`, `+81-${mobile.slice(1)}`, `(${land.replace('-', ')')}`, `TEL: ${land} / 携帯 ${mobile}`];
    add('phone', spelled[i % spelled.length]!);
  }
  for (let i = 0; i < 100; i++) {
    const code = `${digitsOf(r, 3)}-${digitsOf(r, 4)}`;
    add('postal-code', [code, `〒${code}`, code.replace('-', ''), `〒${code} 東京都千代田区千代田1-1-${1 + (i % 30)}`][i % 4]!);
  }
  for (let i = 0; i < 200; i++) {
    // JAN codes (Japan's EAN-13, GS1 prefixes 45 and 49) with their real check digit.
    const body = `${pick(['45', '49'])}${digitsOf(r, 10)}`;
    const jan = body + ean13CheckDigit(body);
    add('jan-ean13', [jan, `JAN ${jan}`, `${jan.slice(0, 1)} ${jan.slice(1, 7)} ${jan.slice(7)}`, `sku:${jan}`][i % 4]!);
  }
  const from = Date.UTC(2019, 0, 1);
  const span = Date.UTC(2030, 0, 1) - from;
  for (let i = 0; i < 200; i++) {
    const ms = from + Math.floor(r() * span);
    const iso = new Date(ms).toISOString();
    add('timestamp', [String(ms), String(Math.floor(ms / 1000)), `${ms}${digitsOf(r, 3)}`, iso, iso.replace('T', ' ').replace('Z', ''), `${iso.slice(0, 10).replace(/-/g, '/')} ${iso.slice(11, 19)}`, `"time":${ms}`, `${iso.slice(0, 19)}+09:00`][i % 8]!);
  }
  for (let i = 0; i < 100; i++) {
    const hex = Array.from({ length: 32 }, () => pick([...'0123456789abcdef'])).join('');
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${pick(['8', '9', 'a', 'b'])}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    add('uuid', i % 2 ? uuid : uuid.toUpperCase());
  }
  for (let i = 0; i < 150; i++) {
    const h = createHash(pick(['sha256', 'sha1', 'md5'])).update(`mamori-${seed}-${i}`).digest('hex');
    add('hex-digest', [h, `sha256:${h}`, `"etag":"${h.slice(0, 27)}"`][i % 3]!);
  }
  for (let i = 0; i < 150; i++) {
    const yen = Math.floor(r() * 10 ** (1 + Math.floor(r() * 9)));
    add('amount', [`¥${yen.toLocaleString('en-US')}`, `${yen}円`, `${yen.toLocaleString('ja-JP')} JPY`, String(yen), `合計 ${yen.toLocaleString('en-US')}円（税込）`][i % 5]!);
  }
  for (let i = 0; i < 50; i++) {
    // Carrier tracking numbers (Yamato, Sagawa, Japan Post: 12 digits, often 4-4-4).
    const t = digitsOf(r, 12);
    add('tracking-number', [t, `${t.slice(0, 4)}-${t.slice(4, 8)}-${t.slice(8)}`][i % 2]!);
  }
  for (let i = 0; i < 50; i++) add('ip-address', `${1 + Math.floor(r() * 254)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${1 + Math.floor(r() * 254)}`);
  for (let i = 0; i < 100; i++) {
    // Address lines: chome-ban-go numbers, rooms, buildings.
    add('address-line', [`千代田${1 + (i % 9)}-${1 + (i % 23)}-${1 + (i % 17)}`, `${1 + (i % 5)}丁目${i % 30}番${i % 12}号 ${100 + i}号室`, `${1 + (i % 9)}-${1 + (i % 3)}-${1 + (i % 40)} メゾン${i} ${200 + i}`, `Minato-ku 6-10-1 Roppongi Hills ${i % 50}F`][i % 4]!);
  }
  for (let i = 0; i < 50; i++) add('date', `${2020 + (i % 10)}-${pad(1 + (i % 12), 2)}-${pad(1 + (i % 28), 2)} ${pad(i % 24, 2)}:${pad(i % 60, 2)}`);
  // Two of the above side by side, as they meet in a log line or an address field.
  const singles = out.length;
  for (let i = 0; i < 300; i++) add('combined', `${out[Math.floor(r() * singles)]!.text} ${out[Math.floor(r() * singles)]!.text}`);
  return out;
}

type BrandSpec = { brand: string; prefixes: () => string; length: number };

/** Card numbers of every brand accepted in Japan, in every spelling people and encoders use. */
export function cardCorpus(perBrand = 100, seed = 12): CardCorpusEntry[] {
  const r = seeded(seed + 1);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const brands: BrandSpec[] = [
    { brand: 'visa', prefixes: () => '4', length: 16 },
    { brand: 'mastercard', prefixes: () => String(int(51, 55)), length: 16 },
    { brand: 'mastercard-2-series', prefixes: () => String(int(2221, 2720)), length: 16 },
    { brand: 'amex', prefixes: () => (r() < 0.5 ? '34' : '37'), length: 15 },
    { brand: 'jcb', prefixes: () => String(int(3528, 3589)), length: 16 },
    { brand: 'diners-14', prefixes: () => '36', length: 14 },
    { brand: 'diners', prefixes: () => String(r() < 0.5 ? int(300, 305) : int(38, 39)), length: 16 },
    { brand: 'discover', prefixes: () => ['6011', String(int(644, 649)), '65'][int(0, 2)]!, length: 16 },
    { brand: 'unionpay', prefixes: () => `62${int(0, 9)}`, length: 16 },
    { brand: 'unionpay-19', prefixes: () => '62', length: 19 },
  ];
  const out: CardCorpusEntry[] = [];
  for (const spec of brands) {
    for (let i = 0; i < perBrand; i++) {
      const prefix = spec.prefixes();
      const body = prefix + digitsOf(r, spec.length - 1 - prefix.length);
      const digits = body + luhnCheckDigit(body);
      for (const [spelling, text] of spellings(digits)) out.push({ kind: 'card', brand: spec.brand, digits, spelling, text });
    }
  }
  return out;
}

/** Groupings as printed on the card (4-4-4-4; 4-6-5 Amex; 4-6-4 Diners 14) and as typed. */
function groupsOf(digits: string): number[][] {
  const fours = digits.match(/.{1,4}/g)!.map((g) => g.length);
  if (digits.length === 15) return [fours, [4, 6, 5]];
  if (digits.length === 14) return [fours, [4, 6, 4]];
  return [fours];
}

export function spellings(digits: string): [string, string][] {
  const out: [string, string][] = [['plain', digits]];
  for (const groups of groupsOf(digits)) {
    const parts: string[] = [];
    let at = 0;
    for (const g of groups) { parts.push(digits.slice(at, at + g)); at += g; }
    const shape = groups.join('-');
    out.push([`spaces ${shape}`, parts.join(' ')], [`hyphens ${shape}`, parts.join('-')], [`dots ${shape}`, parts.join('.')]);
  }
  const four = digits.match(/.{1,4}/g)!;
  out.push(['in a sentence', `備考: カード番号 ${four.join(' ')} で払います`], ['form-encoded', `note=${four.join('+')}&x=1`], ['percent-encoded', four.join('%20')]);
  return out;
}
