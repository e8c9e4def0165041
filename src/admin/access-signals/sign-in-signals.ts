// What a completed back-office sign-in (password and second factor) is checked for: an address
// or a browser never seen for the account, and a vendor signing in outside vendor hours. The
// browser is recognised by a long-lived random cookie (its SHA-256 stored per account), not by
// the User-Agent: a User-Agent is what an attacker copies first and changes with every browser
// update, while the cookie is not sent by a browser that never signed in. A cleared cookie reads
// as a new browser, which costs a low-severity alert, not a lockout.
// The first sign-in of an account (and the first after migration 0480) only learns its address
// and browser, audited as `auth.first_sign_in`, without an alert: the owner who created the
// account is expecting it, and an alert every owner must acknowledge for each new colleague
// would teach them to acknowledge without reading.
import type { ShopContext } from '../../shop-context.ts';
import { recordAlert, type AlertInput } from '../../alerts/raise-alert.ts';
import type { SecurityAlert } from '../../alerts/alert-tables.ts';
import { deliverAlert } from '../../alerts/deliver-alert.ts';
import { appendAuditEntry } from '../../audit/audit-log.ts';
import type { AdminAccount } from '../admin-tables.ts';
import { accessSignalDb } from './access-signal-tables.ts';
import { addressHash, deviceHash, looksLikeDeviceId, newDeviceId, rememberClient } from './known-clients.ts';
import { vendorHoursCheck } from './vendor-hours.ts';

export interface SignIn {
  account: AdminAccount;
  ip: string;
  userAgent: string;
  /** The device cookie as the browser sent it (anything not shaped like one is a new browser). */
  deviceCookie: string | undefined;
  /** The `auth.login_succeeded` entry of this sign-in. */
  loginAuditEntryId: number;
}

type SignalContext = Pick<ShopContext, 'db' | 'clock' | 'mailer' | 'config' | 'logger'>;

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Records the sign-in's signals and raises their alerts; returns the device id the browser keeps. */
export async function recordSignInSignals(ctx: SignalContext, addressKey: Buffer, signIn: SignIn): Promise<{ deviceId: string; alerts: SecurityAlert[] }> {
  const now = ctx.clock();
  const { account, ip } = signIn;
  const deviceId = looksLikeDeviceId(signIn.deviceCookie) ? signIn.deviceCookie : newDeviceId();
  const userAgent = signIn.userAgent.slice(0, 200);
  const actor = `admin:${account.id}`;
  const target = `account:${account.id}`;
  const raised = await ctx.db.db.transaction().execute(async (trx) => {
    const db = accessSignalDb(trx);
    const address = await rememberClient(db, account.id, 'address', addressHash(addressKey, ip), now);
    const device = await rememberClient(db, account.id, 'device', deviceHash(deviceId), now);
    const alerts: AlertInput[] = [];
    if (address === 'first' || device === 'first') {
      await appendAuditEntry(trx, { actor, action: 'auth.first_sign_in', target, ip, after: { learned: [address === 'first' ? 'address' : null, device === 'first' ? 'device' : null].filter(Boolean), userAgent }, at: now });
    }
    if (address === 'new' || device === 'new') {
      const ids = [signIn.loginAuditEntryId];
      if (address === 'new') ids.push((await appendAuditEntry(trx, { actor, action: 'auth.new_address', target, ip, after: { newDevice: device === 'new' }, at: now })).id);
      if (device === 'new') ids.push((await appendAuditEntry(trx, { actor, action: 'auth.new_device', target, ip, after: { userAgent }, at: now })).id);
      const hash = address === 'new' ? addressHash(addressKey, ip) : deviceHash(deviceId);
      alerts.push(address === 'new'
        ? {
          kind: 'admin.login_new_address', severity: 'medium', dedupeKey: `admin-new-address:account:${account.id}:${hash.slice(0, 32)}`,
          summary: `新しいアドレスからのログイン / sign-in from an address never seen for ${account.email}: ${ip}${device === 'new' ? ', in a new browser' : ''}`,
          evidence: { auditEntryIds: ids, account: target, address: ip, newDevice: device === 'new', userAgent },
        }
        : {
          kind: 'admin.login_new_device', severity: 'low', dedupeKey: `admin-new-device:account:${account.id}:${hash.slice(0, 32)}`,
          summary: `新しいブラウザからのログイン / sign-in from a browser never seen for ${account.email} (${ip})`,
          evidence: { auditEntryIds: ids, account: target, address: ip, userAgent },
        });
    }
    if (account.role === 'vendor') {
      const policy = ctx.config.accessSignals;
      const hours = vendorHoursCheck(now, ctx.config.timeZone, policy);
      const entry = await appendAuditEntry(trx, { actor, action: 'auth.vendor_session', target, ip, after: { withinVendorHours: hours.within, localTime: hours.local.clock, weekday: hours.local.weekday, timeZone: ctx.config.timeZone }, at: now });
      if (!hours.within) {
        const window = policy.vendorHours ? `${hhmm(policy.vendorHours.startMinute)}-${hhmm(policy.vendorHours.endMinute)}` : 'off';
        alerts.push({
          kind: 'admin.vendor_off_hours', severity: 'high', dedupeKey: `admin-vendor-off-hours:account:${account.id}`,
          summary: `委託ベンダーの時間外ログイン / vendor ${account.email} signed in outside vendor hours: ${hours.local.clock} ${ctx.config.timeZone} (hours ${window})`,
          evidence: { auditEntryIds: [signIn.loginAuditEntryId, entry.id], account: target, address: ip, localTime: hours.local.clock, weekday: hours.local.weekday, vendorHours: window, vendorDays: policy.vendorDays, timeZone: ctx.config.timeZone },
        });
      }
    }
    const results = [];
    for (const a of alerts) results.push(await recordAlert(trx, a, now));
    return results;
  });
  // Told after the commit, as raiseAlert does: a mail never announces something rolled back.
  for (const r of raised) if (r.isNew) await deliverAlert(ctx, r.alert);
  return { deviceId, alerts: raised.map((r) => r.alert) };
}
