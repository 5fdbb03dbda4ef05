import type { DiffResult } from './Change';
import { ChangeLog } from './ChangeLog';
import { code, diffDescription, diffInformational, diffStatus, diffKeyedList, diffTags, diffTeam, kebab } from './describeChanges';
import { compareLogicalTypes, comparePhysicalTypes } from './compareTypes';
import { compareQualityRules, describeRule, onlyWarns } from './compareQualityRules';
import { describeQuantity, toQuantity } from './quantities';
import { asArray, asString, isRecord, matchItems, sameValue, show, without, type Json } from './values';

type Path = (string | number)[];

/** Where a diff is inside both documents and how to name it in messages. */
interface Place {
  before: Path;
  after: Path;
  /** e.g. `orders.customer.address` */
  label: string;
}

const propertyDocumentation = [
  'description', 'businessName', 'tags', 'examples', 'classification', 'criticalDataElement', 'partitioned',
  'partitionKeyPosition', 'authoritativeDefinitions', 'customProperties', 'transformSourceObjects', 'transformLogic',
  'transformDescription', 'encryptedName', 'relationships',
];
const objectDocumentation = [
  'description', 'businessName', 'tags', 'authoritativeDefinitions', 'customProperties', 'dataGranularityDescription',
  'relationships', 'physicalType',
];
/** Top-level contract fields the diff classifies (or, for `version` and `kind`, deliberately skips). */
const contractKeys = [
  'id', 'version', 'kind', 'apiVersion', 'status', 'name', 'domain', 'dataProduct', 'tenant', 'slaDefaultElement', 'description',
  'tags', 'support', 'roles', 'team', 'price', 'authoritativeDefinitions', 'customProperties', 'contractCreatedTs', 'servers',
  'schema', 'slaProperties',
];
/** Property fields the diff classifies one by one; any other field that changes is reported as metadata. */
const propertyKeys = [
  'id', 'name', 'physicalName', 'logicalType', 'physicalType', 'required', 'unique', 'primaryKey', 'primaryKeyPosition',
  'logicalTypeOptions', 'properties', 'items', 'quality',
];
/** Schema object fields the diff classifies one by one. */
const objectKeys = ['id', 'name', 'physicalName', 'logicalType', 'properties', 'quality'];
/** Upper bounds in `logicalTypeOptions`: a smaller value accepts fewer values (tightens). */
const upperBounds = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'];
/** Lower bounds in `logicalTypeOptions`: a larger value accepts fewer values (tightens). */
const lowerBounds = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'];

const records = (value: unknown): Json[] => asArray(value).filter(isRecord);
const nameOf = (item: Json): string | undefined => asString(item['name']);
const idOf = (item: Json): string | undefined => asString(item['id']);
/** The field's path in the new document, or in the old one when the new document no longer has it. */
const fieldPath = (place: Place, key: string, a: Json, b: Json): Path =>
  b[key] === undefined && a[key] !== undefined ? [...place.before, key] : [...place.after, key];
const child = (place: Place, beforeSegments: Path, afterSegments: Path, label: string): Place => ({
  before: [...place.before, ...beforeSegments],
  after: [...place.after, ...afterSegments],
  label,
});

/**
 * Compares two versions of an ODCS v3.x contract (plain parsed values) and classifies every change as
 * breaking, non-breaking or informational, with changelog lines for consumers and the next version.
 * Schema objects and properties are matched by `id`, else by `name`; a removed and an added property
 * with identical definitions are a rename. The rules and their reasons are in docs/diff.md.
 */
