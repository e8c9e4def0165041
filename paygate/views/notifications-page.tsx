// The sandbox's delivery log: every notification, its attempts and whether the shop
// accepted it, so a developer can see a lost or rejected webhook at a glance.
import type { VNode } from 'preact';
import { PageLayout, renderHtmlDocument } from './page-layout.tsx';

export interface NotificationRow {
  eventId: string;
  merchantId: string;
  transactionId: string;
  type: string;
  status: string;
  attempts: number;
  lastResponseStatus: number | null;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
}

function NotificationsPage(p: { nonce: string; rows: NotificationRow[]; counts: Record<string, number> }): VNode {
  return (
    <PageLayout lang="en" title="Notifications — Mamori sandbox gateway" nonce={p.nonce} wide>
      <h1>Notifications</h1>
      <p>
        Pending: {p.counts.pending ?? 0} · Delivered: {p.counts.delivered ?? 0} · Given up: {p.counts.failed ?? 0}. Newest first, last 200.
      </p>
      <table>
        <caption class="hint">Server-to-server payment notifications sent by this sandbox gateway</caption>
        <thead>
          <tr>
            <th scope="col">Created (UTC)</th><th scope="col">Event</th><th scope="col">Type</th><th scope="col">Transaction</th><th scope="col">Merchant</th>
            <th scope="col">Delivery</th><th scope="col">Attempts</th><th scope="col">Last response</th><th scope="col">Next attempt</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => (
            <tr key={r.eventId}>
              <td>{r.createdAt}</td><td>{r.eventId}</td><td>{r.type}</td><td>{r.transactionId}</td><td>{r.merchantId}</td>
              <td>{r.status === 'failed' ? 'given up' : r.status}</td><td>{r.attempts}</td>
              <td>{r.lastResponseStatus ?? ''} {r.lastError ?? ''}</td><td>{r.nextAttemptAt ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </PageLayout>
  );
}

export function renderNotificationsPage(props: { nonce: string; rows: NotificationRow[]; counts: Record<string, number> }): string {
  return renderHtmlDocument(<NotificationsPage {...props} />);
}
