import type { PaymentMethod } from './payment-method.ts';

/**
 * 銀行振込: no gateway. The order waits for the merchant to see the money on the shop's account
 * (recordOfflinePayment in src/orders) and expires, releasing its stock, after N days.
 */
export const bankTransferPaymentMethod: PaymentMethod = {
  id: 'bank_transfer',
  shipsBeforePayment: false,
  quote: () => ({ ok: true, fee: 0 }),
  deadline: (ctx, placedAt) => new Date(placedAt.getTime() + ctx.settings.bankTransferDays * 24 * 3600_000),
  begin: async () => ({ ok: true }),
};
