import { describe, expect, it } from 'vitest';
import { diffContracts } from './diffContracts';

// One valid fixture, one mutation per case: each case must yield exactly one change, of the expected kind
// and severity, and the matching version bump. (diffContracts.test.ts holds the matching and path tests.)
function base(): Record<string, unknown> {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'orders-contract',
    version: '1.0.0',
    status: 'active',
    domain: 'sales',
    description: { purpose: 'Orders for analytics' },
    tags: ['orders'],
    servers: [{ server: 'prod', type: 'postgres', host: 'db', port: 5432, database: 'shop', schema: 'public' }],
    schema: [
      {
        id: 'orders_obj',
        name: 'orders',
        physicalName: 'orders',
        properties: [
          { id: 'order_id', name: 'order_id', logicalType: 'string', physicalType: 'varchar(36)', required: true, unique: true, primaryKey: true, primaryKeyPosition: 1 },
          { id: 'customer_id', name: 'customer_id', logicalType: 'string', physicalType: 'varchar(50)', required: true },
          {
            id: 'amount',
            name: 'amount',
            logicalType: 'number',
            physicalType: 'decimal(10,2)',
            logicalTypeOptions: { minimum: 0, maximum: 1000 },
            quality: [{ metric: 'nullValues', mustBeLessThan: 10 }],
          },
          { id: 'email', name: 'email', logicalType: 'string', logicalTypeOptions: { maxLength: 255, pattern: '^.+@.+$' } },
          { id: 'status', name: 'status', logicalType: 'string', quality: [{ metric: 'invalidValues', arguments: { validValues: ['open', 'paid', 'shipped'] }, mustBe: 0 }] },
          { id: 'address', name: 'address', logicalType: 'object', properties: [{ name: 'city', logicalType: 'string' }] },
          { id: 'ordered_on', name: 'ordered_on', logicalType: 'date', logicalTypeOptions: { maximum: '2030-12-31' } },
          { id: 'lines', name: 'lines', logicalType: 'array', items: { logicalType: 'string', logicalTypeOptions: { maxLength: 20 } } },
        ],
        quality: [{ metric: 'rowCount', mustBeGreaterThan: 100 }],
      },
    ],
    slaProperties: [
      { property: 'freshness', value: 1, unit: 'd', element: 'orders.created_at' },
      { property: 'retention', value: 3, unit: 'y' },
      { property: 'endOfSupport', value: '2030-01-01' },
    ],
    support: [{ channel: '#orders', tool: 'slack' }],
    team: { name: 'sales-data', members: [{ username: 'ana', role: 'owner' }] },
  };
}

type Doc = ReturnType<typeof base>;
type Mutation = (doc: Doc) => void;
type Json = Record<string, unknown>;

const objects = (doc: Doc): Json[] => doc['schema'] as Json[];
const orders = (doc: Doc): Json => objects(doc)[0] as Json;
const props = (doc: Doc): Json[] => orders(doc)['properties'] as Json[];
const prop = (doc: Doc, name: string): Json => props(doc).find((p) => p['name'] === name) as Json;
const sla = (doc: Doc, property: string): Json => (doc['slaProperties'] as Json[]).find((s) => s['property'] === property) as Json;

function changesAfter(mutation: Mutation): ReturnType<typeof diffContracts> {
  const after = base();
  mutation(after);
  return diffContracts(base(), after);
}