export function diffContracts(before: unknown, after: unknown): DiffResult {
  const log = new ChangeLog();
  const a = isRecord(before) ? before : {};
  const b = isRecord(after) ? after : {};

  if (asString(a['id']) !== asString(b['id'])) {
    log.add(['id'], 'contract-id-changed', 'breaking', `The contract id changed from ${code(show(a['id']))} to ${code(show(b['id']))}: consumers and output ports that reference the old id no longer find this contract`);
  }
  diffStatus(log, a['status'], b['status'], 'contract');
  if (!sameValue(a['apiVersion'], b['apiVersion'])) {
    log.add(['apiVersion'], 'api-version-changed', 'informational', `The contract is now written in ODCS ${show(b['apiVersion'])} (was ${show(a['apiVersion'])})`);
  }
  diffInformational(log, a, b, ['name', 'domain', 'dataProduct', 'tenant', 'slaDefaultElement']);
  diffDocumentation(log, a, b);

  const otherKeys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (key) => !contractKeys.includes(key) && !sameValue(a[key], b[key]),
  );
  for (const key of otherKeys) log.add([key], 'metadata-changed', 'informational', `${key} changed`);

  diffServers(log, records(a['servers']), records(b['servers']));
  diffObjects(log, records(a['schema']), records(b['schema']));
  diffSla(log, records(a['slaProperties']), records(b['slaProperties']));

  return log.result('contract', asString(a['version']), asString(b['version']));
}

function diffDocumentation(log: ChangeLog, a: Json, b: Json): void {
  diffDescription(log, a['description'], b['description']);
  diffTags(log, ['tags'], a['tags'], b['tags'], 'the contract');
  diffKeyedList(log, { key: 'support', field: 'channel', a, b, noun: 'Support channel' });
  diffKeyedList(log, { key: 'roles', field: 'role', a, b, noun: 'Access role' });
  diffTeam(log, a['team'], b['team']);
  diffInformational(log, a, b, ['price', 'authoritativeDefinitions', 'customProperties', 'contractCreatedTs']);
}

/** Server fields that only describe a server; any other field tells consumers where to connect. */
const serverDocumentation = ['description', 'environment', 'customProperties', 'roles', 'id'];

function diffServers(log: ChangeLog, before: Json[], after: Json[]): void {
  const pairs = matchItems(before, after, { id: idOf, key: (s) => asString(s['server']) });
  for (const pair of pairs) {
    if (pair.before === undefined && pair.after !== undefined) {
      log.add(['servers', pair.after.index], 'server-added', 'non-breaking', `Server ${code(show(pair.after.item['server']))} (${show(pair.after.item['type'])}) was added`);
      continue;
    }
    if (pair.before !== undefined && pair.after === undefined) {
      log.add(['servers', pair.before.index], 'server-removed', 'breaking', `Server ${code(show(pair.before.item['server']))} was removed: consumers reading from it lose access`);
      continue;
    }
    if (pair.before === undefined || pair.after === undefined) continue;
    const a = pair.before.item;
    const b = pair.after.item;
    const name = code(show(b['server']));
    if (!sameValue(a['server'], b['server'])) {
      log.add(['servers', pair.after.index, 'server'], 'server-renamed', 'breaking', `Server ${code(show(a['server']))} was renamed to ${name}`);
    }
    const location = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
      (key) => key !== 'server' && !serverDocumentation.includes(key) && !sameValue(a[key], b[key]),
    );
    if (location.length > 0) {
      const detail = location.map((key) => `${key} ${show(a[key])} → ${show(b[key])}`).join(', ');
      log.add(['servers', pair.after.index], 'server-changed', 'breaking', `Server ${name} moved (${detail}): consumers must update their connection`);
    }
    const docs = serverDocumentation.filter((key) => !sameValue(a[key], b[key]));
    if (docs.length > 0) {
      log.add(['servers', pair.after.index], 'server-documentation-changed', 'informational', `Server ${name}: ${docs.join(', ')} changed`);
    }
  }
}

