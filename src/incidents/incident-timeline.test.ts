import { expect, it } from 'vitest';
import { readableDetails } from './incident-timeline.ts';

it('shows an audit entry\'s details as labelled values, not raw JSON', () => {
  expect(readableDetails('{"reference":"INC-2026-0001","finalDueOn":"2027-01-31","note":null,"unauthorizedAccess":true}'))
    .toBe('reference: INC-2026-0001 · finalDueOn: 2027-01-31 · unauthorizedAccess: true');
  expect(readableDetails('{"ids":[1,2]}')).toBe('ids: [1,2]');
  expect(readableDetails(null)).toBe('');
  expect(readableDetails('not json')).toBe('not json');
});
