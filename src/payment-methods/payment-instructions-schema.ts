// The Store API's shape of PaymentInstructions (order-payment-method.ts), for the OpenAPI document.
import { z } from 'zod';
import { KONBINI_CHAINS } from '../payments/payment-provider.ts';

export const PaymentInstructionsSchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('bank_transfer'), amount: z.number().int(), deadline: z.string().describe('ISO 8601 UTC: the order expires unpaid after it'),
    account: z.string().nullable().describe('The shop\'s bank account, lines as the merchant wrote them; null until set'), note: z.string(),
  }),
  z.object({ method: z.literal('cod'), amount: z.number().int().describe('collected by the carrier, fee included'), fee: z.number().int().describe('代引手数料, tax-inclusive at 10%') }),
  z.object({
    method: z.literal('konbini'), amount: z.number().int(),
    store: z.enum(KONBINI_CHAINS).nullable().describe('the chain the number is for; null when the gateway did not say'),
    paymentNumber: z.string().nullable().describe('given at the store; null if the gateway could not issue one'),
    confirmationNumber: z.string().nullable().describe('確認番号, asked for beside the number at the chains that use one; null at the others'),
    deadline: z.string().nullable(),
  }),
]).describe('What the customer needs to pay, for methods other than card');
