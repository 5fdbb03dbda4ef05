/**
 * The backlog's vocabulary and workflow: item kinds, states and the allowed state changes. Pure data and
 * rules shared by the server (which enforces them), the web app (which offers only allowed moves) and
 * the CLI.
 */

/** What an item is: a consumer's request, an idea, a user story (with acceptance criteria) or a defect. */
export const backlogKinds = ['request', 'idea', 'story', 'defect'] as const;
/** One of {@link backlogKinds}. */
export type BacklogKind = (typeof backlogKinds)[number];

/** Where an item is: the delivery path new → triaged → planned → in_progress → done, or declined. */
export const backlogStates = ['new', 'triaged', 'planned', 'in_progress', 'done', 'declined'] as const;
/** One of {@link backlogStates}. */
export type BacklogState = (typeof backlogStates)[number];

/** States whose items are still to be worked on: the ranking covers these only. */
export const openBacklogStates: readonly BacklogState[] = ['new', 'triaged', 'planned', 'in_progress'];

/**
 * The allowed moves. Forward one step, back one step (re-triage), decline from any open state, and
 * reopen (done → in_progress, declined → new). Everything else is refused so the history stays readable.
 */
const transitions: Readonly<Record<BacklogState, readonly BacklogState[]>> = {
  new: ['triaged', 'declined'],
  triaged: ['planned', 'new', 'declined'],
  planned: ['in_progress', 'triaged', 'declined'],
  in_progress: ['done', 'planned', 'declined'],
  done: ['in_progress'],
  declined: ['new'],
};

/** The states an item in `from` may move to. */
export function nextBacklogStates(from: BacklogState): readonly BacklogState[] {
  return transitions[from];
}

/**
 * Checks a state change. Returns why it is refused (plain words), or null when allowed. Declining needs
 * a reason: it is shown to the requester, so "declined" never arrives without an explanation.
 */
export function refuseTransition(from: BacklogState, to: BacklogState, reason: string | null | undefined): string | null {
  if (from === to) return null;
  if (!transitions[from].includes(to)) {
    return `An item cannot move from ${stateLabel(from)} to ${stateLabel(to)}; from ${stateLabel(from)} it can go to ${transitions[from].map(stateLabel).join(', ')}.`;
  }
  if (to === 'declined' && (reason === undefined || reason === null || reason.trim() === '')) {
    return 'Declining needs a reason; the requester sees it.';
  }
  return null;
}

/** A state as people read it ("in progress"). */
export function stateLabel(state: BacklogState): string {
  return state.replace('_', ' ');
}

/** What an evidence link points at; `item` links another backlog item. */
export const evidenceKinds = ['feedback', 'access-request', 'url', 'item'] as const;
/** One of {@link evidenceKinds}. */
export type EvidenceKind = (typeof evidenceKinds)[number];

/**
 * Why an item matters: a link to consumer feedback, an access request, a web page or another item.
 * `ref` is the id or URL of the linked thing (not resolved here: other slices own those records);
 * `teamId` names the consuming team the evidence speaks for, which feeds the reach suggestion.
 */
export interface Evidence {
  kind: EvidenceKind;
  ref: string;
  note: string;
  teamId: string | null;
}

/** The evidence of `into` followed by the evidence of `from` it does not have yet (same kind and ref). */
export function mergeEvidence(into: readonly Evidence[], from: readonly Evidence[]): Evidence[] {
  const seen = new Set(into.map((entry) => `${entry.kind}\u0000${entry.ref}`));
  const merged = [...into];
  for (const entry of from) {
    const key = `${entry.kind}\u0000${entry.ref}`;
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(entry);
  }
  return merged;
}