/** [what changes, mutation, expected change kind, expected severity] */
const cases: [string, Mutation, string, 'breaking' | 'non-breaking' | 'informational'][] = [
  ['a column is removed', (d) => props(d).splice(1, 1), 'property-removed', 'breaking'],
  ['a column is renamed (same id)', (d) => (prop(d, 'customer_id')['name'] = 'client_id'), 'property-renamed', 'breaking'],
  ['a nested column is removed', (d) => ((prop(d, 'address')['properties'] as unknown[]).length = 0), 'property-removed', 'breaking'],
  ['an optional column is added', (d) => props(d).push({ name: 'note', logicalType: 'string' }), 'property-added', 'non-breaking'],
  ['a required column is added', (d) => props(d).push({ name: 'note', logicalType: 'string', required: true }), 'required-property-added', 'breaking'],
  ['a table is removed', (d) => objects(d).splice(0, 1), 'object-removed', 'breaking'],
  ['a table is added', (d) => objects(d).push({ name: 'refunds', properties: [] }), 'object-added', 'non-breaking'],
  ['a table is renamed (same id)', (d) => (orders(d)['name'] = 'sales_orders'), 'object-renamed', 'breaking'],
  ['a table moves to another physical name', (d) => (orders(d)['physicalName'] = 'orders_v2'), 'physical-name-changed', 'breaking'],
  ['number narrows to integer', (d) => (prop(d, 'amount')['logicalType'] = 'integer'), 'logical-type-narrowed', 'breaking'],
  ['string changes to date', (d) => (prop(d, 'customer_id')['logicalType'] = 'date'), 'logical-type-changed', 'breaking'],
  ['date widens to timestamp', (d) => (prop(d, 'ordered_on')['logicalType'] = 'timestamp'), 'logical-type-widened', 'non-breaking'],
  ['varchar(50) widens to varchar(100)', (d) => (prop(d, 'customer_id')['physicalType'] = 'varchar(100)'), 'physical-type-widened', 'non-breaking'],
  ['varchar(50) narrows to varchar(20)', (d) => (prop(d, 'customer_id')['physicalType'] = 'varchar(20)'), 'physical-type-narrowed', 'breaking'],
  ['decimal(10,2) widens to decimal(12,2)', (d) => (prop(d, 'amount')['physicalType'] = 'decimal(12,2)'), 'physical-type-widened', 'non-breaking'],
  ['decimal(10,2) trades fraction for integer digits', (d) => (prop(d, 'amount')['physicalType'] = 'decimal(12,0)'), 'physical-type-changed', 'breaking'],
  ['a physical type is dropped', (d) => delete prop(d, 'amount')['physicalType'], 'physical-type-removed', 'breaking'],
  ['a column becomes required', (d) => (prop(d, 'email')['required'] = true), 'property-now-required', 'breaking'],
  ['a column becomes optional', (d) => (prop(d, 'customer_id')['required'] = false), 'property-now-optional', 'breaking'],
  ['a column becomes unique', (d) => (prop(d, 'email')['unique'] = true), 'unique-added', 'breaking'],
  ['a column is no longer unique', (d) => delete prop(d, 'order_id')['unique'], 'unique-removed', 'breaking'],
  ['a column joins the primary key', (d) => (prop(d, 'customer_id')['primaryKey'] = true), 'primary-key-changed', 'breaking'],
  ['maxLength shrinks', (d) => (prop(d, 'email')['logicalTypeOptions'] = { maxLength: 100, pattern: '^.+@.+$' }), 'constraint-tightened', 'breaking'],
  ['maxLength grows', (d) => (prop(d, 'email')['logicalTypeOptions'] = { maxLength: 500, pattern: '^.+@.+$' }), 'constraint-loosened', 'non-breaking'],
  ['minimum rises', (d) => (prop(d, 'amount')['logicalTypeOptions'] = { minimum: 1, maximum: 1000 }), 'constraint-tightened', 'breaking'],
  ['minimum falls', (d) => (prop(d, 'amount')['logicalTypeOptions'] = { minimum: -10, maximum: 1000 }), 'constraint-loosened', 'non-breaking'],
  ['a maximum is removed', (d) => (prop(d, 'amount')['logicalTypeOptions'] = { minimum: 0 }), 'constraint-loosened', 'non-breaking'],
  ['an exclusive bound is turned on', (d) => (prop(d, 'amount')['logicalTypeOptions'] = { minimum: 0, maximum: 1000, exclusiveMaximum: true }), 'constraint-tightened', 'breaking'],
  ['a date maximum moves earlier', (d) => (prop(d, 'ordered_on')['logicalTypeOptions'] = { maximum: '2029-12-31' }), 'constraint-tightened', 'breaking'],
  ['a date maximum moves later', (d) => (prop(d, 'ordered_on')['logicalTypeOptions'] = { maximum: '2031-12-31' }), 'constraint-loosened', 'non-breaking'],
  ['the pattern changes', (d) => (prop(d, 'email')['logicalTypeOptions'] = { maxLength: 255, pattern: '^[a-z]+@.+$' }), 'constraint-tightened', 'breaking'],
  ['the pattern is removed', (d) => (prop(d, 'email')['logicalTypeOptions'] = { maxLength: 255 }), 'constraint-loosened', 'non-breaking'],
  ['a format is added', (d) => (prop(d, 'email')['logicalTypeOptions'] = { maxLength: 255, pattern: '^.+@.+$', format: 'email' }), 'constraint-tightened', 'breaking'],
  ['an array item maxLength shrinks', (d) => (prop(d, 'lines')['items'] = { logicalType: 'string', logicalTypeOptions: { maxLength: 10 } }), 'constraint-tightened', 'breaking'],
  ['an array item type changes', (d) => (prop(d, 'lines')['items'] = { logicalType: 'integer', logicalTypeOptions: { maxLength: 20 } }), 'logical-type-changed', 'breaking'],
  ['a quality rule is added', (d) => (prop(d, 'email')['quality'] = [{ metric: 'nullValues', mustBe: 0 }]), 'quality-rule-added', 'breaking'],
  ['a warning-only quality rule is added', (d) => (prop(d, 'email')['quality'] = [{ metric: 'nullValues', mustBe: 0, severity: 'warning' }]), 'quality-rule-added', 'non-breaking'],
  ['a quality threshold tightens', (d) => (prop(d, 'amount')['quality'] = [{ metric: 'nullValues', mustBeLessThan: 5 }]), 'quality-rule-tightened', 'breaking'],
  ['a quality threshold loosens', (d) => (prop(d, 'amount')['quality'] = [{ metric: 'nullValues', mustBeLessOrEqualTo: 20 }]), 'quality-rule-loosened', 'non-breaking'],
  ['a quality range shifts', (d) => (prop(d, 'amount')['quality'] = [{ metric: 'nullValues', mustBeBetween: [5, 15] }]), 'quality-rule-changed', 'breaking'],
  ['valid values narrow', (d) => (prop(d, 'status')['quality'] = [{ metric: 'invalidValues', arguments: { validValues: ['open', 'paid'] }, mustBe: 0 }]), 'quality-rule-tightened', 'breaking'],
  ['valid values widen', (d) => (prop(d, 'status')['quality'] = [{ metric: 'invalidValues', arguments: { validValues: ['open', 'paid', 'shipped', 'returned'] }, mustBe: 0 }]), 'quality-rule-loosened', 'non-breaking'],
  ['a rule becomes a warning', (d) => (prop(d, 'amount')['quality'] = [{ metric: 'nullValues', mustBeLessThan: 10, severity: 'warning' }]), 'quality-rule-loosened', 'non-breaking'],
  ['a table rule is removed', (d) => (orders(d)['quality'] = []), 'quality-rule-removed', 'non-breaking'],
  ['a rule description changes', (d) => (orders(d)['quality'] = [{ metric: 'rowCount', mustBeGreaterThan: 100, description: 'volume' }]), 'quality-rule-documentation-changed', 'informational'],
  ['freshness tightens from 1d to 12h', (d) => Object.assign(sla(d, 'freshness'), { value: 12, unit: 'h' }), 'sla-tightened', 'breaking'],
  ['freshness loosens from 1d to 2d', (d) => Object.assign(sla(d, 'freshness'), { value: 2, unit: 'd' }), 'sla-loosened', 'non-breaking'],
  ['freshness is rewritten from 1d to 24h', (d) => Object.assign(sla(d, 'freshness'), { value: 24, unit: 'h' }), 'sla-rewritten', 'informational'],
  ['retention grows', (d) => Object.assign(sla(d, 'retention'), { value: 5 }), 'sla-tightened', 'breaking'],
  ['retention shrinks to 12 months', (d) => Object.assign(sla(d, 'retention'), { value: 12, unit: 'month' }), 'sla-loosened', 'non-breaking'],
  ['end of support moves earlier', (d) => Object.assign(sla(d, 'endOfSupport'), { value: '2028-01-01' }), 'sla-end-moved-earlier', 'breaking'],
  ['end of support moves later', (d) => Object.assign(sla(d, 'endOfSupport'), { value: '2031-01-01' }), 'sla-end-moved-later', 'non-breaking'],
  ['an SLA is added', (d) => (d['slaProperties'] as unknown[]).push({ property: 'latency', value: 4, unit: 'h' }), 'sla-added', 'breaking'],
  ['an SLA is removed', (d) => (d['slaProperties'] as unknown[]).splice(1, 1), 'sla-removed', 'non-breaking'],
  ['a server is removed', (d) => (d['servers'] = []), 'server-removed', 'breaking'],
  ['a server is added', (d) => (d['servers'] as unknown[]).push({ server: 'dev', type: 'duckdb', database: 'x.duckdb' }), 'server-added', 'non-breaking'],
  ['a server moves host', (d) => Object.assign((d['servers'] as Json[])[0] as Json, { host: 'db2' }), 'server-changed', 'breaking'],
  ['a server gets a description', (d) => Object.assign((d['servers'] as Json[])[0] as Json, { description: 'main' }), 'server-documentation-changed', 'informational'],
  ['the description changes', (d) => (d['description'] = { purpose: 'Orders for finance' }), 'description-changed', 'informational'],
  ['a tag is added', (d) => (d['tags'] = ['orders', 'sales']), 'tags-changed', 'informational'],
  ['a support channel is added', (d) => (d['support'] as unknown[]).push({ channel: 'orders@x.org', tool: 'email' }), 'support-added', 'informational'],
  ['a team member joins', (d) => (d['team'] as { members: unknown[] }).members.push({ username: 'bo' }), 'team-member-added', 'informational'],
  ['the contract is deprecated', (d) => (d['status'] = 'deprecated'), 'status-deprecated', 'informational'],
  ['the contract is retired', (d) => (d['status'] = 'retired'), 'status-retired', 'informational'],
  ['the domain changes', (d) => (d['domain'] = 'finance'), 'domain-changed', 'informational'],
  ['a column description changes', (d) => (prop(d, 'email')['description'] = 'Contact email'), 'description-changed', 'informational'],
  ['an unknown column field changes', (d) => (prop(d, 'email')['x-owner'] = 'crm'), 'property-metadata-changed', 'informational'],
  ['an unknown table field changes', (d) => (orders(d)['x-owner'] = 'crm'), 'object-metadata-changed', 'informational'],
  ['an unknown top-level field changes', (d) => (d['x-owner'] = 'crm'), 'metadata-changed', 'informational'],
  ['a column is reclassified', (d) => (prop(d, 'email')['classification'] = 'restricted'), 'classification-changed', 'informational'],
];

