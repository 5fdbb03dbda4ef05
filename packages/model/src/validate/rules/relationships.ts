import type { Finding } from '../../standards/detect';
import { odcsElements, type OdcsElement, pointerOf, records } from './odcsWalk';

/**
 * `semantic/relationship-target`: every `from` of a relationship names a property of this contract (an
 * error), and every `to` should (a warning: the official full example points at a table it does not define,
 * so the standard evidently allows targets outside the contract).
 * Shorthand `object.property` resolves by names (top-level properties of a schema object); fully
 * qualified `schema/<objectId>/properties/<propertyId>` resolves by ids. References into another file
 * (`other.yaml#...`) are not followed. `semantic/relationship-arity`: composite keys pair up (same length).
 */
export function relationships(contract: Record<string, unknown>, elements: readonly OdcsElement[] = odcsElements(contract)): Finding[] {
  if (!elements.some(({ element }) => Array.isArray(element.relationships))) return [];
  const byName = new Set<string>();
  const byId = new Set<string>();
  for (const { item: object } of records(contract.schema)) {
    for (const { item: property } of records(object.properties)) {
      if (typeof object.name === 'string' && typeof property.name === 'string') byName.add(`${object.name}.${property.name}`);
      if (typeof object.id === 'string' && typeof property.id === 'string') byId.add(`schema/${object.id}/properties/${property.id}`);
    }
  }
  const resolves = (reference: string): boolean => {
    if (reference.includes('#')) return true;
    if (reference.includes('/')) return byId.has(reference.replace(/^\//, ''));
    return byName.has(reference);
  };
  const findings: Finding[] = [];
  const checkSide = (value: unknown, path: (string | number)[], severity: Finding['severity']): number | undefined => {
    const list = Array.isArray(value) ? value : [value];
    list.forEach((reference, index) => {
      if (typeof reference !== 'string' || resolves(reference)) return;
      const where = Array.isArray(value) ? [...path, index] : path;
      const shorthand = !reference.includes('/');
      findings.push({
        pointer: pointerOf(where),
        message: `relationship target "${reference}" does not resolve: no ${shorthand ? 'schema object and property with these names' : 'schema object and property with these ids'} in this contract`,
        rule: 'semantic/relationship-target',
        severity,
      });
    });
    return Array.isArray(value) ? value.length : undefined;
  };
  for (const { element, path } of elements) {
    for (const { item, index } of records(element.relationships)) {
      const at = [...path, 'relationships', index];
      const from = 'from' in item ? checkSide(item.from, [...at, 'from'], 'error') : undefined;
      const to = checkSide(item.to, [...at, 'to'], 'warning');
      if (from !== undefined && to !== undefined && from !== to) {
        findings.push({
          pointer: pointerOf([...at, 'to']),
          message: `composite relationship pairs ${from} source properties with ${to} target properties; both lists must have the same length`,
          rule: 'semantic/relationship-arity',
          severity: 'error',
        });
      }
    }
  }
  return findings;
}
