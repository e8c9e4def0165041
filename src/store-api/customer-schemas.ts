// Request and response shapes of the Store API's customer routes (customer-routes.ts); the
// OpenAPI document is generated from these too (openapi.ts).
import { z } from 'zod';
import { textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { OrderView } from './schemas.ts';

export const TokenRequest = z.strictObject({
  // Checked by the sign-in like the HTML form's field; a card number typed here is refused before it is even hashed.
  email: textWithoutCardNumber(z.string().max(254)).describe('the account\'s e-mail address'),
  password: z.string().min(1).max(256),
});
export const TokenAnswer = z.object({
  token: z.string().describe('Send as `Authorization: Bearer <token>`. Shown once: the shop keeps only its SHA-256.'),
  tokenType: z.literal('Bearer'),
  expiresAt: z.string().describe('ISO 8601; fixed at issue (CUSTOMER_API_TOKEN_DAYS, 30 by default), not extended by use. A password change or reset, a disabled or deleted account ends it sooner.'),
});
export const CustomerProfile = z.object({
  email: z.string(), name: z.string(), locale: z.enum(['ja', 'en']),
  twoStepVerification: z.boolean(), createdAt: z.string(),
});
export const OrderHistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
export const OrderHistoryEntry = z.object({
  orderNumber: z.string(), placedAt: z.string(), status: OrderView.shape.status, total: z.number().int().describe('JPY, tax-inclusive'),
});
export const OrderHistory = z.object({ orders: z.array(OrderHistoryEntry).describe('newest first'), nextCursor: z.string().nullable() });
