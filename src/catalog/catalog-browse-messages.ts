// Wording of the storefront's sorting, filtering and stock levels (ja/en).
import type { Locale } from '../i18n/locale.ts';
import type { ProductSort } from './queries.ts';
import type { Availability } from './stock-display.ts';

const ja = {
  sortLabel: '並び順',
  sorts: { recommended: 'おすすめ順', new: '新着順', 'price-asc': '価格の安い順', 'price-desc': '価格の高い順', popular: '人気順' } satisfies Record<ProductSort, string>,
  inStockOnly: '在庫ありのみ',
  apply: '表示する',
  filters: '並び替えと絞り込み',
  levels: { in_stock: '在庫あり', low: '残りわずか', sold_out: '売り切れ' } satisfies Record<Availability, string>,
  exactStock: (n: number) => `在庫 ${n} 点`,
  category: 'カテゴリ',
  preview: (when: string) => `プレビュー：この商品はまだ公開されていません（${when}）。お客様には表示されません。`,
  draft: '下書き', scheduled: (at: string) => `${at} に公開予定`, archived: '販売終了',
};

export type CatalogBrowseMessages = typeof ja;

const en: CatalogBrowseMessages = {
  sortLabel: 'Sort by',
  sorts: { recommended: 'Recommended', new: 'Newest', 'price-asc': 'Price: low to high', 'price-desc': 'Price: high to low', popular: 'Best selling' },
  inStockOnly: 'In stock only',
  apply: 'Show',
  filters: 'Sort and filter',
  levels: { in_stock: 'In stock', low: 'Only a few left', sold_out: 'Sold out' },
  exactStock: (n) => `${n} in stock`,
  category: 'Category',
  preview: (when) => `Preview: this product is not published yet (${when}). Customers do not see it.`,
  draft: 'draft', scheduled: (at) => `to be published ${at}`, archived: 'archived',
};

export function catalogBrowseMessages(locale: Locale): CatalogBrowseMessages {
  return locale === 'en' ? en : ja;
}
