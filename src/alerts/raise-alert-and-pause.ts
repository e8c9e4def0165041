// An alert that also pauses card payments, in one transaction: a detector that finds a tampered
// checkout must not leave a window where the alert is recorded but customers are still sent on.
import type { ShopContext } from '../shop-context.ts';
import { pauseShop } from '../shop-pause/shop-pause.ts';
import { recordAlert, type AlertInput, type RaiseAlertResult } from './raise-alert.ts';
import { deliverAlert } from './deliver-alert.ts';

export async function raiseAlertAndPauseCardPayments(ctx: Pick<ShopContext, 'db' | 'clock' | 'mailer' | 'config' | 'logger'>, input: AlertInput, detector: string): Promise<RaiseAlertResult & { paused: boolean }> {
  const now = ctx.clock();
  const result = await ctx.db.db.transaction().execute(async (trx) => {
    const raised = await recordAlert(trx, input, now);
    const { paused } = await pauseShop(trx, { scope: 'card_payments', reason: `${input.kind}: ${input.summary}`, alertId: raised.alert.id, actor: { id: `system:${detector}` } }, now);
    return { ...raised, paused };
  });
  if (result.isNew) await deliverAlert(ctx, result.alert);
  return result;
}
