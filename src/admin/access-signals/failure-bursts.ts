// Credential stuffing: many failed back-office sign-ins in a short window, from one address over
// several names (a tool walking a list of leaked e-mail/password pairs), or from everywhere (the
// same list spread over a botnet, each address staying under the per-address lock). Counted from
// the audit log, which records every failed attempt whatever was typed (admin-login.ts), with
// the shop's clock, so tests move time instead of waiting.
import { sql } from 'kysely';
import type { ShopConfig } from '../../config/config.ts';
import type { AlertInput } from '../../alerts/raise-alert.ts';
import { addressKey } from '../login-throttle.ts';
import type { AccessSignalDb } from './access-signal-tables.ts';

export type FailureBurstPolicy = ShopConfig['accessSignals']['failureBurst'];

/** The evidence names at most this many audit entries (the first of the window); the rest are found by address and time. */
export const BURST_EVIDENCE_IDS = 100;

const FAILED = 'auth.login_failed';

/**
 * The burst alerts a failure at `now` from `ip` makes true, if any. Called after every failed
 * attempt: while a burst goes on, each further failure repeats the alert, which only counts up.
 * Per address is by the exact address the audit log holds; an IPv6 host rotating within its /64
 * is still caught by the overall count.
 */
export async function failureBurstAlerts(db: AccessSignalDb, policy: FailureBurstPolicy, ip: string, now: Date): Promise<AlertInput[]> {
  const since = new Date(now.getTime() - policy.windowMinutes * 60_000).toISOString();
  const until = now.toISOString();
  const inWindow = () => db.selectFrom('audit_log').where('action', '=', FAILED).where('created_at', '>=', since).where('created_at', '<=', until);
  const alerts: AlertInput[] = [];

  const fromAddress = await inWindow().where('ip', '=', ip)
    .select([sql<number>`count(*)`.as('failures'), sql<number>`count(distinct target)`.as('names')]).executeTakeFirstOrThrow();
  const failures = Number(fromAddress.failures);
  const names = Number(fromAddress.names);
  if (failures >= policy.perAddress && names >= policy.perAddressNames) {
    const ids = await inWindow().where('ip', '=', ip).select('id').orderBy('id').limit(BURST_EVIDENCE_IDS).execute();
    alerts.push({
      kind: 'admin.failure_burst_address',
      severity: 'high',
      dedupeKey: `admin-failure-burst:address:${addressKey(ip)}`,
      summary: `管理画面へのログイン失敗が集中 / failed back-office sign-ins from ${ip}: ${failures} within ${policy.windowMinutes} min across ${names} names (credential stuffing)`,
      evidence: { auditEntryIds: ids.map((r) => r.id), address: ip, failures, names, windowMinutes: policy.windowMinutes, since, until },
    });
  }

  const overall = await inWindow().select([sql<number>`count(*)`.as('failures'), sql<number>`count(distinct ip)`.as('addresses')]).executeTakeFirstOrThrow();
  const total = Number(overall.failures);
  if (total >= policy.total) {
    const ids = await inWindow().select('id').orderBy('id').limit(BURST_EVIDENCE_IDS).execute();
    alerts.push({
      kind: 'admin.failure_burst_total',
      severity: 'high',
      dedupeKey: 'admin-failure-burst:total',
      summary: `管理画面へのログイン失敗が全体で急増 / failed back-office sign-ins overall: ${total} within ${policy.windowMinutes} min from ${Number(overall.addresses)} addresses (distributed credential stuffing)`,
      evidence: { auditEntryIds: ids.map((r) => r.id), failures: total, addresses: Number(overall.addresses), windowMinutes: policy.windowMinutes, since, until },
    });
  }
  return alerts;
}
