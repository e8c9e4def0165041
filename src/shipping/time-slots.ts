// Delivery time slots as codes, so one stored list reads in both languages: 'am' is the carriers'
// 午前中 (until noon), 'HH-HH' a two-hour (or longer) window in the shop's time.
import type { Locale } from '../i18n/locale.ts';

export const DEFAULT_TIME_SLOTS: readonly string[] = ['am', '14-16', '16-18', '18-20', '19-21'];

export function isTimeSlotCode(code: string): boolean {
  if (code === 'am') return true;
  const m = /^(\d{1,2})-(\d{1,2})$/.exec(code);
  return !!m && Number(m[1]) < Number(m[2]) && Number(m[2]) <= 24;
}

export function timeSlotLabel(code: string, locale: Locale): string {
  if (code === 'am') return locale === 'en' ? 'Morning (until 12:00)' : '午前中';
  const [from, to] = code.split('-');
  return locale === 'en' ? `${from}:00–${to}:00` : `${from}〜${to}時`;
}
