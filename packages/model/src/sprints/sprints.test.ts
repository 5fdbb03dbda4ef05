import { describe, expect, it } from 'vitest';
import { commitment, computeBurndown, sprintDays, type SprintEvent } from './sprints';

const members = [
  { userId: null, name: 'Ada', available: 8 },
  { userId: null, name: 'Lin', available: 4.5 },
];

describe('sprint commitment', () => {
  it('sums availability into capacity and is quiet within it', () => {
    expect(commitment({ unit: 'points', members, estimates: [5, 3, 4.5] })).toEqual({ committed: 12.5, capacity: 12.5, unestimated: 0, warnings: [] });
  });
  it('warns when the committed estimate exceeds the capacity', () => {
    const result = commitment({ unit: 'points', members, estimates: [8, 5] });
    expect(result.warnings).toEqual(['The committed estimate (13 points) exceeds the capacity (12.5 points) by 0.5.']);
  });
  it('counts unestimated items as 0 and says so', () => {
    expect(commitment({ unit: 'person-days', members: [], estimates: [null, 2, null] })).toMatchObject({ committed: 2, capacity: 0, unestimated: 2, warnings: [expect.stringContaining('exceeds') as unknown, '2 items have no estimate and count as 0.'] });
  });
});

describe('burndown', () => {
  const at = (day: string, time = '12:00') => `${day}T${time}:00Z`;
  const events: SprintEvent[] = [
    { kind: 'added', itemId: 'a', state: 'planned', estimate: 5, at: at('2026-03-01', '09:00') },
    { kind: 'added', itemId: 'b', state: 'planned', estimate: 3, at: at('2026-03-01', '09:30') },
    { kind: 'changed', itemId: 'a', state: 'in_progress', estimate: 5, at: at('2026-03-02') },
    { kind: 'changed', itemId: 'a', state: 'done', estimate: 5, at: at('2026-03-03') },
    { kind: 'added', itemId: 'c', state: 'planned', estimate: 2, at: at('2026-03-03', '15:00') },
    { kind: 'changed', itemId: 'b', state: 'planned', estimate: 4, at: at('2026-03-04') },
    { kind: 'removed', itemId: 'c', state: 'planned', estimate: 2, at: at('2026-03-04', '13:00') },
  ];

  it('lists every day of the sprint inclusive', () => {
    expect(sprintDays('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
  });

  it('replays scope and state changes to the end of each day, with no actual after today', () => {
    const burndown = computeBurndown({ unit: 'points', start: '2026-03-02', end: '2026-03-06', today: '2026-03-04', events });
    expect(burndown.startScope).toBe(8);
    expect(burndown.days.map((day) => day.remaining)).toEqual([8, 5, 4, null, null]);
    expect(burndown.days.map((day) => day.ideal)).toEqual([8, 6, 4, 2, 0]);
  });

  it('ignores changes of items not in scope and stops at the day the sprint closed', () => {
    const outside: SprintEvent = { kind: 'changed', itemId: 'z', state: 'planned', estimate: 40, at: at('2026-03-02') };
    const burndown = computeBurndown({ unit: 'points', start: '2026-03-02', end: '2026-03-06', today: '2026-03-20', closedOn: '2026-03-03', events: [...events, outside] });
    expect(burndown.days.map((day) => day.remaining)).toEqual([8, 5, null, null, null]);
  });
});
