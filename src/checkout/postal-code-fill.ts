// The no-JavaScript half of the postal-code fill: after submit, an empty prefecture or city on a
// Japanese address is filled from the postal code (the script does the same as the customer
// types: public/postal-code-fill.js). Undefined when there was nothing to fill.
import { parsePostalCode } from './postal-code.ts';
import { lookupPostalCode } from './postal-code-lookup.ts';

interface AddressFields { country: string; postalCode: string; prefecture: string; city: string; line1: string }

/** `replace`: the customer asked (住所を検索), so prefecture and city follow the code even when filled. */
export function fillFromPostalCode<T extends AddressFields>(values: T, opts: { replace?: boolean } = {}): T | undefined {
  if (values.country.toUpperCase() !== 'JP') return undefined;
  if (!opts.replace && values.prefecture.trim() !== '' && values.city.trim() !== '') return undefined;
  const digits = parsePostalCode(values.postalCode);
  const found = digits ? lookupPostalCode(digits) : undefined;
  if (!found) return undefined;
  return {
    ...values,
    prefecture: (!opts.replace && values.prefecture.trim()) || found.prefecture,
    city: (!opts.replace && values.city.trim()) || found.city,
    line1: values.line1.trim() || found.town,
  };
}
