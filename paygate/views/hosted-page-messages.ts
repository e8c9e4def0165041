// Every string on the hosted pages, in Japanese and English. The English field labels
// are part of the contract (tests and password managers find fields by them).
import type { CardFieldError } from '../card-form.ts';

export type Locale = 'ja' | 'en';

const en = {
  htmlTitle: 'Payment — Mamori sandbox gateway',
  sandboxNotice: 'Sandbox gateway: no real money moves. Use a test card only.',
  payTo: 'Payment to',
  amount: 'Amount',
  order: 'Order',
  cardDetails: 'Card details',
  cardNumber: 'Card number',
  expiry: 'Expiry (MM/YY)',
  securityCode: 'Security code',
  cardholderName: 'Cardholder name',
  securityCodeHint: '3 digits on the back of the card (4 on the front for American Express)',
  expiryHint: 'For example 12/30',
  pay: 'Pay',
  cancel: 'Cancel',
  errorSummary: 'Please correct the following:',
  challengeTitle: '3-D Secure authentication',
  challengeText: 'Your card issuer asks you to confirm this payment with a one-time code.',
  challengeSandboxHint: 'Sandbox: the code 123456 passes; any other code fails.',
  oneTimeCode: 'One-time code',
  verify: 'Verify',
  cardEnding: 'Card ending in',
  notOpenTitle: 'This payment is no longer open',
  notOpenText: 'It has already been completed, cancelled or has expired.',
  backToShop: 'Back to the shop',
  notFoundTitle: 'Payment not found',
  notFoundText: 'Check the link you followed, or start the payment again from the shop.',
  csrfTitle: 'The form expired',
  csrfText: 'For your security the form could not be accepted. Please reload the payment page and try again.',
  reloadPaymentPage: 'Reload the payment page',
  language: 'Language',
  tooManyTitle: 'Too many attempts',
  tooManyText: 'For your security, payment attempts from your connection are paused for a minute. Please wait and try again.',
  errors: {
    CARD_NUMBER_REQUIRED: 'Enter the card number.',
    CARD_NUMBER_INVALID: 'This card number is not valid. Check the digits.',
    CARD_NOT_A_TEST_CARD: 'This sandbox accepts only the published test cards.',
    EXPIRY_REQUIRED: 'Enter the expiry date as MM/YY.',
    EXPIRY_INVALID: 'Enter the expiry date as MM/YY, for example 12/30.',
    EXPIRY_PAST: 'This card has expired.',
    SECURITY_CODE_REQUIRED: 'Enter the security code.',
    SECURITY_CODE_INVALID_3: 'The security code is 3 digits.',
    SECURITY_CODE_INVALID_4: 'The security code is 4 digits for American Express.',
    CARDHOLDER_NAME_REQUIRED: 'Enter the name as shown on the card.',
    CARDHOLDER_NAME_INVALID: 'Enter the name as shown on the card (up to 100 characters).',
  } satisfies Record<CardFieldError, string>,
};

export type HostedPageMessages = typeof en;

const ja: HostedPageMessages = {
  htmlTitle: 'お支払い — Mamori サンドボックス決済',
  sandboxNotice: 'サンドボックス決済です。実際の請求は発生しません。テストカードのみご利用ください。',
  payTo: 'お支払い先',
  amount: '金額',
  order: 'ご注文',
  cardDetails: 'カード情報',
  cardNumber: 'カード番号',
  expiry: '有効期限 (MM/YY)',
  securityCode: 'セキュリティコード',
  cardholderName: 'カード名義人',
  securityCodeHint: 'カード裏面の3桁（American Express は表面の4桁）',
  expiryHint: '例: 12/30',
  pay: '支払う',
  cancel: 'キャンセル',
  errorSummary: '次の項目をご確認ください:',
  challengeTitle: '3-D セキュア本人認証',
  challengeText: 'カード発行会社がワンタイムコードによる本人確認を求めています。',
  challengeSandboxHint: 'サンドボックス: コード 123456 で認証に成功し、それ以外は失敗します。',
  oneTimeCode: 'ワンタイムコード',
  verify: '認証する',
  cardEnding: '末尾',
  notOpenTitle: 'このお支払いは受け付けを終了しています',
  notOpenText: 'すでに完了・キャンセル済み、または有効期限が切れています。',
  backToShop: 'ショップに戻る',
  notFoundTitle: 'お支払いが見つかりません',
  notFoundText: 'リンクをご確認いただくか、ショップからもう一度お手続きください。',
  csrfTitle: 'フォームの有効期限が切れました',
  csrfText: '安全のため送信を受け付けられませんでした。お支払いページを再読み込みして、もう一度お試しください。',
  reloadPaymentPage: 'お支払いページを再読み込み',
  language: '言語',
  tooManyTitle: '試行回数が多すぎます',
  tooManyText: '安全のため、お使いの接続からのお支払い操作を1分間停止しています。しばらくしてからもう一度お試しください。',
  errors: {
    CARD_NUMBER_REQUIRED: 'カード番号を入力してください。',
    CARD_NUMBER_INVALID: 'カード番号が正しくありません。数字をご確認ください。',
    CARD_NOT_A_TEST_CARD: 'このサンドボックスでは公開されているテストカードのみ利用できます。',
    EXPIRY_REQUIRED: '有効期限を MM/YY の形式で入力してください。',
    EXPIRY_INVALID: '有効期限を MM/YY の形式で入力してください（例: 12/30）。',
    EXPIRY_PAST: 'このカードは有効期限が切れています。',
    SECURITY_CODE_REQUIRED: 'セキュリティコードを入力してください。',
    SECURITY_CODE_INVALID_3: 'セキュリティコードは3桁です。',
    SECURITY_CODE_INVALID_4: 'American Express のセキュリティコードは4桁です。',
    CARDHOLDER_NAME_REQUIRED: 'カードに記載されている名義を入力してください。',
    CARDHOLDER_NAME_INVALID: 'カードに記載されている名義を100文字以内で入力してください。',
  },
};

export const HOSTED_PAGE_MESSAGES: Record<Locale, HostedPageMessages> = { ja, en };

export function formatYen(amount: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-JP', { style: 'currency', currency: 'JPY' }).format(amount);
}
