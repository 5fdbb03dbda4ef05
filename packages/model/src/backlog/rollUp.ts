import { openBacklogStates, type BacklogState } from './workflow';

/** One child of a cross-domain parent, as the roll-up reads it. */
export interface RollUpChild {
  state: BacklogState;
  /** Merged duplicates are left out: the item they were merged into speaks for them. */
  merged?: boolean;
}

/**
 * The state a parent item shows for its cross-domain children (issue 6). `complete` holds when there is
 * at least one child and none is open (every one done or declined); `summary` is the line people read:
 * "blocked on 2 of 3", "done: 2 of 2 (1 declined)", or "no cross-domain requests".
 */
export interface RollUp {
  total: number;
  open: number;
  done: number;
  declined: number;
  complete: boolean;
  summary: string;
}

/** Rolls up the states of a parent's children (pure; the service and the web app share it). */
export function rollUpChildren(children: readonly RollUpChild[]): RollUp {
  const counted = children.filter((child) => child.merged !== true);
  const open = counted.filter((child) => openBacklogStates.includes(child.state)).length;
  const done = counted.filter((child) => child.state === 'done').length;
  const declined = counted.filter((child) => child.state === 'declined').length;
  const total = counted.length;
  const complete = total > 0 && open === 0;
  const declinedNote = declined === 0 ? '' : ` (${declined} declined)`;
  const summary = total === 0 ? 'no cross-domain requests' : complete ? `done: ${total} of ${total}${declinedNote}` : `blocked on ${open} of ${total}${declinedNote}`;
  return { total, open, done, declined, complete, summary };
}
