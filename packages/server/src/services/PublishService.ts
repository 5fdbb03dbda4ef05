import { createValidator, type Validator } from '@meshboard/model';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import { InputError, MeshboardError, PreconditionFailedError, type ErrorCode, type FieldProblem } from '../errors/errors';
import type { Database } from '../store/Database';
import { ContractService, type PublishRequest, type PublishResult } from './ContractService';
import { isObject } from './catalogDocuments';
import type { PublishOutcome } from './presenters';
import { ProductService } from './ProductService';

/** The most documents one batch may carry (one request, one transaction). */
export const maxBatchDocuments = 1000;

/** One document of a batch publish. */
export interface BatchDocument {
  kind: 'contract' | 'product';
  document: unknown;
  /** The row version the caller read; absent means "whatever is current" (the diff is still against the locked row). */
  expectedVersion?: number;
}

/** A batch publish: documents in any order (contracts are published before products), force, dry run. */
export interface BatchPublishRequest {
  documents: readonly BatchDocument[];
  force?: boolean;
  dryRun?: boolean;
}

/** The catalog item a batch document became (no document: the caller sent it). */
export interface BatchItem {
  id: string;
  externalId: string;
  version: number;
}

/** What happened to one document of a batch: a publish result, or the problem that refused it. */
export type BatchOutcome =
  | {
      index: number;
      kind: BatchDocument['kind'];
      externalId: string | null;
      outcome: PublishOutcome;
      changeKind: PublishResult<unknown>['changeKind'];
      breaking: boolean;
      changes: PublishResult<unknown>['changes'];
      suggestedVersion: string | null;
      item: BatchItem;
    }
  | {
      index: number;
      kind: BatchDocument['kind'];
      externalId: string | null;
      outcome: 'refused';
      error: { code: ErrorCode; detail: string; problems?: FieldProblem[]; currentVersion?: number };
    };

/** The answer to a batch publish: one outcome per document, in the order sent, and the counts. */
export interface BatchPublishResult {
  dryRun: boolean;
  results: BatchOutcome[];
  counts: Record<PublishOutcome | 'refused', number>;
}

/** Thrown at the end of a dry run's transaction so that everything it wrote is rolled back. */
class RollBack extends Error {
  constructor(readonly result: BatchPublishResult) {
    super('dry run');
  }
}

/**
 * Publishes many contracts and products in one transaction (issue 4: `meshboard publish` of thousands of
 * documents). Each document goes through exactly the single-document publish of {@link ContractService}
 * and {@link ProductService} — validated, authorised in its domain, diffed against the locked current
 * row, a breaking same-version change refused unless `force`, history, search index, audit and
 * notifications written — inside its own savepoint: a refused document is rolled back to that savepoint
 * and reported with its problems, and every other document still commits. An unexpected (non-domain)
 * error fails the whole batch and nothing is written.
 *
 * A dry run really publishes inside the transaction and then rolls it back, so products bound to
 * contracts that are new in the same batch are classified exactly as a real publish would.
 */
export class PublishService {
  private readonly validator: Validator;

  constructor(
    private readonly db: Kysely<Database>,
    validator?: Validator,
  ) {
    this.validator = validator ?? createValidator();
  }

  /** Publishes `request.documents`; see the class comment for the transaction and error contract. */
  async publishBatch(actor: Actor, request: BatchPublishRequest): Promise<BatchPublishResult> {
    if (request.documents.length > maxBatchDocuments) {
      throw new InputError(`A batch holds at most ${maxBatchDocuments} documents.`, [{ pointer: '/documents', detail: `Send ${request.documents.length} documents in batches of ${maxBatchDocuments} or fewer.` }]);
    }
    const dryRun = request.dryRun === true;
    // Contracts first: a product's output ports must name contracts the catalog (or this batch) has.
    const order = request.documents.map((document, index) => ({ document, index })).sort((a, b) => rank(a.document.kind) - rank(b.document.kind) || a.index - b.index);
    try {
      return await this.db.transaction().execute(async (trx) => {
        const contracts = new ContractService(trx, this.validator);
        const products = new ProductService(trx, this.validator);
        const results: BatchOutcome[] = new Array<BatchOutcome>(request.documents.length);
        const counts: BatchPublishResult['counts'] = { created: 0, published: 0, revised: 0, unchanged: 0, refused: 0 };
        for (const { document: sent, index } of order) {
          const externalId = isObject(sent.document) && typeof sent.document['id'] === 'string' ? sent.document['id'] : null;
          const publish: PublishRequest = { document: sent.document, expectedVersion: sent.expectedVersion ?? 'any', force: request.force === true };
          await sql`savepoint publish_document`.execute(trx);
          try {
            const result = sent.kind === 'contract' ? await contracts.publish(actor, publish) : await products.publish(actor, publish);
            await sql`release savepoint publish_document`.execute(trx);
            counts[result.outcome] += 1;
            results[index] = {
              index,
              kind: sent.kind,
              externalId: result.item.externalId,
              outcome: result.outcome,
              changeKind: result.changeKind,
              breaking: result.breaking,
              changes: result.changes,
              suggestedVersion: result.suggestedVersion,
              item: { id: result.item.id, externalId: result.item.externalId, version: result.item.version },
            };
          } catch (error) {
            if (!(error instanceof MeshboardError)) throw error;
            await sql`rollback to savepoint publish_document`.execute(trx);
            counts.refused += 1;
            results[index] = { index, kind: sent.kind, externalId, outcome: 'refused', error: refusal(error) };
          }
        }
        const answer: BatchPublishResult = { dryRun, results, counts };
        if (dryRun) throw new RollBack(answer);
        return answer;
      });
    } catch (error) {
      if (error instanceof RollBack) return error.result;
      throw error;
    }
  }
}

function rank(kind: BatchDocument['kind']): number {
  return kind === 'contract' ? 0 : 1;
}

function refusal(error: MeshboardError): Extract<BatchOutcome, { outcome: 'refused' }>['error'] {
  return {
    code: error.code,
    detail: error.message,
    ...(error instanceof InputError ? { problems: [...error.problems] } : {}),
    ...(error instanceof PreconditionFailedError && error.currentVersion !== undefined ? { currentVersion: error.currentVersion } : {}),
  };
}