describe('diffContracts, one mutation per case', () => {
  it('finds no change in the unmutated fixture', () => {
    expect(diffContracts(base(), base())).toMatchObject({ changes: [], breaking: false, suggestedVersion: '1.0.0' });
  });

  it.each(cases)('%s', (_name, mutation, change, severity) => {
    const result = changesAfter(mutation);
    // Each mutation is one change: nothing else may be reported alongside it.
    expect(result.changes.map((c) => [c.change, c.severity])).toEqual([[change, severity]]);
    expect(result.suggestedVersion).toBe(severity === 'breaking' ? '2.0.0' : severity === 'non-breaking' ? '1.1.0' : '1.0.1');
    expect(result.breaking).toBe(severity === 'breaking');
  });

  it('detects a column rename without ids from an identical definition', () => {
    const before = base();
    for (const p of props(before)) delete p['id'];
    const after = structuredClone(before);
    prop(after, 'customer_id')['name'] = 'client_id';
    expect(diffContracts(before, after).changes).toEqual([
      {
        path: '/schema/0/properties/1/name',
        change: 'property-renamed',
        severity: 'breaking',
        message: 'Column `orders.customer_id` was renamed to `client_id` (same definition under a new name)',
      },
    ]);
  });

  it('detects a table rename without ids from an identical definition', () => {
    const before = base();
    delete orders(before)['id'];
    const after = structuredClone(before);
    orders(after)['name'] = 'sales_orders';
    expect(diffContracts(before, after).changes.map((c) => c.change)).toEqual(['object-renamed']);
  });

  it('points a removed column into the old document and a narrowed one into the new', () => {
    expect(changesAfter((d) => props(d).splice(1, 1)).changes[0]).toEqual({
      path: '/schema/0/properties/1',
      change: 'property-removed',
      severity: 'breaking',
      message: 'Column `orders.customer_id` was removed',
    });
    const narrowed = changesAfter((d) => (prop(d, 'amount')['logicalType'] = 'integer')).changes[0];
    expect(narrowed?.path).toBe('/schema/0/properties/2/logicalType');
    expect(narrowed?.message).toMatch(/^`orders.amount` changed type from number to integer \(narrowing/);
  });

  it('matches properties by id when the list is reordered (no change)', () => {
    expect(changesAfter((d) => props(d).reverse()).changes).toEqual([]);
  });

  it('names set and removed top-level values plainly', () => {
    const result = changesAfter((d) => {
      d['tenant'] = 'acme';
      delete d['domain'];
    });
    expect(result.changes.map((c) => c.message)).toEqual(['Domain removed (was `sales`)', 'Tenant set to `acme`']);
  });

  it('quotes the new limitations when they change', () => {
    const result = changesAfter((d) => (d['description'] = { purpose: 'Orders for analytics', limitations: 'EU only' }));
    expect(result.changes[0]?.message).toBe('Description updated (limitations); limitations now read: "EU only"');
  });

  it('reads anything that is not an object as an empty contract instead of throwing', () => {
    expect(() => diffContracts('text', [1, 2])).not.toThrow();
    expect(diffContracts(null, base()).breaking).toBe(true);
  });
});
