import type { Finding } from '../../standards/detect';
import { hasTwo, odcsElements, type OdcsElement, pointerOf, records } from './odcsWalk';

/**
 * `semantic/unique-id`: a stable `id` must be unique within its list (schema objects, the properties of
 * one element, quality rules, servers, SLA properties), as ODCS's `StableId` says, since fully qualified
 * references (`schema/<id>/properties/<id>`) address elements by it. `semantic/unique-server`: server names
 * (`server`) are unique, since checks and `--server` select a server by name.
 */
export function uniqueIds(contract: Record<string, unknown>, elements: readonly OdcsElement[] = odcsElements(contract)): Finding[] {
  const findings: Finding[] = [];
  const checkList = (list: unknown, path: (string | number)[], key: 'id' | 'server', rule: string): void => {
    const first = new Map<string, number>();
    for (const { item, index } of records(list)) {
      const id = item[key];
      if (typeof id !== 'string') continue;
      const earlier = first.get(id);
      if (earlier === undefined) {
        first.set(id, index);
        continue;
      }
      findings.push({
        pointer: pointerOf([...path, index, key]),
        message: `${key} "${id}" is already used by ${pointerOf([...path, earlier])}; ${key === 'id' ? 'ids' : 'server names'} must be unique in the list`,
        rule,
        severity: 'error',
      });
    }
  };
  checkList(contract.schema, ['schema'], 'id', 'semantic/unique-id');
  checkList(contract.servers, ['servers'], 'id', 'semantic/unique-id');
  checkList(contract.servers, ['servers'], 'server', 'semantic/unique-server');
  checkList(contract.slaProperties, ['slaProperties'], 'id', 'semantic/unique-id');
  for (const { element, path } of elements) {
    // Most properties have neither list: skip them without building paths.
    if (hasTwo(element.properties)) checkList(element.properties, [...path, 'properties'], 'id', 'semantic/unique-id');
    if (hasTwo(element.quality)) checkList(element.quality, [...path, 'quality'], 'id', 'semantic/unique-id');
  }
  return findings;
}
