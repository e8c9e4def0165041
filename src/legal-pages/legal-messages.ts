// Wording of the legal pages (ja/en): page titles, the seller items of the 特定商取引法 notice,
// the footer and checkout links, and the back-office editor.
import type { Locale } from '../i18n/locale.ts';
import type { LegalPageKind } from '../shop-settings/shop-settings-tables.ts';
import type { TokushohoSection } from './legal-templates.ts';

const ja = {
  titles: { tokushoho: '特定商取引法に基づく表記', privacy: 'プライバシーポリシー', terms: 'ご利用規約' } satisfies Record<LegalPageKind, string>,
  descriptions: {
    tokushoho: '販売業者、所在地、連絡先、販売価格、送料、お支払い方法、引渡時期、返品・キャンセルについて。',
    privacy: '個人情報の利用目的、第三者提供、安全管理措置、開示等のご請求について。',
    terms: 'ご注文から契約の成立、お支払い、配送、返品までのご利用条件。',
  } satisfies Record<LegalPageKind, string>,
  seller: {
    companyName: '販売業者', representative: '運営責任者', address: '所在地', phone: '電話番号', email: 'メールアドレス',
    invoiceRegistrationNumber: '適格請求書発行事業者登録番号', hours: '受付時間',
  },
  sections: {
    prices: '販売価格', shippingFees: '送料', otherFees: '商品代金以外の必要料金', payment: 'お支払い方法・お支払い時期',
    delivery: '商品の引渡時期', returns: '返品・交換・キャンセル',
  } satisfies Record<TokushohoSection, string>,
  footerLabel: '法的表記とお問い合わせ',
  contact: 'お問い合わせ',
  checkoutNotice: 'ご注文前に',
  checkoutNoticeAfter: 'をご確認ください。',
  and: '・',
  contactLead: 'ご不明な点は',
  contactLeadAfter: 'からお寄せください。',
  lastUpdated: (d: string) => `最終更新日: ${d}`,
  editor: {
    title: (page: string) => `文面の編集: ${page}`,
    intro: '日本語と英語の文面を編集します。空欄にすると標準のテンプレートに戻ります。{shopName}、{companyName}、{representative}、{address}、{phone}、{email}、{hours} はショップ設定の値に置き換えて表示されます。',
    sellerIntro: '販売業者、運営責任者、所在地、電話番号、メールアドレス、登録番号はショップ設定の値をそのまま表示します。',
    sellerLink: 'ショップ設定で変更する',
    notSet: '（未設定）',
    language: { ja: '日本語', en: '英語' },
    fieldLabel: (section: string, language: string) => `${section}（${language}）`,
    body: '本文',
    markupHint: '空行で段落、「## 」で始まる行は見出し、「- 」で始まる行は箇条書きになります。HTML は使えません。',
    preview: 'プレビュー',
    previewTitle: (language: string) => `プレビュー（${language}）`,
    previewNote: '保存されていません。確認したら「保存」を押してください。',
    useTemplate: 'テンプレートを読み込む',
    templateLoaded: 'テンプレートを読み込みました（まだ保存されていません）。',
    save: '保存',
    saved: '文面を保存しました。ストアのページに反映されています。',
    unchanged: '変更はありませんでした。',
    viewPage: 'ストアのページを見る',
    errors: {
      summary: '入力内容を確認してください。',
      cardNumber: (field: string) => `${field}にカード番号のような数字があります。カード番号は入力しないでください。`,
      tooLong: (field: string, max: number) => `${field}は${max}文字以内で入力してください。`,
    },
  },
};

type LegalMessages = typeof ja;

const en: LegalMessages = {
  titles: { tokushoho: 'Legal notice (Act on Specified Commercial Transactions)', privacy: 'Privacy policy', terms: 'Terms of sale' },
  descriptions: {
    tokushoho: 'Seller, address, contact, prices, shipping, payment, delivery, returns and cancellations.',
    privacy: 'How we use personal information, share it, keep it safe, and how to ask for disclosure.',
    terms: 'The conditions of an order: contract, payment, delivery and returns.',
  },
  seller: {
    companyName: 'Seller', representative: 'Responsible person', address: 'Address', phone: 'Phone', email: 'E-mail',
    invoiceRegistrationNumber: 'Qualified invoice issuer registration number', hours: 'Hours',
  },
  sections: {
    prices: 'Prices', shippingFees: 'Shipping', otherFees: 'Other fees', payment: 'Payment methods and timing',
    delivery: 'Delivery time', returns: 'Returns, exchanges and cancellations',
  },
  footerLabel: 'Legal and contact',
  contact: 'Contact',
  checkoutNotice: 'Before you order, please read the ',
  checkoutNoticeAfter: '.',
  and: ', ',
  contactLead: 'Questions? Use the ',
  contactLeadAfter: '.',
  lastUpdated: (d: string) => `Last updated: ${d}`,
  editor: {
    title: (page: string) => `Edit text: ${page}`,
    intro: 'Edit the Japanese and English texts. An empty text goes back to the standard template. {shopName}, {companyName}, {representative}, {address}, {phone}, {email} and {hours} are replaced by the values of the shop settings.',
    sellerIntro: 'The seller, responsible person, address, phone, e-mail and registration number are shown from the shop settings.',
    sellerLink: 'Change them in the shop settings',
    notSet: '(not set)',
    language: { ja: 'Japanese', en: 'English' },
    fieldLabel: (section: string, language: string) => `${section} (${language})`,
    body: 'Text',
    markupHint: 'A blank line starts a paragraph, a line starting with "## " is a heading, lines starting with "- " make a list. HTML is not supported.',
    preview: 'Preview',
    previewTitle: (language: string) => `Preview (${language})`,
    previewNote: 'Not saved yet. Press "Save" when it reads right.',
    useTemplate: 'Load the template',
    templateLoaded: 'The template is loaded (not saved yet).',
    save: 'Save',
    saved: 'Text saved. The store page shows it now.',
    unchanged: 'Nothing changed.',
    viewPage: 'View the store page',
    errors: {
      summary: 'Please check the fields below.',
      cardNumber: (field: string) => `${field} holds what looks like a card number. Do not enter card numbers.`,
      tooLong: (field: string, max: number) => `${field}: at most ${max} characters.`,
    },
  },
};

const MESSAGES: Record<Locale, LegalMessages> = { ja, en };

export function legalMessages(locale: Locale): LegalMessages {
  return MESSAGES[locale];
}
