// The delivery regions Japanese carriers price by (ヤマト, 佐川 and 日本郵便 all use this grouping,
// with small differences the merchant covers by per-prefecture overrides in the fee table).
import { PREFECTURES } from '../checkout/prefectures.ts';

export interface Region { code: string; ja: string; en: string; prefectures: readonly string[] }

export const REGIONS: readonly Region[] = [
  { code: 'hokkaido', ja: '北海道', en: 'Hokkaido', prefectures: ['北海道'] },
  { code: 'tohoku', ja: '東北', en: 'Tohoku', prefectures: ['青森県', '岩手県', '宮城県', '秋田県', '山形県', '福島県'] },
  { code: 'kanto', ja: '関東', en: 'Kanto', prefectures: ['茨城県', '栃木県', '群馬県', '埼玉県', '千葉県', '東京都', '神奈川県', '山梨県'] },
  { code: 'shinetsu', ja: '信越', en: 'Shinetsu', prefectures: ['新潟県', '長野県'] },
  { code: 'hokuriku', ja: '北陸', en: 'Hokuriku', prefectures: ['富山県', '石川県', '福井県'] },
  { code: 'tokai', ja: '東海', en: 'Tokai', prefectures: ['岐阜県', '静岡県', '愛知県', '三重県'] },
  { code: 'kinki', ja: '近畿', en: 'Kinki', prefectures: ['滋賀県', '京都府', '大阪府', '兵庫県', '奈良県', '和歌山県'] },
  { code: 'chugoku', ja: '中国', en: 'Chugoku', prefectures: ['鳥取県', '島根県', '岡山県', '広島県', '山口県'] },
  { code: 'shikoku', ja: '四国', en: 'Shikoku', prefectures: ['徳島県', '香川県', '愛媛県', '高知県'] },
  { code: 'kyushu', ja: '九州', en: 'Kyushu', prefectures: ['福岡県', '佐賀県', '長崎県', '熊本県', '大分県', '宮崎県', '鹿児島県'] },
  { code: 'okinawa', ja: '沖縄', en: 'Okinawa', prefectures: ['沖縄県'] },
];

const REGION_OF = new Map(REGIONS.flatMap((r) => r.prefectures.map((p) => [p, r] as const)));

/** The region of a prefecture (Japanese name as stored on orders), or undefined for anything else. */
export function regionOf(prefecture: string): Region | undefined {
  return REGION_OF.get(prefecture);
}

export const PREFECTURE_NAMES: ReadonlySet<string> = new Set(PREFECTURES.map((p) => p.ja));
export const REGION_CODES: ReadonlySet<string> = new Set(REGIONS.map((r) => r.code));
