// A headless storefront's returnUrl is an open redirect unless bounded: the shop sends a customer,
// fresh from paying, only to an origin the merchant listed (STORE_API_RETURN_ORIGINS), checked
// at checkout and again when the customer comes back (the list may have changed since).

/** The URL, normalised, when it is http(s) on exactly one of `origins`; null otherwise. */
export function allowedReturnUrl(value: string, origins: readonly string[]): string | null {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(u.protocol) || u.username || u.password) return null;
  return origins.includes(u.origin) ? u.href : null;
}

/** The return URL with the order id and the payment outcome added to its query. */
export function returnUrlWithOutcome(returnUrl: string, orderId: string, notice: string): string {
  const u = new URL(returnUrl);
  u.searchParams.set('orderId', orderId);
  u.searchParams.set('payment', notice);
  return u.href;
}
