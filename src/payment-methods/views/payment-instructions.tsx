import { formatDateTime, formatYen, type Locale } from '../../i18n/locale.ts';
import { mailDateTime } from '../../orders/mail-shop.ts';
import { paymentMethodMessages } from '../payment-method-messages.ts';
import type { OrderPaymentDetails, PaymentInstructions } from '../order-payment-method.ts';

type KonbiniInstructions = Extract<PaymentInstructions, { method: 'konbini' }>;

/**
 * What the store terminal asks for, as the order page, the mail and the back office show it: the
 * chain, the number under the name that chain gives it, and the 確認番号 where the chain uses one.
 */
export function konbiniFacts(locale: Locale, i: KonbiniInstructions): { key: 'store' | 'number' | 'confirmation'; label: string; value: string }[] {
  const pm = paymentMethodMessages(locale);
  return [
    { key: 'store' as const, label: pm.konbiniStore, value: i.store ? pm.konbiniStores[i.store] : pm.konbiniAnyStore },
    ...(i.paymentNumber ? [{ key: 'number' as const, label: i.store ? pm.konbiniNumberAt[i.store] : pm.konbiniNumber, value: i.paymentNumber }] : []),
    ...(i.confirmationNumber ? [{ key: 'confirmation' as const, label: pm.konbiniConfirmation, value: i.confirmationNumber }] : []),
  ];
}

/** The order page's "how to pay" block for a non-card order (nothing once it is paid). */
export function PaymentInstructionsView({ locale, details, timeZone }: { locale: Locale; details: OrderPaymentDetails; timeZone: string }) {
  const pm = paymentMethodMessages(locale);
  const i = details.instructions;
  return (
    <section class="payment-instructions" aria-labelledby="how-to-pay">
      <h2 id="how-to-pay">{pm.howToPay}: {pm.names[i.method]}</h2>
      {details.due ? <InstructionBody locale={locale} i={i} timeZone={timeZone} /> : null}
    </section>
  );
}

function InstructionBody({ locale, i, timeZone }: { locale: Locale; i: PaymentInstructions; timeZone: string }) {
  const pm = paymentMethodMessages(locale);
  if (i.method === 'cod') return <p>{pm.codIntro(formatYen(i.amount))}</p>;
  if (i.method === 'bank_transfer') {
    return (
      <>
        <p>{pm.bankIntro(formatYen(i.amount))}</p>
        <dl class="order-facts">
          <dt>{pm.bankAccount}</dt><dd>{i.account ? i.account.split('\n').map((l, n) => <>{n > 0 ? <br /> : null}{l}</>) : pm.bankAccountMissing}</dd>
          <dt>{pm.amount}</dt><dd>{formatYen(i.amount)}</dd>
          <dt>{pm.deadline}</dt><dd><time datetime={i.deadline}>{formatDateTime(i.deadline, locale, timeZone)}</time></dd>
        </dl>
        {i.note ? <p class="note">{i.note}</p> : null}
        <p class="note">{pm.bankAfter}</p>
      </>
    );
  }
  if (!i.paymentNumber || !i.deadline) return <p class="notice notice-error" role="alert">{pm.konbiniMissing}</p>;
  return (
    <>
      <p>{pm.konbiniIntro(formatYen(i.amount))}</p>
      <dl class="order-facts">
        {konbiniFacts(locale, i).map((f) => <><dt>{f.label}</dt><dd>{f.key === 'number' ? <strong class="konbini-number">{f.value}</strong> : f.key === 'confirmation' ? <strong class="konbini-confirmation">{f.value}</strong> : f.value}</dd></>)}
        <dt>{pm.amount}</dt><dd>{formatYen(i.amount)}</dd>
        <dt>{pm.deadline}</dt><dd><time datetime={i.deadline}>{formatDateTime(i.deadline, locale, timeZone)}</time></dd>
      </dl>
      <p class="note">{pm.konbiniAfter}</p>
    </>
  );
}

/** The same, as plain lines for the order mail (text and HTML parts). */
export function paymentInstructionLines(locale: Locale, timeZone: string, details: OrderPaymentDetails): string[] {
  const pm = paymentMethodMessages(locale);
  const i = details.instructions;
  const head = `${pm.howToPay}: ${pm.names[i.method]}`;
  if (!details.due) return [head];
  if (i.method === 'cod') return [head, pm.codIntro(formatYen(i.amount))];
  if (i.method === 'bank_transfer') {
    return [
      head, pm.bankIntro(formatYen(i.amount)),
      `${pm.bankAccount}:`, ...(i.account ? i.account.split('\n') : [pm.bankAccountMissing]),
      `${pm.deadline}: ${mailDateTime(i.deadline, locale, timeZone)}`,
      ...(i.note ? [i.note] : []), pm.bankAfter,
    ];
  }
  if (!i.paymentNumber || !i.deadline) return [head, pm.konbiniMissing];
  return [head, pm.konbiniIntro(formatYen(i.amount)), ...konbiniFacts(locale, i).map((f) => `${f.label}: ${f.value}`), `${pm.deadline}: ${mailDateTime(i.deadline, locale, timeZone)}`, pm.konbiniAfter];
}
