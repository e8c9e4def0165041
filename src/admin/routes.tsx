// The back office under /admin: builds what the route files share, installs the guard
// (admin-guard.tsx: IP allow-list, session, role table, CSRF) and registers the route files.
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { adminDb } from './admin-tables.ts';
import { parseIpAllowList } from './ip-allow-list.ts';
import { failureDelayMs } from './admin-login.ts';
import { loadTotpKey, totpSecretBox, type TotpSecretBox } from './totp-secret-box.ts';
import { lockoutPolicyFrom, loginNameKey, type LoginGuard } from './login-throttle.ts';
import { loginSignals } from './access-signals/login-signals.ts';
import { adminSessionCookie, installAdminGuard, type AdminRuntime } from './admin-guard.tsx';
import { authRoutes } from './auth-routes.tsx';
import { accountRoutes } from './account-routes.tsx';
import { systemRoutes } from './system-routes.tsx';
import { catalogAdminRoutes } from './catalog-routes.tsx';
import { orderAdminRoutes } from './order-routes.tsx';
import { auditAdminRoutes } from './audit-routes.tsx';
import { securityRoutes } from './security-routes.tsx';
import { integrityAdminRoutes } from '../integrity/integrity-admin-routes.tsx';
import { incidentRoutes } from '../incidents/incident-routes.tsx';
import { incidentScopeAdminRoutes } from '../incident-scope/scope-admin-routes.tsx';
import { incidentNoticeAdminRoutes } from '../incident-notices/notice-admin-routes.tsx';
import { inquiryAdminRoutes } from '../inquiries/inquiry-admin-routes.tsx';
import { salesReportRoutes } from '../sales-report/sales-routes.tsx';
import { catalogImportRoutes } from '../catalog-import/catalog-import-routes.tsx';
import { categoryAdminRoutes } from './category-routes.tsx';
import { cspReportAdminRoutes } from '../csp-reports/admin-page.tsx';
import { complianceAdminRoutes } from '../compliance/compliance-routes.tsx';
import { createSecurityCommitteeRoutes } from '../security-committee/committee-routes.tsx';
import type { MonthlyReportRenderer } from '../monthly-report/report-contract.ts';
import { shopMonthlyReportRenderer } from '../monthly-report/shop-monthly-report.ts';
import { shippingAdminRoutes } from '../shipping/admin-routes.tsx';
import { customerAdminRoutes } from '../customer-accounts/customer-admin-routes.tsx';
import { shopSettingsRoutes } from '../shop-settings/settings-routes.tsx';
import { legalTextAdminRoutes } from '../legal-pages/legal-admin-routes.tsx';
import { paymentSettingsRoutes } from '../payment-methods/payment-settings-routes.tsx';
import { couponAdminRoutes } from '../coupons/coupon-admin-routes.tsx';

export interface AdminPluginOptions {
  /** CIDR list (ADMIN_ALLOWED_IPS); unset = no restriction. */
  allowedIps?: string | undefined;
  /** Added to the answer time of a failed login per consecutive failure (ADMIN_LOGIN_DELAY_STEP_MS, default 500). */
  failureDelayStepMs?: number | undefined;
  /** How the delay before a failed login's answer is waited out (tests record it instead of sleeping). */
  waitMs?: ((ms: number) => Promise<void>) | undefined;
  /** The monthly report (issue 14) the sign-off pages preview and freeze; see src/security-committee/README.md. */
  monthlyReportRenderer?: MonthlyReportRenderer | undefined;
}

export async function adminRoutes(app: FastifyInstance, opts: AdminPluginOptions = {}) {
  const shop = app.shop;
  const parsedAllowList = parseIpAllowList(opts.allowedIps ?? shop.config.admin.allowedIps);
  // A typo in the allow-list must not silently open the back office: refuse to start.
  if (!parsedAllowList.ok) throw new Error(`ADMIN_ALLOWED_IPS: not an IP address or CIDR: ${parsedAllowList.entry}`);
  const delayStep = opts.failureDelayStepMs ?? shop.config.admin.loginDelayStepMs;
  const waitMs = opts.waitMs ?? ((ms: number) => sleep(ms).then(() => undefined));

  // Loaded on first use (the first login attempt), not at registration: building the routes
  // creates no key file.
  let totpKey: Buffer | undefined;
  const key = () => (totpKey ??= loadTotpKey({ ADMIN_TOTP_KEY: shop.config.admin.totpKey }, shop.config.dataDir));
  let box: TotpSecretBox | undefined;
  let guard: LoginGuard | undefined;
  const rt: AdminRuntime = {
    db: adminDb(shop.db.db),
    now: () => shop.clock(),
    cookie: adminSessionCookie(shop.config.https),
    allowList: parsedAllowList.list,
    totpBox: () => (box ??= totpSecretBox(key())),
    loginGuard: () => (guard ??= { policy: lockoutPolicyFrom(shop.config.admin.lockout), nameKey: loginNameKey(key()), signals: loginSignals(shop) }),
    waitAfterFailure: (failures) => waitMs(failureDelayMs(delayStep, failures)),
  };

  installAdminGuard(app, rt);
  await app.register(authRoutes, rt);
  await app.register(accountRoutes, rt);
  await app.register(catalogAdminRoutes);
  await app.register(orderAdminRoutes);
  await app.register(auditAdminRoutes);
  await app.register(systemRoutes, rt);
  await app.register(securityRoutes, rt);
  await app.register(integrityAdminRoutes, rt);
  await app.register(incidentRoutes, rt);
  // Incident response (issue 13): who was affected, telling them, the inquiry desk.
  await app.register(incidentScopeAdminRoutes);
  await app.register(incidentNoticeAdminRoutes);
  await app.register(inquiryAdminRoutes);
  await app.register(salesReportRoutes);
  await app.register(catalogImportRoutes);
  await app.register(cspReportAdminRoutes);
  // Compliance map (issue 14).
  await app.register(complianceAdminRoutes, rt);
  // Monthly security report sign-off (issue 14): the shop's own report unless a test passes another.
  await app.register(createSecurityCommitteeRoutes({ renderer: opts.monthlyReportRenderer ?? shopMonthlyReportRenderer(shop) }));
  await app.register(shippingAdminRoutes);
  await app.register(paymentSettingsRoutes);
  // Catalog administration (issues 17, 18): categories.
  await app.register(categoryAdminRoutes);
  // 会員管理 (issue 18).
  await app.register(customerAdminRoutes);
  await app.register(couponAdminRoutes);
  // Shop settings and legal texts (issue 17).
  await app.register(shopSettingsRoutes);
  await app.register(legalTextAdminRoutes);
}
