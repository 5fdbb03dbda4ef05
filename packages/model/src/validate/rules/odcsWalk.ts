import { toPointer } from '../../document/problem';

/** A plain-object view of a parsed mapping; anything else is `undefined`. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The mappings of a list (skipping other items, which the schema reports), with their index. */
export function records(value: unknown): { item: Record<string, unknown>; index: number }[] {
  if (!Array.isArray(value)) return none;
  const found: { item: Record<string, unknown>; index: number }[] = [];
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) found.push({ item: item as Record<string, unknown>, index });
  }
  return found;
}
const none: { item: Record<string, unknown>; index: number }[] = [];

/** A schema object or property of an ODCS contract, with where it is and what contains it. */
export interface OdcsElement {
  element: Record<string, unknown>;
  path: (string | number)[];
  /** 'object' for the entries of `schema`, 'property' for every (nested) property. */
  level: 'object' | 'property';
  /** The schema object this element belongs to (itself for an object). */
  object: Record<string, unknown>;
}

/**
 * Every schema object and property of an ODCS contract, depth first, including nested `properties`
 * and array `items` (semantic rules share this walk rather than each re-implementing it).
 */
export function odcsElements(contract: Record<string, unknown>): OdcsElement[] {
  const found: OdcsElement[] = [];
  const visit = (element: Record<string, unknown>, path: (string | number)[], object: Record<string, unknown>, depth: number): void => {
    if (depth > 64) return;
    for (const { item, index } of records(element.properties)) {
      const itemPath = [...path, 'properties', index];
      found.push({ element: item, path: itemPath, level: 'property', object });
      visit(item, itemPath, object, depth + 1);
    }
    const items = asRecord(element.items);
    if (items !== undefined) visit(items, [...path, 'items'], object, depth + 1);
  };
  for (const { item, index } of records(contract.schema)) {
    found.push({ element: item, path: ['schema', index], level: 'object', object: item });
    visit(item, ['schema', index], item, 1);
  }
  return found;
}

/** Pointer of `path` below `base`. */
export function pointerOf(path: readonly (string | number)[]): string {
  return toPointer(path);
}

/** Whether `value` is a list of at least two items (the only lists where something can repeat). */
export function hasTwo(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 1;
}
