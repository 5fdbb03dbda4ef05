import type { ColumnType, Generated, Insertable, RawBuilder, Selectable } from 'kysely';

/** A timestamp column: read as Date (pg's parser), written as Date or ISO string, defaulted by SQL. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string | RawBuilder<Date>>;

/** JSON value stored in a jsonb column. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The per-domain roles (the global `admin` is a flag on the user; every signed-in user is a consumer). */
export const domainRoles = ['data_product_owner', 'data_owner', 'producer', 'member'] as const;
/** One of {@link domainRoles}. */
export type DomainRole = (typeof domainRoles)[number];

/** Row of `domains`: a business area owning products. `version` drives optimistic concurrency. */
export interface DomainTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `teams`; a team may belong to a domain (null: a consuming team outside any domain). */
export interface TeamTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  domain_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `users`; `password_hash` is an argon2id PHC string, null for token-only users. */
export interface UserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  is_admin: Generated<boolean>;
  disabled: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `team_members`: a user's membership of a team. */
export interface TeamMemberTable {
  team_id: string;
  user_id: string;
  created_at: Timestamp;
}

/** Row of `domain_roles`: a role a user holds in a domain (one row per user, domain and role). */
export interface DomainRoleTable {
  user_id: string;
  domain_id: string;
  role: DomainRole;
  created_at: Timestamp;
}

/** Row of `api_tokens`: API tokens and sign-in sessions, stored as a SHA-256 of the secret only. */
export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  kind: 'api' | 'session';
  token_hash: string;
  /** The first characters of the secret, shown in lists so people can tell tokens apart. */
  prefix: string;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Row of `audit_events`: who did what to which entity, when, with the before/after states. */
export interface AuditEventTable {
  /** Monotonic sequence: the stable order for pagination. */
  seq: Generated<string>;
  id: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: JsonValue | null;
  after: JsonValue | null;
  created_at: Timestamp;
}

/** The lifecycle statuses of products and contracts. */
export type LifecycleStatus = 'proposed' | 'draft' | 'active' | 'deprecated' | 'retired';

