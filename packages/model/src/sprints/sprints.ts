/**
 * Sprints, retrospectives and the decision log (issue 6): vocabulary and the pure rules the server
 * enforces and the web app shows. No clock: callers pass "today".
 */
import type { BacklogState } from '../backlog/workflow';

/** Where a sprint is: being planned, running (at most one per product), or closed (read-only scope). */
export const sprintStates = ['planned', 'active', 'closed'] as const;
/** One of {@link sprintStates}. */
export type SprintState = (typeof sprintStates)[number];

/** What capacity and item estimates are counted in. An item's `estimate` is read in the sprint's unit. */
export const capacityUnits = ['points', 'person-days'] as const;
/** One of {@link capacityUnits}. */
export type CapacityUnit = (typeof capacityUnits)[number];

/** One person's share of a sprint's capacity: `available` in the sprint's unit (0: away the whole sprint). */
export interface SprintMember {
  userId: string | null;
  name: string;
  available: number;
}

/** Where the unfinished items of a closing sprint go: back to the backlog, or into a planned sprint. */
export const unfinishedDestinations = ['backlog', 'next'] as const;
/** One of {@link unfinishedDestinations}. */
export type UnfinishedDestination = (typeof unfinishedDestinations)[number];

/** The board's columns, in order: an item in a sprint is planned, in progress or done. */
export const boardColumns: readonly BacklogState[] = ['planned', 'in_progress', 'done'];

/** Status of a decision record: proposed, then accepted, and later perhaps superseded by another one. */
export const decisionStatuses = ['proposed', 'accepted', 'superseded'] as const;
/** One of {@link decisionStatuses}. */
export type DecisionStatus = (typeof decisionStatuses)[number];

/** The capacity of a sprint: the sum of its members' availability. */
export function sprintCapacity(members: readonly SprintMember[]): number {
  return roundTo2(members.reduce((sum, member) => sum + member.available, 0));
}

/** The estimates committed to a sprint (unestimated items count 0 and are counted separately). */
export interface Commitment {
  committed: number;
  capacity: number;
  unestimated: number;
  /** Plain-words warnings the planning view shows (over capacity, unestimated items); empty when fine. */
  warnings: string[];
}

/** Compares the committed estimate with the capacity and says what to look at. */
export function commitment(options: { unit: CapacityUnit; members: readonly SprintMember[]; estimates: readonly (number | null)[] }): Commitment {
  const capacity = sprintCapacity(options.members);
  const committed = roundTo2(options.estimates.reduce<number>((sum, estimate) => sum + (estimate ?? 0), 0));
  const unestimated = options.estimates.filter((estimate) => estimate === null).length;
  const warnings: string[] = [];
  if (committed > capacity) warnings.push(`The committed estimate (${committed} ${options.unit}) exceeds the capacity (${capacity} ${options.unit}) by ${roundTo2(committed - capacity)}.`);
  if (unestimated > 0) warnings.push(`${unestimated} item${unestimated === 1 ? ' has' : 's have'} no estimate and count${unestimated === 1 ? 's' : ''} as 0.`);
  return { committed, capacity, unestimated, warnings };
}

/**
 * What happened to an item within a sprint's scope, in time order: `added` and `changed` carry the
 * item's state and estimate after the event; `removed` takes it out of scope.
 */
export interface SprintEvent {
  kind: 'added' | 'removed' | 'changed';
  itemId: string;
  state: BacklogState;
  estimate: number | null;
  /** ISO timestamp. */
  at: string;
}

/** One day of a burndown: what remained at the end of the day (null: the day has not ended yet) and the ideal line. */
export interface BurndownDay {
  date: string;
  remaining: number | null;
  ideal: number;
}

/** A sprint's burndown: the remaining estimate per day against the straight line from the starting scope to 0. */
export interface Burndown {
  unit: CapacityUnit;
  startScope: number;
  days: BurndownDay[];
}

const dayMs = 86_400_000;

/** The ISO dates from `start` to `end` inclusive (both `YYYY-MM-DD`, UTC). */
export function sprintDays(start: string, end: string): string[] {
  const days: string[] = [];
  for (let time = Date.parse(`${start}T00:00:00Z`); time <= Date.parse(`${end}T00:00:00Z`); time += dayMs) days.push(new Date(time).toISOString().slice(0, 10));
  return days;
}

/**
 * Replays the sprint's events to the end of each day (UTC) of the sprint. Remaining = the estimates of
 * items in scope that are not done. The starting scope is what was in scope at the start of the first
 * day (items pulled in during planning); the ideal line falls from it to 0 on the last day. Days after
 * `today`, and after the day the sprint closed, have no actual value.
 */
export function computeBurndown(options: { unit: CapacityUnit; start: string; end: string; today: string; closedOn?: string | null; events: readonly SprintEvent[] }): Burndown {
  const events = [...options.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const scope = new Map<string, { state: BacklogState; estimate: number | null }>();
  let next = 0;
  const replayUntil = (limit: number): number => {
    while (next < events.length) {
      const event = events[next];
      if (event === undefined || Date.parse(event.at) >= limit) break;
      if (event.kind === 'removed') scope.delete(event.itemId);
      else if (event.kind === 'added' || scope.has(event.itemId)) scope.set(event.itemId, { state: event.state, estimate: event.estimate });
      next += 1;
    }
    let remaining = 0;
    for (const item of scope.values()) if (item.state !== 'done' && item.state !== 'declined') remaining += item.estimate ?? 0;
    return roundTo2(remaining);
  };
  const startScope = replayUntil(Date.parse(`${options.start}T00:00:00Z`));
  const days = sprintDays(options.start, options.end);
  const lastActual = options.closedOn !== undefined && options.closedOn !== null && options.closedOn < options.today ? options.closedOn : options.today;
  const steps = Math.max(days.length - 1, 1);
  return {
    unit: options.unit,
    startScope,
    days: days.map((date, index) => ({
      date,
      remaining: date <= lastActual ? replayUntil(Date.parse(`${date}T00:00:00Z`) + dayMs) : null,
      ideal: roundTo2(startScope * Math.max(0, 1 - index / steps)),
    })),
  };
}

function roundTo2(value: number): number {
  return Math.round(value * 100) / 100;
}
