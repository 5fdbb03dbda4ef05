/**
 * Defensive readers of ODPS product and ODCS contract documents for the product and contract pages.
 * Documents reach the web app as `unknown` (the server validated them, but the schemas allow a lot):
 * every reader returns plain values and never throws on a missing or odd field.
 */

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty trimmed string, or undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** A field of a document object (undefined when the document is not an object). */
export function field(document: unknown, key: string): unknown {
  return isRecord(document) ? document[key] : undefined;
}

/** The description parts of a document (ODPS/ODCS `description`: a string or {purpose, usage, limitations}). */
export function describeDocument(document: unknown): { purpose?: string; usage?: string; limitations?: string } {
  const description = field(document, 'description');
  if (typeof description === 'string') return { purpose: text(description) };
  if (!isRecord(description)) return {};
  return { purpose: text(description.purpose), usage: text(description.usage), limitations: text(description.limitations) };
}

/** The document's tags (strings only). */
export function tagsOf(document: unknown): string[] {
  const tags = field(document, 'tags');
  return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [];
}

/** An ODPS input port. */
export interface InputPortView {
  name: string;
  version?: string;
  contractId: string;
}

/** The ODPS input ports (those naming a contract). */
export function inputPortsOf(document: unknown): InputPortView[] {
  return list(field(document, 'inputPorts')).flatMap((port) => {
    const contractId = text(port.contractId);
    return contractId === undefined ? [] : [{ name: text(port.name) ?? contractId, version: text(port.version), contractId }];
  });
}

/** An ODPS output port as declared (type and description complement the server's port view). */
export function declaredOutputPort(document: unknown, name: string): { type?: string; description?: string; version?: string } {
  const port = list(field(document, 'outputPorts')).find((item) => item.name === name);
  return port === undefined ? {} : { type: text(port.type), description: text(port.description), version: text(port.version) };
}

/** A member of the document's team. */
export interface TeamMemberView {
  username?: string;
  name?: string;
  role?: string;
}

/** The team (`team.name`, `team.members`) a document declares; ODCS v3.0 also allows a bare member list. */
export function teamOf(document: unknown): { name?: string; members: TeamMemberView[] } {
  const team = field(document, 'team');
  const members = (raw: unknown) => list(raw).map((member) => ({ username: text(member.username), name: text(member.name), role: text(member.role) }));
  if (Array.isArray(team)) return { members: members(team) };
  if (!isRecord(team)) return { members: [] };
  return { name: text(team.name), members: members(team.members) };
}

/** One person named for an ownership role, from the document's team or from the domain's roles. */
export interface OwnerView {
  key: string;
  label: string;
}

/** How the data product owner relates to the data owner (the source system's owner). */
export type OwnerRelation = 'same-person' | 'two-people' | 'differ' | 'not-declared';

/**
 * Compares who is data product owner with who is data owner: one person holding both roles,
 * two different people (one each), overlapping but different groups ("differ"), or not declared.
 */
export function ownerRelation(productOwners: readonly OwnerView[], dataOwners: readonly OwnerView[]): OwnerRelation {
  if (productOwners.length === 0 || dataOwners.length === 0) return 'not-declared';
  const a = new Set(productOwners.map((owner) => owner.key));
  const b = new Set(dataOwners.map((owner) => owner.key));
  if (a.size === b.size && [...a].every((key) => b.has(key))) return 'same-person';
  if ([...a].every((key) => !b.has(key))) return 'two-people';
  return 'differ';
}

/** Which ownership role a free-text team role names, if any. */
export function ownershipRole(role: string | undefined): 'data_product_owner' | 'data_owner' | 'producer' | undefined {
  const normalised = (role ?? '').toLowerCase().replace(/[_-]+/g, ' ');
  if (/\b(data )?product owner\b|\bdpo\b/.test(normalised)) return 'data_product_owner';
  if (/\bdata owner\b|\bsource( system)? owner\b/.test(normalised)) return 'data_owner';
  if (/\bproducer\b|\bdata engineer\b/.test(normalised)) return 'producer';
  return undefined;
}

/** A link of a document: support channels and authoritative definitions (documentation). */
export interface DocumentLink {
  kind: 'support' | 'documentation';
  label: string;
  url?: string;
  detail?: string;
}

function safeUrl(value: unknown): string | undefined {
  const url = text(value);
  // Only links a browser can follow safely: no javascript: or data: URLs from a published document.
  return url !== undefined && /^(https?:|mailto:)/i.test(url) ? url : undefined;
}

