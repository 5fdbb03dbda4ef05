import { describe, expect, it } from 'vitest';
import { inputPortsOf, linksOf, ownerRelation, ownershipRole, propertyMatches, schemaOf, slaTargetsOf, teamOf } from './documentFields';

const contract = {
  schema: [
    {
      name: 'customers',
      physicalName: 'crm.customers',
      properties: [
        { name: 'customer_id', logicalType: 'string', physicalType: 'varchar(12)', required: true, unique: true, primaryKey: true },
        { name: 'email', logicalType: 'string', classification: 'PII', description: 'Contact address' },
        { name: 'address', logicalType: 'object', properties: [{ name: 'city', logicalType: 'string' }] },
        { name: 'segment_id', relationships: [{ type: 'foreignKey', to: 'segments.id' }] },
      ],
    },
  ],
  slaProperties: [{ property: 'freshness', value: 60, unit: 'd', element: 'customers.signed_up_on' }, { unit: 'd' }],
};

describe('documentFields', () => {
  it('flattens schema properties with nested paths, keys, PII and relationships', () => {
    const [object] = schemaOf(contract);
    expect(object?.physicalName).toBe('crm.customers');
    expect(object?.properties.map((property) => property.path)).toEqual(['customer_id', 'email', 'address', 'address.city', 'segment_id']);
    expect(object?.properties[0]).toMatchObject({ required: true, unique: true, primaryKey: true, physicalType: 'varchar(12)', pii: false });
    expect(object?.properties[1]).toMatchObject({ pii: true, classification: 'PII' });
    expect(object?.properties[4]?.relationships).toEqual(['foreignKey → segments.id']);
  });

  it('filters properties by name, type, classification or description', () => {
    const properties = schemaOf(contract)[0]?.properties ?? [];
    expect(properties.filter((property) => propertyMatches(property, 'pii')).map((property) => property.path)).toEqual(['email']);
    expect(properties.filter((property) => propertyMatches(property, 'CITY')).map((property) => property.path)).toEqual(['address.city']);
    expect(properties.filter((property) => propertyMatches(property, ' ')).length).toBe(5);
  });

  it('reads SLA targets, skipping entries without a property', () => {
    expect(slaTargetsOf(contract)).toEqual([{ property: 'freshness', value: '60', unit: 'd', element: 'customers.signed_up_on', driver: undefined }]);
  });

  it('tells whether the product owner and the data owner are one person, two, or differ', () => {
    const a = { key: 'a', label: 'A' };
    const b = { key: 'b', label: 'B' };
    expect(ownerRelation([a], [a])).toBe('same-person');
    expect(ownerRelation([a], [b])).toBe('two-people');
    expect(ownerRelation([a, b], [b])).toBe('differ');
    expect(ownerRelation([], [b])).toBe('not-declared');
  });

  it('maps free-text team roles to ownership roles', () => {
    expect(ownershipRole('Data Product Owner')).toBe('data_product_owner');
    expect(ownershipRole('data_owner')).toBe('data_owner');
    expect(ownershipRole('Source system owner')).toBe('data_owner');
    expect(ownershipRole('producer')).toBe('producer');
    expect(ownershipRole('analyst')).toBeUndefined();
  });

  it('reads input ports, team members and only safe links', () => {
    expect(inputPortsOf({ inputPorts: [{ name: 'orders', version: '1', contractId: 'c1' }, { name: 'broken' }] })).toEqual([{ name: 'orders', version: '1', contractId: 'c1' }]);
    expect(teamOf({ team: { name: 'T', members: [{ username: 'u', role: 'owner' }] } })).toEqual({ name: 'T', members: [{ username: 'u', name: undefined, role: 'owner' }] });
    const links = linksOf({ support: [{ channel: 'help', url: 'javascript:alert(1)' }, { channel: 'mail', tool: 'email', url: 'mailto:x@y.z' }], authoritativeDefinitions: [{ type: 'businessDefinition', url: 'https://example.com/doc' }] });
    expect(links.map((link) => [link.kind, link.label, link.url])).toEqual([
      ['documentation', 'businessDefinition', 'https://example.com/doc'],
      ['support', 'help', undefined],
      ['support', 'mail · email', 'mailto:x@y.z'],
    ]);
  });
});
