/** URL state of the coordination view: a domain id (either end) and open (default) or all. */
export interface CoordinationSearch {
  domain?: string | undefined;
  state?: 'all' | undefined;
}

/** Reads the coordination view's search params, dropping anything unknown. */
export function coordinationSearch(search: Record<string, unknown>): CoordinationSearch {
  return { ...(typeof search.domain === 'string' && search.domain !== '' ? { domain: search.domain } : {}), ...(search.state === 'all' ? { state: 'all' as const } : {}) };
}

/** The states of a demand, in workflow order. */
export const demandStates = ['open', 'assigned', 'accepted', 'declined', 'merged'] as const;
/** One of {@link demandStates}. */
export type DemandStateName = (typeof demandStates)[number];

/** URL state of the demand inbox: a state filter. */
export interface DemandInboxSearch {
  state?: DemandStateName | undefined;
}

/** Reads the demand inbox's search params. */
export function demandInboxSearch(search: Record<string, unknown>): DemandInboxSearch {
  const state = demandStates.find((candidate) => candidate === search.state);
  return state === undefined ? {} : { state };
}

/** URL state of the "ask for data" form: the search words that found nothing, as a first title. */
export function askSearch(search: Record<string, unknown>): { title?: string } {
  return typeof search.title === 'string' && search.title !== '' ? { title: search.title.slice(0, 300) } : {};
}

/** How a demand's state reads to people. */
export const demandStateLabel: Record<DemandStateName, string> = {
  open: 'Open — waiting for triage',
  assigned: 'Assigned to a domain',
  accepted: 'In a product backlog',
  declined: 'Declined',
  merged: 'Merged into another request',
};
