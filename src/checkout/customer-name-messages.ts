// Words for the 姓・名・フリガナ fields and the postal-code fill, in Japanese and English. Kept
// beside the form they label (as src/monthly-report/report-messages.ts), so the shared catalogs
// in src/i18n only grow by what every page uses.
import type { Locale } from '../i18n/locale.ts';

const ja = {
  familyName: '姓',
  givenName: '名',
  familyNameKana: 'セイ（フリガナ）',
  givenNameKana: 'メイ（フリガナ）',
  nameLegend: 'お名前',
  kanaHint: 'カタカナ（ひらがなでも入力できます）',
  kana: 'フリガナはカタカナで入力してください（ひらがなは自動でカタカナにします）。',
  postalCodeHint: '7桁（例：100-0001）。入力すると都道府県と市区町村が入ります。',
  postalFilled: '郵便番号から都道府県・市区町村を入力しました。内容をご確認のうえ、もう一度「注文を確定」を押してください。',
  postalFound: (place: string) => `郵便番号から「${place}」を入力しました。番地以降を入力してください。`,
  postalNotFound: 'この郵便番号の住所が見つかりませんでした。都道府県と市区町村を入力してください。',
  postalLookup: '住所を検索',
} as const;

type NameMessages = { [K in keyof typeof ja]: (typeof ja)[K] extends (...a: infer A) => string ? (...a: A) => string : string };

const en: NameMessages = {
  familyName: 'Family name',
  givenName: 'Given name',
  familyNameKana: 'Family name (katakana)',
  givenNameKana: 'Given name (katakana)',
  nameLegend: 'Name',
  kanaHint: 'Katakana (hiragana is converted for you)',
  kana: 'Enter the reading in katakana (hiragana is converted automatically).',
  postalCodeHint: '7 digits (e.g. 100-0001). Prefecture and city are filled in from it.',
  postalFilled: 'We filled in the prefecture and city from the postal code. Please check them and press "Place order" again.',
  postalFound: (place: string) => `Filled in "${place}" from the postal code. Please add the street address.`,
  postalNotFound: 'No address was found for this postal code. Please enter the prefecture and city.',
  postalLookup: 'Find address',
};

export function customerNameMessages(locale: Locale): NameMessages {
  return locale === 'en' ? en : ja;
}