function diffObjects(log: ChangeLog, before: Json[], after: Json[]): void {
  const pairs = matchItems(before, after, {
    id: idOf,
    key: nameOf,
    sameDefinition: (x, y) => sameValue(without(x, ['name', 'id']), without(y, ['name', 'id'])),
  });
  for (const pair of pairs) {
    if (pair.before === undefined && pair.after !== undefined) {
      log.add(['schema', pair.after.index], 'object-added', 'non-breaking', `Table ${code(show(nameOf(pair.after.item)))} was added`);
      continue;
    }
    if (pair.before !== undefined && pair.after === undefined) {
      log.add(['schema', pair.before.index], 'object-removed', 'breaking', `Table ${code(show(nameOf(pair.before.item)))} was removed`);
      continue;
    }
    if (pair.before === undefined || pair.after === undefined) continue;
    const a = pair.before.item;
    const b = pair.after.item;
    if (sameValue(a, b)) continue;
    const label = nameOf(b) ?? nameOf(a) ?? `schema[${pair.after.index}]`;
    const place: Place = { before: ['schema', pair.before.index], after: ['schema', pair.after.index], label };
    if (nameOf(a) !== nameOf(b)) {
      log.add(fieldPath(place, 'name', a, b), 'object-renamed', 'breaking', `Table ${code(show(nameOf(a)))} was renamed to ${code(show(nameOf(b)))}`);
    }
    if (!sameValue(a['physicalName'], b['physicalName'])) {
      log.add(fieldPath(place, 'physicalName', a, b), 'physical-name-changed', 'breaking', `Table ${code(label)} is now stored as ${code(show(b['physicalName']))} (was ${code(show(a['physicalName']))}): queries by physical name must change`);
    }
    for (const key of objectDocumentation) {
      if (sameValue(a[key], b[key])) continue;
      if (key === 'tags') diffTags(log, fieldPath(place, 'tags', a, b), a[key], b[key], `table ${code(label)}`);
      else log.add(fieldPath(place, key, a, b), `${kebab(key)}-changed`, 'informational', `Table ${code(label)}: ${key} changed${key === 'physicalType' ? ` from ${show(a[key])} to ${show(b[key])}` : ''}`);
    }
    const otherKeys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
      (key) => !objectKeys.includes(key) && !objectDocumentation.includes(key) && !sameValue(a[key], b[key]),
    );
    if (otherKeys.length > 0) {
      log.add(place.after, 'object-metadata-changed', 'informational', `Table ${code(label)}: ${otherKeys.join(', ')} changed`);
    }
    diffProperties(log, records(a['properties']), records(b['properties']), place);
    diffQuality(log, records(a['quality']), records(b['quality']), { ...place, label: `table ${code(label)}` });
  }
}

function diffProperties(log: ChangeLog, before: Json[], after: Json[], parent: Place): void {
  const pairs = matchItems(before, after, {
    id: idOf,
    key: nameOf,
    sameDefinition: (x, y) => sameValue(without(x, ['name', 'id']), without(y, ['name', 'id'])),
  });
  for (const pair of pairs) {
    if (pair.before === undefined && pair.after !== undefined) {
      const p = pair.after.item;
      const label = `${parent.label}.${show(nameOf(p))}`;
      const path = [...parent.after, 'properties', pair.after.index];
      if (p['required'] === true) {
        log.add(path, 'required-property-added', 'breaking', `Required column ${code(label)} was added: data and producers without it no longer satisfy the contract`);
      } else {
        log.add(path, 'property-added', 'non-breaking', `Column ${code(label)} was added${p['logicalType'] ? ` (${show(p['logicalType'])})` : ''}`);
      }
      continue;
    }
    if (pair.before !== undefined && pair.after === undefined) {
      log.add([...parent.before, 'properties', pair.before.index], 'property-removed', 'breaking', `Column ${code(`${parent.label}.${show(nameOf(pair.before.item))}`)} was removed`);
      continue;
    }
    if (pair.before === undefined || pair.after === undefined) continue;
    const a = pair.before.item;
    const b = pair.after.item;
    const place = child(parent, ['properties', pair.before.index], ['properties', pair.after.index], `${parent.label}.${show(nameOf(b) ?? nameOf(a))}`);
    if (nameOf(a) !== nameOf(b)) {
      const how = pair.by === 'definition' ? ' (same definition under a new name)' : '';
      log.add(fieldPath(place, 'name', a, b), 'property-renamed', 'breaking', `Column ${code(`${parent.label}.${show(nameOf(a))}`)} was renamed to ${code(show(nameOf(b)))}${how}`);
    }
    diffProperty(log, a, b, place);
  }
}

