import { lifecycleStatuses, type Finding } from '@meshboard/model';
import type { Kysely } from 'kysely';
import { InputError } from '../errors/errors';
import type { Database, JsonValue, LifecycleStatus } from '../store/Database';

/** The lifecycle statuses a catalog row may have (the model's list; the `status` check of migration 0002). */
export { lifecycleStatuses };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Whether `value` is a JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Turns validator findings into an {@link InputError} (problem+json with JSON pointers into the
 * document) when any is an error; warnings never block a publish.
 */
export function rejectInvalid(what: string, findings: readonly Finding[]): void {
  const errors = findings.filter((finding) => finding.severity === 'error');
  if (errors.length === 0) return;
  throw new InputError(
    `The ${what} is not valid (${errors.length} problem${errors.length === 1 ? '' : 's'}).`,
    errors.slice(0, 200).map((finding) => ({ pointer: finding.pointer, detail: `${finding.message} [${finding.rule}]` })),
  );
}

/** The catalog fields every published document must give, read once after validation. */
export interface CatalogFields {
  externalId: string;
  name: string;
  version: string;
  status: LifecycleStatus;
  domain: string;
  /** The owning team's name (ODCS/ODPS `team.name`), or '' when the document names none. */
  owner: string;
  tags: string[];
  description: string;
}

function describe(document: JsonObject): string {
  const description = document['description'];
  if (typeof description === 'string') return description;
  if (isObject(description)) return ['purpose', 'usage', 'limitations'].map((key) => text(description[key]) ?? '').filter((part) => part !== '').join(' ');
  return '';
}

/**
 * Reads the catalog fields of a validated document. What the standards leave optional but the catalog
 * needs is required here, each with a pointer: `id`, `version`, a lifecycle `status`, and `domain`
 * (the slug or name of a Meshboard domain — it decides who may publish).
 */
export function catalogFields(document: JsonObject, what: string): CatalogFields {
  const problems: { pointer: string; detail: string }[] = [];
  const externalId = text(document['id']);
  if (externalId === undefined) problems.push({ pointer: '/id', detail: `A ${what} needs an id to be published.` });
  const version = text(document['version']) ?? '';
  if (version === '') problems.push({ pointer: '/version', detail: `A ${what} needs a version to be published.` });
  const status = (text(document['status']) ?? '').toLowerCase();
  if (!(lifecycleStatuses as readonly string[]).includes(status)) {
    problems.push({ pointer: '/status', detail: `The status must be one of ${lifecycleStatuses.join(', ')}.` });
  }
  const domain = text(document['domain']);
  if (domain === undefined) problems.push({ pointer: '/domain', detail: 'Name the owning domain (its slug, e.g. "sales"); it decides who may publish.' });
  if (problems.length > 0 || externalId === undefined || domain === undefined) throw new InputError(`The ${what} cannot be published.`, problems);
  const team = document['team'];
  const owner = isObject(team) ? (text(team['name']) ?? '') : '';
  const tags = Array.isArray(document['tags']) ? document['tags'].filter((tag): tag is string => typeof tag === 'string' && tag.trim() !== '').map((tag) => tag.trim()) : [];
  return { externalId, name: text(document['name']) ?? externalId, version, status: status as LifecycleStatus, domain, owner, tags: [...new Set(tags)], description: describe(document) };
}

/** Finds the domain a document names (by slug, or by name ignoring case), or an {@link InputError} on `/domain`. */
export async function resolveDomain(db: Kysely<Database>, domain: string): Promise<{ id: string; slug: string }> {
  const row = await db
    .selectFrom('domains')
    .select(['id', 'slug'])
    .where((eb) => eb.or([eb('slug', '=', domain), eb(eb.fn('lower', ['name']), '=', domain.toLowerCase())]))
    .orderBy('slug')
    .executeTakeFirst();
  if (row === undefined) throw new InputError(`No domain "${domain}" exists.`, [{ pointer: '/domain', detail: `Create the domain "${domain}" first, or name an existing domain by its slug.` }]);
  return row;
}

/** Finds the team a document's `team.name` names (slug or name ignoring case), if any. */
export async function resolveTeam(db: Kysely<Database>, owner: string): Promise<string | null> {
  if (owner === '') return null;
  const row = await db
    .selectFrom('teams')
    .select('id')
    .where((eb) => eb.or([eb('slug', '=', owner), eb(eb.fn('lower', ['name']), '=', owner.toLowerCase())]))
    .orderBy('slug')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** A JSON serialisation with sorted keys: two documents are the same publish iff these are equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A contract property found for search: its name, the path of objects above it, and its description. */
export interface FoundProperty {
  path: string;
  name: string;
  description: string;
}

/** Every property of an ODCS contract (nested ones with a dotted path), for the search index. */
export function contractProperties(document: JsonObject): FoundProperty[] {
  const found: FoundProperty[] = [];
  const visit = (properties: JsonValue | undefined, prefix: string, depth: number): void => {
    if (!Array.isArray(properties) || depth > 8) return;
    for (const property of properties) {
      if (!isObject(property)) continue;
      const name = text(property['name']);
      if (name === undefined) continue;
      const path = prefix === '' ? name : `${prefix}.${name}`;
      found.push({ path, name, description: [text(property['description']), text(property['businessName'])].filter(Boolean).join(' ') });
      visit(property['properties'], path, depth + 1);
      if (isObject(property['items'])) visit(property['items']['properties'], path, depth + 1);
    }
  };
  const schema = document['schema'];
  if (Array.isArray(schema)) {
    for (const object of schema) {
      if (!isObject(object)) continue;
      const name = text(object['name']) ?? '';
      visit(object['properties'], name, 0);
    }
  }
  return found;
}

/** The output ports of an ODPS product with the contract id each one names. */
export function outputPorts(document: JsonObject): { name: string; contractId: string | null }[] {
  const ports = document['outputPorts'];
  if (!Array.isArray(ports)) return [];
  const seen = new Set<string>();
  const result: { name: string; contractId: string | null }[] = [];
  for (const port of ports) {
    if (!isObject(port)) continue;
    const name = text(port['name']);
    if (name === undefined || seen.has(name)) continue;
    seen.add(name);
    result.push({ name, contractId: text(port['contractId']) ?? null });
  }
  return result;
}
