// Wall-clock time in the shop's zone (SHOP_TIME_ZONE): vendor hours are read in it and the
// dashboard's days start at its midnight. Hand-written over Intl because no time-zone library is
// a dependency of the shop, and Intl already knows every zone's offsets (DST included).

export interface ShopLocalTime {
  year: number;
  month: number;
  day: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Minutes after local midnight. */
  minuteOfDay: number;
  /** `HH:MM`, for messages. */
  clock: string;
}

const WEEKDAY_NUMBER: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

function partsOf(at: Date, timeZone: string) {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(at).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second), weekday: WEEKDAY_NUMBER[p.weekday!] ?? 0 };
}

export function shopLocalTime(at: Date, timeZone: string): ShopLocalTime {
  const p = partsOf(at, timeZone);
  return { year: p.year, month: p.month, day: p.day, weekday: p.weekday, minuteOfDay: p.hour * 60 + p.minute, clock: `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}` };
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function zoneOffsetMs(at: number, timeZone: string): number {
  const whole = Math.floor(at / 1000) * 1000;
  const p = partsOf(new Date(whole), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

/** The UTC instant of local midnight starting the given local date. */
export function localMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - zoneOffsetMs(guess, timeZone);
  // A second look: the offset at the guess may differ from the offset at the result (a DST change that night).
  return new Date(guess - zoneOffsetMs(first, timeZone));
}

/** The local dates of the last `days` days (today last), each with its start and end as UTC instants. */
export function lastShopDays(now: Date, timeZone: string, days: number): { date: string; start: Date; end: Date }[] {
  const today = shopLocalTime(now, timeZone);
  const out: { date: string; start: Date; end: Date }[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day - i));
    const next = new Date(Date.UTC(today.year, today.month - 1, today.day - i + 1));
    out.push({
      date: d.toISOString().slice(0, 10),
      start: localMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), timeZone),
      end: localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone),
    });
  }
  return out;
}
