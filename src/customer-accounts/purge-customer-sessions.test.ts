// The nightly purge of expired customer sessions and Store API tokens (purge-customer-sessions.ts)
// in a running shop on both databases, clock injected: each kind of expiry (web idle, web
// absolute, a TOTP sign-in left at the password step, an API token's fixed lifetime) is deleted
// by the job at its slot, live rows of every kind are kept and still work, and an expired token is
// refused before and after the purge.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { hashSessionId } from '../admin/admin-sessions.ts';
import { listJobRuns } from '../jobs/job-runs.ts';
import { scryptHasher } from './account-runtime.ts';
import { openCustomerSession } from './customer-sessions.ts';
import { customerSessionLimits, purgeExpiredCustomerSessions } from './purge-customer-sessions.ts';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'sessions@example.jp';
const MIN = 60_000;
const DAY = 86_400_000;
const CLIENT = { ip: '203.0.113.9', userAgent: 'test' };

describeEachDatabase('purge of expired customer sessions', (database) => {
  let shop: TestShop;
  let now = new Date('2026-12-01T12:00:00.000Z');
  const nightly = new Date('2026-12-01T19:15:00.000Z'); // 04:15 on 2 December in Tokyo
  let customerId: number;

  beforeAll(async () => {
    shop = await startTestShop(database, {
      clock: () => now, jobPollMs: 0, reconcileAtStart: false, auditAnchoring: false,
      env: { CUSTOMER_AUTH_PER_MINUTE: '100000', CUSTOMER_SESSION_IDLE_MINUTES: '60', CUSTOMER_SESSION_MAX_DAYS: '7', CUSTOMER_API_TOKEN_DAYS: '30' },
      customerAccounts: { waitMs: async () => {} },
    });
    shop.context.mailer = { description: 'recording', send: async () => {} };
    const at = '2026-10-01T00:00:00.000Z';
    customerId = (await shop.db.db.insertInto('customers').values({
      email: EMAIL, name: '期限 花子', password_hash: await scryptHasher.hash(PASSWORD), locale: 'ja', email_verified_at: at, disabled_at: null,
      totp_secret: null, totp_enrolled_at: null, totp_last_step: null, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => shop?.dispose());

  async function apiToken(at: Date): Promise<string> {
    now = at;
    const r = await shop.app.inject({ method: 'POST', url: '/api/store/customers/token', remoteAddress: CLIENT.ip, headers: { 'content-type': 'application/json' }, payload: { email: EMAIL, password: PASSWORD } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().token as string;
  }
  const me = (token: string) => shop.app.inject({ url: '/api/store/customers/me', headers: { authorization: `Bearer ${token}` } });
  const account = (id: string) => shop.app.inject({ url: '/account', headers: { cookie: `mamori_customer=${id}` } });
  /** A web session opened at `created` and last seen at `seen`. */
  async function web(stage: 'password' | 'full', created: Date, seen: Date = created): Promise<string> {
    const id = await openCustomerSession(shop.db.db, customerId, stage, 'web', CLIENT, created);
    await shop.db.db.updateTable('customer_sessions').set({ last_seen_at: seen.toISOString() }).where('id_hash', '=', hashSessionId(id)).execute();
    return id;
  }
  const stored = async () => (await shop.db.db.selectFrom('customer_sessions').select('id_hash').where('customer_id', '=', customerId).execute()).map((r) => r.id_hash).sort();

  it('deletes every row past its expiry at the nightly slot, keeps the live ones, and an expired token is refused before and after', async () => {
    const ago = (ms: number) => new Date(nightly.getTime() - ms);
    // Store API tokens: fixed 30 days from issue.
    const tokenExpired = await apiToken(ago(30 * DAY + MIN));
    const tokenPresented = await apiToken(ago(30 * DAY + 2 * MIN));
    const tokenLive = await apiToken(ago(30 * DAY - MIN));
    // Unused for 20 days: the web idle limit (60 minutes) is not an API token's.
    const tokenQuiet = await apiToken(ago(20 * DAY));
    // Web sessions: idle 60 minutes, at most 7 days; the TOTP step's pending sign-in 10 minutes.
    const webIdle = await web('full', ago(2 * 60 * MIN), ago(60 * MIN + 1));
    const webOld = await web('full', ago(7 * DAY + 1), ago(MIN));
    const webLive = await web('full', ago(7 * DAY - 60 * MIN), ago(59 * MIN));
    const pendingOld = await web('password', ago(10 * MIN + 1));
    const pendingLive = await web('password', ago(10 * MIN - 1));
    const live = [tokenLive, tokenQuiet, webLive, pendingLive].map(hashSessionId);

    // Already refused when presented, before any purge.
    now = ago(1);
    expect((await me(tokenPresented)).statusCode).toBe(401);
    expect(await stored()).toHaveLength(8);
    expect(await shop.jobs.runDue()).not.toContain('purge-customer-sessions');

    now = nightly;
    expect(await shop.jobs.runDue()).toContain('purge-customer-sessions');
    expect((await listJobRuns(shop.db.db, 'purge-customer-sessions')).map((r) => r.outcome)).toEqual(['ok']);
    expect(await stored()).toEqual(live.sort());
    for (const gone of [tokenExpired, webIdle, webOld, pendingOld]) expect(await stored()).not.toContain(hashSessionId(gone));

    // Still refused after it; the live ones still open what they opened.
    expect((await me(tokenPresented)).statusCode).toBe(401);
    expect((await me(tokenExpired)).statusCode).toBe(401);
    expect((await me(tokenLive)).statusCode).toBe(200);
    expect((await me(tokenQuiet)).statusCode).toBe(200);
    expect((await account(webLive)).statusCode).toBe(200);
    // A pending sign-in is no signed-in session, but the TOTP step still accepts it.
    expect((await shop.app.inject({ url: '/account/login/totp', headers: { cookie: `mamori_customer=${pendingLive}` } })).statusCode).toBe(200);
  });

  it('purges in batches until none is left', async () => {
    const old = new Date(now.getTime() - 8 * DAY).toISOString();
    await shop.db.db.insertInto('customer_sessions').values(Array.from({ length: 1203 }, (_, i) => ({
      id_hash: `old-${i}`, customer_id: customerId, stage: 'full' as const, kind: 'web' as const, created_at: old, last_seen_at: old, ip: CLIENT.ip, user_agent: '',
    }))).execute();
    expect(await purgeExpiredCustomerSessions(shop.db.db, customerSessionLimits(shop.config.customerAccounts), now)).toBe(1203);
    expect(await shop.db.db.selectFrom('customer_sessions').select('id_hash').where('id_hash', 'like', 'old-%').execute()).toEqual([]);
  });
});
