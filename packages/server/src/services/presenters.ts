import type { ApiTokenRow, AuditEventRow, ContractRow, DomainRole, DomainRow, JsonValue, LifecycleStatus, ProductRow, TeamRow, UserRow } from '../store/Database';

/** A domain as the API shows it. */
export interface DomainView {
  id: string;
  slug: string;
  name: string;
  description: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A team as the API shows it. */
export interface TeamView {
  id: string;
  slug: string;
  name: string;
  description: string;
  domainId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A user as the API shows it: never the password hash. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  disabled: boolean;
  hasPassword: boolean;
  roles: Array<{ domainId: string; role: DomainRole }>;
  teamIds: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** An API token as listed: never the secret nor its hash, only its prefix. */
export interface TokenView {
  id: string;
  userId: string;
  name: string;
  kind: 'api' | 'session';
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** An audit event as the API shows it. */
export interface AuditEventView {
  id: string;
  seq: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  before: JsonValue | null;
  after: JsonValue | null;
  createdAt: string;
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

function isoOrNull(value: Date | string | null): string | null {
  return value === null ? null : iso(value);
}

/** Presents a domain row. */
export function presentDomain(row: DomainRow): DomainView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Presents a team row. */
export function presentTeam(row: TeamRow): TeamView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    domainId: row.domain_id,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Presents a user row with its domain roles and teams (sorted, so audit before/after compare stably). */
export function presentUser(
  row: UserRow,
  related: { roles: ReadonlyArray<{ domain_id: string; role: DomainRole }>; teamIds: readonly string[] },
): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isAdmin: row.is_admin,
    disabled: row.disabled,
    hasPassword: row.password_hash !== null,
    roles: related.roles
      .map((grant) => ({ domainId: grant.domain_id, role: grant.role }))
      .sort((a, b) => a.domainId.localeCompare(b.domainId) || a.role.localeCompare(b.role)),
    teamIds: [...related.teamIds].sort(),
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Presents a token row. */
export function presentToken(row: ApiTokenRow): TokenView {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    kind: row.kind,
    prefix: row.prefix,
    createdAt: iso(row.created_at),
    expiresAt: isoOrNull(row.expires_at),
    lastUsedAt: isoOrNull(row.last_used_at),
    revokedAt: isoOrNull(row.revoked_at),
  };
}

/** Presents an audit event row. */
export function presentAuditEvent(row: AuditEventRow): AuditEventView {
  return {
    id: row.id,
    seq: String(row.seq),
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: row.before,
    after: row.after,
    createdAt: iso(row.created_at),
  };
}

/** A view as a JSON value for the audit log (views are plain JSON by construction). */
export function asJson(view: object): JsonValue {
  return view as unknown as JsonValue;
}

/** What a publish did: created the first version, published a new version, revised the current one, or nothing. */
export type PublishOutcome = 'created' | 'published' | 'revised' | 'unchanged';

/** A contract in a list: no document. */
export interface ContractSummaryView {
  id: string;
  externalId: string;
  name: string;
  domainId: string;
  status: LifecycleStatus;
  currentVersion: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A contract with its latest document (key order as published). */
export interface ContractView extends ContractSummaryView {
  document: JsonValue;
}

/** One immutable published contract version. */
export interface ContractVersionView {
  contractId: string;
  version: string;
  revision: number;
  changeKind: 'initial' | 'breaking' | 'non-breaking';
  publishedBy: string | null;
  publishedAt: string;
  document: JsonValue;
}

/** Presents a contract row without its document. */
export function presentContractSummary(row: Omit<ContractRow, 'document' | 'source'>): ContractSummaryView {
  return {
    id: row.id,
    externalId: row.external_id,
    name: row.name,
    domainId: row.domain_id,
    status: row.status,
    currentVersion: row.current_version,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Presents a contract row with its document as published. */
export function presentContract(row: ContractRow): ContractView {
  return { ...presentContractSummary(row), document: row.source ?? row.document };
}

/** Presents a `contract_versions` row. */
export function presentContractVersion(row: {
  contract_id: string;
  contract_version: string;
  revision: number;
  change_kind: 'initial' | 'breaking' | 'non-breaking';
  published_by: string | null;
  published_at: Date | string;
  document: JsonValue;
  source: JsonValue | null;
}): ContractVersionView {
  return {
    contractId: row.contract_id,
    version: row.contract_version,
    revision: row.revision,
    changeKind: row.change_kind,
    publishedBy: row.published_by,
    publishedAt: iso(row.published_at),
    document: row.source ?? row.document,
  };
}

/** An output port of a product with its contract's latest version (null when the contract is not in the catalog). */
export interface OutputPortView {
  name: string;
  contractExternalId: string | null;
  contract: { id: string; externalId: string; name: string; currentVersion: string; status: LifecycleStatus } | null;
}

/** A product in a list: no document. */
export interface ProductSummaryView {
  id: string;
  externalId: string;
  name: string;
  domainId: string;
  status: LifecycleStatus;
  productVersion: string;
  ownerTeamId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A product with its document and output ports. */
export interface ProductView extends ProductSummaryView {
  document: JsonValue;
  outputPorts: OutputPortView[];
}

/** One immutable published product version. */
export interface ProductVersionView {
  productId: string;
  version: string;
  revision: number;
  changeKind: 'initial' | 'breaking' | 'non-breaking';
  publishedBy: string | null;
  publishedAt: string;
  document: JsonValue;
}

/** Presents a product row without its document. */
export function presentProductSummary(row: Omit<ProductRow, 'document' | 'source'>): ProductSummaryView {
  return {
    id: row.id,
    externalId: row.external_id,
    name: row.name,
    domainId: row.domain_id,
    status: row.status,
    productVersion: row.product_version,
    ownerTeamId: row.owner_team_id,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Presents a product row with its document and ports. */
export function presentProduct(row: ProductRow, outputPorts: OutputPortView[]): ProductView {
  return { ...presentProductSummary(row), document: row.source ?? row.document, outputPorts };
}

/** Presents a `product_versions` row. */
export function presentProductVersion(row: {
  product_id: string;
  product_version: string;
  revision: number;
  change_kind: 'initial' | 'breaking' | 'non-breaking';
  published_by: string | null;
  published_at: Date | string;
  document: JsonValue;
  source: JsonValue | null;
}): ProductVersionView {
  return {
    productId: row.product_id,
    version: row.product_version,
    revision: row.revision,
    changeKind: row.change_kind,
    publishedBy: row.published_by,
    publishedAt: iso(row.published_at),
    document: row.source ?? row.document,
  };
}
