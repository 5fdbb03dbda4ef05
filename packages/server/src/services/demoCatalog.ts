import { fileURLToPath } from 'node:url';
import type { LifecycleStatus } from '../store/Database';

/** How a demo column's values are made (deterministically, from the row index and a seeded generator). */
type Generator =
  | { kind: 'id'; prefix: string }
  | { kind: 'ref'; prefix: string; max: number }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'decimal'; min: number; max: number }
  | { kind: 'date'; from: string; days: number }
  | { kind: 'pick'; values: readonly string[] }
  | { kind: 'email' };

/** A column of a demo table: its ODCS logical type, how values are made, and how often it is empty. */
export interface DemoColumn {
  name: string;
  logicalType: 'string' | 'integer' | 'number' | 'date';
  description: string;
  generate: Generator;
  /** Share of rows left empty (a deliberate quality problem the checks then measure). */
  nullRate?: number;
  required?: boolean;
  unique?: boolean;
}

/** One demo data product with its contract and data file. */
export interface DemoProduct {
  domain: 'sales' | 'logistics' | 'finance';
  team: string;
  slug: string;
  name: string;
  description: string;
  tags: readonly string[];
  status: LifecycleStatus;
  rows: number;
  columns: readonly DemoColumn[];
}

const id = (name: string, prefix: string, description: string): DemoColumn => ({ name, logicalType: 'string', description, generate: { kind: 'id', prefix }, required: true, unique: true });
const ref = (name: string, prefix: string, max: number, description: string, nullRate?: number): DemoColumn => ({ name, logicalType: 'string', description, generate: { kind: 'ref', prefix, max }, ...(nullRate === undefined ? { required: true } : { nullRate }) });
const int = (name: string, min: number, max: number, description: string): DemoColumn => ({ name, logicalType: 'integer', description, generate: { kind: 'int', min, max } });
const amount = (name: string, min: number, max: number, description: string, nullRate?: number): DemoColumn => ({ name, logicalType: 'number', description, generate: { kind: 'decimal', min, max }, ...(nullRate === undefined ? {} : { nullRate }) });
const date = (name: string, description: string): DemoColumn => ({ name, logicalType: 'date', description, generate: { kind: 'date', from: '2026-01-01', days: 300 }, required: true });
const pick = (name: string, values: readonly string[], description: string, nullRate?: number): DemoColumn => ({ name, logicalType: 'string', description, generate: { kind: 'pick', values }, ...(nullRate === undefined ? {} : { nullRate }) });

const countries = ['DE', 'FR', 'NL', 'ES', 'IT', 'PL', 'SE'] as const;
const currencies = ['EUR', 'USD', 'GBP', 'CHF'] as const;

/**
 * The demo mesh's ~20 data products: three domains, four teams, each product with one output port, an
 * ODCS contract and a small CSV in `packages/server/demo/data/` (written by `writeDemoData`, checked by a
 * test to match). Some columns have deliberate gaps so check runs show failing, measured values.
 */
