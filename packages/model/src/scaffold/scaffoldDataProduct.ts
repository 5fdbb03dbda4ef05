/** What a new data product is called and who owns it; everything else has a sensible default. */
export interface ScaffoldOptions {
  /** Human name of the product, e.g. "Customer Orders". Its slug (`customer-orders`) names files and ports. */
  name: string;
  /** Business domain that owns the product, e.g. "sales". */
  domain: string;
  /** Username or email of the data product owner; becomes the team's `owner` member. */
  owner?: string;
  /** First version of both documents. Default `0.1.0` (a draft). */
  version?: string;
  /** Product id; default `<domain>.<slug>` (pass a UUID for mesh-wide uniqueness). */
  productId?: string;
  /** Contract id referenced by the output port; default `<domain>.<slug>.contract`. */
  contractId?: string;
  /** One sentence on why the product exists; a placeholder prompt when absent. */
  purpose?: string;
}

/** A new product and the contract its output port is bound to, as plain values ready for `toYaml`. */
export interface ScaffoldedProduct {
  /** File-name-safe form of the name, e.g. `customer-orders`. */
  slug: string;
  /** ODPS v1.0.0 data product. */
  product: Record<string, unknown>;
  /** ODCS v3.1.0 data contract. */
  contract: Record<string, unknown>;
}

/** Thrown when a name or domain has nothing a file or id can be made of. */
export class ScaffoldInputError extends Error {
  override name = 'ScaffoldInputError';
}

/** Lower-case words joined by `-`: `Customer Orders (EU)` → `customer-orders-eu`. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Scaffolds a valid ODPS v1.0.0 product and ODCS v3.1.0 contract for a new data product: status `draft`,
 * one output port bound (by `contractId`) to the contract, and a contract with one table, a key column,
 * a row-count rule and a freshness SLA to edit. Both validate against the official schemas. Throws
 * `ScaffoldInputError` when the name or domain is empty once reduced to letters and digits.
 */
export function scaffoldDataProduct(options: ScaffoldOptions): ScaffoldedProduct {
  const slug = slugify(options.name);
  const domainSlug = slugify(options.domain);
  if (slug === '') throw new ScaffoldInputError(`the name "${options.name}" has no letters or digits to name files and ports with`);
  if (domainSlug === '') throw new ScaffoldInputError(`the domain "${options.domain}" has no letters or digits`);
  const version = options.version ?? '0.1.0';
  const productId = options.productId ?? `${domainSlug}.${slug}`;
  const contractId = options.contractId ?? `${domainSlug}.${slug}.contract`;
  const table = slug.replace(/-/g, '_');
  const purpose = options.purpose ?? `TODO: why ${options.name} exists and which decisions it supports.`;
  const team =
    options.owner === undefined
      ? undefined
      : { name: `${domainSlug}-${slug}`, members: [{ username: options.owner, role: 'owner' }] };

  const product: Record<string, unknown> = {
    apiVersion: 'v1.0.0',
    kind: 'DataProduct',
    id: productId,
    name: options.name,
    version,
    status: 'draft',
    domain: options.domain,
    description: {
      purpose,
      usage: 'TODO: how consumers should use it.',
      limitations: 'TODO: what it must not be used for.',
    },
    outputPorts: [
      {
        name: slug,
        description: `${options.name} as tables`,
        type: 'tables',
        version,
        contractId,
      },
    ],
    ...(team === undefined ? {} : { team }),
  };

  const contract: Record<string, unknown> = {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: contractId,
    name: options.name,
    version,
    status: 'draft',
    domain: options.domain,
    dataProduct: options.name,
    description: { purpose, usage: 'TODO: how consumers should use it.' },
    schema: [
      {
        name: table,
        physicalName: table,
        physicalType: 'table',
        description: `TODO: what one row of ${table} is.`,
        properties: [
          {
            name: 'id',
            logicalType: 'string',
            description: 'TODO: the identifier of one row.',
            required: true,
            unique: true,
            primaryKey: true,
            primaryKeyPosition: 1,
          },
          {
            name: 'updated_at',
            logicalType: 'timestamp',
            description: 'When the row last changed.',
            required: true,
          },
        ],
        quality: [{ metric: 'rowCount', mustBeGreaterThan: 0, description: 'The table is never empty.' }],
      },
    ],
    slaProperties: [{ property: 'freshness', value: 1, unit: 'd', element: `${table}.updated_at` }],
    ...(team === undefined ? {} : { team }),
  };
  return { slug, product, contract };
}