function diffProperty(log: ChangeLog, a: Json, b: Json, place: Place): void {
  // Most properties are untouched between versions: one deep comparison settles them.
  if (sameValue(a, b)) return;
  const at = (key: string): Path => fieldPath(place, key, a, b);
  const col = code(place.label);
  if (!sameValue(a['physicalName'], b['physicalName'])) {
    log.add(at('physicalName'), 'physical-name-changed', 'breaking', `Column ${col} is now stored as ${code(show(b['physicalName']))} (was ${code(show(a['physicalName']))})`);
  }
  diffType(log, { place, key: 'logicalType', before: a['logicalType'], after: b['logicalType'] });
  diffType(log, { place, key: 'physicalType', before: a['physicalType'], after: b['physicalType'] });

  const required = (p: Json): boolean => p['required'] === true;
  if (!required(a) && required(b)) {
    log.add(at('required'), 'property-now-required', 'breaking', `${col} is now required: rows with an empty ${col} no longer satisfy the contract`);
  } else if (required(a) && !required(b)) {
    log.add(at('required'), 'property-now-optional', 'breaking', `${col} is no longer required: consumers must now expect empty (null) values`);
  }
  const unique = (p: Json): boolean => p['unique'] === true;
  if (!unique(a) && unique(b)) {
    log.add(at('unique'), 'unique-added', 'breaking', `${col} must now be unique: data with duplicates no longer satisfies the contract`);
  } else if (unique(a) && !unique(b)) {
    log.add(at('unique'), 'unique-removed', 'breaking', `${col} is no longer guaranteed unique: consumers must now expect duplicates`);
  }
  const pk = (p: Json): string => (p['primaryKey'] === true ? `primary key (position ${show(p['primaryKeyPosition'] ?? 1)})` : 'not part of the primary key');
  if ((a['primaryKey'] === true) !== (b['primaryKey'] === true) || (b['primaryKey'] === true && !sameValue(a['primaryKeyPosition'], b['primaryKeyPosition']))) {
    log.add(at('primaryKey'), 'primary-key-changed', 'breaking', `${col} is now ${pk(b)} (was ${pk(a)}): joins and deduplication by key change`);
  }
  diffTypeOptions(log, a['logicalTypeOptions'], b['logicalTypeOptions'], place);

  for (const key of propertyDocumentation) {
    if (sameValue(a[key], b[key])) continue;
    if (key === 'tags') diffTags(log, at('tags'), a[key], b[key], col);
    else if (key === 'classification') log.add(at(key), 'classification-changed', 'informational', `${col} is now classified ${show(b[key])} (was ${show(a[key])})`);
    else log.add(at(key), `${kebab(key)}-changed`, 'informational', `${col}: ${key} changed`);
  }

  const otherKeys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (key) => !propertyKeys.includes(key) && !propertyDocumentation.includes(key) && !sameValue(a[key], b[key]),
  );
  if (otherKeys.length > 0) {
    log.add(place.after, 'property-metadata-changed', 'informational', `${col}: ${otherKeys.join(', ')} changed`);
  }

  diffProperties(log, records(a['properties']), records(b['properties']), place);
  if (isRecord(a['items']) || isRecord(b['items'])) {
    const items = child(place, ['items'], ['items'], `${place.label}[]`);
    const ia = isRecord(a['items']) ? a['items'] : undefined;
    const ib = isRecord(b['items']) ? b['items'] : undefined;
    if (ia === undefined) log.add(items.after, 'items-added', 'informational', `${col} now describes its items`);
    else if (ib === undefined) log.add(items.before, 'items-removed', 'breaking', `${col} no longer describes its items`);
    else diffProperty(log, ia, ib, items);
  }
  diffQuality(log, records(a['quality']), records(b['quality']), { ...place, label: col });
}

