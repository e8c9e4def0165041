// The delivery fields of the HTML checkout form, read with zod. Anything unreadable is treated as
// not chosen: the re-rendered form then offers the valid choices again.
import { z } from 'zod';
import type { DeliveryChoice } from './delivery-options.ts';

const DeliveryFormSchema = z.object({
  deliveryMethod: z.string().regex(/^\d{1,9}$/).transform(Number).optional().catch(undefined),
  deliveryDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
  deliveryTimeSlot: z.string().max(10).optional().catch(undefined),
  /** The fee the page showed; a different fee at submit re-renders instead of ordering. */
  deliveryQuotedFee: z.string().regex(/^\d{1,9}$/).transform(Number).optional().catch(undefined),
  recalculate: z.literal('1').optional().catch(undefined),
});

export interface DeliveryFormValues { choice: DeliveryChoice; quotedFee: number | undefined; recalculate: boolean }

export function deliveryFormValues(body: unknown): DeliveryFormValues {
  const b = DeliveryFormSchema.parse(body && typeof body === 'object' ? body : {});
  return {
    choice: { methodId: b.deliveryMethod, date: b.deliveryDate || undefined, timeSlot: b.deliveryTimeSlot || undefined },
    quotedFee: b.deliveryQuotedFee,
    recalculate: b.recalculate === '1',
  };
}
