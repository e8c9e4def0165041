// Tracking links in the shipped mail: the carriers Japanese shops ship with most, each with the
// public tracking page that takes the number in its URL. A carrier not listed gets the number
// only. The merchant types the carrier's name, so the usual Japanese and English forms match.

export interface Carrier {
  name: string;
  /** Names a merchant may type for this carrier (compared after NFKC, case- and space-insensitive). */
  aliases: readonly string[];
  /** `{number}`: the tracking number, digits and letters only. */
  trackingUrl: string;
}

export const CARRIERS: readonly Carrier[] = [
  { name: 'ヤマト運輸', aliases: ['ヤマト運輸', 'ヤマト', 'クロネコヤマト', '宅急便', 'yamato', 'yamato transport', 'kuroneko'], trackingUrl: 'https://jizen.kuronekoyamato.co.jp/jizen/servlet/crjz.b.NQ0010?id={number}' },
  { name: '日本郵便', aliases: ['日本郵便', 'ゆうパック', 'ゆうパケット', '郵便', 'japan post', 'japanpost', 'yu-pack'], trackingUrl: 'https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1={number}' },
  { name: '佐川急便', aliases: ['佐川急便', '佐川', 'sagawa', 'sagawa express'], trackingUrl: 'https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo={number}' },
];

const key = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

export function findCarrier(name: string): Carrier | undefined {
  const k = key(name);
  return CARRIERS.find((c) => c.aliases.some((a) => key(a) === k));
}

/** The carrier's tracking page for the number, or undefined (unknown carrier, or a number that is not a plain code). */
export function trackingUrl(carrier: string, trackingNumber: string): string | undefined {
  const c = findCarrier(carrier);
  if (!c || !/^[A-Za-z0-9-]{1,40}$/.test(trackingNumber)) return undefined;
  return c.trackingUrl.replace('{number}', encodeURIComponent(trackingNumber.replace(/-/g, '')));
}
