import type { Finding } from '../../standards/detect';
import { pointerOf, records } from './odcsWalk';

/** What the lint set knows of contracts, for cross-file references. */
export interface ContractIndex {
  /** Ids of the ODCS contracts in the lint set. */
  ids: ReadonlySet<string>;
}

/**
 * `semantic/port-contract`: each ODPS port's `contractId` names a contract of the lint set. When the set
 * holds no contract at all (a product linted alone) the link cannot be checked and is a warning; when
 * contracts were given but none has this id, the link is broken and is an error.
 */
export function portContracts(product: Record<string, unknown>, contracts: ContractIndex): Finding[] {
  const findings: Finding[] = [];
  for (const ports of ['inputPorts', 'outputPorts'] as const) {
    for (const { item, index } of records(product[ports])) {
      const id = item.contractId;
      if (typeof id !== 'string' || contracts.ids.has(id)) continue;
      const alone = contracts.ids.size === 0;
      findings.push({
        pointer: pointerOf([ports, index, 'contractId']),
        message: alone
          ? `contract "${id}" cannot be checked: no data contract is in this lint set (lint the product with its contracts)`
          : `contract "${id}" is not among the ${contracts.ids.size} data contract(s) in this lint set`,
        rule: 'semantic/port-contract',
        severity: alone ? 'warning' : 'error',
      });
    }
  }
  return findings;
}
