// Wording of the product CSV import and export (ja/en).
import type { Locale } from '../i18n/locale.ts';
import type { ImportErrorCode } from './catalog-import.ts';

const ja = {
  title: '商品CSVの取り込み・書き出し',
  intro: '1行が1バリエーションです。同じ商品URL名の行は同じ商品になり、2行目以降の商品の項目は空欄にできます。UTF-8 と Shift_JIS（Excel の「CSV」）のどちらでも読めます。まず確認（ドライラン）で誤りをすべて表示し、誤りのないファイルだけを一度に取り込みます（途中まで書き込まれることはありません）。',
  exportTitle: '書き出し', exportUtf8: 'CSV を書き出す（UTF-8）', exportSjis: 'CSV を書き出す（Shift_JIS）',
  sjisNote: 'Shift_JIS で表せない文字は「?」になります。',
  importTitle: '取り込み', file: 'CSV ファイル', encoding: '文字コード', auto: '自動判定', utf8: 'UTF-8', sjis: 'Shift_JIS',
  dryRun: '確認する（ドライラン）', run: '取り込む',
  noFile: 'CSV ファイルを選んでください。', tooLarge: 'ファイルが大きすぎます（20 MB まで）。',
  errorsTitle: (n: number) => `${n} 件の誤りがあります。何も書き込んでいません。`,
  line: '行', column: '列', problem: '内容', wholeFile: 'ファイル全体',
  checked: (rows: number) => `${rows} 行を確認しました。誤りはありません。取り込むと次のとおり変更されます。`,
  imported: (rows: number) => `${rows} 行を取り込みました。`,
  runTitle: '取り込みの進み具合',
  runQueued: (rows: number) => `${rows} 行のファイルを確認しました。順番に書き込みます。`,
  runRunning: (rows: number) => `${rows} 行を書き込んでいます。終わるまで商品は変わりません（途中まで書き込まれることはありません）。`,
  runProgress: (done: number, total: number) => `${total} バリエーションのうち ${done} 件`,
  runRefresh: '数秒ごとに自動で更新します。', runReload: '最新の状態を表示',
  runRefused: '取り込めませんでした。何も書き込んでいません。',
  runFailed: '取り込み中に問題が起きました。何も書き込んでいません。もう一度お試しください。',
  runBack: '商品CSVの取り込みに戻る',
  counts: {
    productsCreated: '商品の追加', productsUpdated: '商品の更新', variantsCreated: 'バリエーションの追加', variantsUpdated: 'バリエーションの更新',
    categoriesCreated: 'カテゴリの追加', categoriesRenamed: 'カテゴリ名の変更', stockChanged: '在庫数の変更',
  },
  errors: {
    NOT_UTF8: 'ファイルが UTF-8 ではありません。文字コードに Shift_JIS を選ぶか、自動判定にしてください。',
    EMPTY: 'ファイルが空です。', UNREADABLE: 'CSV として読めません（引用符の対応などをご確認ください）。', NO_HEADER: '1行目に見出しがありません。',
    UNKNOWN_COLUMN: '知らない見出しです。', MISSING_COLUMN: '必須の列がありません。', DUPLICATE_COLUMN: '同じ見出しが2回あります。',
    TOO_MANY_ROWS: '行が多すぎます（50,000 行まで）。ファイルを分けてください。',
    REQUIRED: '入力してください。', INVALID: '形式が正しくありません。', CARD_NUMBER: 'カード番号は入力できません。',
    PRODUCT_FIELD_DIFFERS: '同じ商品の別の行と値が違います。', DUPLICATE_SKU: 'SKU が別の行と重複しています。',
    SKU_OF_OTHER_PRODUCT: 'この SKU は別の商品のものです。', CATEGORY_NAME_REQUIRED: '新しいカテゴリには日本語と英語の名前が必要です。',
    STOCK_CHANGED: '確認の後に在庫数が変わりました（注文が入った可能性があります）。もう一度取り込んでください。',
  } satisfies Record<ImportErrorCode, string>,
  otherLine: (n: number) => `（${n} 行目）`,
};

const en: typeof ja = {
  title: 'Product CSV import and export',
  intro: 'One row per variant. Rows with the same product_slug are one product; its product fields may be left empty after its first row. UTF-8 and Shift_JIS (Excel\'s "CSV") are both read. Check first (dry run) to see every error; only a file without errors is imported, all at once (never half-written).',
  exportTitle: 'Export', exportUtf8: 'Export CSV (UTF-8)', exportSjis: 'Export CSV (Shift_JIS)',
  sjisNote: 'Characters Shift_JIS cannot hold become "?".',
  importTitle: 'Import', file: 'CSV file', encoding: 'Encoding', auto: 'Detect', utf8: 'UTF-8', sjis: 'Shift_JIS',
  dryRun: 'Check (dry run)', run: 'Import',
  noFile: 'Choose a CSV file.', tooLarge: 'The file is too large (20 MB at most).',
  errorsTitle: (n) => `${n} error(s). Nothing was written.`,
  line: 'Line', column: 'Column', problem: 'Problem', wholeFile: 'whole file',
  checked: (rows) => `${rows} rows checked, no errors. Importing would change:`,
  imported: (rows) => `${rows} rows imported.`,
  runTitle: 'Import progress',
  runQueued: (rows) => `The file (${rows} rows) passed the check and is waiting to be written.`,
  runRunning: (rows) => `Writing ${rows} rows. The catalog changes only when it is done (never half-written).`,
  runProgress: (done, total) => `${done} of ${total} variants`,
  runRefresh: 'This page refreshes itself every few seconds.', runReload: 'Show the latest state',
  runRefused: 'The file could not be imported. Nothing was written.',
  runFailed: 'Something went wrong while importing. Nothing was written. Please try again.',
  runBack: 'Back to the product CSV import',
  counts: {
    productsCreated: 'Products added', productsUpdated: 'Products updated', variantsCreated: 'Variants added', variantsUpdated: 'Variants updated',
    categoriesCreated: 'Categories added', categoriesRenamed: 'Categories renamed', stockChanged: 'Stock changed',
  },
  errors: {
    NOT_UTF8: 'The file is not UTF-8. Choose Shift_JIS or Detect.',
    EMPTY: 'The file is empty.', UNREADABLE: 'Not readable as CSV (check the quotes).', NO_HEADER: 'The first line has no headers.',
    UNKNOWN_COLUMN: 'Unknown header.', MISSING_COLUMN: 'A required column is missing.', DUPLICATE_COLUMN: 'The same header appears twice.',
    TOO_MANY_ROWS: 'Too many rows (50,000 at most): split the file.',
    REQUIRED: 'Required.', INVALID: 'Not in the expected format.', CARD_NUMBER: 'Card numbers cannot be entered.',
    PRODUCT_FIELD_DIFFERS: 'Differs from another row of the same product.', DUPLICATE_SKU: 'This SKU is on another row too.',
    SKU_OF_OTHER_PRODUCT: 'This SKU belongs to another product.', CATEGORY_NAME_REQUIRED: 'A new category needs a Japanese and an English name.',
    STOCK_CHANGED: 'Stock changed after the check (an order may have come in). Import again.',
  },
  otherLine: (n) => ` (line ${n})`,
};

export type CatalogImportMessages = typeof ja;
export function catalogImportMessages(locale: Locale): CatalogImportMessages {
  return locale === 'ja' ? ja : en;
}
