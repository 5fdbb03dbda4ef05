/**
 * Data Contract Specification (DCS, 1.x) → ODCS v3.1.0 conversion, so the check engine and the rest of
 * Meshboard only ever handle ODCS. Pure: takes the parsed document, returns the ODCS document and notes
 * about anything that could not be carried over (never throws on odd input).
 */

/** The result of converting a DCS document: the ODCS document plus what was dropped or approximated. */
export interface DcsConversion {
  odcs: Record<string, unknown>;
  notes: { pointer: string; message: string }[];
}

/** Whether a parsed document is a Data Contract Specification document (has `dataContractSpecification`). */
export function isDcsDocument(value: unknown): boolean {
  return isRecord(value) && typeof value.dataContractSpecification === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * DCS field types → ODCS logicalType. Types without an ODCS logical type (`bytes`, `map`, `null`) keep
 * only their `physicalType`, so no type-conformance check is made for them (documented in docs/checks.md).
 */
const logicalTypes: Record<string, string | undefined> = {
  string: 'string', text: 'string', varchar: 'string',
  number: 'number', decimal: 'number', numeric: 'number', float: 'number', double: 'number',
  integer: 'integer', int: 'integer', long: 'integer', bigint: 'integer',
  boolean: 'boolean',
  timestamp: 'timestamp', timestamp_tz: 'timestamp', timestamp_ntz: 'timestamp',
  date: 'date', time: 'time',
  array: 'array',
  object: 'object', record: 'object', struct: 'object',
};

const optionKeys = ['pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'format'];

function convertQuality(value: unknown, pointer: string, notes: DcsConversion['notes']): Record<string, unknown>[] | undefined {
  if (!Array.isArray(value)) {
    if (value !== undefined) notes.push({ pointer, message: 'quality is not a list (DCS 0.x quality blocks are not converted)' });
    return undefined;
  }
  return value.filter(isRecord).map((rule) => {
    const out: Record<string, unknown> = { ...rule };
    if (typeof rule.query === 'string') {
      out.query = rule.query.replace(/\{model\}/g, '{object}').replace(/\{field\}/g, '{property}');
    }
    if (out.type === 'library' && out.metric === undefined && typeof rule.rule === 'string') out.metric = rule.rule;
    return out;
  });
}

function convertField(name: string | undefined, field: unknown, pointer: string, notes: DcsConversion['notes']): Record<string, unknown> {
  const property: Record<string, unknown> = {};
  if (name !== undefined) property.name = name;
  if (!isRecord(field)) {
    notes.push({ pointer, message: 'field is not an object' });
    return property;
  }
  const type = typeof field.type === 'string' ? field.type : undefined;
  if (type !== undefined) {
    const logical = logicalTypes[type.toLowerCase()];
    if (logical !== undefined) property.logicalType = logical;
    property.physicalType = type;
  }
  for (const key of ['description', 'required', 'unique', 'classification', 'title', 'examples', 'tags']) {
    if (field[key] !== undefined) property[key] = field[key];
  }
  if (field.primaryKey === true || field.primary === true) property.primaryKey = true;
  if (field.pii === true && property.classification === undefined) property.classification = 'PII';
  const options: Record<string, unknown> = {};
  for (const key of optionKeys) if (field[key] !== undefined) options[key] = field[key];
  if (Object.keys(options).length > 0) property.logicalTypeOptions = options;
  const quality = convertQuality(field.quality, `${pointer}/quality`, notes) ?? [];
  if (Array.isArray(field.enum)) {
    quality.push({ type: 'library', metric: 'invalidValues', arguments: { validValues: field.enum }, mustBe: 0, description: 'enum' });
  }
  if (quality.length > 0) property.quality = quality;
  if (isRecord(field.fields)) {
    property.properties = Object.entries(field.fields).map(([n, f]) => convertField(n, f, `${pointer}/fields/${n}`, notes));
  }
  if (field.items !== undefined) property.items = convertField(undefined, field.items, `${pointer}/items`, notes);
  return property;
}

/** Converts a DCS duration like `25h`, `P1Y`, `30d` into an ODCS value + unit, or undefined. */
function convertDuration(text: unknown): { value: number; unit: string } | undefined {
  if (typeof text !== 'string') return undefined;
  const simple = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$/.exec(text);
  if (simple) return { value: Number(simple[1]), unit: simple[2] ?? '' };
  const iso = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!iso) return undefined;
  const units = ['y', 'month', 'w', 'd', 'h', 'min', 's'];
  const parts = iso.slice(1).map((p, i) => ({ value: p === undefined ? 0 : Number(p), unit: units[i] ?? 's' })).filter((p) => p.value > 0);
  return parts.length === 1 ? parts[0] : undefined;
}

/** Converts a DCS document (already parsed) into an ODCS v3.1.0 document. */
export function dcsToOdcs(dcs: Record<string, unknown>): DcsConversion {
  const notes: DcsConversion['notes'] = [];
  const info = isRecord(dcs.info) ? dcs.info : {};
  const odcs: Record<string, unknown> = {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: typeof dcs.id === 'string' ? dcs.id : 'unnamed',
    name: info.title,
    version: typeof info.version === 'string' ? info.version : '0.0.0',
    status: typeof info.status === 'string' ? info.status : 'active',
  };
  if (typeof info.description === 'string') odcs.description = { purpose: info.description };
  if (isRecord(dcs.servers)) {
    odcs.servers = Object.entries(dcs.servers).map(([name, server]) => ({ server: name, ...(isRecord(server) ? server : {}) }));
  }
  if (isRecord(dcs.models)) {
    odcs.schema = Object.entries(dcs.models).map(([name, model]) => {
      const object: Record<string, unknown> = { name, logicalType: 'object' };
      if (!isRecord(model)) return object;
      if (typeof model.description === 'string') object.description = model.description;
      if (typeof model.type === 'string') object.physicalType = model.type;
      if (isRecord(model.fields)) {
        object.properties = Object.entries(model.fields).map(([n, f]) => convertField(n, f, `/models/${name}/fields/${n}`, notes));
      }
      const quality = convertQuality(model.quality, `/models/${name}/quality`, notes);
      if (quality !== undefined) object.quality = quality;
      return object;
    });
  }
  const levels = isRecord(dcs.servicelevels) ? dcs.servicelevels : {};
  const sla: Record<string, unknown>[] = [];
  for (const [property, key, field] of [['freshness', 'threshold', 'timestampField'], ['retention', 'period', 'timestampField']] as const) {
    const level = levels[property];
    if (!isRecord(level)) continue;
    const duration = convertDuration(level[key]);
    if (duration === undefined) {
      notes.push({ pointer: `/servicelevels/${property}/${key}`, message: `cannot read the duration ${JSON.stringify(level[key])}` });
      continue;
    }
    sla.push({ property, value: duration.value, unit: duration.unit, ...(typeof level[field] === 'string' ? { element: level[field] } : {}) });
  }
  if (sla.length > 0) odcs.slaProperties = sla;
  return { odcs, notes };
}
