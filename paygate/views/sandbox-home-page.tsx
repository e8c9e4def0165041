// The gateway's front page: what this is and which test cards it accepts.
import type { VNode } from 'preact';
import { TEST_CARDS, THREE_DS_PASSING_CODE } from '../test-cards.ts';
import { PageLayout, renderHtmlDocument } from './page-layout.tsx';

function SandboxHomePage(p: { nonce: string }): VNode {
  return (
    <PageLayout lang="en" title="Mamori sandbox payment gateway" nonce={p.nonce} wide>
      <h1>Mamori sandbox payment gateway</h1>
      <p class="sandbox">No real money moves here. Payments are created by a shop through the signed merchant API; customers reach their payment page from the shop.</p>
      <table>
        <caption>Test cards (any future expiry, any name; 3-D Secure one-time code {THREE_DS_PASSING_CODE})</caption>
        <thead>
          <tr><th scope="col">Card number</th><th scope="col">Result</th></tr>
        </thead>
        <tbody>
          {[...TEST_CARDS].map(([number, card]) => (
            <tr key={number}><td>{number.replace(/(\d{4})(?=\d)/g, '$1 ')}</td><td>{card.description}</td></tr>
          ))}
        </tbody>
      </table>
      <p><a href="/_sandbox/notifications">Notification delivery log</a> · <a href="/_sandbox/konbini">Konbini store terminal</a> (both ask for the inspection token)</p>
    </PageLayout>
  );
}

export function renderSandboxHomePage(props: { nonce: string }): string {
  return renderHtmlDocument(<SandboxHomePage {...props} />);
}
