// The sandbox's simulated store terminal: the open konbini payments and a form that "pays" one
// by its number, as a store clerk's terminal would. Sandbox-only; behind the inspection token.
import type { VNode } from 'preact';
import { PageLayout, renderHtmlDocument } from './page-layout.tsx';

export interface KonbiniTerminalRow { paymentNumber: string; confirmationNumber: string; store: string; amount: number; orderReference: string; merchantId: string; expiresAt: string }

export interface KonbiniTerminalProps {
  nonce: string;
  token: string;
  rows: KonbiniTerminalRow[];
  result?: { kind: 'paid' | 'already_paid' | 'not_found' | 'not_payable'; paymentNumber: string; status?: string };
}

const RESULT_TEXT = {
  paid: (n: string) => `Payment ${n} taken at the store. The shop is notified.`,
  already_paid: (n: string) => `Payment ${n} was already paid; nothing was sent again.`,
  not_found: (n: string) => `No konbini payment has the number ${n}.`,
  not_payable: (n: string) => `Payment ${n} can no longer be paid at a store.`,
};

function KonbiniTerminalPage(p: KonbiniTerminalProps): VNode {
  const error = p.result && (p.result.kind === 'not_found' || p.result.kind === 'not_payable');
  return (
    <PageLayout lang="en" title="Konbini store terminal — Mamori sandbox gateway" nonce={p.nonce} wide>
      <h1>Konbini store terminal (sandbox)</h1>
      <p class="sandbox">Simulates a customer paying at a convenience store. No real money moves.</p>
      {p.result ? (
        <p class={error ? 'field-error' : undefined} role={error ? 'alert' : 'status'}>
          {RESULT_TEXT[p.result.kind](p.result.paymentNumber)}{p.result.status ? ` (status: ${p.result.status})` : ''}
        </p>
      ) : null}
      <form method="post" action="/_sandbox/konbini/pay">
        <input type="hidden" name="token" value={p.token} />
        <div class="field">
          <label for="paymentNumber">Payment number</label>
          <input id="paymentNumber" name="paymentNumber" type="text" inputMode="numeric" autocomplete="off" maxLength={11} />
        </div>
        <button type="submit">Paid at the store</button>
      </form>
      <table>
        <caption class="hint">Open konbini payments (newest first)</caption>
        <thead>
          <tr><th scope="col">Payment number</th><th scope="col">Confirmation</th><th scope="col">Store</th><th scope="col">Amount (JPY)</th><th scope="col">Order</th><th scope="col">Merchant</th><th scope="col">Pay by (UTC)</th></tr>
        </thead>
        <tbody>
          {p.rows.map((r) => (
            <tr key={r.paymentNumber}>
              <td>{r.paymentNumber}</td><td>{r.confirmationNumber}</td><td>{r.store}</td><td>{r.amount}</td><td>{r.orderReference}</td><td>{r.merchantId}</td><td>{r.expiresAt}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </PageLayout>
  );
}

export function renderKonbiniTerminalPage(props: KonbiniTerminalProps): string {
  return renderHtmlDocument(<KonbiniTerminalPage {...props} />);
}
