import { evidenceKinds, suggestCostOfDelay, suggestReach, type BacklogKind, type BacklogState, type Evidence, type ReachSuggestion, type ScoringSubject, type TimeCriticalitySuggestion } from '@meshboard/model';
import type { BacklogItemRow, JsonValue } from '../store/Database';

/** One entered scoring input: its value and who entered it when. */
export interface EnteredInput {
  value: number | string;
  enteredBy: { id: string | null; label: string };
  enteredAt: string;
}

/** A backlog item as the API shows it. */
export interface BacklogItemView {
  id: string;
  productId: string;
  number: number;
  kind: BacklogKind;
  title: string;
  description: string;
  acceptanceCriteria: string[];
  state: BacklogState;
  /** Why it was declined; shown to the requester. Null unless declined. */
  declineReason: string | null;
  /** The surviving item when this one was merged into it (then this one is read-only). */
  duplicateOfId: string | null;
  requester: { userId: string | null; label: string | null; teamId: string | null };
  labels: string[];
  estimate: number | null;
  evidence: Evidence[];
  inputs: Record<string, EnteredInput>;
  /**
   * Measured suggestions beside the entered values: reach from linked consuming teams, and WSJF's time
   * criticality from those teams × hours of SLA breach (cost of delay).
   */
  suggested: { reach: ReachSuggestion | null; timeCriticality: TimeCriticalitySuggestion | null };
  votes: number;
  source: string | null;
  reportedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

function isRecord(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the stored evidence list (written only by the service, so entries are well-formed). */
export function readEvidence(value: JsonValue): Evidence[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((entry) => ({
    kind: evidenceKinds.find((kind) => kind === entry['kind']) ?? 'url',
    ref: String(entry['ref'] ?? ''),
    note: typeof entry['note'] === 'string' ? entry['note'] : '',
    teamId: typeof entry['teamId'] === 'string' ? entry['teamId'] : null,
  }));
}

/** Reads the stored inputs map. */
export function readInputs(value: JsonValue): Record<string, EnteredInput> {
  if (!isRecord(value)) return {};
  const inputs: Record<string, EnteredInput> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (!isRecord(entry)) continue;
    const stored = entry['value'];
    if (typeof stored !== 'number' && typeof stored !== 'string') continue;
    inputs[name] = {
      value: stored,
      enteredBy: { id: typeof entry['enteredBy'] === 'string' ? entry['enteredBy'] : null, label: String(entry['enteredByLabel'] ?? '') },
      enteredAt: String(entry['enteredAt'] ?? ''),
    };
  }
  return inputs;
}

/** The reach suggestion of an item from its requester team and evidence teams. */
export function reachOf(requesterTeamId: string | null, evidence: readonly Evidence[]): ReachSuggestion | null {
  return suggestReach({ requesterTeamId, evidenceTeamIds: evidence.map((entry) => entry.teamId) });
}

/** Both suggestions; time criticality counts the same consuming teams as reach (matches the stored column). */
function timeCriticalityOf(reach: ReachSuggestion | null, breachHours: number): BacklogItemView['suggested'] {
  return { reach, timeCriticality: suggestCostOfDelay({ consumersAffected: reach?.value ?? 0, breachHours }) };
}

/** Turns a row into its wire shape. */
export function presentBacklogItem(row: BacklogItemRow): BacklogItemView {
  const evidence = readEvidence(row.evidence);
  return {
    id: row.id,
    productId: row.product_id,
    number: row.number,
    kind: row.kind,
    title: row.title,
    description: row.description,
    acceptanceCriteria: Array.isArray(row.acceptance_criteria) ? row.acceptance_criteria.map(String) : [],
    state: row.state,
    declineReason: row.decline_reason,
    duplicateOfId: row.duplicate_of,
    requester: { userId: row.requester_id, label: row.requester_label, teamId: row.requester_team_id },
    labels: row.labels,
    estimate: row.estimate,
    evidence,
    inputs: readInputs(row.inputs),
    suggested: timeCriticalityOf(reachOf(row.requester_team_id, evidence), row.sla_breach_hours),
    votes: row.votes,
    source: row.source,
    reportedAt: row.reported_at === null ? null : row.reported_at.toISOString(),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** What the scoring reads of an item: entered inputs, reach and time criticality falling back to their suggestions, votes. */
export function scoringSubject(view: BacklogItemView): ScoringSubject {
  const inputs: Record<string, { value: number | string; suggested: boolean }> = Object.fromEntries(Object.entries(view.inputs).map(([name, input]) => [name, { value: input.value, suggested: false }]));
  const { reach, timeCriticality } = view.suggested;
  if (inputs['reach'] === undefined && reach !== null) inputs['reach'] = { value: reach.value, suggested: true };
  if (inputs['timeCriticality'] === undefined && timeCriticality !== null) inputs['timeCriticality'] = { value: timeCriticality.value, suggested: true };
  return { inputs, votes: view.votes };
}
