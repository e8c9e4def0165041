// Back-office wording of the incident scope (ja/en).
import type { Locale } from '../i18n/locale.ts';
import type { ScopeCriterion } from './scope-tables.ts';

const ja = {
  title: (ref: string) => `${ref} 影響範囲`,
  intro: '期間と条件を指定して、影響を受けた可能性のある注文とお客様を特定します。結果の件数はインシデントに保存され、個人情報保護委員会への報告書（本人の数）に使われます。',
  criterion: '条件',
  criteria: { card_paid: 'カードで支払われた注文（支払日時が期間内）', payment_started: '決済画面への引き渡しまで進んだ注文（決済開始が期間内。失敗・取消も含む）' } satisfies Record<ScopeCriterion, string>,
  noAccounts: 'このショップには会員アカウントがないため（ゲスト購入のみ）、「ログインしたアカウント」という条件はありません。お客様はメールアドレスで数えます。',
  from: '開始（ショップの時刻）', to: '終了（この時刻を含まない）',
  emails: '対象をメールアドレスで絞り込む（任意、1行に1件。フォレンジック調査の結果など）',
  save: '影響範囲を計算して保存',
  stored: '保存された影響範囲', orders: '注文数', persons: '本人の数（メールアドレス）', computedAt: '計算日時', period: '期間',
  none: 'まだ影響範囲は保存されていません。',
  customers: '影響を受けたお客様', rows: '対象の取引', next: '次へ',
  export: 'ゲートウェイ・カード会社向けエクスポート', csv: 'CSV', json: 'JSON',
  exportNote: 'エクスポートに含まれるのは注文番号、ゲートウェイの取引ID、金額、日時だけです。カード番号は含まれません（ショップは保持していません）。ブランドと下4桁の列は、ショップの決済記録にないため空欄です。ゲートウェイが取引IDから補えます。',
  invalid: '入力内容を確認してください（期間の終了は開始より後、メールアドレスは正しい形式で）。',
  email: 'メール', name: '氏名', orderNumber: '注文番号', transactionId: '取引ID', amount: '金額', at: '日時',
  notices: 'お客様への通知へ',
};

export type ScopeMessages = typeof ja;

const en: ScopeMessages = {
  title: (ref: string) => `${ref} scope`,
  intro: 'Choose a period and a criterion to find the orders and customers that may be affected. The counts are stored with the incident and feed the PPC report draft (number of persons).',
  criterion: 'Criterion',
  criteria: { card_paid: 'Orders paid by card (paid within the period)', payment_started: 'Orders that reached the payment hand-off (payment started within the period, declined and cancelled included)' },
  noAccounts: 'This shop has no customer accounts (guest checkout only), so there is no "accounts that logged in" criterion; customers are counted by e-mail address.',
  from: 'From (shop time)', to: 'To (exclusive)',
  emails: 'Narrow to these e-mail addresses (optional, one per line, e.g. from the forensic report)',
  save: 'Compute and save the scope',
  stored: 'Stored scope', orders: 'Orders', persons: 'Persons (e-mail addresses)', computedAt: 'Computed', period: 'Period',
  none: 'No scope saved yet.',
  customers: 'Affected customers', rows: 'Transactions in scope', next: 'Next',
  export: 'Export for the gateway and card companies', csv: 'CSV', json: 'JSON',
  exportNote: 'The export holds order number, gateway transaction id, amount and time only. No card number (the shop has none). The brand and last-four columns are empty because the shop’s payment record holds neither; the gateway can fill them from the transaction id.',
  invalid: 'Please check the input (the period must end after it starts; e-mail addresses must be valid).',
  email: 'E-mail', name: 'Name', orderNumber: 'Order', transactionId: 'Transaction id', amount: 'Amount', at: 'Time',
  notices: 'Customer notices',
};

export function scopeMessages(locale: Locale): ScopeMessages {
  return locale === 'ja' ? ja : en;
}
