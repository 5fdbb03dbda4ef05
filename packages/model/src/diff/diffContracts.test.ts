import { describe, expect, it } from 'vitest';
import { diffContracts } from './diffContracts';

/** The valid old contract every mutation starts from. */
function fixture(): Record<string, unknown> {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'orders-contract',
    version: '1.2.3',
    status: 'active',
    name: 'orders',
    servers: [{ server: 'prod', type: 'postgres', host: 'db', port: 5432, database: 'shop', schema: 'public' }],
    schema: [
      {
        name: 'orders',
        physicalName: 'orders',
        properties: [
          { name: 'order_id', logicalType: 'string', physicalType: 'varchar(50)', required: true, unique: true, primaryKey: true },
          { name: 'customer_id', logicalType: 'string', physicalType: 'varchar(50)' },
          { name: 'amount', logicalType: 'number', physicalType: 'decimal(10,2)', logicalTypeOptions: { minimum: 0, maximum: 1000 } },
          { name: 'quantity', logicalType: 'integer', physicalType: 'int' },
          { name: 'state', logicalType: 'string', logicalTypeOptions: { enum: ['open', 'paid', 'shipped'] } },
          { name: 'note', logicalType: 'string', description: 'Free text' },
        ],
        quality: [{ name: 'enough rows', metric: 'rowCount', mustBeGreaterThan: 10 }],
      },
    ],
    slaProperties: [{ property: 'freshness', value: 1, unit: 'd', element: 'orders.created_at' }],
  };
}

type Mutation = (c: ReturnType<typeof fixture>) => void;
const objects = (c: Record<string, unknown>): Record<string, unknown>[] => c['schema'] as Record<string, unknown>[];
const props = (c: Record<string, unknown>): Record<string, unknown>[] => objects(c)[0]!['properties'] as Record<string, unknown>[];
const prop = (c: Record<string, unknown>, name: string): Record<string, unknown> => props(c).find((p) => p['name'] === name)!;

function changesAfter(mutate: Mutation): ReturnType<typeof diffContracts> {
  const after = fixture();
  mutate(after);
  return diffContracts(fixture(), after);
}

