// The PPC reporting deadlines: 5 days for the preliminary report, 30 days for the final report,
// 60 when the cause is (or may be) unauthorised access; the day of awareness not counted; days
// are the shop's calendar days, not UTC's.
import { describe, expect, it } from 'vitest';
import { addDays, daysLeft, localDate, ppcReportDeadlines, startOfLocalDay } from './legal-deadlines.ts';

const TOKYO = 'Asia/Tokyo';

describe('PPC report deadlines', () => {
  it('aware on 1 December (Tokyo): preliminary by 6 December, final by 31 December', () => {
    const d = ppcReportDeadlines(new Date('2026-12-01T01:00:00Z'), false, TOKYO);
    expect(d.ppc_preliminary.dueOn).toBe('2026-12-06');
    expect(d.ppc_final.dueOn).toBe('2026-12-31');
    expect(d.ppc_final.days).toBe(30);
    // The end of the due day in Tokyo is 15:00 UTC of that day.
    expect(d.ppc_preliminary.dueBy).toBe('2026-12-06T15:00:00.000Z');
  });

  it('60 days for the final report when the leak is or may be caused by unauthorised access', () => {
    const d = ppcReportDeadlines(new Date('2026-12-01T01:00:00Z'), true, TOKYO);
    expect(d.ppc_final.days).toBe(60);
    expect(d.ppc_final.dueOn).toBe('2027-01-30');
    expect(d.ppc_preliminary.dueOn).toBe('2026-12-06');
  });

  it('counts from the shop\'s calendar day: 23:30 UTC on 30 November is already 1 December in Tokyo', () => {
    const lateUtc = ppcReportDeadlines(new Date('2026-11-30T23:30:00Z'), false, TOKYO);
    expect(lateUtc.ppc_preliminary.dueOn).toBe('2026-12-06');
    // One minute before Tokyo's midnight is still 30 November there.
    const beforeMidnight = ppcReportDeadlines(new Date('2026-11-30T14:59:00Z'), false, TOKYO);
    expect(beforeMidnight.ppc_preliminary.dueOn).toBe('2026-12-05');
    // The same instant in New York is a different day again.
    expect(ppcReportDeadlines(new Date('2026-12-01T03:00:00Z'), false, 'America/New_York').ppc_preliminary.dueOn).toBe('2026-12-05');
  });

  it('days left: positive before, 0 on the due day (until its end in the shop\'s zone), negative after', () => {
    const { ppc_preliminary: p } = ppcReportDeadlines(new Date('2026-12-01T01:00:00Z'), false, TOKYO);
    expect(daysLeft(p.dueOn, new Date('2026-12-04T03:00:00Z'), TOKYO)).toBe(2);
    expect(daysLeft(p.dueOn, new Date('2026-12-06T14:59:59Z'), TOKYO)).toBe(0);
    expect(daysLeft(p.dueOn, new Date('2026-12-06T15:00:00Z'), TOKYO)).toBe(-1);
  });

  it('crosses month and year ends and leap days', () => {
    expect(addDays('2027-12-31', 1)).toBe('2028-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(ppcReportDeadlines(new Date('2028-01-30T03:00:00Z'), false, TOKYO).ppc_final.dueOn).toBe('2028-02-29');
  });

  it('finds the start of a local day across a daylight-saving change', () => {
    expect(startOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfLocalDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(localDate(new Date('2026-03-09T04:00:00Z'), 'America/New_York')).toBe('2026-03-09');
    expect(startOfLocalDay('2026-12-07', TOKYO).toISOString()).toBe('2026-12-06T15:00:00.000Z');
  });
});
