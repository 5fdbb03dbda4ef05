/**
 * A deterministic synthetic mesh for the server benchmarks: product n always has the same name, tags,
 * team and columns. Products are built as demo-catalog specs so their ODCS contract and ODPS product
 * documents come from the same code as the demo mesh (`demoContract`, `demoProductDocument`), i.e.
 * documents the server validates and publishes like any other.
 */
import { demoContract, demoProductDocument, type DemoColumn, type DemoProduct } from '../packages/server/src/services/demoCatalog';

const qualifiers = ['daily', 'monthly', 'regional', 'global', 'raw', 'curated', 'weekly', 'quarterly', 'active', 'historic', 'partner', 'internal', 'retail', 'wholesale', 'online', 'store'];
const subjects = [
  'customer', 'order', 'invoice', 'shipment', 'payment', 'article', 'supplier', 'warehouse', 'carrier', 'campaign', 'lead', 'contract', 'ledger', 'refund', 'return',
  'subscription', 'employee', 'device', 'sensor', 'session', 'visit', 'claim', 'policy', 'account', 'branch', 'store', 'basket', 'coupon', 'voucher', 'review',
  'ticket', 'incident', 'asset', 'route', 'delivery', 'parcel', 'pallet', 'container', 'vessel', 'flight', 'booking', 'reservation', 'forecast', 'budget', 'margin',
  'revenue', 'cost', 'price', 'discount', 'tax', 'currency', 'exchange', 'transfer', 'loan', 'deposit', 'card', 'merchant', 'terminal', 'region', 'country',
];
const aspects = ['events', 'snapshot', 'facts', 'summary', 'history', 'master', 'metrics', 'status', 'lines', 'details'];
const columnStems = [
  'id', 'key', 'code', 'name', 'status', 'amount', 'quantity', 'created_on', 'updated_on', 'valid_from', 'valid_to', 'country', 'currency', 'channel', 'segment',
  'score', 'rank', 'weight', 'volume', 'email', 'phone', 'city', 'postal_code', 'category', 'brand', 'colour', 'size', 'rating', 'count', 'ratio',
];
const domains = ['sales', 'logistics', 'finance'] as const;
const teams: Record<(typeof domains)[number], readonly string[]> = {
  sales: ['Sales Analytics', 'Order Platform'],
  logistics: ['Fulfilment'],
  finance: ['Controlling'],
};
const statuses = ['active', 'active', 'active', 'draft', 'deprecated', 'proposed'] as const;

/** Product n of the synthetic mesh with `columns` columns (the contract's properties). */
export function syntheticProduct(n: number, columns: number): DemoProduct {
  const domain = domains[n % domains.length] ?? 'sales';
  const domainTeams = teams[domain];
  const subject = subjects[(n * 7) % subjects.length] ?? 'order';
  const other = subjects[(n * 13 + 5) % subjects.length] ?? 'customer';
  const name = `${qualifiers[n % qualifiers.length] ?? ''} ${subject} ${aspects[(n >> 4) % aspects.length] ?? ''} ${n}`;
  const slug = `syn-${n}-${subject}`;
  const columnList: DemoColumn[] = Array.from({ length: columns }, (_, c) => {
    const stem = columnStems[(n + c * 11) % columnStems.length] ?? 'id';
    const owner = c % 2 === 0 ? subject : other;
    return { name: `${owner}_${stem}_${c}`, logicalType: c % 3 === 0 ? 'integer' : 'string', description: `The ${stem.replaceAll('_', ' ')} of the ${owner}.`, generate: { kind: 'int', min: 0, max: 9 } } as DemoColumn;
  });
  return {
    domain,
    team: domainTeams[n % domainTeams.length] ?? 'Sales Analytics',
    slug,
    name,
    description: `${qualifiers[(n >> 2) % qualifiers.length] ?? ''} ${subject} data joined with ${other} reference data (synthetic product ${n}).`,
    tags: [subject, other, qualifiers[(n >> 3) % qualifiers.length] ?? 'raw'],
    status: statuses[n % statuses.length] ?? 'active',
    rows: 100,
    columns: columnList,
  } as DemoProduct;
}

/** The ODCS contract and ODPS product documents of synthetic product n. */
export function syntheticDocuments(n: number, columns: number, dataDir = '/nonexistent/meshboard-bench'): { contract: Record<string, unknown>; product: Record<string, unknown> } {
  const spec = syntheticProduct(n, columns);
  return { contract: demoContract(spec, dataDir), product: demoProductDocument(spec) };
}

/** Search terms a catalog user types: subjects, a subject + aspect, column names, and typos. */
export function searchTerms(): string[] {
  const terms: string[] = [];
  for (let i = 0; i < subjects.length; i += 6) {
    const subject = subjects[i] ?? 'order';
    terms.push(subject, `${subject} ${aspects[i % aspects.length] ?? ''}`, `${subject}_${columnStems[i % columnStems.length] ?? 'id'}`);
    // One slipped letter, as typed in a hurry.
    terms.push(subject.length > 5 ? subject.slice(0, 2) + subject.slice(3) : `${subject}s`);
  }
  return terms;
}
