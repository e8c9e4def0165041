// The sandbox accepts only published test numbers, so a real card typed here by mistake
// is refused before anything happens (and, like every number, never stored).

export type TestCardOutcome = 'approve' | 'decline' | 'insufficient_funds' | 'challenge';

export const TEST_CARDS: ReadonlyMap<string, { outcome: TestCardOutcome; description: string }> = new Map([
  ['4242424242424242', { outcome: 'approve', description: 'Visa: payment succeeds' }],
  ['5555555555554444', { outcome: 'approve', description: 'Mastercard: payment succeeds' }],
  ['3566002020360505', { outcome: 'approve', description: 'JCB: payment succeeds' }],
  ['378282246310005', { outcome: 'approve', description: 'American Express: payment succeeds (4-digit security code)' }],
  ['4000000000000002', { outcome: 'decline', description: 'Visa: declined by the issuer' }],
  ['4000000000009995', { outcome: 'insufficient_funds', description: 'Visa: declined, insufficient funds' }],
  ['4000000000003220', { outcome: 'challenge', description: 'Visa: 3-D Secure challenge; one-time code 123456 passes' }],
]);

export const THREE_DS_PASSING_CODE = '123456';

export function testCardOutcome(digits: string): TestCardOutcome | null {
  return TEST_CARDS.get(digits)?.outcome ?? null;
}
