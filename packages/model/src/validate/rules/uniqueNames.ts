import type { Finding } from '../../standards/detect';
import { hasTwo, odcsElements, type OdcsElement, pointerOf, records } from './odcsWalk';

/**
 * `semantic/duplicate-name`: two schema objects with one name, or two properties with one name inside
 * the same element, cannot both exist in a table (and make shorthand references `object.property` ambiguous).
 * Names compare exactly (case-sensitive), as the standard does not fold case.
 */
export function uniqueNames(contract: Record<string, unknown>, elements: readonly OdcsElement[] = odcsElements(contract)): Finding[] {
  const findings: Finding[] = [];
  const checkList = (list: unknown, path: (string | number)[], what: string): void => {
    const first = new Map<string, number>();
    for (const { item, index } of records(list)) {
      if (typeof item.name !== 'string') continue;
      const earlier = first.get(item.name);
      if (earlier === undefined) first.set(item.name, index);
      else
        findings.push({
          pointer: pointerOf([...path, index, 'name']),
          message: `${what} "${item.name}" is defined twice (first at ${pointerOf([...path, earlier])})`,
          rule: 'semantic/duplicate-name',
          severity: 'error',
        });
    }
  };
  checkList(contract.schema, ['schema'], 'schema object');
  for (const { element, path } of elements) {
    if (hasTwo(element.properties)) checkList(element.properties, [...path, 'properties'], 'property');
  }
  return findings;
}