/** Row of `products`: an ODPS document with the columns we filter and join on. */
export interface ProductTable {
  id: string;
  domain_id: string;
  /** The document's own id (ODPS `id`), unique across the mesh. */
  external_id: string;
  name: string;
  status: LifecycleStatus;
  /** The product's semantic version from the document. */
  product_version: string;
  owner_team_id: string | null;
  document: JsonValue;
  /** The document with its key order as published (json, migration 0003); null on older rows. */
  source: ColumnType<JsonValue | null, string | null | undefined, string | null>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `contracts`: the current ODCS document of a contract. */
export interface ContractTable {
  id: string;
  domain_id: string;
  external_id: string;
  name: string;
  status: LifecycleStatus;
  current_version: string;
  document: JsonValue;
  /** The document with its key order as published (json, migration 0003); null on older rows. */
  source: ColumnType<JsonValue | null, string | null | undefined, string | null>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `product_output_ports`: an output port bound to a contract. */
export interface ProductOutputPortTable {
  product_id: string;
  port_name: string;
  contract_id: string | null;
}

/** Row of `contract_versions`: an immutable published contract version. */
export interface ContractVersionTable {
  contract_id: string;
  contract_version: string;
  document: JsonValue;
  source: ColumnType<JsonValue | null, string | null | undefined, string | null>;
  change_kind: 'initial' | 'breaking' | 'non-breaking';
  published_by: string | null;
  published_at: Timestamp;
  /** 1 for a new version; +1 for each changed re-publish under the same version (migration 0003). */
  revision: Generated<number>;
  /** Publication order (bigserial, read as a string). */
  seq: ColumnType<string, never, never>;
}

/** Row of `product_versions`: an immutable published product version (migration 0003). */
export interface ProductVersionTable {
  product_id: string;
  product_version: string;
  revision: Generated<number>;
  document: JsonValue;
  source: ColumnType<JsonValue | null, string | null | undefined, string | null>;
  change_kind: 'initial' | 'breaking' | 'non-breaking';
  published_by: string | null;
  published_at: Timestamp;
  seq: ColumnType<string, never, never>;
}

/** Row of `search_entries`: one searchable product, contract or contract property (migration 0003). */
export interface SearchEntryTable {
  key: string;
  kind: 'product' | 'contract' | 'property';
  entity_id: string;
  domain_id: string;
  title: string;
  context: string;
  status: string;
  owner: string;
  tags: string[];
  keywords: string;
  body: string;
  tsv: ColumnType<string, never, never>;
  search_text: ColumnType<string, never, never>;
  /** Derived from check runs (migration 0005): the contract's latest run; a product's worst port contract. */
  quality_state: ColumnType<QualityState, QualityState | undefined, QualityState>;
  /** Derived from the SLA checks' latest results (migration 0005). */
  sla_state: ColumnType<SlaState, SlaState | undefined, SlaState>;
  updated_at: Timestamp;
}

/** Row of `search_changes` (migration 0016): an entity whose search entries (or a domain whose slug) a committed write changed. */
export interface SearchChangeTable {
  seq: ColumnType<string, never, never>;
  entity_id: string;
  kind: ColumnType<'entries' | 'domain', 'entries' | 'domain' | undefined, never>;
  changed_at: ColumnType<Date, never, never>;
}

/** Data quality state of a search entry: the latest check run's outcome, or `not-run`. */
export type QualityState = 'passed' | 'warning' | 'failed' | 'error' | 'not-run';
/** SLA state of a search entry: every SLA check's latest verdict met, any breached, or nothing measured. */
export type SlaState = 'met' | 'breached' | 'unknown';

/** How a check run was started: by a person in the UI (`manual`), by a contract's schedule, or through the API. */
export type CheckRunTrigger = 'manual' | 'scheduled' | 'api' | 'publish';
/** A run's state: waiting, running, or the engine's run outcome once finished. */
export type CheckRunStatus = 'queued' | 'running' | 'passed' | 'warning' | 'failed' | 'error' | 'unknown';

/** Row of `check_runs`: one execution of a contract's checks against one server. */
export interface CheckRunTable {
  id: string;
  contract_id: string;
  contract_version: string;
  server: string;
  trigger: CheckRunTrigger;
  status: CheckRunStatus;
  requested_by: string | null;
  queued_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  summary: JsonValue | null;
  /** Why the run could not run at all (no such server, contract unreadable); null otherwise. */
  error: string | null;
}

/** Row of `check_results`: the outcome of one check in a run (samples already PII-masked). */
export interface CheckResultTable {
  run_id: string;
  check_key: string;
  status: 'passed' | 'failed' | 'warning' | 'error' | 'skipped';
  /** The numeric measured value (trends); text measurements are in `measured_text`. */
  measured: number | null;
  details: JsonValue | null;
  position: Generated<number>;
  name: Generated<string>;
  category: Generated<string>;
  measured_text: string | null;
  expected: string | null;
  unit: string | null;
  message: Generated<string>;
  samples: ColumnType<JsonValue, string | undefined, string>;
}

/** A request's state: waiting for an approver, decided, or withdrawn by the requester (migration 0006). */
export type AccessRequestStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

/** Row of `access_requests`: a consumer asks for access to one output port of a product (migration 0006). */
export interface AccessRequestTable {
  id: string;
  product_id: string;
  /** The product's domain when the request was made: whose owners may decide. */
  domain_id: string;
  port_name: string;
  contract_id: string | null;
  requester_id: string;
  purpose: string;
  /** Days of access after approval; null: until revoked. */
  duration_days: number | null;
  /** The consumer's database role, for ports Meshboard grants in PostgreSQL. */
  db_role: string | null;
  status: Generated<AccessRequestStatus>;
  /** Users named as approvers when the request was made (contract roles, else the domain's owners). */
  approver_ids: ColumnType<string[], string[] | undefined, string[]>;
  approver_source: 'contract' | 'domain';
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A subscription's state; `granting` between approval and the database GRANT's outcome. */
export type SubscriptionStatus = 'granting' | 'active' | 'grant_failed' | 'revoked' | 'expired';
/** Outcome of a GRANT or REVOKE Meshboard runs itself. */
export type GrantStatus = 'pending' | 'done' | 'failed' | 'not_applicable';

/** Row of `subscriptions`: access granted by an approved request (migration 0006). */
export interface SubscriptionTable {
  id: string;
  request_id: string;
  product_id: string;
  domain_id: string;
  port_name: string;
  consumer_id: string;
  db_role: string | null;
  status: SubscriptionStatus;
  starts_at: Timestamp;
  expires_at: Timestamp | null;
  reminder_sent_at: Timestamp | null;
  /** Where the GRANT goes (connection key, schema, tables) as resolved at approval; never credentials. */
  grant_target: JsonValue | null;
  grant_status: GrantStatus;
  grant_message: string | null;
  revoke_status: GrantStatus | null;
  revoke_message: string | null;
  ended_by: string | null;
  ended_at: Timestamp | null;
  end_reason: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `notifications`: an in-app message to one user (migration 0006). */
export interface NotificationTable {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: Generated<string>;
  link: string | null;
  entity_type: string | null;
  entity_id: string | null;
  read_at: Timestamp | null;
  created_at: Timestamp;
}

/** The kinds of consumer feedback (migration 0007). */
export const feedbackKinds = ['rating', 'comment', 'issue', 'feature_request'] as const;
/** One of {@link feedbackKinds}. */
export type FeedbackKind = (typeof feedbackKinds)[number];
/** The states of issues and feature requests. */
export const feedbackStates = ['open', 'acknowledged', 'resolved', 'declined'] as const;
/** One of {@link feedbackStates}. */
export type FeedbackState = (typeof feedbackStates)[number];

/** Row of `feedback`: a rating, comment (or reply), issue report or feature request on a product. */
export interface FeedbackTable {
  id: string;
  product_id: string;
  kind: FeedbackKind;
  author_id: string | null;
  /** The team the author gave feedback for (null: none). */
  team_id: string | null;
  /** Whether the author held an owner-like role in the product's domain when writing (owner replies). */
  by_owner: Generated<boolean>;
  parent_id: string | null;
  /** The root of the thread (null on roots). */
  thread_id: string | null;
  rating: number | null;
  title: Generated<string>;
  body: Generated<string>;
  target_kind: 'column' | 'check' | null;
  target_contract_id: string | null;
  /** `object.property` for a column, the check id for a check. */
  target_ref: string | null;
  state: FeedbackState | null;
  state_reason: string | null;
  state_changed_by: string | null;
  state_changed_at: Timestamp | null;
  /** Latest change of the item or its thread; orders the inbox and decides "new". */
  last_activity_at: Timestamp;
  deleted_at: Timestamp | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `feedback_votes`: a +1 on a feature request. */
export interface FeedbackVoteTable {
  feedback_id: string;
  user_id: string;
  created_at: Timestamp;
}

/** Row of `feedback_reads`: when a user last read a feedback thread (the inbox's unread marker). */
export interface FeedbackReadTable {
  feedback_id: string;
  user_id: string;
  read_at: Timestamp;
}

/** Row of `product_visions` (migration 0011): one immutable saved version of a product's vision canvas. */
export interface ProductVisionTable {
  product_id: string;
  /** 1 for the first save, +1 for each later save; the canvas's ETag (rows never change, hence not `version`). */
  vision_version: number;
  canvas: ColumnType<JsonValue, string, string>;
  saved_by: string | null;
  saved_by_label: string;
  saved_at: Timestamp;
}

/** The kinds of usage a platform reports. */
export const usageKinds = ['query', 'read', 'download'] as const;
/** One of {@link usageKinds}. */
export type UsageKind = (typeof usageKinds)[number];

/** Row of `usage_events` (migration 0011): one use of a product reported by the platform serving it. */
export interface UsageEventTable {
  seq: Generated<string>;
  /** The sender's id; a second event with the same id is ignored (idempotent re-sends). */
  event_id: string | null;
  product_id: string;
  output_port: string | null;
  consumer_team: string | null;
  consumer_user: string | null;
  kind: UsageKind;
  occurred_at: Timestamp;
  row_count: ColumnType<string | null, number | null, number | null>;
  byte_count: ColumnType<string | null, number | null, number | null>;
  received_at: Timestamp;
}

/** Row of `usage_daily` (migration 0011): usage per product, UTC day, consumer ('' when none) and kind. */
export interface UsageDailyTable {
  product_id: string;
  day: ColumnType<string, string, string>;
  consumer: string;
  kind: UsageKind;
  events: ColumnType<string, number, number>;
  row_count: ColumnType<string, number, number>;
  byte_count: ColumnType<string, number, number>;
}

/** Row of `kpi_definitions` (migration 0011): a product KPI (product_id set) or a domain KPI (null). */
export interface KpiDefinitionTable {
  id: string;
  domain_id: string;
  product_id: string | null;
  name: string;
  description: string;
  /** The key of a KPI source in the registry (services/kpiSources.ts). */
  source: string;
  target: number | null;
  direction: 'higher' | 'lower';
  period: 'day' | 'week' | 'month';
  /** How many periods back from the current one the series covers. */
  window_periods: number;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `kpi_manual_values` (migration 0011): one value entered by a person for a period (append-only). */
export interface KpiManualValueTable {
  seq: Generated<string>;
  kpi_id: string;
  /** The first day of the period (ISO date, read as a string). */
  period_start: ColumnType<string, string, string>;
  value: number;
  note: Generated<string>;
  entered_by: string | null;
  entered_by_label: string;
  entered_at: Timestamp;
}

/** The whole schema as Kysely sees it. */
export interface Database {
  domains: DomainTable;
  teams: TeamTable;
  users: UserTable;
  team_members: TeamMemberTable;
  domain_roles: DomainRoleTable;
  api_tokens: ApiTokenTable;
  audit_events: AuditEventTable;
  products: ProductTable;
  contracts: ContractTable;
  product_output_ports: ProductOutputPortTable;
  contract_versions: ContractVersionTable;
  product_versions: ProductVersionTable;
  search_entries: SearchEntryTable;
  search_changes: SearchChangeTable;
  check_runs: CheckRunTable;
  check_results: CheckResultTable;
  access_requests: AccessRequestTable;
  subscriptions: SubscriptionTable;
  notifications: NotificationTable;
  feedback: FeedbackTable;
  feedback_votes: FeedbackVoteTable;
  feedback_reads: FeedbackReadTable;
  backlog_settings: BacklogSettingsTable;
  backlog_items: BacklogItemTable;
  backlog_votes: BacklogVoteTable;
  product_visions: ProductVisionTable;
  usage_events: UsageEventTable;
  usage_daily: UsageDailyTable;
  kpi_definitions: KpiDefinitionTable;
  kpi_manual_values: KpiManualValueTable;
  product_lifecycles: ProductLifecycleTable;
  check_incidents: CheckIncidentTable;
  sprints: SprintTable;
  sprint_items: SprintItemTable;
  sprint_events: SprintEventTable;
  sprint_retrospectives: SprintRetrospectiveTable;
  retro_actions: RetroActionTable;
  decisions: DecisionTable;
  decision_items: DecisionItemTable;
  data_demands: DataDemandTable;
  data_demand_votes: DataDemandVoteTable;
  backlog_state_changes: BacklogStateChangeTable;
  releases: ReleaseTable;
  roadmap_entries: RoadmapEntryTable;
}

/** A domain row as read. */
export type DomainRow = Selectable<DomainTable>;
/** A team row as read. */
export type TeamRow = Selectable<TeamTable>;
/** A user row as read. */
export type UserRow = Selectable<UserTable>;
/** An API token row as read. */
export type ApiTokenRow = Selectable<ApiTokenTable>;
/** An audit event row as read. */
export type AuditEventRow = Selectable<AuditEventTable>;
/** An audit event to insert. */
export type NewAuditEvent = Insertable<AuditEventTable>;
/** A product row as read. */
export type ProductRow = Selectable<ProductTable>;
/** A contract row as read. */
export type ContractRow = Selectable<ContractTable>;
/** An access request row as read. */
export type AccessRequestRow = Selectable<AccessRequestTable>;
/** A subscription row as read. */
export type SubscriptionRow = Selectable<SubscriptionTable>;
/** A notification row as read. */
export type NotificationRow = Selectable<NotificationTable>;
/** A feedback row as read. */
export type FeedbackRow = Selectable<FeedbackTable>;

/** Row of `backlog_settings`: a product's prioritisation settings (absent: the defaults, version 0). */
export interface BacklogSettingsTable {
  product_id: string;
  settings: ColumnType<JsonValue, string, string>;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** Row of `backlog_items`: one request, idea, story or defect of a product's backlog. */
export interface BacklogItemTable {
  id: string;
  product_id: string;
  /** Per-product sequence number people refer to (#12); assigned under a per-product lock. */
  number: number;
  kind: 'request' | 'idea' | 'story' | 'defect';
  title: string;
  description: Generated<string>;
  acceptance_criteria: ColumnType<JsonValue, string | undefined, string>;
  state: Generated<'new' | 'triaged' | 'planned' | 'in_progress' | 'done' | 'declined'>;
  decline_reason: string | null;
  duplicate_of: string | null;
  requester_id: string | null;
  requester_team_id: string | null;
  requester_label: string | null;
  labels: ColumnType<string[], string[] | undefined, string[]>;
  estimate: number | null;
  evidence: ColumnType<JsonValue, string | undefined, string>;
  /** `{name: {value, enteredBy, enteredByLabel, enteredAt}}`. */
  inputs: ColumnType<JsonValue, string | undefined, string>;
  suggested_reach: number | null;
  /** Whole hours the product's SLA checks were breached in the last 30 days, as of the last refresh (0017). */
  sla_breach_hours: Generated<number>;
  /** WSJF time criticality measured as consuming teams × breach hours (capped at 100), null when either is 0. */
  suggested_time_criticality: number | null;
  votes: Generated<number>;
  /** Rank keys per framework (tier, score), recomputed by the service on every write and settings change. */
  rice_group: Generated<number>;
  rice_score: number | null;
  wsjf_group: Generated<number>;
  wsjf_score: number | null;
  ice_group: Generated<number>;
  ice_score: number | null;
  moscow_group: Generated<number>;
  moscow_score: number | null;
  value_effort_group: Generated<number>;
  value_effort_score: number | null;
  custom_group: Generated<number>;
  custom_score: number | null;
  /** The item in another domain's backlog this one was requested for (migration 0012); the parent rolls up its children. */
  parent_id: ColumnType<string | null, string | null | undefined, string | null>;
  parent_linked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  source: string | null;
  reported_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `backlog_votes`: a user's vote for an item (shown, never a ranking input unless a custom formula names it). */
export interface BacklogVoteTable {
  item_id: string;
  user_id: string;
  created_at: Timestamp;
}

/** A backlog item row as read. */
export type BacklogItemRow = Selectable<BacklogItemTable>;

/**
 * Row of `product_lifecycles` (migration 0015): a product's deprecation plan, retirement record and incident
 * threshold. Absent: no plan, the default threshold, version 0. Written by LifecycleService only.
 */
export interface ProductLifecycleTable {
  product_id: string;
  /** The announced last day (`YYYY-MM-DD`); read back as a string (date type parser). */
  sunset_date: ColumnType<string | null, string | null | undefined, string | null>;
  replacement_product_id: string | null;
  note: Generated<string>;
  deprecated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  deprecated_by: string | null;
  /** The sunset date the reminder was sent for (a moved date gets a new reminder). */
  reminded_for: ColumnType<string | null, string | null | undefined, string | null>;
  retired_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  retired_by: string | null;
  /** Why an owner retired the product while consumers still subscribed (also in the audit event). */
  retire_override_reason: string | null;
  incident_threshold: Generated<number>;
  version: Generated<number>;
  updated_at: Timestamp;
}

/** One entry of an incident's timeline, oldest first. */
export interface IncidentTimelineEntry {
  kind: 'opened' | 'failed' | 'recovered';
  runId: string;
  status: string;
  at: string;
}

/** Row of `check_incidents` (migration 0015): one streak of failing runs of a contract, per product offering it. */
export interface CheckIncidentTable {
  id: string;
  product_id: string;
  contract_id: string;
  backlog_item_id: string | null;
  state: 'open' | 'recovered';
  failures: number;
  timeline: ColumnType<IncidentTimelineEntry[], string | undefined, string>;
  opened_at: Timestamp;
  last_failed_at: Timestamp;
  recovered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** ISO date column (`date`); always selected with to_char(…, 'YYYY-MM-DD') so no time zone shifts it. */
type IsoDate = ColumnType<string, string, string>;

/** Row of `sprints` (migration 0014): a time-box of a product's backlog with its capacity. */
export interface SprintTable {
  id: string;
  product_id: string;
  /** Per-product sequence number (Sprint 3), assigned under the product's row lock. */
  number: number;
  name: string;
  goal: Generated<string>;
  start_date: IsoDate;
  end_date: IsoDate;
  capacity_unit: 'points' | 'person-days';
  /** `[{userId, name, available}]`, validated by the service. */
  members: ColumnType<JsonValue, string | undefined, string>;
  state: Generated<'planned' | 'active' | 'closed'>;
  closed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `sprint_items`: an item in a sprint's scope; `outcome` is set when the sprint closes. */
export interface SprintItemTable {
  sprint_id: string;
  item_id: string;
  position: number;
  outcome: 'done' | 'returned' | 'carried' | null;
  added_at: Timestamp;
}

/** Row of `sprint_events`: an append-only record of a sprint's scope, replayed by the burndown. */
export interface SprintEventTable {
  seq: Generated<string>;
  sprint_id: string;
  item_id: string;
  kind: 'added' | 'removed' | 'changed';
  state: 'new' | 'triaged' | 'planned' | 'in_progress' | 'done' | 'declined';
  estimate: number | null;
  at: Timestamp;
}

/** Row of `sprint_retrospectives`: what went well and what to improve (absent: not held yet, version 0). */
export interface SprintRetrospectiveTable {
  sprint_id: string;
  went_well: ColumnType<JsonValue, string | undefined, string>;
  to_improve: ColumnType<JsonValue, string | undefined, string>;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** Row of `retro_actions`: an action of a retrospective, carried forward until done. */
export interface RetroActionTable {
  id: string;
  sprint_id: string;
  product_id: string;
  title: string;
  owner_user_id: string | null;
  owner_label: string;
  due_date: IsoDate | null;
  done_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `decisions`: a trade-off record of a product's decision log. */
export interface DecisionTable {
  id: string;
  product_id: string;
  number: number;
  title: string;
  context: Generated<string>;
  /** `[{title, pros, cons}]`. */
  options: ColumnType<JsonValue, string | undefined, string>;
  decision: Generated<string>;
  consequences: Generated<string>;
  status: Generated<'proposed' | 'accepted' | 'superseded'>;
  decided_on: IsoDate | null;
  /** Names of the people who decided. */
  deciders: ColumnType<JsonValue, string | undefined, string>;
  superseded_by: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `decision_items`: a decision linked to a backlog item (many-to-many). */
export interface DecisionItemTable {
  decision_id: string;
  item_id: string;
}

/** Where a demand is: open in the inbox, assigned to a domain, accepted into a product's backlog, declined (with a reason) or merged into another. */
export type DemandState = 'open' | 'assigned' | 'accepted' | 'declined' | 'merged';

/** Row of `data_demands` (migration 0012): a consumer's request for data no product offers yet. */
export interface DataDemandTable {
  id: string;
  title: string;
  description: Generated<string>;
  use_case: string;
  desired_fields: ColumnType<JsonValue, string | undefined, string>;
  freshness: Generated<string>;
  requester_id: string | null;
  requester_label: string;
  requester_team_id: string | null;
  state: Generated<DemandState>;
  domain_id: string | null;
  product_id: string | null;
  backlog_item_id: string | null;
  decline_reason: string | null;
  merged_into: string | null;
  votes: Generated<number>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `data_demand_votes`: a consumer's "me too" on a demand (evidence of demand, one per user). */
export interface DataDemandVoteTable {
  demand_id: string;
  user_id: string;
  created_at: Timestamp;
}

/** A demand row as read. */
export type DataDemandRow = Selectable<DataDemandTable>;

/** Row of `backlog_state_changes` (migration 0013): a state a backlog item entered, who moved it and when. */
export interface BacklogStateChangeTable {
  seq: ColumnType<string, never, never>;
  item_id: string;
  product_id: string;
  /** Null when the item was created in `to_state`. */
  from_state: string | null;
  to_state: string;
  changed_by: string | null;
  changed_by_label: string;
  changed_at: Timestamp;
}

/** Row of `releases` (migration 0013): a product version holding backlog items; notes frozen when released. */
export interface ReleaseTable {
  id: string;
  product_id: string;
  name: string;
  /** The product version the release ships as (e.g. `1.4.0`); unique per product. */
  release_version: string;
  description: Generated<string>;
  /** `YYYY-MM-DD` (pg's date parser is left as text by the store). */
  target_date: ColumnType<string | Date | null, string | null | undefined, string | null>;
  state: Generated<'planned' | 'released'>;
  released_at: Timestamp | null;
  released_by: string | null;
  /** `[{contractId, version}]`: the contract versions the release shipped, the base of the next release's diff. */
  contract_versions: ColumnType<JsonValue, string | undefined, string>;
  notes: ColumnType<JsonValue | null, string | null | undefined, string | null>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row of `roadmap_entries` (migration 0013): where a backlog item sits on its product's roadmap. */
export interface RoadmapEntryTable {
  item_id: string;
  product_id: string;
  /** now / next / later, or null: not on the board (but maybe in a release or a quarter). */
  horizon: 'now' | 'next' | 'later' | null;
  /** 0-based place within the horizon; kept dense by the service. */
  position: Generated<number>;
  /** `YYYY-Qn`. */
  target_quarter: string | null;
  release_id: string | null;
  version: Generated<number>;
  updated_at: Timestamp;
}

/** A release row as read. */
export type ReleaseRow = Selectable<ReleaseTable>;
/** A roadmap entry row as read. */
export type RoadmapEntryRow = Selectable<RoadmapEntryTable>;
