// The checkout form's side of payment methods: what the radio offers and what the form posted.
import type { ShopContext } from '../shop-context.ts';
import type { Locale } from '../i18n/locale.ts';
import { offeredMethods, paymentMethodContext } from './payment-methods.ts';
import { PaymentMethodIdSchema, type PaymentMethodId } from './payment-settings.ts';
import { PaymentMethodChoice } from './views/payment-method-choice.tsx';
import { KONBINI_CHAINS, type KonbiniChain } from '../payments/payment-provider.ts';

export interface PaymentChoiceState {
  selected?: PaymentMethodId | undefined;
  error?: boolean;
  /** The konbini chain posted (kept on every re-render). */
  konbiniStore?: KonbiniChain | undefined;
  /** コンビニ決済 was chosen without a chain. */
  storeError?: boolean;
}

export async function paymentMethodChoice(shop: ShopContext, locale: Locale, totalBeforeFee: number, state: PaymentChoiceState) {
  const ctx = await paymentMethodContext(shop);
  return <PaymentMethodChoice locale={locale} ctx={ctx} offered={offeredMethods(ctx, totalBeforeFee)} selected={state.selected} error={state.error} konbiniStore={state.konbiniStore} storeError={state.storeError} />;
}

/** What the form posted for the payment section: the method and, for konbini, the chain (anything unknown is undefined). */
export function paymentChoiceFromForm(body: unknown): PaymentChoiceState {
  const v = (body && typeof body === 'object' ? (body as Record<string, unknown>).konbiniStore : undefined);
  return { selected: paymentMethodFromForm(body), konbiniStore: KONBINI_CHAINS.find((c) => c === v) };
}

/** The posted radio value; anything else (absent, unknown) is undefined, which checkout takes as card. */
export function paymentMethodFromForm(body: unknown): PaymentMethodId | undefined {
  const v = (body && typeof body === 'object' ? (body as Record<string, unknown>).paymentMethod : undefined);
  const parsed = PaymentMethodIdSchema.safeParse(v);
  return parsed.success ? parsed.data : undefined;
}
