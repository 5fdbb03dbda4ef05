import { compilePlan } from '@meshboard/checks';
import { parseOdcsContract, type SchemaProperty } from '@meshboard/model';
import type { Kysely } from 'kysely';
import { InputError } from '../../errors/errors';
import type { Database } from '../../store/Database';

/** A column of one of the product's output-port contracts: `ref` is `object.property` (nested: dotted). */
export interface ColumnTarget {
  contractId: string;
  contractName: string;
  ref: string;
}

/** A check the engine plans for one of the product's contracts: `ref` is the check's stable id. */
export interface CheckTarget {
  contractId: string;
  contractName: string;
  ref: string;
  name: string;
  category: string;
}

/** What an issue report can point at on a product. */
export interface FeedbackTargets {
  contracts: { id: string; name: string }[];
  columns: ColumnTarget[];
  checks: CheckTarget[];
}

/** What a caller names as an issue's target (validated by {@link resolveTarget}). */
export interface TargetInput {
  kind: 'column' | 'check';
  contractId?: string | undefined;
  ref: string;
}

function propertyPaths(prefix: string, properties: readonly SchemaProperty[] | undefined): string[] {
  return (properties ?? []).flatMap((property) => {
    const path = `${prefix}.${property.name}`;
    return [path, ...propertyPaths(path, property.properties)];
  });
}

/**
 * The columns and checks of the contracts bound to the product's output ports (their current
 * version). Check refs are the engine's check ids (`compilePlan`), the same keys check results are
 * stored under, so an issue on a check can later be joined with that check's history.
 */
export async function feedbackTargets(db: Kysely<Database>, productId: string): Promise<FeedbackTargets> {
  const contracts = await db
    .selectFrom('product_output_ports as p')
    .innerJoin('contracts as c', 'c.id', 'p.contract_id')
    .select(['c.id', 'c.name', 'c.document'])
    .where('p.product_id', '=', productId)
    .orderBy('p.port_name')
    .execute();
  const columns: ColumnTarget[] = [];
  const bound: { id: string; name: string }[] = [];
  const checks: CheckTarget[] = [];
  const seen = new Set<string>();
  for (const contract of contracts) {
    if (seen.has(contract.id)) continue;
    seen.add(contract.id);
    bound.push({ id: contract.id, name: contract.name });
    const parsed = parseOdcsContract(contract.document);
    if (!parsed.ok) continue;
    for (const object of parsed.contract.schema ?? []) {
      for (const ref of propertyPaths(object.name, object.properties)) columns.push({ contractId: contract.id, contractName: contract.name, ref });
    }
    const plan = compilePlan(parsed.contract);
    for (const check of [...plan.objects.flatMap((object) => object.checks), ...plan.orphans]) {
      checks.push({ contractId: contract.id, contractName: contract.name, ref: check.identity.id, name: check.identity.name, category: check.identity.category });
    }
  }
  return { contracts: bound, columns, checks };
}

/**
 * Checks an issue's target against the product's contracts and returns the contract it lies in.
 * Unknown contracts, columns or checks are {@link InputError}s on `/target/...` listing what exists.
 */
export function resolveTarget(targets: FeedbackTargets, input: TargetInput): { contractId: string; ref: string } {
  const candidates = input.kind === 'column' ? targets.columns : targets.checks;
  if (input.contractId !== undefined && !targets.contracts.some((contract) => contract.id === input.contractId)) {
    throw new InputError('The contract is not one of this product\'s output-port contracts.', [{ pointer: '/target/contractId', detail: `No output port of this product is bound to contract ${input.contractId}.` }]);
  }
  const found = candidates.find((item) => item.ref === input.ref && (input.contractId === undefined || item.contractId === input.contractId));
  if (found === undefined) {
    const known = candidates.filter((item) => input.contractId === undefined || item.contractId === input.contractId).map((item) => item.ref);
    const what = input.kind === 'column' ? 'column (object.property)' : 'check id';
    const hint = known.length === 0 ? `This product has no ${input.kind === 'column' ? 'columns' : 'checks'} to report on.` : `Known: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}.`;
    throw new InputError(`No ${what} "${input.ref}" in this product's contracts.`, [{ pointer: '/target/ref', detail: hint }]);
  }
  return { contractId: found.contractId, ref: found.ref };
}
