// Wording of the shop settings page (/admin/settings) and its dashboard warning, in ja/en.
import type { Locale } from '../i18n/locale.ts';
import type { LegalNoticeItem } from './shop-profile.ts';
import type { SettingsErrorCode, SettingsField } from './shop-settings-form.ts';

const ja = {
  title: 'ショップ設定',
  intro: 'ショップの名前と連絡先は、特定商取引法に基づく表記、メールの署名、領収書に使われます。環境変数の値は、ここで保存するまでの初期値です。',
  subnav: { label: '設定', shop: 'ショップ情報', legal: '法的表記の文面', shipping: '配送設定', payments: '支払い方法' },
  sections: { shop: 'ショップと販売業者', contact: '連絡先', invoice: '適格請求書（インボイス）', display: '表示', bank: '銀行振込の振込先', logo: 'ロゴ' },
  labels: {
    shopName: 'ショップ名', companyName: '販売業者（会社名・屋号）', representative: '運営責任者', postalCode: '郵便番号', address: '所在地',
    phone: '電話番号', email: 'お問い合わせ用メールアドレス', hours: '受付時間', invoiceRegistrant: '登録事業者の区分',
    invoiceRegistrationNumber: '適格請求書発行事業者登録番号', timeZone: 'タイムゾーン', taxDisplay: '価格の表示', bankTransferAccount: '振込先口座', logo: 'ロゴ画像',
  } satisfies Record<SettingsField, string>,
  hints: {
    companyName: '法人は登記上の名称、個人事業者は氏名（屋号を併記できます）。',
    postalCode: '例: 100-0001',
    hours: '例: 平日 10:00〜17:00',
    invoiceRegistrationNumber: 'T と13桁の数字（例: T1234567890123）。未登録なら空欄。',
    bankTransferAccount: '銀行名、支店名、口座種別、口座番号、口座名義を行ごとに。',
    logo: 'PNG・JPEG・WebP、2 MB まで。',
  },
  registrant: { corporation: '法人', individual: '個人事業者' },
  taxDisplay: { inclusive: '税込（総額表示）', exclusive: '税抜' },
  currentLogo: '現在のロゴ',
  removeLogo: 'ロゴを削除する',
  save: '保存',
  saved: 'ショップ設定を保存しました。',
  legalPages: '法的表記の文面',
  legalPagesIntro: '特定商取引法に基づく表記、プライバシーポリシー、ご利用規約の文面を編集します。',
  errors: {
    summary: '入力内容を確認してください。',
    logoAgain: 'ロゴを変える場合は、もう一度ファイルを選んでください。',
    message: (code: SettingsErrorCode, label: string, max?: number): string => ({
      required: `${label}を入力してください。`,
      tooLong: `${label}は${max ?? ''}文字以内で入力してください。`,
      cardNumber: `${label}にカード番号のような数字があります。カード番号は入力しないでください。`,
      postalCode: '郵便番号は7桁の数字で入力してください（例: 100-0001）。',
      phone: '電話番号は数字とハイフンで入力してください（例: 03-1234-5678）。',
      email: 'メールアドレスの形式が正しくありません。',
      invoiceFormat: '登録番号は T と13桁の数字で入力してください。',
      invoiceCheckDigit: '登録番号のチェックデジットが合いません（法人番号の1桁目）。個人事業者の場合は区分を「個人事業者」にしてください。',
      timeZone: 'タイムゾーンを一覧から選んでください。',
      choice: `${label}を選んでください。`,
      logoTooLarge: 'ロゴ画像は2 MB以内にしてください。',
      logoType: 'ロゴ画像は PNG、JPEG、WebP のいずれかにしてください。',
      logoMalware: 'このファイルはウイルス検査で拒否されました。',
      logoScanUnavailable: 'ウイルス検査ができないため、いまはロゴを受け付けられません。しばらくしてからお試しください。',
    })[code],
  },
  warning: {
    title: '特定商取引法に基づく表記が未完成です',
    lead: '次の項目が未設定のため、表記ページに表示できません:',
    fix: 'ショップ設定で入力する',
    ask: 'オーナーに設定を依頼してください。',
    items: { companyName: '販売業者', representative: '運営責任者', address: '所在地', phone: '電話番号', email: 'メールアドレス' } satisfies Record<LegalNoticeItem, string>,
  },
};

