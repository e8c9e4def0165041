// The back office takes and shows times in the shop's zone (SHOP_TIME_ZONE); storage is UTC.
// Hand-written with Intl (no date library in the project): the offset is read at the instant.

function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(at).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** `YYYY-MM-DDTHH:mm` (a datetime-local input) read in the shop's zone → ISO UTC; undefined if malformed. */
export function shopLocalToUtc(local: string, timeZone: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return undefined;
  const guess = Date.parse(`${local}:00Z`);
  if (Number.isNaN(guess)) return undefined;
  return new Date(guess - zoneOffsetMs(new Date(guess), timeZone)).toISOString();
}

/** ISO UTC → `YYYY-MM-DDTHH:mm` in the shop's zone (for a datetime-local input's value). */
export function utcToShopLocal(iso: string, timeZone: string): string {
  const at = new Date(iso);
  return new Date(at.getTime() + zoneOffsetMs(at, timeZone)).toISOString().slice(0, 16);
}
