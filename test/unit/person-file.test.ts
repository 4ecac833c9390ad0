// Pure rules of the person's file and the start page: household size, ages, the merged due list.
import { dueList } from '../../core/domain/due-list';
import { ageOn, householdSize } from '../../core/domain/person-file';

const d = (s: string) => new Date(s + 'T00:00:00Z');

it('household size: person + current members; the typed size only while no member is recorded', () => {
  expect(householdSize(null, [])).toBe(1);
  expect(householdSize(4, [])).toBe(4);
  expect(householdSize(4, [{ removedAt: null }, { removedAt: null }])).toBe(3);
  expect(householdSize(4, [{ removedAt: null }, { removedAt: new Date() }])).toBe(2);
  expect(householdSize(null, [{ removedAt: new Date() }])).toBe(1);
});

it('age in full years, birthdays and 29 February included', () => {
  expect(ageOn(d('2019-03-04'), d('2026-03-03'))).toBe(6);
  expect(ageOn(d('2019-03-04'), d('2026-03-04'))).toBe(7);
  expect(ageOn(d('2016-02-29'), d('2026-02-28'))).toBe(9);
  expect(ageOn(d('2016-02-29'), d('2026-03-01'))).toBe(10);
});

it('due list: all sources in one list, oldest first, overdue marked, ties by reference', () => {
  const item = (ref: string, kind: string, due: string) => ({
    caseId: ref,
    caseReference: ref,
    kind,
    title: kind,
    dueAt: d(due),
    href: '/',
  });
  const list = dueList(
    [
      [item('KIM-2', 'followup', '2026-12-01'), item('KIM-1', 'followup', '2026-11-01')],
      [item('KIM-3', 'chain-step', '2026-11-20'), item('KIM-0', 'chain-step', '2026-12-01')],
      [item('KIM-4', 'plan-review', 'x-invalid')],
    ],
    d('2026-11-25'),
  );
  expect(list.map((i) => [i.caseReference, i.overdue])).toEqual([
    ['KIM-1', true],
    ['KIM-3', true],
    ['KIM-0', false],
    ['KIM-2', false],
  ]);
  expect(dueList([[item('A', 'x', '2026-01-01')]], d('2026-01-02'), 0)).toEqual([]);
});