export const demoProducts: readonly DemoProduct[] = [
  { domain: 'sales', team: 'Sales Analytics', slug: 'customers', name: 'Customers', description: 'Every customer with contact data and home country.', tags: ['customer', 'pii', 'gold'], status: 'active', rows: 200, columns: [id('customer_id', 'C', 'Customer key'), { name: 'email', logicalType: 'string', description: 'Contact address', generate: { kind: 'email' }, nullRate: 0.03 }, pick('country', countries, 'ISO 3166 country code'), date('signed_up_on', 'First order or registration date')] },
  { domain: 'sales', team: 'Order Platform', slug: 'orders', name: 'Orders', description: 'Customer orders as placed in the shop.', tags: ['orders', 'gold'], status: 'active', rows: 400, columns: [id('order_id', 'O', 'Order key'), ref('customer_id', 'C', 200, 'Ordering customer'), date('ordered_on', 'Order date'), amount('total_amount', 5, 900, 'Order total incl. VAT'), pick('currency', currencies, 'ISO 4217 currency')] },
  { domain: 'sales', team: 'Order Platform', slug: 'order-lines', name: 'Order Lines', description: 'One row per ordered article.', tags: ['orders'], status: 'active', rows: 600, columns: [id('order_line_id', 'OL', 'Line key'), ref('order_id', 'O', 400, 'Order'), ref('article_id', 'A', 80, 'Article'), int('quantity', 1, 12, 'Units ordered'), amount('unit_price', 1, 250, 'Price per unit')] },
  { domain: 'sales', team: 'Sales Analytics', slug: 'customer-segments', name: 'Customer Segments', description: 'Marketing segment of each customer.', tags: ['customer', 'marketing'], status: 'active', rows: 200, columns: [ref('customer_id', 'C', 200, 'Customer'), pick('segment', ['new', 'loyal', 'at-risk', 'lost'], 'Segment'), amount('lifetime_value', 0, 5000, 'Predicted lifetime value', 0.05)] },
  { domain: 'sales', team: 'Sales Analytics', slug: 'leads', name: 'Leads', description: 'Inbound leads from web forms and fairs.', tags: ['marketing', 'pii'], status: 'draft', rows: 120, columns: [id('lead_id', 'L', 'Lead key'), { name: 'email', logicalType: 'string', description: 'Contact address', generate: { kind: 'email' }, required: true }, pick('source', ['web', 'fair', 'partner'], 'Where the lead came from'), date('created_on', 'Capture date')] },
  { domain: 'sales', team: 'Sales Analytics', slug: 'campaign-performance', name: 'Campaign Performance', description: 'Daily reach and conversions per campaign.', tags: ['marketing'], status: 'active', rows: 150, columns: [id('campaign_day_id', 'CD', 'Campaign day key'), pick('campaign', ['spring-sale', 'summer-drop', 'black-friday', 'newsletter'], 'Campaign'), date('day', 'Day'), int('impressions', 100, 50000, 'Impressions'), int('conversions', 0, 400, 'Conversions')] },
  { domain: 'sales', team: 'Order Platform', slug: 'returns', name: 'Returns', description: 'Returned order lines with reason.', tags: ['orders', 'quality'], status: 'active', rows: 90, columns: [id('return_id', 'R', 'Return key'), ref('order_line_id', 'OL', 600, 'Returned line'), pick('reason', ['damaged', 'wrong-size', 'not-as-described', 'late'], 'Return reason', 0.08), date('returned_on', 'Return date')] },
  { domain: 'sales', team: 'Order Platform', slug: 'articles', name: 'Article Catalog', description: 'Articles sold in the shop with list prices.', tags: ['catalog', 'gold'], status: 'active', rows: 80, columns: [id('article_id', 'A', 'Article key'), pick('category', ['shoes', 'shirts', 'bags', 'accessories'], 'Category'), amount('list_price', 3, 300, 'List price')] },
  { domain: 'sales', team: 'Sales Analytics', slug: 'sales-targets', name: 'Sales Targets', description: 'Monthly revenue targets per country.', tags: ['planning'], status: 'deprecated', rows: 84, columns: [id('target_id', 'T', 'Target key'), pick('country', countries, 'Country'), int('month', 1, 12, 'Month'), amount('target_amount', 10000, 250000, 'Target revenue')] },
  { domain: 'logistics', team: 'Fulfilment', slug: 'shipments', name: 'Shipments', description: 'Parcels handed to carriers.', tags: ['shipping', 'gold'], status: 'active', rows: 380, columns: [id('shipment_id', 'S', 'Shipment key'), ref('order_id', 'O', 400, 'Shipped order'), ref('carrier_id', 'CA', 6, 'Carrier'), date('shipped_on', 'Hand-over date'), int('weight_grams', 100, 30000, 'Parcel weight')] },
  { domain: 'logistics', team: 'Fulfilment', slug: 'parcel-events', name: 'Parcel Events', description: 'Tracking events of shipments.', tags: ['shipping', 'events'], status: 'active', rows: 900, columns: [id('event_id', 'E', 'Event key'), ref('shipment_id', 'S', 380, 'Shipment'), pick('event', ['picked-up', 'in-transit', 'out-for-delivery', 'delivered', 'failed'], 'Tracking event'), date('event_on', 'Event date')] },
  { domain: 'logistics', team: 'Fulfilment', slug: 'warehouses', name: 'Warehouses', description: 'Our warehouses and their capacity.', tags: ['sites'], status: 'active', rows: 8, columns: [id('warehouse_id', 'W', 'Warehouse key'), pick('country', countries, 'Country'), int('capacity_pallets', 500, 20000, 'Pallet capacity')] },
  { domain: 'logistics', team: 'Fulfilment', slug: 'carriers', name: 'Carriers', description: 'Parcel carriers under contract.', tags: ['shipping', 'partners'], status: 'active', rows: 6, columns: [id('carrier_id', 'CA', 'Carrier key'), pick('name', ['DHL', 'DPD', 'GLS', 'UPS', 'PostNL', 'Hermes'], 'Carrier name'), amount('rate_per_kg', 0.2, 3, 'Contracted rate per kg')] },
  { domain: 'logistics', team: 'Fulfilment', slug: 'stock-levels', name: 'Stock Levels', description: 'Daily stock per article and warehouse.', tags: ['inventory'], status: 'active', rows: 500, columns: [id('stock_id', 'SL', 'Stock row key'), ref('article_id', 'A', 80, 'Article'), ref('warehouse_id', 'W', 8, 'Warehouse'), date('day', 'Day'), int('units', 0, 900, 'Units on hand')] },
  { domain: 'logistics', team: 'Fulfilment', slug: 'delivery-times', name: 'Delivery Times', description: 'Days from order to delivery per shipment.', tags: ['shipping', 'kpi'], status: 'active', rows: 360, columns: [ref('shipment_id', 'S', 380, 'Shipment'), int('delivery_days', 1, 9, 'Days to deliver'), pick('on_time', ['yes', 'no'], 'Delivered within the promise', 0.04)] },
  { domain: 'finance', team: 'Controlling', slug: 'invoices', name: 'Invoices', description: 'Invoices issued to customers.', tags: ['billing', 'gold'], status: 'active', rows: 390, columns: [id('invoice_id', 'I', 'Invoice key'), ref('order_id', 'O', 400, 'Invoiced order'), date('issued_on', 'Issue date'), amount('amount', 5, 900, 'Invoice amount'), pick('currency', currencies, 'Currency')] },
  { domain: 'finance', team: 'Controlling', slug: 'payments', name: 'Payments', description: 'Payments received against invoices.', tags: ['billing'], status: 'active', rows: 350, columns: [id('payment_id', 'P', 'Payment key'), ref('invoice_id', 'I', 390, 'Paid invoice', 0.02), date('paid_on', 'Value date'), amount('amount', 5, 900, 'Amount paid'), pick('method', ['card', 'transfer', 'invoice', 'wallet'], 'Payment method')] },
  { domain: 'finance', team: 'Controlling', slug: 'revenue-daily', name: 'Daily Revenue', description: 'Booked revenue per day and country.', tags: ['kpi', 'gold'], status: 'active', rows: 300, columns: [date('day', 'Day'), pick('country', countries, 'Country'), amount('revenue', 1000, 90000, 'Net revenue in EUR')] },
  { domain: 'finance', team: 'Controlling', slug: 'ledger-entries', name: 'Ledger Entries', description: 'General ledger postings.', tags: ['accounting'], status: 'active', rows: 700, columns: [id('entry_id', 'GL', 'Posting key'), pick('account', ['1200', '4000', '4400', '6000', '6300'], 'Ledger account'), date('booked_on', 'Booking date'), amount('amount', -5000, 5000, 'Signed amount')] },
  { domain: 'finance', team: 'Controlling', slug: 'exchange-rates', name: 'Exchange Rates', description: 'Daily reference rates to EUR.', tags: ['reference-data'], status: 'active', rows: 120, columns: [date('day', 'Day'), pick('currency', currencies, 'Currency'), amount('rate_to_eur', 0.8, 1.3, 'Rate')] },
];

