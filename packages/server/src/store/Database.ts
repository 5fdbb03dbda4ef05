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
}

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
  check_runs: CheckRunTable;
  check_results: CheckResultTable;
  product_visions: ProductVisionTable;
  usage_events: UsageEventTable;
  usage_daily: UsageDailyTable;
  kpi_definitions: KpiDefinitionTable;
  kpi_manual_values: KpiManualValueTable;
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
