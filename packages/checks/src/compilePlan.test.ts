/** The plan compiler on the standards' and the peer's contracts: no crash, unique ids, SQL rules kept. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compilePlan } from './compilePlan';
import { loadContractText } from './loadContract';

const conformance = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

describe('compilePlan', () => {
  const examples = yamlFiles(join(conformance, 'bitol-odcs/main/docs/examples'));
  it.each(examples.map((p) => [p.slice(conformance.length), p]))('plans the ODCS example %s with unique check ids', (_name, path) => {
    const loaded = loadContractText(path, readFileSync(path, 'utf8'));
    if (!loaded.ok) {
      // Examples that are fragments (no id) are reported with a location, not a crash.
      expect(loaded.problems[0]).toMatch(/:\d+:\d+: /);
      return;
    }
    const plan = compilePlan(loaded.contract);
    const ids = [...plan.objects.flatMap((o) => o.checks), ...plan.orphans].map((c) => c.identity.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  const dialects = yamlFiles(join(conformance, 'datacontract-cli/tests/fixtures/quality-sql-dialects'));
  it.each(dialects.map((p) => [p.slice(p.lastIndexOf('/') + 1), p]))('keeps every SQL rule of %s executable', (_name, path) => {
    const loaded = loadContractText(path, readFileSync(path, 'utf8'));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const rules = (loaded.contract.schema ?? []).flatMap((o) => [...(o.quality ?? []), ...(o.properties ?? []).flatMap((p) => p.quality ?? [])]).filter((r) => r.type === 'sql');
    const checks = compilePlan(loaded.contract).objects.flatMap((o) => o.checks).filter((c) => c.identity.category === 'quality');
    expect(rules.length).toBeGreaterThan(0);
    expect(checks.filter((c) => c.kind === 'sql')).toHaveLength(rules.length);
  });

  it('plans only the selected categories, and marks value checks skipped in metadata-only mode', () => {
    const contract = { id: 'c', schema: [{ name: 'o', properties: [{ name: 'a', logicalType: 'integer', required: true }], quality: [{ metric: 'rowCount' }] }] };
    expect(compilePlan(contract, { categories: ['quality'] }).objects[0]?.checks.map((c) => c.identity.type)).toEqual(['row_count']);
    expect(compilePlan(contract, { metadataOnly: true }).objects[0]?.checks.map((c) => c.kind)).toEqual(['presence', 'type', 'skip', 'skip']);
  });

  it('masks columns classified as PII, sensitive, restricted or confidential', () => {
    const contract = { id: 'c', schema: [{ name: 'o', properties: [{ name: 'a', classification: 'PII' }, { name: 'b', physicalName: 'B', classification: 'restricted' }, { name: 'c', classification: 'public' }] }] };
    expect(compilePlan(contract).objects[0]?.maskedColumns).toEqual(['a', 'B']);
  });
});