function diffType(log: ChangeLog, options: { place: Place; key: 'logicalType' | 'physicalType'; before: unknown; after: unknown }): void {
  const { place, key, before, after } = options;
  if (sameValue(before, after)) return;
  const col = code(place.label);
  const path = [...place.after, key];
  const kind = key === 'logicalType' ? 'logical-type' : 'physical-type';
  const a = asString(before);
  const b = asString(after);
  if (a === undefined) {
    log.add(path, `${kind}-declared`, 'informational', `${col} now declares ${key} ${show(after)}`);
    return;
  }
  if (b === undefined) {
    log.add([...place.before, key], `${kind}-removed`, 'breaking', `${col} no longer declares its ${key} (was ${a}): consumers lose the type they rely on`);
    return;
  }
  const move = key === 'logicalType' ? compareLogicalTypes(a, b) : comparePhysicalTypes(a, b);
  if (move === 'same') return;
  if (move === 'widened') {
    log.add(path, `${kind}-widened`, 'non-breaking', `${col} changed ${key === 'logicalType' ? 'type' : 'physical type'} from ${a} to ${b} (widening: every old value still fits)`);
  } else {
    const why = move === 'narrowed' ? 'narrowing: some old values no longer fit' : 'incompatible types';
    log.add(path, `${kind}-${move}`, 'breaking', `${col} changed ${key === 'logicalType' ? 'type' : 'physical type'} from ${a} to ${b} (${why})`);
  }
}

function diffTypeOptions(log: ChangeLog, before: unknown, after: unknown, place: Place): void {
  const a = isRecord(before) ? before : {};
  const b = isRecord(after) ? after : {};
  const col = code(place.label);
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
    const x = a[key];
    const y = b[key];
    if (sameValue(x, y)) continue;
    const path = y === undefined ? [...place.before, 'logicalTypeOptions', key] : [...place.after, 'logicalTypeOptions', key];
    const tightened = (detail: string): void => log.add(path, 'constraint-tightened', 'breaking', `${col}: ${detail} (values that were valid may now fail)`);
    const loosened = (detail: string): void => log.add(path, 'constraint-loosened', 'non-breaking', `${col}: ${detail}`);
    const fromTo = `${key} from ${show(x)} to ${show(y)}`;
    if ((key === 'exclusiveMaximum' || key === 'exclusiveMinimum') && (typeof x === 'boolean' || typeof y === 'boolean')) {
      // Draft-04 style: `exclusiveMaximum: true` makes `maximum` exclusive, which accepts fewer values.
      if (y === true) tightened(`${key} turned on`);
      else loosened(`${key} turned off`);
    } else if (upperBounds.includes(key) || lowerBounds.includes(key)) {
      if (x === undefined) tightened(`${key} ${show(y)} added`);
      else if (y === undefined) loosened(`${key} ${show(x)} removed`);
      else {
        const order = compareBound(x, y);
        if (order === undefined) tightened(`${fromTo}`);
        else if ((order < 0) === upperBounds.includes(key)) loosened(`${key} loosened from ${show(x)} to ${show(y)}`);
        else tightened(`${key} tightened from ${show(x)} to ${show(y)}`);
      }
    } else if (key === 'enum') {
      const xs = asArray(x);
      const ys = asArray(y);
      if (x !== undefined && y !== undefined && xs.every((v) => ys.some((w) => sameValue(v, w)))) {
        loosened(`allowed values widened to ${show(y)}`);
      } else if (y === undefined) {
        loosened('allowed values list removed');
      } else {
        tightened(`allowed values narrowed from ${show(x)} to ${show(y)}`);
      }
    } else if (key === 'uniqueItems') {
      if (y === true) tightened('items must now be unique');
      else loosened('items no longer need to be unique');
    } else if (y === undefined && (key === 'pattern' || key === 'format' || key === 'multipleOf')) {
      loosened(`${key} ${show(x)} removed`);
    } else {
      // pattern, format, timezone, multipleOf and unknown options: a different value can reject old values.
      tightened(x === undefined ? `${key} ${show(y)} added` : fromTo);
    }
  }
}

