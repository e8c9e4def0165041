// The sandbox's 3-D Secure challenge: in EMV 3DS the issuer's page asks for a one-time
// code; here the gateway plays the issuer, on its own origin.
import type { VNode } from 'preact';
import { HOSTED_PAGE_MESSAGES, type Locale } from './hosted-page-messages.ts';
import { PageLayout, renderHtmlDocument } from './page-layout.tsx';

export interface ChallengePageProps {
  locale: Locale;
  nonce: string;
  csrfToken: string;
  transactionId: string;
  merchantName: string;
  cardLast4: string;
  cancelHref: string;
}

function ChallengePage(p: ChallengePageProps): VNode {
  const m = HOSTED_PAGE_MESSAGES[p.locale];
  return (
    <PageLayout lang={p.locale} title={`${m.challengeTitle} — ${m.htmlTitle}`} nonce={p.nonce}>
      <p class="sandbox">{m.sandboxNotice}</p>
      <h1>{m.challengeTitle}</h1>
      <p>{m.challengeText}</p>
      <dl class="summary">
        <dt>{m.payTo}</dt>
        <dd>{p.merchantName}</dd>
        <dt>{m.cardEnding}</dt>
        <dd>•••• {p.cardLast4}</dd>
      </dl>
      <form method="post" action={`/pay/${p.transactionId}/challenge?lang=${p.locale}`} novalidate>
        <input type="hidden" name="_csrf" value={p.csrfToken} />
        <div class="field">
          <label for="oneTimeCode">{m.oneTimeCode}</label>
          <input type="text" id="oneTimeCode" name="oneTimeCode" autocomplete="one-time-code" inputmode="numeric" maxlength={8} aria-describedby="oneTimeCode-hint" required />
          <p class="hint" id="oneTimeCode-hint">{m.challengeSandboxHint}</p>
        </div>
        <div class="actions">
          <button type="submit">{m.verify}</button>
          <a href={p.cancelHref}>{m.cancel}</a>
        </div>
      </form>
    </PageLayout>
  );
}

export function renderChallengePage(props: ChallengePageProps): string {
  return renderHtmlDocument(<ChallengePage {...props} />);
}
