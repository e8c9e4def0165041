// End-of-life dates of what the report warns about besides Node.js (whose dates come from the
// release schedule the inventory already reads). Sources: openssl.org/policies/releasestrat.html
// and the OpenSSL release announcements; postgresql.org/support/versioning/. Update with new releases.
export const OPENSSL_END_OF_LIFE: Record<string, string> = {
  '1.0.2': '2019-12-31',
  '1.1.1': '2023-09-11',
  '3.0': '2026-09-07',
  '3.1': '2025-03-14',
  '3.2': '2025-11-23',
  '3.3': '2026-04-09',
  '3.4': '2026-10-22',
  '3.5': '2030-04-08',
};

export const POSTGRESQL_END_OF_LIFE: Record<string, string> = {
  '12': '2024-11-21',
  '13': '2025-11-13',
  '14': '2026-11-12',
  '15': '2027-11-11',
  '16': '2028-11-09',
  '17': '2029-11-08',
};

/** Warn this long before an end-of-life date. */
export const END_OF_LIFE_WARNING_DAYS = 180;

/** The end-of-life date of the series a version belongs to, when the table knows it. */
export function endOfLifeOf(name: 'openssl' | 'postgresql', version: string): string | undefined {
  if (name === 'openssl') {
    const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
    if (!m) return undefined;
    return m[1] === '1' ? OPENSSL_END_OF_LIFE[`${m[1]}.${m[2]}.${m[3]}`] : OPENSSL_END_OF_LIFE[`${m[1]}.${m[2]}`];
  }
  const major = /^(\d+)/.exec(version)?.[1];
  return major ? POSTGRESQL_END_OF_LIFE[major] : undefined;
}