/** Support channels and documentation links of a product or contract document. */
export function linksOf(document: unknown): DocumentLink[] {
  const support = list(field(document, 'support')).map((channel) => ({
    kind: 'support' as const,
    label: [text(channel.channel), text(channel.tool)].filter((part) => part !== undefined).join(' · ') || 'Support',
    url: safeUrl(channel.url) ?? safeUrl(channel.invitationUrl),
    detail: [text(channel.description), text(channel.scope)].filter((part) => part !== undefined).join(' — ') || undefined,
  }));
  const definitions = list(field(document, 'authoritativeDefinitions')).map((definition) => ({
    kind: 'documentation' as const,
    label: text(definition.type) ?? 'Documentation',
    url: safeUrl(definition.url),
    detail: text(definition.description),
  }));
  return [...definitions, ...support];
}

/** A property of a contract's schema object, flattened (nested properties get a dotted path). */
export interface SchemaPropertyView {
  path: string;
  logicalType?: string;
  physicalType?: string;
  required: boolean;
  unique: boolean;
  primaryKey: boolean;
  classification?: string;
  pii: boolean;
  description?: string;
  relationships: string[];
  examples: string[];
}

/** An object (table) of a contract's schema. */
export interface SchemaObjectView {
  name: string;
  physicalName?: string;
  description?: string;
  properties: SchemaPropertyView[];
  relationships: string[];
}

const piiClassifications = /^(pii|personal|sensitive|restricted|confidential|secret)/i;

function relationshipsOf(item: Json): string[] {
  return list(item.relationships).map((relationship) => {
    const from = text(relationship.from);
    const to = Array.isArray(relationship.to) ? relationship.to.map(text).filter(Boolean).join(', ') : text(relationship.to);
    const type = text(relationship.type) ?? 'foreignKey';
    return `${type}${from === undefined ? '' : ` ${from}`} → ${to ?? '?'}`;
  });
}

function propertiesOf(raw: unknown, prefix: string): SchemaPropertyView[] {
  return list(raw).flatMap((property) => {
    const name = text(property.name) ?? '(unnamed)';
    const path = prefix === '' ? name : `${prefix}.${name}`;
    const classification = text(property.classification);
    const examples = Array.isArray(property.examples) ? property.examples.map((example) => (typeof example === 'string' ? example : JSON.stringify(example))).slice(0, 3) : [];
    const own: SchemaPropertyView = {
      path,
      logicalType: text(property.logicalType),
      physicalType: text(property.physicalType),
      required: property.required === true,
      unique: property.unique === true,
      primaryKey: property.primaryKey === true,
      classification,
      pii: property.pii === true || (classification !== undefined && piiClassifications.test(classification)),
      description: text(property.description),
      relationships: relationshipsOf(property),
      examples,
    };
    return [own, ...propertiesOf(property.properties ?? (isRecord(property.items) ? property.items.properties : undefined), path)];
  });
}

/** The schema objects of an ODCS contract with their (flattened) properties. */
export function schemaOf(document: unknown): SchemaObjectView[] {
  return list(field(document, 'schema')).map((object) => ({
    name: text(object.name) ?? '(unnamed)',
    physicalName: text(object.physicalName),
    description: text(object.description),
    properties: propertiesOf(object.properties, ''),
    relationships: relationshipsOf(object),
  }));
}

/** Whether a property matches a filter text (name, types, classification, description; case-insensitive). */
export function propertyMatches(property: SchemaPropertyView, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return true;
  return [property.path, property.logicalType, property.physicalType, property.classification, property.description, property.pii ? 'pii' : undefined]
    .some((value) => value !== undefined && value.toLowerCase().includes(needle));
}

/** A declared SLA target of an ODCS contract. */
export interface SlaTarget {
  property: string;
  value?: string;
  unit?: string;
  element?: string;
  driver?: string;
}

/** The contract's `slaProperties`. */
export function slaTargetsOf(document: unknown): SlaTarget[] {
  return list(field(document, 'slaProperties')).flatMap((sla) => {
    const property = text(sla.property);
    return property === undefined ? [] : [{ property, value: text(sla.value), unit: text(sla.unit), element: text(sla.element), driver: text(sla.driver) }];
  });
}

/** The contract's servers (name, type, format/location summary). */
export function serversOf(document: unknown): { server: string; type?: string; detail?: string }[] {
  return list(field(document, 'servers')).map((server) => ({
    server: text(server.server) ?? '(unnamed)',
    type: text(server.type),
    detail: [text(server.format), text(server.environment), text(server.host), text(server.database), text(server.schema)].filter((part) => part !== undefined).join(' · ') || undefined,
  }));
}
