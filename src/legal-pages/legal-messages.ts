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
};

const MESSAGES: Record<Locale, LegalMessages> = { ja, en };

export function legalMessages(locale: Locale): LegalMessages {
  return MESSAGES[locale];
}