/**
 * Lineage of the demo mesh: which products read which (by slug). Each entry becomes an ODPS input port
 * naming the upstream product's output-port contract, so lineage graphs show real edges.
 */
export const demoInputs: Readonly<Record<string, readonly string[]>> = {
  'order-lines': ['orders', 'articles'],
  'customer-segments': ['customers', 'orders'],
  returns: ['order-lines'],
  shipments: ['orders', 'carriers'],
  'parcel-events': ['shipments'],
  'delivery-times': ['shipments', 'parcel-events'],
  'stock-levels': ['articles', 'warehouses'],
  invoices: ['orders'],
  payments: ['invoices'],
  'revenue-daily': ['orders', 'invoices', 'exchange-rates'],
  'ledger-entries': ['invoices', 'payments'],
};

/** Demo contracts with declared SLAs (freshness and retention of a date column), by slug → column. */
export const demoSla: Readonly<Record<string, string>> = { orders: 'ordered_on', invoices: 'issued_on', 'revenue-daily': 'day', shipments: 'shipped_on' };

/** Who the demo documents name as owners per domain (ODPS team members; finance: one person holds both roles). */
const demoMembers: Readonly<Record<DemoProduct['domain'], readonly { username: string; name: string; role: string }[]>> = {
  sales: [
    { username: 'owner@demo.meshboard.local', name: 'Olu Owner', role: 'data product owner' },
    { username: 'data-owner@demo.meshboard.local', name: 'Dana Data-Owner', role: 'data owner' },
    { username: 'producer@demo.meshboard.local', name: 'Pat Producer', role: 'producer' },
  ],
  finance: [
    { username: 'owner@demo.meshboard.local', name: 'Olu Owner', role: 'data product owner' },
    { username: 'owner@demo.meshboard.local', name: 'Olu Owner', role: 'data owner' },
  ],
  logistics: [],
};

