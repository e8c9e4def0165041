// Who may use which back-office route: one table, checked for every request in one hook
// (routes.tsx). A route missing from this table makes the plugin refuse to start, so a new
// page cannot ship unprotected; src/admin/admin-authorization.test.ts walks every registered route
// as every role and as nobody.
import { ADMIN_ROLES, type AdminRole } from './admin-tables.ts';

/** 'public': anyone (login, setup); 'second-factor': only between password and TOTP. */
export type RouteAccess = 'public' | 'second-factor' | readonly AdminRole[];

const ALL: readonly AdminRole[] = ADMIN_ROLES;
const OWNER: readonly AdminRole[] = ['owner'];
/** Catalog and orders (personal data): owner and staff. */
const SHOP_OPS: readonly AdminRole[] = ['owner', 'staff'];
/** System status and maintenance: the outsourced vendor's area; no personal data there. */
const SYSTEM: readonly AdminRole[] = ['owner', 'vendor', 'auditor'];
/** Security settings and the audit log: read-only for the auditor. */
const OVERSIGHT: readonly AdminRole[] = ['owner', 'auditor'];
/** Following an incident (read-only unless owner). */
const INCIDENT_READERS: readonly AdminRole[] = ['owner', 'staff', 'auditor'];

export const ADMIN_ROUTE_ACCESS: Record<string, RouteAccess> = {
  'GET /admin/login': 'public',
  'POST /admin/login': 'public',
  'GET /admin/setup': 'public',
  'POST /admin/setup': 'public',
  'POST /admin/logout': 'public',
  'GET /admin/mfa': 'second-factor',
  'POST /admin/mfa/verify': 'second-factor',
  'POST /admin/mfa/enrol': 'second-factor',
  'GET /admin': ALL,
  'POST /admin/logout-everywhere': ALL,
  'GET /admin/accounts': OWNER,
  'POST /admin/accounts': OWNER,
  'POST /admin/accounts/:id': OWNER,
  'GET /admin/accounts/:id': OWNER,
  'POST /admin/accounts/:id/reset-totp': OWNER,
  'GET /admin/orders': SHOP_OPS,
  // Without the personal-data columns for the auditor (orders-admin.ts, seesPersonalData).
  'GET /admin/orders.csv': ['owner', 'staff', 'auditor'],
  'GET /admin/orders/:id': SHOP_OPS,
  'POST /admin/orders/:id/fulfil': SHOP_OPS,
  'POST /admin/orders/:id/cancel': SHOP_OPS,
  'POST /admin/orders/:id/refund': SHOP_OPS,
  'GET /admin/products': SHOP_OPS,
  'GET /admin/products/new': SHOP_OPS,
  'POST /admin/products': SHOP_OPS,
  'GET /admin/products/:id': SHOP_OPS,
  'POST /admin/products/:id': SHOP_OPS,
  'POST /admin/products/:id/variants': SHOP_OPS,
  'POST /admin/products/:id/images': SHOP_OPS,
  'POST /admin/variants/:id': SHOP_OPS,
  'POST /admin/variants/:id/stock': SHOP_OPS,
  'GET /admin/audit': OVERSIGHT,
  'GET /admin/audit.jsonl': OVERSIGHT,
  'GET /admin/audit/verify': OVERSIGHT,
  'GET /admin/status': SYSTEM,
  'GET /admin/security': OVERSIGHT,
  // Owner only: acknowledging an alert says someone responsible has looked (the auditor sees them).
  'POST /admin/alerts/:id/acknowledge': OWNER,
  'GET /admin/security/pause': OWNER,
  'POST /admin/security/pause': OWNER,
  'POST /admin/security/pause/resume': OWNER,
  'GET /admin/security/page-watch': OVERSIGHT,
  'POST /admin/security/page-watch/approve': OWNER,
  // File integrity (src/integrity/): file paths, no personal data, so the vendor who deploys sees
  // it too (linked from the status page); approving a deploy is the owner's.
  'GET /admin/security/integrity': SYSTEM,
  'POST /admin/security/integrity/approve': OWNER,
  // Incident record (src/incidents/): owners act; staff and the auditor follow it read-only (the
  // timeline and evidence hold personal data, which staff see anyway); the vendor has no access.
  'GET /admin/incidents': INCIDENT_READERS,
  'POST /admin/incidents': OWNER,
  'GET /admin/incidents/:id': INCIDENT_READERS,
  'POST /admin/incidents/:id/timeline': OWNER,
  'POST /admin/incidents/:id/evidence': OWNER,
  'POST /admin/incidents/:id/evidence/export': OWNER,
  // Evidence holds audit-log and watcher exports, which only the oversight roles may read.
  'GET /admin/incidents/:id/evidence/:evidenceId': OVERSIGHT,
  'POST /admin/incidents/:id/tasks': OWNER,
  'POST /admin/incidents/:id/tasks/:taskId': OWNER,
  'POST /admin/incidents/:id/checklist/:item': OWNER,
  'POST /admin/incidents/:id/close': OWNER,
  'GET /admin/incidents/:id/ppc-report': INCIDENT_READERS,
  'POST /admin/incidents/:id/ppc-report': OWNER,
  'GET /admin/incidents/:id/ppc-report.html': INCIDENT_READERS,
  'GET /admin/incidents/:id/ppc-report.pdf': INCIDENT_READERS,
  // Incident scope and notices (issue 13): owner only — the export goes to the card companies and a
  // notice is the shop speaking to every affected customer; staff help at the inquiry desk.
  'GET /admin/incidents/:id/scope': OWNER,
  'POST /admin/incidents/:id/scope': OWNER,
  'GET /admin/incidents/:id/scope.csv': OWNER,
  'GET /admin/incidents/:id/scope.json': OWNER,
  'GET /admin/incidents/:id/notices': OWNER,
  'POST /admin/incidents/:id/notices/templates': OWNER,
  'GET /admin/incidents/:id/notices/print': OWNER,
  'POST /admin/incidents/:id/notices/send': OWNER,
  'POST /admin/incidents/:id/notice-page': OWNER,
  'POST /admin/incidents/:id/notice-page/publish': OWNER,
  'POST /admin/incidents/:id/notice-page/unpublish': OWNER,
  // The inquiry desk: customers' messages (personal data), answered by owner and staff.
  // Product CSV in and out: catalog work, like the product pages.
  'GET /admin/products/import': SHOP_OPS,
  'POST /admin/products/import': SHOP_OPS,
  'GET /admin/products/import/runs/:id': SHOP_OPS,
  'GET /admin/products.csv': SHOP_OPS,
  // The sales report: figures without personal data, read by the auditor too.
  'GET /admin/reports/sales': INCIDENT_READERS,
  'GET /admin/reports/sales.csv': INCIDENT_READERS,
  'GET /admin/inquiries': SHOP_OPS,
  'GET /admin/inquiries/:id': SHOP_OPS,
  'POST /admin/inquiries/:id': SHOP_OPS,
  'POST /admin/inquiries/:id/reply': SHOP_OPS,
  'GET /admin/inquiries/canned': SHOP_OPS,
  'POST /admin/inquiries/canned': SHOP_OPS,
  'POST /admin/inquiries/canned/:id': SHOP_OPS,
  'GET /admin/security/csp-reports': OVERSIGHT,
  // Compliance map (issue 14, src/compliance/): owners and the auditor attest; the vendor reads it
  // (no personal data; the vendor fixes what fails) but cannot attest or open evidence files;
  // staff have no access.
  'GET /admin/compliance': SYSTEM,
  'GET /admin/compliance.json': SYSTEM,
  'GET /admin/compliance/print': SYSTEM,
  'POST /admin/compliance/attestations': OVERSIGHT,
  'POST /admin/compliance/attestations/:id/withdraw': OVERSIGHT,
  'GET /admin/compliance/attestations/:id/evidence': OVERSIGHT,
  // Monthly security report sign-off (src/security-committee/): the vendor writes and submits, the
  // committee (owners, auditors made members) approves or returns — membership and "not your own
  // submission" are checked again by the service; staff have no part in it.
  'GET /admin/security-reports': SYSTEM,
  'GET /admin/security-reports/:month': SYSTEM,
  'POST /admin/security-reports/:month/draft': ['owner', 'vendor'],
  'POST /admin/security-reports/:month/submit': ['owner', 'vendor'],
  'POST /admin/security-reports/:month/review': OVERSIGHT,
  'GET /admin/security-reports/:month/report-ja.html': SYSTEM,
  'GET /admin/security-reports/:month/report-en.html': SYSTEM,
  'GET /admin/security-reports/:month/report.json': SYSTEM,
  'GET /admin/security-reports/:month/report.pdf': SYSTEM,
  'GET /admin/security-committee': OWNER,
  'POST /admin/security-committee': OWNER,
  // 会員管理 (issue 18, src/customer-accounts/customer-admin-routes.tsx): the auditor sees states
  // and counts without personal data; owner and staff see, search, export and disable.
  'GET /admin/customers': INCIDENT_READERS,
  'GET /admin/customers/:id': INCIDENT_READERS,
  'GET /admin/customers.csv': SHOP_OPS,
  'POST /admin/customers/:id/disable': SHOP_OPS,
  'POST /admin/customers/:id/enable': SHOP_OPS,
  'POST /admin/customers/:id/reset-totp': SHOP_OPS,
  // Shipping methods, fees and delivery windows (issue 17, src/shipping/): shop settings, owner only.
  'GET /admin/settings/shipping': OWNER,
  'GET /admin/settings/shipping/new': OWNER,
  'POST /admin/settings/shipping': OWNER,
  'GET /admin/settings/shipping/:id': OWNER,
  'POST /admin/settings/shipping/:id': OWNER,
  // Catalog administration (issues 17, 18): categories, product preview, image order and removal.
  'GET /admin/categories': SHOP_OPS,
  'POST /admin/categories': SHOP_OPS,
  'POST /admin/categories/:id': SHOP_OPS,
  'POST /admin/categories/:id/move': SHOP_OPS,
  'POST /admin/categories/:id/delete': SHOP_OPS,
  'GET /admin/products/:id/preview': SHOP_OPS,
  'POST /admin/products/:id/images/:imageId/delete': SHOP_OPS,
  'POST /admin/products/:id/images/:imageId/move': SHOP_OPS,
  // Shop settings and the legal pages' texts (issue 17, src/shop-settings/, src/legal-pages/):
  // who the shop says it is to customers and the tax office, owner only.
  'GET /admin/settings': OWNER,
  'POST /admin/settings': OWNER,
  'GET /admin/settings/legal/:page': OWNER,
  'POST /admin/settings/legal/:page': OWNER,
  // Payment methods and their terms (issue 17, src/payment-methods/): shop settings, owner only.
  'GET /admin/settings/payments': OWNER,
  'POST /admin/settings/payments': OWNER,
  // Recording money that reached the shop without a gateway (bank transfer, COD): order work.
  'POST /admin/orders/:id/record-payment': SHOP_OPS,
  // 納品書 for many orders at once: addresses (personal data), like the order pages.
  'POST /admin/orders/delivery-slips': SHOP_OPS,
  // Coupons (issue 18, src/coupons/coupon-admin-routes.tsx): no personal data, so the auditor reads
  // the list; owner and staff create and disable.
  'GET /admin/coupons': INCIDENT_READERS,
  'POST /admin/coupons': SHOP_OPS,
  'POST /admin/coupons/:id/disable': SHOP_OPS,
};

/** `GET /admin/x` for a route as Fastify registered it (HEAD is served by the GET route). */
export function routeKey(method: string, url: string): string {
  const m = method === 'HEAD' ? 'GET' : method;
  const path = url.length > 1 ? url.replace(/\/$/, '') : url;
  return `${m} ${path}`;
}

export function accessFor(method: string, url: string): RouteAccess | undefined {
  return ADMIN_ROUTE_ACCESS[routeKey(method, url)];
}

export function roleMayUse(access: RouteAccess, role: AdminRole): boolean {
  return typeof access !== 'string' && access.includes(role);
}
