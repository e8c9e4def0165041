// Tells people about a new alert: every active owner by e-mail and, when ALERT_WEBHOOK_URL is
// set, a JSON POST signed like the gateway's notifications (HMAC-SHA256 over timestamp, event id
// and body) so the receiver can tell it came from this shop. Delivery failures are logged, never
// thrown: the alert itself is already recorded and shown on the dashboard.
import { createSignedEventHeaders } from '../../platform/hmac-event-signing.ts';
import type { ShopContext } from '../shop-context.ts';
import type { SecurityAlert } from './alert-tables.ts';

type DeliveryContext = Pick<ShopContext, 'db' | 'mailer' | 'config' | 'logger' | 'clock'>;

export function alertWebhookBody(alert: SecurityAlert, shopUrl: string): string {
  return JSON.stringify({
    type: 'mamori.security_alert',
    id: alert.id,
    kind: alert.kind,
    severity: alert.severity,
    summary: alert.summary,
    evidence: JSON.parse(alert.evidence) as unknown,
    firstSeenAt: alert.first_seen_at,
    shop: shopUrl,
  });
}

export async function deliverAlert(ctx: DeliveryContext, alert: SecurityAlert): Promise<void> {
  const owners = await ctx.db.db.withTables<{ admin_accounts: { email: string; role: string; disabled: number } }>()
    .selectFrom('admin_accounts').select('email').where('role', '=', 'owner').where('disabled', '=', 0).execute()
    .catch(() => [] as { email: string }[]);
  const subject = `[${ctx.config.shopName}] セキュリティ警告 / Security alert: ${alert.severity} ${alert.kind}`;
  const link = `${ctx.config.publicUrl}/admin/`;
  const text = [
    `${alert.summary}`,
    '',
    `種類 / kind: ${alert.kind}`,
    `重大度 / severity: ${alert.severity}`,
    `時刻 / at: ${alert.first_seen_at}`,
    `根拠 / evidence: ${alert.evidence}`,
    '',
    `管理画面で確認し、確認済みにしてください / Review and acknowledge it in the back office: ${link}`,
  ].join('\n');
  for (const owner of owners) {
    try {
      await ctx.mailer.send({ to: owner.email, subject, text, html: `<pre>${escapeHtml(text)}</pre>` });
    } catch (err) {
      ctx.logger.error({ err, alertId: alert.id }, 'alert e-mail could not be sent');
    }
  }
  const hook = ctx.config.alerts.webhook;
  if (!hook) return;
  const body = alertWebhookBody(alert, ctx.config.publicUrl);
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...createSignedEventHeaders({ secret: hook.secret, eventId: `alert-${alert.id}`, body, now: ctx.clock() }) },
      body,
      signal: AbortSignal.timeout(5000),
      redirect: 'error',
    });
    if (!res.ok) ctx.logger.error({ alertId: alert.id, status: res.status }, 'alert webhook answered with an error');
  } catch (err) {
    ctx.logger.error({ err, alertId: alert.id }, 'alert webhook could not be reached');
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
