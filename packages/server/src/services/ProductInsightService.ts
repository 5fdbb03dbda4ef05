import { sql, type Kysely } from 'kysely';
import { NotFoundError } from '../errors/errors';
import type { Database, JsonValue, LifecycleStatus, QualityState, SlaState } from '../store/Database';
import { decodeCursor, toPage, type Page } from '../store/pagination';
import { isObject } from './catalogDocuments';
import { isUuid, listLimit, type ListRequest } from './listRequest';
import { computeTrust, trustWindow, type TrustBadge, type TrustRun } from './trustBadge';

/** A node of a lineage graph: a catalog product, or a source (an input contract no catalog product offers). */
export interface LineageNode {
  /** The product's id, or `source:<contract document id>`. */
  id: string;
  kind: 'product' | 'source';
  name: string;
  /** The product's or the source contract's document id. */
  externalId: string;
  /** Our id of the source's contract when it is in the catalog (for a link); null otherwise. */
  contractId: string | null;
  domainId: string | null;
  status: LifecycleStatus | null;
  /** 0 for the product asked about, -n for n steps upstream, +n downstream. */
  level: number;
}

/** Data flows `from` → `to` through the contract `contractExternalId` (`to`'s input port `inputPort`). */
export interface LineageEdge {
  from: string;
  to: string;
  contractExternalId: string;
  inputPort: string;
}

/** The lineage around one product. */
export interface LineageView {
  rootId: string;
  depth: number;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** Whether nodes were left out because the graph reached {@link maxLineageNodes}. */
  truncated: boolean;
}

/** A product of a domain with its trust badge (the worst level among its output ports' contracts). */
export interface ProductHealthView {
  id: string;
  externalId: string;
  name: string;
  status: LifecycleStatus;
  productVersion: string;
  ownerTeamId: string | null;
  trust: TrustBadge;
  /** The latest check outcome of its worst output-port contract (the search state, docs/server.md "Search states"). */
  qualityState: QualityState;
  /** Its output-port contracts' SLA checks: all met, any breached, or unknown (the search state). */
  slaState: SlaState;
  /** Adoption: subscriptions in state `active`, and the distinct users holding them. */
  activeSubscriptions: number;
  consumers: number;
}

/** A domain at a glance: counts over all its products (not one page). */
export interface DomainHealthSummaryView {
  products: number;
  /** Products whose quality state is `passed`. */
  passingChecks: number;
  /** Products whose quality state is `failed` or `error`. */
  failingChecks: number;
  /** Products whose SLA state is `breached`. */
  breachingSla: number;
  /** Active subscriptions to the domain's products, and the distinct users holding them. */
  activeSubscriptions: number;
  consumers: number;
}

/** A product named by a contract's usage. */
export interface ProductRefView {
  id: string;
  externalId: string;
  name: string;
  domainId: string;
  status: LifecycleStatus;
}

/** Who offers and who reads a contract. */
export interface ContractUsageView {
  offeredBy: ProductRefView[];
  readBy: ProductRefView[];
}

/** Graphs stop growing at this many nodes (the page must stay readable and the queries bounded). */
export const maxLineageNodes = 200;

interface ProductLite {
  id: string;
  external_id: string;
  name: string;
  domain_id: string;
  status: LifecycleStatus;
  document: JsonValue;
}

const finished = ['passed', 'warning', 'failed', 'error'] as const;
const levelOrder: Record<TrustBadge['level'], number> = { low: 0, medium: 1, high: 2, unknown: 3 };

/** The input ports of an ODPS document: name and contract document id (ports without one are left out). */
function inputPorts(document: JsonValue): { name: string; contractId: string }[] {
  const ports = isObject(document) && Array.isArray(document['inputPorts']) ? document['inputPorts'] : [];
  return ports.flatMap((port) => (isObject(port) && typeof port['contractId'] === 'string' && port['contractId'] !== '' ? [{ name: typeof port['name'] === 'string' ? port['name'] : port['contractId'], contractId: port['contractId'] }] : []));
}

