// Wording of the sales report (ja/en): the back-office page, its CSV headers and its charts.
import type { Locale } from '../i18n/locale.ts';

const ja = {
  title: '売上レポート',
  intro: '支払い完了日（返金は返金完了日）ごとの売上です。時刻はショップのタイムゾーンで数えます。税率ごとの金額は税込、消費税額はその内訳です。',
  view: '集計単位', daily: '日別', monthly: '月別', month: '月', year: '年', show: '表示', csv: 'CSV をダウンロード',
  period: '期間', orders: '件数', discounts: 'クーポン割引', sales: '売上（税込）', refunds: '返金', net: '純売上',
  rateSales: (r: number) => `${r}%対象（税込）`, rateTax: (r: number) => `うち消費税（${r}%）`,
  rateRefunds: (r: number) => `${r}%対象の返金`, rateRefundTax: (r: number) => `返金に含まれる消費税（${r}%）`,
  rateNetSales: (r: number) => `${r}%対象の純売上（税込）`, rateNetTax: (r: number) => `純売上の消費税（${r}%）`,
  total: '合計',
  last30Days: '直近30日の純売上（日別）', last12Months: '直近12か月の純売上（月別）',
  chartDay: '日', chartMonth: '月', chartNet: '純売上（円）',
  reducedMark: '※8%は軽減税率',
  invalidMonth: '月は YYYY-MM の形で指定してください。', invalidYear: '年は4桁で指定してください。',
  discountNote: '売上と税率ごとの金額はクーポン割引後です（割引は税率ごとに按分してから消費税を計算しています）。',
  refundNote: '一部返金は、その注文の税率ごとの金額に比例して各税率に配分しています（全額返金は注文時の内訳どおり）。',
};

const en: typeof ja = {
  title: 'Sales report',
  intro: 'Sales by the day they were paid (refunds by the day they completed), counted in the shop\'s time zone. Per-rate amounts include tax; the tax is what they contain.',
  view: 'Group by', daily: 'Day', monthly: 'Month', month: 'Month', year: 'Year', show: 'Show', csv: 'Download CSV',
  period: 'Period', orders: 'Orders', discounts: 'Coupon discounts', sales: 'Sales (tax incl.)', refunds: 'Refunds', net: 'Net sales',
  rateSales: (r) => `${r}% sales (tax incl.)`, rateTax: (r) => `Tax contained (${r}%)`,
  rateRefunds: (r) => `${r}% refunds`, rateRefundTax: (r) => `Tax in refunds (${r}%)`,
  rateNetSales: (r) => `${r}% net sales (tax incl.)`, rateNetTax: (r) => `Tax in net sales (${r}%)`,
  total: 'Total',
  last30Days: 'Net sales, last 30 days', last12Months: 'Net sales, last 12 months',
  chartDay: 'Day', chartMonth: 'Month', chartNet: 'Net sales (yen)',
  reducedMark: '8% is the reduced rate',
  invalidMonth: 'Give the month as YYYY-MM.', invalidYear: 'Give the year as four digits.',
  discountNote: 'Sales and the per-rate amounts are after coupon discounts (each discount is split over the tax rates before the tax is computed).',
  refundNote: 'A partial refund is split over the order\'s tax rates in proportion to what the order charged at each (a full refund follows the order\'s own breakdown).',
};

export type SalesMessages = typeof ja;
export function salesMessages(locale: Locale): SalesMessages {
  return locale === 'ja' ? ja : en;
}
