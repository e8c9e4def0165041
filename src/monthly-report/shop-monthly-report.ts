// The shop's one way to build its monthly security report: the recorded sources plus the
// compliance map (src/compliance/). Used by the monthly job and by the committee's pages.
import type { ShopContext } from '../shop-context.ts';
import { complianceSource } from '../compliance/evaluate-compliance.ts';
import { createMonthlyReportRenderer, monthlyReportSourcesFromShop } from './monthly-report-renderer.ts';
import type { ComplianceSource, MonthlyReportRenderer } from './report-contract.ts';

export function shopComplianceSource(shop: Pick<ShopContext, 'db' | 'config' | 'velocityLimits'>): ComplianceSource {
  return complianceSource({ db: shop.db.db, config: shop.config, velocityLimits: shop.velocityLimits });
}

export function shopMonthlyReportRenderer(shop: Pick<ShopContext, 'db' | 'config' | 'clock' | 'velocityLimits'>, compliance: ComplianceSource = shopComplianceSource(shop)): MonthlyReportRenderer {
  return createMonthlyReportRenderer(monthlyReportSourcesFromShop(shop, { compliance }));
}