const demoContractId = (product: Pick<DemoProduct, 'domain' | 'slug'>) => `${product.domain}.${product.slug}-contract`;

/** The folder of the demo data files, resolved from this module (independent of the working directory). */
export const demoDataDir = fileURLToPath(new URL('../../demo/data/', import.meta.url));

/** A small seeded generator (mulberry32): the same seed always gives the same data. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function value(column: DemoColumn, row: number, random: () => number): string {
  const g = column.generate;
  switch (g.kind) {
    case 'id':
      return `${g.prefix}${String(row + 1).padStart(5, '0')}`;
    case 'ref':
      return `${g.prefix}${String(1 + Math.floor(random() * g.max)).padStart(5, '0')}`;
    case 'int':
      return String(g.min + Math.floor(random() * (g.max - g.min + 1)));
    case 'decimal':
      return (g.min + random() * (g.max - g.min)).toFixed(2);
    case 'date': {
      const day = new Date(`${g.from}T00:00:00Z`);
      day.setUTCDate(day.getUTCDate() + Math.floor(random() * g.days));
      return day.toISOString().slice(0, 10);
    }
    case 'pick':
      return g.values[Math.floor(random() * g.values.length)] ?? '';
    case 'email':
      return `person${row + 1}@example.com`;
  }
}

/** The CSV text of a demo product's data file (header + rows), the same on every call. */
export function demoCsv(product: DemoProduct): string {
  const random = seeded([...product.slug].reduce((hash, char) => (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0, 7));
  const lines = [product.columns.map((column) => column.name).join(',')];
  for (let row = 0; row < product.rows; row += 1) {
    lines.push(
      product.columns
        .map((column) => {
          const text = value(column, row, random);
          return column.nullRate !== undefined && random() < column.nullRate ? '' : text;
        })
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The data file name of a demo product. */
export function demoFileName(product: DemoProduct): string {
  return `${product.domain}-${product.slug}.csv`;
}

/** The ODCS contract of a demo product; its server points at `dataDir` (absolute). */
export function demoContract(product: DemoProduct, dataDir: string): Record<string, unknown> {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: `${product.domain}.${product.slug}-contract`,
    name: product.name,
    version: '1.0.0',
    status: product.status,
    domain: product.domain,
    team: { name: product.team },
    tags: [...product.tags],
    description: { purpose: product.description, usage: 'Demo data generated by Meshboard; not real.' },
    servers: [{ server: 'demo', type: 'local', format: 'csv', path: `${dataDir.replace(/[\\/]+$/, '')}/${demoFileName(product)}`, description: 'CSV shipped with Meshboard' }],
    schema: [
      {
        name: product.slug.replaceAll('-', '_'),
        physicalName: product.slug.replaceAll('-', '_'),
        logicalType: 'object',
        description: product.description,
        properties: product.columns.map((column) => ({
          name: column.name,
          logicalType: column.logicalType,
          description: column.description,
          // E-mail addresses are personal data: classified, so check samples mask them and pages mark them.
          ...(column.generate.kind === 'email' ? { classification: 'PII' } : {}),
          ...(column.required === true ? { required: true } : {}),
          ...(column.unique === true ? { unique: true, primaryKey: true } : {}),
          ...(column.required === true || column.nullRate !== undefined ? { quality: [{ metric: 'nullValues', mustBe: 0, description: `${column.name} is always filled` }] } : {}),
        })),
        quality: [{ metric: 'rowCount', mustBeGreaterThan: Math.floor(product.rows / 2), description: 'The file is not truncated' }],
      },
    ],
    ...slaOf(product),
  };
}

function slaOf(product: DemoProduct): Record<string, unknown> {
  const column = demoSla[product.slug];
  if (column === undefined) return {};
  const element = `${product.slug.replaceAll('-', '_')}.${column}`;
  return {
    slaProperties: [
      { property: 'freshness', value: 60, unit: 'd', element },
      { property: 'retention', value: 2, unit: 'y', element },
    ],
  };
}

/** The ODPS product of a demo product, with one output port bound to its contract. */
export function demoProductDocument(product: DemoProduct): Record<string, unknown> {
  return {
    apiVersion: 'v1.0.0',
    kind: 'DataProduct',
    id: `${product.domain}.${product.slug}`,
    name: product.name,
    version: '1.0.0',
    status: product.status,
    domain: product.domain,
    team: { name: product.team },
    tags: [...product.tags],
    description: { purpose: product.description },
    outputPorts: [{ name: product.slug, version: '1.0.0', contractId: demoContractId(product), type: 'tables' }],
    ...inputPortsOf(product),
    support: [{ channel: `${product.domain}-data`, tool: 'email', scope: 'issues', url: `mailto:${product.domain}-data@demo.meshboard.local`, description: `Questions and issues about ${product.domain} data products` }],
  };
}

function inputPortsOf(product: DemoProduct): Record<string, unknown> {
  const inputs = demoInputs[product.slug] ?? [];
  const ports = inputs.flatMap((slug) => {
    const upstream = demoProducts.find((candidate) => candidate.slug === slug);
    return upstream === undefined ? [] : [{ name: slug, version: '1.0.0', contractId: demoContractId(upstream) }];
  });
  const members = demoMembers[product.domain];
  return { ...(ports.length === 0 ? {} : { inputPorts: ports }), ...(members.length === 0 ? {} : { team: { name: product.team, members: members.map((member) => ({ ...member })) } }) };
}