export type SettingsMessages = typeof ja;

const en: SettingsMessages = {
  title: 'Shop settings',
  intro: 'The shop\'s name and contact details appear on the legal notice, in the signature of every e-mail and on receipts. Environment variables only give the starting values until you save here.',
  subnav: { label: 'Settings', shop: 'Shop details', legal: 'Legal page texts', shipping: 'Shipping', payments: 'Payment methods' },
  sections: { shop: 'Shop and seller', contact: 'Contact', invoice: 'Qualified invoices', display: 'Display', bank: 'Bank transfer account', logo: 'Logo' },
  labels: {
    shopName: 'Shop name', companyName: 'Seller (company or trade name)', representative: 'Responsible person', postalCode: 'Postal code', address: 'Address',
    phone: 'Phone', email: 'Contact e-mail', hours: 'Hours', invoiceRegistrant: 'Registered as',
    invoiceRegistrationNumber: 'Qualified invoice issuer registration number', timeZone: 'Time zone', taxDisplay: 'Prices shown', bankTransferAccount: 'Account for bank transfers', logo: 'Logo image',
  },
  hints: {
    companyName: 'A company\'s registered name, or a sole proprietor\'s own name (a trade name may follow).',
    postalCode: 'For example 100-0001',
    hours: 'For example Weekdays 10:00–17:00',
    invoiceRegistrationNumber: 'T and 13 digits (for example T1234567890123). Leave empty if not registered.',
    bankTransferAccount: 'Bank, branch, account type, number and holder, one per line.',
    logo: 'PNG, JPEG or WebP, up to 2 MB.',
  },
  registrant: { corporation: 'Corporation', individual: 'Sole proprietor' },
  taxDisplay: { inclusive: 'Tax included', exclusive: 'Tax excluded' },
  currentLogo: 'Current logo',
  removeLogo: 'Remove the logo',
  save: 'Save',
  saved: 'Shop settings saved.',
  legalPages: 'Legal page texts',
  legalPagesIntro: 'Edit the texts of the legal notice, the privacy policy and the terms of sale.',
  errors: {
    summary: 'Please check the fields below.',
    logoAgain: 'To change the logo, choose the file again.',
    message: (code, label, max) => ({
      required: `Enter the ${label.toLowerCase()}.`,
      tooLong: `${label}: at most ${max ?? ''} characters.`,
      cardNumber: `${label} holds what looks like a card number. Do not enter card numbers.`,
      postalCode: 'Enter the postal code as 7 digits (for example 100-0001).',
      phone: 'Enter the phone number as digits and hyphens (for example 03-1234-5678).',
      email: 'This is not a valid e-mail address.',
      invoiceFormat: 'Enter the registration number as T and 13 digits.',
      invoiceCheckDigit: 'The check digit (first of the 13 digits) does not match a corporate number. A sole proprietor should choose "Sole proprietor".',
      timeZone: 'Choose a time zone from the list.',
      choice: `Choose: ${label.toLowerCase()}.`,
      logoTooLarge: 'The logo may be at most 2 MB.',
      logoType: 'The logo must be a PNG, JPEG or WebP image.',
      logoMalware: 'The virus scan refused this file.',
      logoScanUnavailable: 'The virus scan is unavailable, so no logo can be accepted right now. Please try again later.',
    })[code],
  },
  warning: {
    title: 'The legal notice (Act on Specified Commercial Transactions) is incomplete',
    lead: 'These items are not set, so the legal notice cannot show them:',
    fix: 'Fill them in on the shop settings page',
    ask: 'Ask the owner to complete the settings.',
    items: { companyName: 'Seller', representative: 'Responsible person', address: 'Address', phone: 'Phone', email: 'E-mail' },
  },
};

const MESSAGES: Record<Locale, SettingsMessages> = { ja, en };

export function settingsMessages(locale: Locale): SettingsMessages {
  return MESSAGES[locale];
}
