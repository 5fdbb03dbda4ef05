import { describe, expect, it } from 'vitest';
import { odcsElements, records } from './odcsWalk';

describe('odcsElements', () => {
  it('visits objects, nested properties and array items, with their paths and owning object', () => {
    const contract = {
      schema: [
        {
          name: 'orders',
          properties: [
            { name: 'address', properties: [{ name: 'street' }] },
            { name: 'lines', items: { properties: [{ name: 'sku' }] } },
          ],
        },
        'not a mapping',
      ],
    };
    const elements = odcsElements(contract);
    expect(elements.map((e) => `${e.level} ${e.path.join('/')} ${String(e.element.name)} in ${String(e.object.name)}`)).toEqual([
      'object schema/0 orders in orders',
      'property schema/0/properties/0 address in orders',
      'property schema/0/properties/0/properties/0 street in orders',
      'property schema/0/properties/1 lines in orders',
      'property schema/0/properties/1/items/properties/0 sku in orders',
    ]);
  });
  it('finds nothing without a schema list', () => {
    expect(odcsElements({ schema: 'x' })).toEqual([]);
  });
});

describe('records', () => {
  it('keeps mappings with their original index', () => {
    expect(records([1, { a: 1 }, null, [], { b: 2 }])).toEqual([
      { item: { a: 1 }, index: 1 },
      { item: { b: 2 }, index: 4 },
    ]);
  });
});
