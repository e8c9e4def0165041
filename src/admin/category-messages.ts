// Wording of the back office's category pages (ja/en).
import type { Locale } from '../i18n/locale.ts';
import type { CategoryChangeError } from './category-admin.ts';

const ja = {
  title: 'カテゴリ',
  intro: '商品は1つのカテゴリに属します。商品のカテゴリは商品の編集画面で選びます。商品のないカテゴリだけを削除できます。',
  name: '名前', slug: 'URL名', products: '商品数', order: '並び順', actions: '操作',
  nameJa: '名前（日本語）', nameEn: '名前（英語）', slugHint: 'URL名（半角英小文字・数字・ハイフン。空欄なら名前から作ります）',
  create: 'カテゴリを追加', add: '追加', save: '保存', up: '上へ', down: '下へ', delete: '削除',
  moveUp: (name: string) => `${name} を上へ`, moveDown: (name: string) => `${name} を下へ`, deleteOf: (name: string) => `${name} を削除`,
  renameOf: (name: string) => `${name} の名前を変更`,
  saved: '保存しました。', deleted: '削除しました。',
  errors: {
    CATEGORY_NOT_FOUND: 'カテゴリが見つかりません。', SLUG_TAKEN: 'このURL名はすでに使われています。',
    CATEGORY_NOT_EMPTY: 'このカテゴリには商品があるため削除できません。先に商品を別のカテゴリに移してください。',
    invalid: '入力内容をご確認ください。', cardNumber: 'カード番号は入力できません。',
  } satisfies Record<CategoryChangeError | 'invalid' | 'cardNumber', string>,
  manage: 'カテゴリの管理',
};

export type CategoryMessages = typeof ja;

const en: CategoryMessages = {
  title: 'Categories',
  intro: 'A product is in one category, chosen on the product\'s edit page. Only a category without products can be deleted.',
  name: 'Name', slug: 'URL name', products: 'Products', order: 'Order', actions: 'Actions',
  nameJa: 'Name (Japanese)', nameEn: 'Name (English)', slugHint: 'URL name (lower-case letters, digits, hyphens; empty: made from the name)',
  create: 'Add a category', add: 'Add', save: 'Save', up: 'Up', down: 'Down', delete: 'Delete',
  moveUp: (name) => `Move ${name} up`, moveDown: (name) => `Move ${name} down`, deleteOf: (name) => `Delete ${name}`,
  renameOf: (name) => `Rename ${name}`,
  saved: 'Saved.', deleted: 'Deleted.',
  errors: {
    CATEGORY_NOT_FOUND: 'Category not found.', SLUG_TAKEN: 'This URL name is already used.',
    CATEGORY_NOT_EMPTY: 'This category still has products, so it cannot be deleted. Move them to another category first.',
    invalid: 'Please check the fields.', cardNumber: 'Card numbers cannot be entered here.',
  },
  manage: 'Manage categories',
};

export function categoryMessages(locale: Locale): CategoryMessages {
  return locale === 'en' ? en : ja;
}

// The product form's publishing and URL-name fields.
const publishingJa = {
  publication: '公開状態', published: '公開', draft: '下書き（お客様には表示されません）',
  publishAt: '公開日時（店舗の時間帯。空欄ならすぐに公開）', preview: 'プレビュー',
  slugHint: 'URL名（半角英小文字・数字・ハイフン。空欄なら商品名から作ります：かなはローマ字に、漢字を含む名前は p-番号に）',
  up: '前へ', down: '後へ', delete: '削除',
  imageUp: (alt: string) => `画像「${alt}」を前へ`, imageDown: (alt: string) => `画像「${alt}」を後へ`, imageDelete: (alt: string) => `画像「${alt}」を削除`,
};
const publishingEn: typeof publishingJa = {
  publication: 'Publication', published: 'Published', draft: 'Draft (customers do not see it)',
  publishAt: 'Publish at (shop time; empty: at once)', preview: 'Preview',
  slugHint: 'URL name (lower-case letters, digits, hyphens; empty: made from the Japanese name — kana romanised, names with kanji get p-<number>)',
  up: 'Earlier', down: 'Later', delete: 'Delete',
  imageUp: (alt) => `Move image “${alt}” earlier`, imageDown: (alt) => `Move image “${alt}” later`, imageDelete: (alt) => `Delete image “${alt}”`,
};
export function productPublishingMessages(locale: Locale): typeof publishingJa {
  return locale === 'en' ? publishingEn : publishingJa;
}
