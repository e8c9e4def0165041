import type { ViewContext } from '../../layout/view-context.ts';

export function OrderLookupPage({ ctx, values, error }: { ctx: ViewContext; values: { orderNumber: string; email: string }; error?: string | undefined }) {
  const { m } = ctx;
  return (
    <>
      <h1>{m.order.lookupTitle}</h1>
      <p>{m.order.lookupIntro}</p>
      {error ? <p class="error" role="alert">{error}</p> : null}
      <form method="post" action="/orders/lookup" class="lookup-form">
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <div class="field">
          <label for="orderNumber">{m.order.orderNumber}</label>
          <input id="orderNumber" name="orderNumber" type="text" required maxLength={20} autocomplete="off" value={values.orderNumber} />
        </div>
        <div class="field">
          <label for="email">{m.checkout.email}</label>
          <input id="email" name="email" type="email" required maxLength={254} autocomplete="email" value={values.email} />
        </div>
        <button type="submit">{m.order.lookupButton}</button>
      </form>
    </>
  );
}