describe('diffContracts', () => {
  it('finds no change between identical contracts and keeps the version', () => {
    const result = diffContracts(fixture(), fixture());
    expect(result.changes).toEqual([]);
    expect(result.breaking).toBe(false);
    expect(result.suggestedVersion).toBe('1.2.3');
  });

  const cases: { name: string; mutate: Mutation; change: string; severity: string; path?: string; message?: RegExp }[] = [
    { name: 'property removed', mutate: (c) => props(c).splice(1, 1), change: 'property-removed', severity: 'breaking', path: '/schema/0/properties/1', message: /Column `orders.customer_id` was removed/ },
    { name: 'object removed', mutate: (c) => objects(c).splice(0, 1), change: 'object-removed', severity: 'breaking', path: '/schema/0' },
    { name: 'property renamed without ids (identical definition)', mutate: (c) => { prop(c, 'note')['name'] = 'comment'; }, change: 'property-renamed', severity: 'breaking', message: /`orders.note` was renamed to `comment`/ },
    { name: 'optional property added', mutate: (c) => props(c).push({ name: 'channel', logicalType: 'string' }), change: 'property-added', severity: 'non-breaking', path: '/schema/0/properties/6' },
    { name: 'required property added', mutate: (c) => props(c).push({ name: 'channel', logicalType: 'string', required: true }), change: 'required-property-added', severity: 'breaking' },
    { name: 'logicalType narrowed number → integer', mutate: (c) => { prop(c, 'amount')['logicalType'] = 'integer'; }, change: 'logical-type-narrowed', severity: 'breaking', message: /changed type from number to integer \(narrowing/ },
    { name: 'logicalType widened integer → number', mutate: (c) => { prop(c, 'quantity')['logicalType'] = 'number'; }, change: 'logical-type-widened', severity: 'non-breaking' },
    { name: 'logicalType changed incompatibly', mutate: (c) => { prop(c, 'quantity')['logicalType'] = 'string'; }, change: 'logical-type-changed', severity: 'breaking' },
    { name: 'physicalType widened varchar(50) → varchar(100)', mutate: (c) => { prop(c, 'customer_id')['physicalType'] = 'varchar(100)'; }, change: 'physical-type-widened', severity: 'non-breaking' },
    { name: 'physicalType narrowed varchar(50) → varchar(20)', mutate: (c) => { prop(c, 'customer_id')['physicalType'] = 'varchar(20)'; }, change: 'physical-type-narrowed', severity: 'breaking' },
    { name: 'physicalType widened int → bigint', mutate: (c) => { prop(c, 'quantity')['physicalType'] = 'bigint'; }, change: 'physical-type-widened', severity: 'non-breaking' },
    { name: 'physicalType narrowed decimal(10,2) → decimal(8,2)', mutate: (c) => { prop(c, 'amount')['physicalType'] = 'decimal(8,2)'; }, change: 'physical-type-narrowed', severity: 'breaking' },
    { name: 'optional → required', mutate: (c) => { prop(c, 'customer_id')['required'] = true; }, change: 'property-now-required', severity: 'breaking' },
    { name: 'required → optional', mutate: (c) => { prop(c, 'order_id')['required'] = false; }, change: 'property-now-optional', severity: 'breaking' },
    { name: 'unique added', mutate: (c) => { prop(c, 'customer_id')['unique'] = true; }, change: 'unique-added', severity: 'breaking' },
    { name: 'unique removed', mutate: (c) => { delete prop(c, 'order_id')['unique']; }, change: 'unique-removed', severity: 'breaking' },
    { name: 'primary key removed', mutate: (c) => { delete prop(c, 'order_id')['primaryKey']; }, change: 'primary-key-changed', severity: 'breaking' },
    { name: 'maximum lowered', mutate: (c) => { prop(c, 'amount')['logicalTypeOptions'] = { minimum: 0, maximum: 500 }; }, change: 'constraint-tightened', severity: 'breaking' },
    { name: 'maximum raised', mutate: (c) => { prop(c, 'amount')['logicalTypeOptions'] = { minimum: 0, maximum: 5000 }; }, change: 'constraint-loosened', severity: 'non-breaking' },
    { name: 'minimum raised', mutate: (c) => { prop(c, 'amount')['logicalTypeOptions'] = { minimum: 1, maximum: 1000 }; }, change: 'constraint-tightened', severity: 'breaking' },
    { name: 'maxLength added', mutate: (c) => { prop(c, 'note')['logicalTypeOptions'] = { maxLength: 10 }; }, change: 'constraint-tightened', severity: 'breaking' },
    { name: 'pattern added', mutate: (c) => { prop(c, 'customer_id')['logicalTypeOptions'] = { pattern: '^C' }; }, change: 'constraint-tightened', severity: 'breaking' },
    { name: 'enum narrowed', mutate: (c) => { prop(c, 'state')['logicalTypeOptions'] = { enum: ['open', 'paid'] }; }, change: 'constraint-tightened', severity: 'breaking' },
    { name: 'enum widened', mutate: (c) => { prop(c, 'state')['logicalTypeOptions'] = { enum: ['open', 'paid', 'shipped', 'returned'] }; }, change: 'constraint-loosened', severity: 'non-breaking' },
    { name: 'quality rule added (error level)', mutate: (c) => { prop(c, 'customer_id')['quality'] = [{ metric: 'nullValues', mustBe: 0 }]; }, change: 'quality-rule-added', severity: 'breaking' },
    { name: 'quality rule added (warning level)', mutate: (c) => { prop(c, 'customer_id')['quality'] = [{ metric: 'nullValues', mustBe: 0, severity: 'warning' }]; }, change: 'quality-rule-added', severity: 'non-breaking' },
    { name: 'quality threshold tightened', mutate: (c) => { objects(c)[0]!['quality'] = [{ name: 'enough rows', metric: 'rowCount', mustBeGreaterThan: 100 }]; }, change: 'quality-rule-tightened', severity: 'breaking' },
    { name: 'quality threshold loosened', mutate: (c) => { objects(c)[0]!['quality'] = [{ name: 'enough rows', metric: 'rowCount', mustBeGreaterThan: 1 }]; }, change: 'quality-rule-loosened', severity: 'non-breaking' },
    { name: 'quality rule removed', mutate: (c) => { objects(c)[0]!['quality'] = []; }, change: 'quality-rule-removed', severity: 'non-breaking' },
    { name: 'SLA tightened 1d → 12h', mutate: (c) => { c['slaProperties'] = [{ property: 'freshness', value: 12, unit: 'h', element: 'orders.created_at' }]; }, change: 'sla-tightened', severity: 'breaking' },
    { name: 'SLA loosened 1d → 2d', mutate: (c) => { c['slaProperties'] = [{ property: 'freshness', value: 2, unit: 'd', element: 'orders.created_at' }]; }, change: 'sla-loosened', severity: 'non-breaking' },
    { name: 'SLA rewritten 1d → 24h (same promise)', mutate: (c) => { c['slaProperties'] = [{ property: 'freshness', value: 24, unit: 'h', element: 'orders.created_at' }]; }, change: 'sla-rewritten', severity: 'informational' },
    { name: 'server removed', mutate: (c) => { c['servers'] = []; }, change: 'server-removed', severity: 'breaking' },
    { name: 'server added', mutate: (c) => { (c['servers'] as unknown[]).push({ server: 'dev', type: 'postgres', host: 'dev-db' }); }, change: 'server-added', severity: 'non-breaking' },
    { name: 'server host changed', mutate: (c) => { (c['servers'] as Record<string, unknown>[])[0]!['host'] = 'db2'; }, change: 'server-changed', severity: 'breaking' },
    { name: 'description changed', mutate: (c) => { prop(c, 'note')['description'] = 'Anything the buyer wrote'; }, change: 'description-changed', severity: 'informational' },
    { name: 'tags added', mutate: (c) => { c['tags'] = ['sales']; }, change: 'tags-changed', severity: 'informational' },
    { name: 'status deprecated', mutate: (c) => { c['status'] = 'deprecated'; }, change: 'status-deprecated', severity: 'informational', message: /DEPRECATED/ },
    { name: 'support channel added', mutate: (c) => { c['support'] = [{ channel: 'slack', url: 'https://x' }]; }, change: 'support-added', severity: 'informational' },
    { name: 'contract id changed', mutate: (c) => { c['id'] = 'other'; }, change: 'contract-id-changed', severity: 'breaking' },
  ];

  for (const testCase of cases) {
    it(`classifies ${testCase.name} as ${testCase.severity} (${testCase.change})`, () => {
      const result = changesAfter(testCase.mutate);
      const found = result.changes.find((c) => c.change === testCase.change);
      expect(found, JSON.stringify(result.changes, null, 2)).toBeDefined();
      expect(found?.severity).toBe(testCase.severity);
      if (testCase.path !== undefined) expect(found?.path).toBe(testCase.path);
      if (testCase.message !== undefined) expect(found?.message).toMatch(testCase.message);
    });
  }

  it('matches properties by id across a rename and reports the other changes on them', () => {
    const before = fixture();
    prop(before, 'amount')['id'] = 'p-amount';
    const after = fixture();
    const amount = prop(after, 'amount');
    amount['id'] = 'p-amount';
    amount['name'] = 'total';
    amount['logicalType'] = 'integer';
    const result = diffContracts(before, after);
    expect(result.changes.map((c) => c.change).sort()).toEqual(['logical-type-narrowed', 'property-renamed']);
    expect(result.changes.find((c) => c.change === 'logical-type-narrowed')?.message).toContain('`orders.total`');
  });

  it('matches tables by id across a rename', () => {
    const before = fixture();
    objects(before)[0]!['id'] = 'o';
    const after = fixture();
    objects(after)[0]!['id'] = 'o';
    objects(after)[0]!['name'] = 'purchases';
    const result = diffContracts(before, after);
    expect(result.changes.map((c) => [c.change, c.severity, c.path])).toEqual([['object-renamed', 'breaking', '/schema/0/name']]);
  });

  it('does not take a removed and an added property with different definitions for a rename', () => {
    const result = changesAfter((c) => {
      props(c).splice(5, 1, { name: 'comment', logicalType: 'string', description: 'Other' });
    });
    expect(result.changes.map((c) => c.change).sort()).toEqual(['property-added', 'property-removed']);
  });

  it('suggests major, minor and patch bumps by the most severe change', () => {
    expect(changesAfter((c) => props(c).splice(1, 1)).suggestedVersion).toBe('2.0.0');
    expect(changesAfter((c) => props(c).push({ name: 'x' })).suggestedVersion).toBe('1.3.0');
    expect(changesAfter((c) => { c['tags'] = ['a']; }).suggestedVersion).toBe('1.2.4');
  });

  it('lists breaking changes first', () => {
    const result = changesAfter((c) => {
      c['tags'] = ['a'];
      props(c).push({ name: 'x' });
      props(c).splice(1, 1);
    });
    expect(result.changes.map((c) => c.severity)).toEqual(['breaking', 'non-breaking', 'informational']);
    expect(result.breaking).toBe(true);
  });

  it('explains why no version is suggested for a non-semantic version', () => {
    const before = { ...fixture(), version: 'spring-release' };
    const result = diffContracts(before, { ...fixture(), version: 'summer', tags: ['a'] });
    expect(result.suggestedVersion).toBeUndefined();
    expect(result.versionNote).toMatch(/not a semantic version/);
  });
});
