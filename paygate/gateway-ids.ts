// Identifiers are random, never sequential: a transaction id is also the capability to
// open its hosted payment page.
import { randomBytes } from 'node:crypto';

export const newTransactionId = () => `tx_${randomBytes(12).toString('hex')}`;
export const newEventId = () => `evt_${randomBytes(12).toString('hex')}`;
export const newMerchantId = () => `mch_${randomBytes(8).toString('hex')}`;
export const newMerchantSecret = () => `sk_sandbox_${randomBytes(32).toString('base64url')}`;
