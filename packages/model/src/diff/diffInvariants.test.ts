import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSource, type SourceDocument } from '../document/SourceDocument';
import { diffContracts } from './diffContracts';
import { diffProducts } from './diffProducts';

const conformance = fileURLToPath(new URL('../../../../../shared/conformance/', import.meta.url));
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}
const load = (paths: string[]): SourceDocument[] => paths.map((path) => readSource(path, readFileSync(path, 'utf8')));
const contracts = load([
  ...filesUnder(join(conformance, 'bitol-odcs/main/docs/examples')),
  ...filesUnder(join(conformance, 'bitol-odcs/dev/docs/examples')),
]);
const products = load(filesUnder(join(conformance, 'bitol-odps/docs/examples')));

/** Every change of every pair must point at something that exists in the new (or, if removed, the old) document. */
function checkPairs(documents: SourceDocument[], diff: typeof diffContracts): number {
  let checked = 0;
  const unresolved: string[] = [];
  for (const before of documents) {
    for (const after of documents) {
      const result = diff(before.value, after.value);
      if (before === after) expect(result.changes, `${before.path} against itself`).toEqual([]);
      for (const change of result.changes) {
        if (!after.has(change.path) && !before.has(change.path)) {
          unresolved.push(`${change.path} (${change.change}) in ${before.path} → ${after.path}`);
        }
        expect(change.message.length).toBeGreaterThan(0);
        checked++;
      }
      expect(result.breaking).toBe(result.changes.some((c) => c.severity === 'breaking'));
    }
  }
  expect(unresolved.slice(0, 10)).toEqual([]);
  return checked;
}

describe('diff invariants over every pair of official examples', () => {
  it('contracts: every path resolves, breaking matches the changes', () => {
    expect(checkPairs(contracts, diffContracts)).toBeGreaterThan(1000);
  });

  it('products: every path resolves, breaking matches the changes', () => {
    expect(checkPairs(products, diffProducts)).toBeGreaterThan(10);
  });
});
