import { addWorkingDays, workingDaysBetween } from '../../core/domain/working-days';

describe('workingDaysBetween (analytics durations count as deadlines do)', () => {
  it('is the inverse of addWorkingDays', () => {
    const start = new Date('2026-03-02T09:00:00+01:00'); // Monday
    for (const n of [0, 1, 5, 9, 15, 40]) {
      const due = addWorkingDays(start, n);
      expect(workingDaysBetween(start, due)).toBe(n);
    }
  });
  it('skips weekends and NRW holidays', () => {
    // Thu 2026-04-02 → Tue 2026-04-07: Good Friday, weekend, Easter Monday in between → 1 working day
    expect(workingDaysBetween(new Date('2026-04-02T10:00:00+02:00'), new Date('2026-04-07T10:00:00+02:00'))).toBe(1);
    // Fri → Mon: 1
    expect(workingDaysBetween(new Date('2026-03-06T16:00:00+01:00'), new Date('2026-03-09T08:00:00+01:00'))).toBe(1);
  });
  it('is 0 on the same day or backwards', () => {
    expect(workingDaysBetween(new Date('2026-03-02T08:00:00+01:00'), new Date('2026-03-02T18:00:00+01:00'))).toBe(0);
    expect(workingDaysBetween(new Date('2026-03-05T08:00:00+01:00'), new Date('2026-03-02T18:00:00+01:00'))).toBe(0);
  });
});
