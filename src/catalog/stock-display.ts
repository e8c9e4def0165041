// How much a customer learns about stock (STOREFRONT_STOCK_DISPLAY). By default only a level —
// in stock, low, sold out — so a competitor cannot read the shop's inventory off its pages or API;
// a merchant who wants "残り 12 点" chooses `exact`.
import type { ShopConfig } from '../config/config.ts';

export type Availability = 'in_stock' | 'low' | 'sold_out';
export type StockDisplay = ShopConfig['stockDisplay'];

export function availabilityOf(stock: number, display: StockDisplay): Availability {
  if (stock <= 0) return 'sold_out';
  return stock <= display.lowThreshold ? 'low' : 'in_stock';
}

/**
 * The Store API's `stock` number (a field existing clients read): exact in `exact` mode; in
 * `level` mode capped at lowThreshold + 1, so it still tells sold out (0), low (the few left,
 * as the pages show) and "plenty" without giving away the count.
 */
export function publicStockCount(stock: number, display: StockDisplay): number {
  const n = Math.max(0, stock);
  return display.mode === 'exact' ? n : Math.min(n, display.lowThreshold + 1);
}
