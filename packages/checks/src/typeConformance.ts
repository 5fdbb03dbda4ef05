/**
 * Type conformance: does a physical column type satisfy a property's `logicalType`, down through struct
 * fields and array elements? One table for every connector (docs/checks.md, "Type mapping").
 */
import type { SchemaProperty } from '@meshboard/model';
import { familyName, type PhysicalType } from './PhysicalType';

/** Which physical families each ODCS logicalType accepts. `number` accepts integers too. */
const accepted: Record<string, readonly PhysicalType['kind'][]> = {
  string: ['string'],
  integer: ['integer'],
  number: ['number', 'integer'],
  boolean: ['boolean'],
  date: ['date'],
  timestamp: ['timestamp'],
  time: ['time'],
  object: ['struct', 'map'],
  array: ['list'],
};

/** Whether a logical type can be checked at all (unknown or absent logical types make no type check). */
export function isCheckableLogicalType(logicalType: string | undefined): boolean {
  return logicalType !== undefined && accepted[logicalType] !== undefined;
}

/** How a source's types were obtained. */
export interface TypeOptions {
  /** Dates and times were inferred from text (JSON), so they also count as strings. */
  temporalFromText?: boolean;
}

/**
 * The mismatches between a property and a physical type, each as "field 'x': expected type 'a' but got
 * 'b'" (path `[]` for array elements). Empty when the type conforms.
 */
export function typeMismatches(property: SchemaProperty, physical: PhysicalType, options: TypeOptions = {}, path = ''): string[] {
  const logical = property.logicalType;
  if (logical === undefined || accepted[logical] === undefined) return [];
  const label = path === '' ? (property.name ?? '') : path;
  const textual = options.temporalFromText === true && logical === 'string' && ['date', 'timestamp', 'time'].includes(physical.kind);
  if (!textual && !(accepted[logical] ?? []).includes(physical.kind)) {
    return [`field '${label}': expected type '${logical}' but got '${familyName(physical)}'`];
  }
  const errors: string[] = [];
  if (logical === 'array' && physical.kind === 'list' && property.items !== undefined) {
    errors.push(...typeMismatches(property.items, physical.element, options, '[]'));
  }
  if (logical === 'object' && physical.kind === 'struct') {
    for (const child of property.properties ?? []) {
      const name = child.physicalName ?? child.name;
      if (name === undefined) continue;
      const field = physical.fields.find((f) => f.name === name) ?? physical.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
      if (field === undefined) errors.push(`field '${name}': missing in the data`);
      else errors.push(...typeMismatches(child, field.type, options, name));
    }
  }
  return errors;
}

/** Summarises mismatches the way results show them: the first one, and how many more. */
export function mismatchMessage(errors: readonly string[]): string {
  const [first, ...rest] = errors;
  if (first === undefined) return 'type conforms';
  return rest.length === 0 ? first : `${first} (and ${rest.length} other error${rest.length === 1 ? '' : 's'})`;
}