function count(summary: JsonValue, key: string): number {
  const value = isObject(summary) ? summary[key] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Read models of the product page: lineage computed from the ODPS documents (input ports naming the
 * contracts of other products' output ports) and trust badges computed from recent check runs. Reads only;
 * every signed-in user may read.
 */
export class ProductInsightService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The lineage graph around a product up to `depth` steps each way (1–5). Upstream: the products whose
   * output-port contracts the product's input ports name (a contract no product offers is a `source`).
   * Downstream: the products whose input ports name one of this product's output-port contracts.
   */
  async lineage(ref: string, depth: number): Promise<LineageView> {
    const root = await this.product(ref);
    const nodes = new Map<string, LineageNode>([[root.id, this.productNode(root, 0)]]);
    const edges = new Map<string, LineageEdge>();
    let truncated = false;
    const addEdge = (edge: LineageEdge) => edges.set(`${edge.from}>${edge.to}>${edge.contractExternalId}>${edge.inputPort}`, edge);
    const addNode = (node: LineageNode): boolean => {
      if (nodes.has(node.id)) return true;
      if (nodes.size >= maxLineageNodes) {
        truncated = true;
        return false;
      }
      nodes.set(node.id, node);
      return true;
    };

    let frontier: ProductLite[] = [root];
    for (let step = 1; step <= depth && frontier.length > 0; step += 1) {
      const wanted = frontier.flatMap((product) => inputPorts(product.document).map((port) => ({ product, port })));
      const producers = await this.producersOf([...new Set(wanted.map((item) => item.port.contractId))]);
      const next: ProductLite[] = [];
      for (const { product, port } of wanted) {
        const offering = producers.byContract.get(port.contractId) ?? [];
        if (offering.length === 0) {
          const contract = producers.contracts.get(port.contractId);
          const id = `source:${port.contractId}`;
          if (addNode({ id, kind: 'source', name: contract?.name ?? port.contractId, externalId: port.contractId, contractId: contract?.id ?? null, domainId: contract?.domain_id ?? null, status: contract?.status ?? null, level: -step }))
            addEdge({ from: id, to: product.id, contractExternalId: port.contractId, inputPort: port.name });
          continue;
        }
        for (const producer of offering) {
          const known = nodes.has(producer.id);
          if (!addNode(this.productNode(producer, -step))) continue;
          addEdge({ from: producer.id, to: product.id, contractExternalId: port.contractId, inputPort: port.name });
          if (!known) next.push(producer);
        }
      }
      frontier = next;
    }

    frontier = [root];
    for (let step = 1; step <= depth && frontier.length > 0; step += 1) {
      const offered = await this.outputContractsOf(frontier.map((product) => product.id));
      const contractIds = [...new Set(offered.map((row) => row.external_id))];
      const consumers = await this.consumersOf(contractIds);
      const next: ProductLite[] = [];
      for (const consumer of consumers) {
        for (const port of inputPorts(consumer.document)) {
          for (const producer of offered.filter((row) => row.external_id === port.contractId)) {
            const known = nodes.has(consumer.id);
            if (!addNode(this.productNode(consumer, step))) continue;
            addEdge({ from: producer.product_id, to: consumer.id, contractExternalId: port.contractId, inputPort: port.name });
            if (!known) next.push(consumer);
          }
        }
      }
      frontier = next;
    }
    return { rootId: root.id, depth, nodes: [...nodes.values()].sort((a, b) => a.level - b.level || a.name.localeCompare(b.name)), edges: [...edges.values()], truncated };
  }

  /** The products that offer a contract on an output port and those whose input ports read it. */
  async contractUsage(ref: string): Promise<ContractUsageView> {
    let query = this.db.selectFrom('contracts').select(['id', 'external_id']);
    query = isUuid(ref) ? query.where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)])) : query.where('external_id', '=', ref);
    const contract = await query.executeTakeFirst();
    if (contract === undefined) throw new NotFoundError(`No contract ${ref}.`);
    const producers = await this.producersOf([contract.external_id]);
    const consumers = await this.consumersOf([contract.external_id]);
    const present = (product: ProductLite): ProductRefView => ({ id: product.id, externalId: product.external_id, name: product.name, domainId: product.domain_id, status: product.status });
    return { offeredBy: (producers.byContract.get(contract.external_id) ?? []).map(present), readBy: consumers.map(present) };
  }

  /** The trust badge of one contract (by id or document id); see {@link computeTrust} for the rule. */
  async contractTrust(ref: string): Promise<TrustBadge> {
    let query = this.db.selectFrom('contracts').select('id');
    query = isUuid(ref) ? query.where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)])) : query.where('external_id', '=', ref);
    const contract = await query.executeTakeFirst();
    if (contract === undefined) throw new NotFoundError(`No contract ${ref}.`);
    return (await this.trustOf([contract.id])).get(contract.id) ?? computeTrust([], this.now());
  }

  /** A domain's products (by domain id or slug), ordered by document id, each with its trust badge. */
  async domainHealth(domainRef: string, request: ListRequest): Promise<Page<ProductHealthView>> {
    const domain = { id: await this.domainId(domainRef) };
    const limit = listLimit(request);
    let query = this.db.selectFrom('products').select(['id', 'external_id', 'name', 'status', 'product_version', 'owner_team_id']).where('domain_id', '=', domain.id).orderBy('external_id').limit(limit + 1);
    if (request.cursor !== undefined) query = query.where('external_id', '>', decodeCursor(request.cursor));
    const page = toPage(await query.execute(), limit, (row) => row.external_id);
    const ports = page.items.length === 0 ? [] : await this.db.selectFrom('product_output_ports').select(['product_id', 'contract_id']).where('product_id', 'in', page.items.map((row) => row.id)).execute();
    const trust = await this.trustOf([...new Set(ports.flatMap((port) => (port.contract_id === null ? [] : [port.contract_id])))]);
    const productIds = page.items.map((row) => row.id);
    const states = productIds.length === 0 ? [] : await this.db.selectFrom('search_entries').select(['entity_id', 'quality_state', 'sla_state']).where('kind', '=', 'product').where('entity_id', 'in', productIds).execute();
    const stateOf = new Map(states.map((row) => [row.entity_id, row]));
    const adoption =
      productIds.length === 0
        ? []
        : await this.db
            .selectFrom('subscriptions')
            .select((eb) => ['product_id', eb.fn.countAll<string>().as('subscriptions'), eb.fn.count<string>('consumer_id').distinct().as('consumers')])
            .where('product_id', 'in', productIds)
            .where('status', '=', 'active')
            .groupBy('product_id')
            .execute();
    const adoptionOf = new Map(adoption.map((row) => [row.product_id, row]));
    const now = this.now();
    return {
      items: page.items.map((row) => {
        const badges = ports.filter((port) => port.product_id === row.id && port.contract_id !== null).map((port) => trust.get(port.contract_id ?? '') ?? computeTrust([], now));
        const worst = badges.sort((a, b) => levelOrder[a.level] - levelOrder[b.level])[0] ?? computeTrust([], now);
        const state = stateOf.get(row.id);
        const used = adoptionOf.get(row.id);
        return {
          id: row.id,
          externalId: row.external_id,
          name: row.name,
          status: row.status,
          productVersion: row.product_version,
          ownerTeamId: row.owner_team_id,
          trust: worst,
          qualityState: state?.quality_state ?? 'not-run',
          slaState: state?.sla_state ?? 'unknown',
          activeSubscriptions: Number(used?.subscriptions ?? 0),
          consumers: Number(used?.consumers ?? 0),
        };
      }),
      nextCursor: page.nextCursor,
    };
  }

  /** Counts over all of a domain's products (by domain id or slug): quality and SLA states, adoption. */
  async domainHealthSummary(domainRef: string): Promise<DomainHealthSummaryView> {
    const domainId = await this.domainId(domainRef);
    const states = await this.db
      .selectFrom('products as p')
      .leftJoin('search_entries as s', (join) => join.onRef('s.entity_id', '=', 'p.id').on('s.kind', '=', 'product'))
      .select((eb) => [
        eb.fn.countAll<string>().as('products'),
        eb.fn.countAll<string>().filterWhere('s.quality_state', '=', 'passed').as('passing'),
        eb.fn.countAll<string>().filterWhere('s.quality_state', 'in', ['failed', 'error']).as('failing'),
        eb.fn.countAll<string>().filterWhere('s.sla_state', '=', 'breached').as('breaching'),
      ])
      .where('p.domain_id', '=', domainId)
      .executeTakeFirstOrThrow();
    const adoption = await this.db
      .selectFrom('subscriptions')
      .select((eb) => [eb.fn.countAll<string>().as('subscriptions'), eb.fn.count<string>('consumer_id').distinct().as('consumers')])
      .where('domain_id', '=', domainId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    return {
      products: Number(states.products),
      passingChecks: Number(states.passing),
      failingChecks: Number(states.failing),
      breachingSla: Number(states.breaching),
      activeSubscriptions: Number(adoption.subscriptions),
      consumers: Number(adoption.consumers),
    };
  }

  private async domainId(domainRef: string): Promise<string> {
    let domainQuery = this.db.selectFrom('domains').select('id');
    domainQuery = isUuid(domainRef) ? domainQuery.where('id', '=', domainRef) : domainQuery.where('slug', '=', domainRef);
    const domain = await domainQuery.executeTakeFirst();
    if (domain === undefined) throw new NotFoundError(`No domain ${domainRef}.`);
    return domain.id;
  }

  /** Badges of many contracts with one query: the newest {@link trustWindow} finished runs of each. */
  private async trustOf(contractIds: readonly string[]): Promise<Map<string, TrustBadge>> {
    if (contractIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom((eb) =>
        eb
          .selectFrom('check_runs')
          .select(['contract_id', 'status', 'finished_at', 'summary', sql<number>`row_number() over (partition by contract_id order by finished_at desc, id desc)`.as('rank')])
          .where('contract_id', 'in', contractIds)
          .where('status', 'in', finished)
          .where('finished_at', 'is not', null)
          .as('recent'),
      )
      .selectAll()
      .where('rank', '<=', trustWindow)
      .execute();
    const byContract = new Map<string, TrustRun[]>();
    for (const row of rows) {
      if (row.finished_at === null) continue;
      const runs = byContract.get(row.contract_id) ?? [];
      runs.push({ status: row.status, finishedAt: new Date(row.finished_at), passed: count(row.summary, 'passed'), warning: count(row.summary, 'warning'), failed: count(row.summary, 'failed'), error: count(row.summary, 'error') });
      byContract.set(row.contract_id, runs);
    }
    const now = this.now();
    return new Map(contractIds.map((id) => [id, computeTrust(byContract.get(id) ?? [], now)]));
  }

  private productNode(product: ProductLite, level: number): LineageNode {
    return { id: product.id, kind: 'product', name: product.name, externalId: product.external_id, contractId: null, domainId: product.domain_id, status: product.status, level };
  }

  private async product(ref: string): Promise<ProductLite> {
    let query = this.db.selectFrom('products').select(['id', 'external_id', 'name', 'domain_id', 'status', 'document']);
    query = isUuid(ref) ? query.where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)])) : query.where('external_id', '=', ref);
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No product ${ref}.`);
    return row;
  }

  /** The products offering each contract on an output port, and the catalog contracts among `contractIds`. */
  private async producersOf(contractIds: readonly string[]) {
    const byContract = new Map<string, ProductLite[]>();
    const contracts = new Map<string, { id: string; name: string; domain_id: string; status: LifecycleStatus }>();
    if (contractIds.length === 0) return { byContract, contracts };
    for (const row of await this.db.selectFrom('contracts').select(['id', 'external_id', 'name', 'domain_id', 'status']).where('external_id', 'in', contractIds).execute()) contracts.set(row.external_id, row);
    const rows = await this.db
      .selectFrom('product_output_ports as o')
      .innerJoin('contracts as c', 'c.id', 'o.contract_id')
      .innerJoin('products as p', 'p.id', 'o.product_id')
      .select(['c.external_id as contract_external_id', 'p.id', 'p.external_id', 'p.name', 'p.domain_id', 'p.status', 'p.document'])
      .where('c.external_id', 'in', contractIds)
      .orderBy('p.external_id')
      .execute();
    for (const row of rows) {
      const list = byContract.get(row.contract_external_id) ?? [];
      if (!list.some((item) => item.id === row.id)) list.push({ id: row.id, external_id: row.external_id, name: row.name, domain_id: row.domain_id, status: row.status, document: row.document });
      byContract.set(row.contract_external_id, list);
    }
    return { byContract, contracts };
  }

  private async outputContractsOf(productIds: readonly string[]): Promise<{ product_id: string; external_id: string }[]> {
    if (productIds.length === 0) return [];
    return this.db.selectFrom('product_output_ports as o').innerJoin('contracts as c', 'c.id', 'o.contract_id').select(['o.product_id', 'c.external_id']).where('o.product_id', 'in', productIds).execute();
  }

  /** Products whose ODPS input ports name one of `contractIds` (a jsonb scan of the input ports). */
  private async consumersOf(contractIds: readonly string[]): Promise<ProductLite[]> {
    if (contractIds.length === 0) return [];
    return this.db
      .selectFrom('products')
      .select(['id', 'external_id', 'name', 'domain_id', 'status', 'document'])
      .where(
        sql<boolean>`exists (select 1 from jsonb_array_elements(case when jsonb_typeof(products.document->'inputPorts') = 'array' then products.document->'inputPorts' else '[]'::jsonb end) as port where port->>'contractId' in (${sql.join(contractIds.map((id) => sql`${id}`))}))`,
      )
      .orderBy('external_id')
      .execute();
  }
}