/** Compares bound values: numbers numerically, date strings by time; `undefined` when not comparable. */
function compareBound(x: unknown, y: unknown): number | undefined {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'string' && typeof y === 'string') {
    const tx = Date.parse(x);
    const ty = Date.parse(y);
    if (Number.isFinite(tx) && Number.isFinite(ty)) return tx - ty;
  }
  return undefined;
}

function ruleKey(rule: Json): string {
  const name = asString(rule['name']);
  if (name !== undefined) return `name:${name}`;
  return ['type', 'metric', 'rule', 'query', 'engine', 'implementation'].map((key) => show(rule[key])).join('|');
}

function diffQuality(log: ChangeLog, before: Json[], after: Json[], place: Place): void {
  if (before.length === 0 && after.length === 0) return;
  const pairs = matchItems(before, after, { id: idOf, key: ruleKey });
  for (const pair of pairs) {
    if (pair.before === undefined && pair.after !== undefined) {
      const rule = pair.after.item;
      const path = [...place.after, 'quality', pair.after.index];
      if (onlyWarns(rule)) {
        log.add(path, 'quality-rule-added', 'non-breaking', `New quality rule on ${place.label}: ${describeRule(rule)} (severity ${show(rule['severity'])}: reported as a warning only)`);
      } else {
        log.add(path, 'quality-rule-added', 'breaking', `New quality rule on ${place.label}: ${describeRule(rule)}; data that passed before may now fail`);
      }
      continue;
    }
    if (pair.before !== undefined && pair.after === undefined) {
      log.add([...place.before, 'quality', pair.before.index], 'quality-rule-removed', 'non-breaking', `Quality rule on ${place.label} removed: ${describeRule(pair.before.item)} (this is no longer guaranteed)`);
      continue;
    }
    if (pair.before === undefined || pair.after === undefined || sameValue(pair.before.item, pair.after.item)) continue;
    const { move, detail } = compareQualityRules(pair.before.item, pair.after.item);
    const path = [...place.after, 'quality', pair.after.index];
    const rule = code(describeRule(pair.after.item, false));
    switch (move) {
      case 'same':
        break;
      case 'tightened':
        log.add(path, 'quality-rule-tightened', 'breaking', `Quality rule ${rule} on ${place.label} tightened: ${detail}`);
        break;
      case 'changed':
        log.add(path, 'quality-rule-changed', 'breaking', `Quality rule ${rule} on ${place.label} changed: ${detail}`);
        break;
      case 'loosened':
        log.add(path, 'quality-rule-loosened', 'non-breaking', `Quality rule ${rule} on ${place.label} loosened: ${detail} (a weaker guarantee)`);
        break;
      case 'documentation':
        log.add(path, 'quality-rule-documentation-changed', 'informational', `Quality rule ${rule} on ${place.label}: ${detail}`);
        break;
    }
  }
}

/** SLA properties where a smaller value is a stronger promise (e.g. latency 1h is stricter than 4h). */
const smallerIsStricter = new Set([
  'latency', 'freshness', 'frequency', 'errorrate', 'timetodetect', 'timetonotify', 'timetorepair', 'ttd', 'ttn', 'ttr', 'mttr', 'rto', 'rpo', 'responsetime',
]);
/** SLA properties where a larger value is a stronger promise (e.g. retention 3y is stricter than 1y). */
const largerIsStricter = new Set(['retention', 'availability', 'uptime', 'throughput']);
/** SLA dates whose moving earlier shortens a promise consumers plan around. */
const endDates = new Set(['endofsupport', 'endoflife']);

