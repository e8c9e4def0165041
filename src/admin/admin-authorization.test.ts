// Table-driven authorization: every route registered under /admin (read from the running app,
// not from the access table) is tried as nobody, as a half-signed-in session and as every role;
// each must be allowed or refused exactly as ADMIN_ROUTE_ACCESS says. A new route missing from
// the table stops the shop from starting; one in the table with the wrong roles fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { ADMIN_ROLES, adminDb, type AdminRole } from './admin-tables.ts';
import { ADMIN_ROUTE_ACCESS, routeKey, type RouteAccess } from './route-access.ts';
import { csrfOf, directSession, enrolledAccount } from '../../test/support/admin-test-client.ts';

/** Routes from Fastify's own route tree (printRoutes draws it with 4-column indentation). */
export function adminRoutesFromTree(tree: string): string[] {
  const stack: string[] = [];
  const keys = new Set<string>();
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack[depth] = m[2]!;
    const path = stack.join('').replace(/\/{2,}/g, '/');
    if (!m[3] || !path.startsWith('/admin')) continue;
    for (const method of m[3].split(', ')) if (method !== 'HEAD') keys.add(routeKey(method, path));
  }
  return [...keys].sort();
}

type Principal = 'nobody' | 'second-factor' | AdminRole;
const PRINCIPALS: Principal[] = ['nobody', 'second-factor', ...ADMIN_ROLES];

function allowed(access: RouteAccess, who: Principal): boolean {
  if (access === 'public') return true;
  if (access === 'second-factor') return who === 'second-factor';
  return who !== 'nobody' && who !== 'second-factor' && access.includes(who);
}

for (const database of DATABASES) {
  describe(`admin authorization table on ${database.name}`, () => {
    let shop: TestShop;
    let routes: string[];
    const accounts = {} as Record<AdminRole, number>;
    let targetAccountId: number;
    let csrf: { cookie: string; token: string };

    beforeAll(async () => {
      shop = await startTestShop(database, { seedDemoCatalog: false });
      routes = adminRoutesFromTree(shop.app.printRoutes({ commonPrefix: false }));
      for (const role of ADMIN_ROLES) accounts[role] = (await enrolledAccount(shop, `${role}@example.jp`, role)).account.id;
      targetAccountId = (await enrolledAccount(shop, 'target@example.jp', 'staff')).account.id;
      const page = await shop.app.inject({ url: '/admin/login' });
      csrf = { cookie: `mamori_admin_pre=${page.cookies.find((c) => c.name === 'mamori_admin_pre')!.value}`, token: csrfOf(page.body) };
    });
    afterAll(async () => { await shop?.dispose(); });

    it('reads every admin route from the app, and each has exactly one entry in the table', () => {
      expect(routes.length).toBeGreaterThanOrEqual(10);
      expect(routes).toEqual(Object.keys(ADMIN_ROUTE_ACCESS).sort());
    });

    it('allows and refuses every route for every role, a half-signed-in session and nobody', async () => {
      const db = adminDb(shop.db.db);
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const key of routes) {
        const [method, pattern] = key.split(' ') as [string, string];
        const url = pattern.replace(':id', pattern.startsWith('/admin/orders/') ? '00000000-0000-4000-8000-000000000000' : String(targetAccountId));
        const access = ADMIN_ROUTE_ACCESS[key]!;
        for (const who of PRINCIPALS) {
          // A fresh session per request: some routes (logout) end the one they are called with.
          // Nobody posts with the pre-session's token; a session with its own (admin-csrf.ts).
          const cookies = [csrf.cookie];
          let token = csrf.token;
          if (who !== 'nobody') {
            const accountId = who === 'second-factor' ? accounts.owner : accounts[who];
            const session = await directSession(shop, accountId, who === 'second-factor' ? 'password' : 'full');
            cookies.push(session.cookie);
            token = session.token;
          }
          const r = await shop.app.inject({
            method: method as 'GET' | 'POST',
            url,
            headers: { cookie: cookies.join('; '), ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
            ...(method === 'POST' ? { payload: `_csrf=${encodeURIComponent(token)}` } : {}),
          });
          const refused = r.headers['x-mamori-admin-refused'];
          const line = `${key} as ${who}: ${refused ? `refused (${String(refused)})` : 'allowed'}`;
          outcomes.push(line);
          expected.push(`${key} as ${who}: ${allowed(access, who) ? 'allowed' : 'refused'}`);
          if (refused) {
            expect([303, 401, 403], line).toContain(r.statusCode);
            if (refused === 'role') expect(r.statusCode, line).toBe(403);
          } else {
            expect(r.statusCode, line).not.toBe(403);
          }
        }
      }
      expect(outcomes.map((o) => o.replace(/ \(.*\)$/, ''))).toEqual(expected);
      // Reset what the walk changed (the second-factor attempts counted as failures).
      await db.deleteFrom('admin_login_throttle').execute();
    });

    it('keeps customer personal data away from vendor and auditor: no route they may use is an order or catalog route', () => {
      for (const [key, access] of Object.entries(ADMIN_ROUTE_ACCESS)) {
        if (typeof access === 'string') continue;
        if (/\/admin\/(orders|products|variants|accounts)/.test(key) && key !== 'GET /admin/orders.csv') {
          expect(access, key).not.toContain('vendor');
          expect(access, key).not.toContain('auditor');
        }
      }
    });
  });
}
