// Wording of the back office's coupon page (ja/en).
import type { Locale } from '../i18n/locale.ts';
import type { CouponChangeError } from './coupon-service.ts';

export const COUPON_FIELDS = ['code', 'kind', 'amount', 'minimumSubtotal', 'validFrom', 'validUntil', 'usageLimit', 'perCustomerLimit'] as const;
export type CouponField = (typeof COUPON_FIELDS)[number];
export type CouponState = 'active' | 'disabled' | 'notYetValid' | 'expired' | 'usedUp';

const ja = {
  title: 'クーポン',
  intro: 'クーポンコードはお客様がカートで入力します。停止したクーポンは使えなくなり、元に戻せません。',
  code: 'コード', kind: '種類', amount: '割引', minimum: '最低注文金額', validity: '有効期間', uses: '利用数／上限', state: '状態', actions: '操作',
  kinds: { fixed: '定額（円）', percent: '割合（％）' },
  amountFixed: (yen: string) => `${yen}引き`, amountPercent: (p: number) => `${p}％引き`,
  noLimit: '上限なし', perCustomer: (n: number) => `（お客様ごと${n}回まで）`, always: '期限なし', from: (t: string) => `${t} から`, until: (t: string) => `${t} まで`,
  states: { active: '有効', disabled: '停止', notYetValid: '開始前', expired: '期限切れ', usedUp: '上限到達' } satisfies Record<CouponState, string>,
  none: 'クーポンはまだありません。',
  create: 'クーポンを作成', add: '作成',
  fields: {
    code: 'コード（半角英数字・ハイフン・下線、3〜32文字）', kind: '種類', amount: '割引額（円）または割引率（1〜100％）',
    minimumSubtotal: '最低注文金額（円、税込。空欄なら0）', validFrom: '開始日時（店舗の時間帯。空欄ならすぐ）', validUntil: '終了日時（店舗の時間帯。空欄なら期限なし）',
    usageLimit: '全体の利用上限（空欄なら上限なし）', perCustomerLimit: 'お客様ごとの利用上限（空欄なら上限なし）',
  } satisfies Record<CouponField, string>,
  fieldErrors: {
    code: '半角英数字・ハイフン・下線で3〜32文字のコードを入力してください。', kind: '種類を選んでください。',
    amount: '割引額は1円以上、割引率は1〜100％の整数で入力してください。', minimumSubtotal: '0以上の整数（円）で入力してください。',
    validFrom: '日時の形式が正しくありません。', validUntil: '終了日時は開始日時より後にしてください。',
    usageLimit: '1以上の整数で入力するか、空欄にしてください。', perCustomerLimit: '1以上の整数で入力するか、空欄にしてください。',
  } satisfies Record<CouponField, string>,
  disable: '停止', disableOf: (code: string) => `クーポン ${code} を停止`,
  created: 'クーポンを作成しました。', disabled: 'クーポンを停止しました。',
  invalid: '入力内容をご確認ください。', cardNumber: 'カード番号は入力できません。',
  errors: {
    CODE_TAKEN: 'このコードはすでに使われています。', COUPON_NOT_FOUND: 'クーポンが見つかりません。', ALREADY_DISABLED: 'このクーポンはすでに停止しています。',
  } satisfies Record<CouponChangeError, string>,
};

export type CouponAdminMessages = typeof ja;

const en: CouponAdminMessages = {
  title: 'Coupons',
  intro: 'Customers enter a coupon code in the cart. A disabled coupon can no longer be used, and cannot be re-enabled.',
  code: 'Code', kind: 'Kind', amount: 'Discount', minimum: 'Minimum order', validity: 'Valid', uses: 'Uses / limit', state: 'State', actions: 'Actions',
  kinds: { fixed: 'Fixed amount (yen)', percent: 'Percentage (%)' },
  amountFixed: (yen) => `${yen} off`, amountPercent: (p) => `${p}% off`,
  noLimit: 'no limit', perCustomer: (n) => `(${n} per customer)`, always: 'always', from: (t) => `from ${t}`, until: (t) => `until ${t}`,
  states: { active: 'Active', disabled: 'Disabled', notYetValid: 'Not yet valid', expired: 'Expired', usedUp: 'Used up' },
  none: 'No coupons yet.',
  create: 'Create a coupon', add: 'Create',
  fields: {
    code: 'Code (letters, digits, hyphen, underscore; 3–32 characters)', kind: 'Kind', amount: 'Amount (yen) or percentage (1–100)',
    minimumSubtotal: 'Minimum order (yen, tax included; empty: 0)', validFrom: 'Valid from (shop time; empty: at once)', validUntil: 'Valid until (shop time; empty: no end)',
    usageLimit: 'Overall limit of uses (empty: none)', perCustomerLimit: 'Limit per customer (empty: none)',
  },
  fieldErrors: {
    code: 'Enter a code of 3–32 letters, digits, hyphens or underscores.', kind: 'Choose a kind.',
    amount: 'Enter a whole amount of at least 1 yen, or a percentage from 1 to 100.', minimumSubtotal: 'Enter a whole number of yen, 0 or more.',
    validFrom: 'The date and time are not valid.', validUntil: 'The end must be after the start.',
    usageLimit: 'Enter a whole number of at least 1, or leave it empty.', perCustomerLimit: 'Enter a whole number of at least 1, or leave it empty.',
  },
  disable: 'Disable', disableOf: (code) => `Disable coupon ${code}`,
  created: 'Coupon created.', disabled: 'Coupon disabled.',
  invalid: 'Please check the fields.', cardNumber: 'Card numbers cannot be entered here.',
  errors: { CODE_TAKEN: 'This code is already used.', COUPON_NOT_FOUND: 'Coupon not found.', ALREADY_DISABLED: 'This coupon is already disabled.' },
};

export function couponAdminMessages(locale: Locale): CouponAdminMessages {
  return locale === 'en' ? en : ja;
}
