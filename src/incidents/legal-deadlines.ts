// When a leak of personal data must be reported to the Personal Information Protection Commission
// (個人情報保護委員会, PPC). One file a merchant can read: the rule, its source, the day counts.
//
// Source: 個人情報の保護に関する法律 (Act on the Protection of Personal Information, as amended in
// 2020 and in force since 1 April 2022) 第26条第1項; 個人情報の保護に関する法律施行規則 (Enforcement
// Rules) 第7条 (which leaks must be reported — among them 第3号: a leak that is or may be caused by
// unauthorised access, 不正の目的をもって行われたおそれがある行為, and 第2号: data whose misuse can
// cause financial damage, such as card data) and 第8条 (the reports):
//   - 第8条第1項 速報: 「当該事態を知った後、速やかに」. The PPC's guidelines (通則編 3-5-3-3) read
//     "promptly" as about 3 to 5 days from becoming aware (概ね3〜5日以内). Mamori uses 5 calendar
//     days as the deadline and shows it as 「速やかに（目安3〜5日）」.
//   - 第8条第2項 確報: within 30 days of becoming aware (当該事態を知った日から30日以内); within 60
//     days when the leak is, or may be, caused by unauthorised access (規則第7条第3号の事態).
// Days are counted as the Civil Code counts periods (民法第140条, 初日不算入): the day the merchant
// became aware is not counted, and the deadline is the end of the last day, in the shop's time zone
// (SHOP_TIME_ZONE). Aware on 1 December → preliminary report by 6 December, final report by
// 31 December (30 days) or 30 January (60 days).

/** Calendar days after the day of awareness for the preliminary report (速報, 「速やかに」). */
export const PRELIMINARY_REPORT_DAYS = 5;
/** Calendar days after the day of awareness for the final report (確報). */
export const FINAL_REPORT_DAYS = 30;
/** The same when the leak is or may be caused by unauthorised access (不正アクセス等). */
export const FINAL_REPORT_DAYS_UNAUTHORIZED_ACCESS = 60;

export const LEGAL_SOURCE_JA = '個人情報の保護に関する法律第26条第1項、同法施行規則第7条・第8条（令和4年4月1日施行）';
export const LEGAL_SOURCE_EN = 'Act on the Protection of Personal Information, Art. 26(1); Enforcement Rules, Art. 7 and 8 (in force since 1 April 2022)';

export const LEGAL_CLOCKS = ['ppc_preliminary', 'ppc_final'] as const;
export type LegalClock = (typeof LEGAL_CLOCKS)[number];

export interface LegalDeadline {
  clock: LegalClock;
  /** The last day, YYYY-MM-DD in the shop's time zone. */
  dueOn: string;
  /** The end of that day (the next day's 00:00 in the shop's time zone), ISO 8601 UTC. */
  dueBy: string;
  days: number;
}

/**
 * The two PPC deadlines of an incident the merchant became aware of at `awareAt`.
 * `unauthorizedAccess`: the leak is or may be caused by unauthorised access (60-day final report).
 */
export function ppcReportDeadlines(awareAt: Date, unauthorizedAccess: boolean, timeZone: string): Record<LegalClock, LegalDeadline> {
  const awareDay = localDate(awareAt, timeZone);
  const deadline = (clock: LegalClock, days: number): LegalDeadline => {
    const dueOn = addDays(awareDay, days);
    return { clock, dueOn, dueBy: startOfLocalDay(addDays(dueOn, 1), timeZone).toISOString(), days };
  };
  return {
    ppc_preliminary: deadline('ppc_preliminary', PRELIMINARY_REPORT_DAYS),
    ppc_final: deadline('ppc_final', unauthorizedAccess ? FINAL_REPORT_DAYS_UNAUTHORIZED_ACCESS : FINAL_REPORT_DAYS),
  };
}

/** Whole days from today (in the shop's time zone) to the due day: 0 on the due day, negative when overdue. */
export function daysLeft(dueOn: string, now: Date, timeZone: string): number {
  return dayNumber(dueOn) - dayNumber(localDate(now, timeZone));
}

// Time-zone arithmetic with Intl only: the shop needs calendar dates in one zone, which the
// standard library provides; a date library would add a dependency for three small functions.

// Building an Intl.DateTimeFormat costs tens of µs (it loads the zone's rules); the cart's
// delivery dates asked for one per request. One formatter per (kind, zone) is kept instead.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(kind: 'date' | 'wall', timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = kind === 'date'
      ? new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      : new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(key, f);
  }
  return f;
}

/** YYYY-MM-DD of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  const parts = formatterFor('date', timeZone).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function addDays(day: string, days: number): string {
  return new Date((dayNumber(day) + days) * 86_400_000).toISOString().slice(0, 10);
}

function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = formatterFor('wall', timeZone).formatToParts(at);
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a local day begins in a time zone. */
export function startOfLocalDay(day: string, timeZone: string): Date {
  return wallTimeToInstant(`${day}T00:00`, timeZone);
}

/** The instant of a wall-clock time (YYYY-MM-DDTHH:mm[:ss]) in a time zone; twice refined, so a DST change lands right. */
export function wallTimeToInstant(wallTime: string, timeZone: string): Date {
  const wall = Date.parse(`${wallTime.length === 16 ? `${wallTime}:00` : wallTime}Z`);
  let t = wall - zoneOffsetMs(new Date(wall), timeZone);
  t = wall - zoneOffsetMs(new Date(t), timeZone);
  return new Date(t);
}

/** YYYY-MM-DDTHH:mm of an instant in a time zone (for datetime-local inputs). */
export function instantToWallTime(at: Date, timeZone: string): string {
  return new Date(at.getTime() + zoneOffsetMs(at, timeZone)).toISOString().slice(0, 16);
}
