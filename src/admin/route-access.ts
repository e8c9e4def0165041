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
  'GET /admin/security/csp-reports': OVERSIGHT,
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
