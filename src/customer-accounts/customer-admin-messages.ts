// 会員管理 texts, Japanese and English, kept beside the feature (the back office's shared catalog
// only carries the menu label).
import type { Locale } from '../i18n/locale.ts';
import type { CustomerState } from './customer-admin.ts';

const ja = {
  title: '会員管理',
  searchLabel: 'メールアドレスまたは氏名',
  stateLabel: '状態',
  allStates: 'すべて',
  search: '検索',
  export: 'CSVで書き出す',
  none: '該当する会員はいません。',
  count: (n: number) => `${n}件`,
  columns: { id: '会員ID', email: 'メール', name: '氏名', state: '状態', orders: '注文数', createdAt: '登録日時' },
  states: { active: '有効', unverified: 'メール未確認', disabled: '停止中' } satisfies Record<CustomerState, string>,
  detailTitle: (id: number) => `会員 #${id}`,
  personalHidden: 'この役割では個人情報は表示されません。',
  locale: '言語',
  verifiedAt: 'メール確認日時',
  disabledAt: '停止日時',
  addresses: '登録住所',
  defaultAddress: '既定',
  noAddresses: '登録住所はありません。',
  orders: '注文履歴',
  noOrders: '注文はありません。',
  disable: 'この会員を停止する',
  enable: '停止を解除する',
  reason: '理由（監査ログに記録されます）',
  reasonRequired: '理由を入力してください。',
  disabledDone: '会員を停止しました。ログイン中のセッションは終了しました。',
  enabledDone: '停止を解除しました。',
  unchanged: '状態はすでに変更されています。',
  pager: (page: number, pages: number) => `${page} / ${pages} ページ`,
  prev: '前へ',
  next: '次へ',
};

export type CustomerAdminMessages = typeof ja;

const en: CustomerAdminMessages = {
  title: 'Customers',
  searchLabel: 'E-mail or name',
  stateLabel: 'State',
  allStates: 'All',
  search: 'Search',
  export: 'Export CSV',
  none: 'No customers match.',
  count: (n) => `${n} customer${n === 1 ? '' : 's'}`,
  columns: { id: 'Customer ID', email: 'E-mail', name: 'Name', state: 'State', orders: 'Orders', createdAt: 'Registered' },
  states: { active: 'Active', unverified: 'E-mail not verified', disabled: 'Disabled' },
  detailTitle: (id) => `Customer #${id}`,
  personalHidden: 'Personal data is not shown to this role.',
  locale: 'Language',
  verifiedAt: 'E-mail verified',
  disabledAt: 'Disabled at',
  addresses: 'Saved addresses',
  defaultAddress: 'default',
  noAddresses: 'No saved addresses.',
  orders: 'Orders',
  noOrders: 'No orders.',
  disable: 'Disable this customer',
  enable: 'Enable again',
  reason: 'Reason (kept in the audit log)',
  reasonRequired: 'Enter a reason.',
  disabledDone: 'The customer is disabled and signed out everywhere.',
  enabledDone: 'The customer is enabled again.',
  unchanged: 'The account was already in that state.',
  pager: (page, pages) => `Page ${page} of ${pages}`,
  prev: 'Previous',
  next: 'Next',
};

export function customerAdminMessages(locale: Locale): CustomerAdminMessages {
  return locale === 'ja' ? ja : en;
}