function slaKey(sla: Json): string {
  return `${show(sla['property'])}|${show(sla['element'] ?? '')}`;
}

function diffSla(log: ChangeLog, before: Json[], after: Json[]): void {
  const pairs = matchItems(before, after, { id: idOf, key: slaKey });
  for (const pair of pairs) {
    const label = (sla: Json): string => `${code(show(sla['property']))}${sla['element'] ? ` on ${code(show(sla['element']))}` : ''}`;
    if (pair.before === undefined && pair.after !== undefined) {
      const sla = pair.after.item;
      log.add(['slaProperties', pair.after.index], 'sla-added', 'breaking', `New SLA ${label(sla)}: ${describeQuantity(sla['value'], sla['unit'])} (a new promise the data is checked against)`);
      continue;
    }
    if (pair.before !== undefined && pair.after === undefined) {
      const sla = pair.before.item;
      log.add(['slaProperties', pair.before.index], 'sla-removed', 'non-breaking', `SLA ${label(sla)} (${describeQuantity(sla['value'], sla['unit'])}) was removed: it is no longer promised`);
      continue;
    }
    if (pair.before === undefined || pair.after === undefined) continue;
    const a = pair.before.item;
    const b = pair.after.item;
    const path = ['slaProperties', pair.after.index];
    const property = (asString(b['property']) ?? '').toLowerCase();
    const valueChanged = !sameValue(a['value'], b['value']) || !sameValue(a['unit'], b['unit']) || !sameValue(a['valueExt'], b['valueExt']);
    if (valueChanged) {
      const fromTo = `from ${describeQuantity(a['value'], a['unit'])} to ${describeQuantity(b['value'], b['unit'])}`;
      const qa = toQuantity(a['value'], a['unit']);
      const qb = toQuantity(b['value'], b['unit']);
      const direction = smallerIsStricter.has(property) ? -1 : largerIsStricter.has(property) ? 1 : 0;
      if (qa !== undefined && qb !== undefined && qa.dimension === qb.dimension && direction !== 0) {
        const stricter = Math.sign(qb.amount - qa.amount) === direction;
        if (qa.amount === qb.amount) {
          log.add(path, 'sla-rewritten', 'informational', `SLA ${label(b)} rewritten ${fromTo} (same promise)`);
        } else if (stricter) {
          log.add(path, 'sla-tightened', 'breaking', `SLA ${label(b)} tightened ${fromTo}`);
        } else {
          log.add(path, 'sla-loosened', 'non-breaking', `SLA ${label(b)} loosened ${fromTo} (a weaker guarantee)`);
        }
      } else if (endDates.has(property) && typeof a['value'] === 'string' && typeof b['value'] === 'string' && Number.isFinite(Date.parse(a['value'])) && Number.isFinite(Date.parse(b['value']))) {
        if (Date.parse(b['value']) < Date.parse(a['value'])) {
          log.add(path, 'sla-end-moved-earlier', 'breaking', `SLA ${label(b)} moved earlier ${fromTo}: consumers must migrate sooner`);
        } else {
          log.add(path, 'sla-end-moved-later', 'non-breaking', `SLA ${label(b)} moved later ${fromTo}`);
        }
      } else {
        log.add(path, 'sla-changed', 'breaking', `SLA ${label(b)} changed ${fromTo}`);
      }
    }
    const rest = (sla: Json): Json => without(sla, ['value', 'unit', 'valueExt', 'property', 'element', 'id']);
    if (!sameValue(rest(a), rest(b))) {
      log.add(path, 'sla-documentation-changed', 'informational', `SLA ${label(b)}: details changed (${Object.keys({ ...rest(a), ...rest(b) }).filter((k) => !sameValue(a[k], b[k])).join(', ')})`);
    }
  }
}
