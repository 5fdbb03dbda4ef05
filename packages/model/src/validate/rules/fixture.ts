/** A small valid ODCS v3.1.0 contract that rule tests mutate, one breakage per test. */
export function validContract(): Record<string, unknown> {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'orders-contract',
    version: '1.0.0',
    status: 'active',
    servers: [
      { server: 'prod', type: 'postgres', host: 'db', port: 5432, database: 'shop', schema: 'public' },
    ],
    schema: [
      {
        id: 'orders_obj',
        name: 'orders',
        properties: [
          { id: 'order_id', name: 'order_id', logicalType: 'string' },
          {
            id: 'customer_id',
            name: 'customer_id',
            logicalType: 'string',
            relationships: [{ to: 'customers.id' }],
            quality: [{ id: 'q1', type: 'sql', query: 'SELECT count(*) FROM {object} WHERE {property} IS NULL', mustBe: 0 }],
          },
        ],
        relationships: [{ from: 'orders.customer_id', to: 'schema/customers_obj/properties/customers_id' }],
        quality: [{ id: 'q2', type: 'library', metric: 'rowCount', mustBeBetween: [1, 100] }],
      },
      { id: 'customers_obj', name: 'customers', properties: [{ id: 'customers_id', name: 'id', logicalType: 'string' }] },
    ],
    slaProperties: [
      { property: 'latency', value: 4, unit: 'd' },
      { property: 'generalAvailability', value: '2024-01-01' },
    ],
  };
}

/** Sets the value at a path inside a fresh copy (test helper). */
export function mutate(path: (string | number)[], value: unknown): Record<string, unknown> {
  const contract = validContract();
  let node: Record<string | number, unknown> = contract;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
  return contract;
}
