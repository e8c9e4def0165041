// What the login steps (admin-login.ts) are handed to raise alerts through the shop's one alert
// channel (src/alerts/raise-alert.ts: audit, dashboard, owners' e-mail, webhook) instead of only
// recording them: built from the ShopContext in routes.tsx, absent in unit tests of the steps.
import type { ShopContext } from '../../shop-context.ts';
import { raiseAlert, type AlertInput } from '../../alerts/raise-alert.ts';
import { accessSignalDb } from './access-signal-tables.ts';
import { failureBurstAlerts } from './failure-bursts.ts';

export interface LoginSignals {
  raise(input: AlertInput): Promise<unknown>;
  /** After each failed attempt's audit entry: the credential-stuffing counts. */
  afterFailure(ip: string, now: Date): Promise<void>;
}

type SignalContext = Pick<ShopContext, 'db' | 'clock' | 'mailer' | 'config' | 'logger'>;

export function loginSignals(ctx: SignalContext): LoginSignals {
  const raise = (input: AlertInput) => raiseAlert(ctx, input);
  return {
    raise,
    async afterFailure(ip, now) {
      for (const alert of await failureBurstAlerts(accessSignalDb(ctx.db.db), ctx.config.accessSignals.failureBurst, ip, now)) await raise(alert);
    },
  };
}
