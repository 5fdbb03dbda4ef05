/**
 * Measured reach: how many consuming teams an item affects, counted from what the mesh knows rather than
 * typed in. Today the signals are the requester's team and the teams named by evidence; the subscription
 * slice can pass `subscriberTeamIds` (teams consuming the product's affected output ports) without any
 * caller changing shape.
 */
export interface ReachSignals {
  requesterTeamId: string | null;
  evidenceTeamIds: readonly (string | null)[];
  /** Teams subscribed to what the item changes (not wired yet; counted when given). */
  subscriberTeamIds?: readonly string[];
}

/** A suggested reach with the reason people see next to it. */
export interface ReachSuggestion {
  value: number;
  basis: string;
}

/**
 * The number of distinct teams among the signals, or null when there is none (no suggestion beats a
 * suggestion of zero, which would silently rank the item last).
 */
export function suggestReach(signals: ReachSignals): ReachSuggestion | null {
  const teams = new Set<string>();
  if (signals.requesterTeamId !== null) teams.add(signals.requesterTeamId);
  for (const team of signals.evidenceTeamIds) if (team !== null) teams.add(team);
  const subscribers = signals.subscriberTeamIds ?? [];
  for (const team of subscribers) teams.add(team);
  if (teams.size === 0) return null;
  const sources = ['the requester’s team', 'teams linked as evidence', ...(subscribers.length > 0 ? ['subscribed teams'] : [])];
  return { value: teams.size, basis: `${teams.size} consuming team${teams.size === 1 ? '' : 's'} (${sources.join(', ')})` };
}
