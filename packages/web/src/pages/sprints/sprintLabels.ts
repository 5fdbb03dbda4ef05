import type { DecisionStatus, SprintState } from '@meshboard/model';

/** Sprint states as people read them. */
export const sprintStateLabels: Record<SprintState, string> = { planned: 'Planned', active: 'Running', closed: 'Closed' };

/** Decision statuses as people read them. */
export const decisionStatusLabels: Record<DecisionStatus, string> = { proposed: 'Proposed', accepted: 'Accepted', superseded: 'Superseded' };

/** Lines of a textarea, trimmed, without empty ones. */
export function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
