// The dashboard's last 30 days of back-office access, per day in the shop's time zone: sign-ins,
// failures, lockouts, sign-ins from new addresses, vendor sessions. One grouped query over the
// audit log (the index from migration 0480 on action, created_at), with the day boundaries
// computed here and passed in: SQLite has no time zones, and a CASE over ISO-8601 strings
// (which sort as text in time order) is the same SQL on both engines.
import { sql } from 'kysely';
import type { AccessSignalDb } from './access-signal-tables.ts';
import { lastShopDays } from './shop-local-time.ts';

export const ACCESS_ACTIVITY_ACTIONS = {
  logins: 'auth.login_succeeded',
  failures: 'auth.login_failed',
  lockouts: 'admin.lockout',
  newAddresses: 'auth.new_address',
  vendorSessions: 'auth.vendor_session',
} as const;

export type AccessActivityMetric = keyof typeof ACCESS_ACTIVITY_ACTIONS;
export type AccessActivityDay = { date: string } & Record<AccessActivityMetric, number>;

export const ACCESS_ACTIVITY_DAYS = 30;

/** Oldest day first, today (in the shop's zone) last; every day present, zero when nothing happened. */
export async function accessActivityByDay(db: AccessSignalDb, now: Date, timeZone: string, days = ACCESS_ACTIVITY_DAYS): Promise<AccessActivityDay[]> {
  const range = lastShopDays(now, timeZone, days);
  const metricOf = new Map(Object.entries(ACCESS_ACTIVITY_ACTIONS).map(([metric, action]) => [action as string, metric as AccessActivityMetric]));
  const dayIndex = sql.join(range.map((d, i) => sql`when created_at < ${d.end.toISOString()} then ${sql.lit(i)}`), sql` `);
  const rows = await sql<{ day: number | string; action: string; n: number | string }>`
    select case ${dayIndex} end as day, action, count(*) as n
    from audit_log
    where action in (${sql.join([...metricOf.keys()])}) and created_at >= ${range[0]!.start.toISOString()} and created_at < ${range.at(-1)!.end.toISOString()}
    group by 1, 2`.execute(db);
  const out: AccessActivityDay[] = range.map((d) => ({ date: d.date, logins: 0, failures: 0, lockouts: 0, newAddresses: 0, vendorSessions: 0 }));
  for (const r of rows.rows) {
    const day = out[Number(r.day)];
    const metric = metricOf.get(r.action);
    if (day && metric) day[metric] += Number(r.n);
  }
  return out;
}
