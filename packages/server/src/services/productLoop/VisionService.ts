import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import { requireDomainRole } from '../../auth/authorize';
import { InputError, NotFoundError } from '../../errors/errors';
import { recordAudit } from '../../store/auditLog';
import { domainRoles, type Database, type JsonValue } from '../../store/Database';
import { decodeCursor, toPage, type Page } from '../../store/pagination';
import { assertVersion } from '../concurrency';
import { inTransaction } from '../inTransaction';
import { isUuid, listLimit, type ListRequest } from '../listRequest';
import { sameCanvas, visionCanvasSchema, type VisionCanvas } from './visionCanvas';

/** One saved version of a product's vision canvas on the wire. */
export interface VisionView {
  productId: string;
  /** 0 while nothing was saved yet (the canvas is then empty); the ETag is `"v<version>"`. */
  version: number;
  canvas: VisionCanvas;
  savedBy: string | null;
  savedByLabel: string | null;
  savedAt: string | null;
}

/** What a save asks: the canvas and the version it was edited from (0 for the first save). */
export interface VisionSaveRequest {
  product: string;
  canvas: VisionCanvas;
  expectedVersion: number;
}

const emptyCanvas: VisionCanvas = visionCanvasSchema.parse({});

interface ProductRef {
  id: string;
  domain_id: string;
  external_id: string;
}

/**
 * The vision canvas of a product. Every save appends a version (history rows never change) under the
 * product's row lock, so two editors starting from the same version give one save and one 412. Reads
 * are open to every signed-in user; saves need a role in the product's domain.
 */
export class VisionService {
  constructor(private readonly db: Kysely<Database>) {}

  /** The latest canvas (version 0 and empty when none was saved). */
  async get(product: string): Promise<VisionView> {
    const ref = await productRef(this.db, product, false);
    return (await latest(this.db, ref.id)) ?? { productId: ref.id, version: 0, canvas: emptyCanvas, savedBy: null, savedByLabel: null, savedAt: null };
  }

  /** The saved versions, newest first. */
  async history(product: string, request: ListRequest): Promise<Page<VisionView>> {
    const ref = await productRef(this.db, product, false);
    const limit = listLimit(request);
    let query = this.db.selectFrom('product_visions').selectAll().where('product_id', '=', ref.id).orderBy('vision_version', 'desc').limit(limit + 1);
    if (request.cursor !== undefined) {
      const before = decodeCursor(request.cursor);
      if (!/^[0-9]{1,9}$/.test(before)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      query = query.where('vision_version', '<', Number(before));
    }
    const page = toPage(await query.execute(), limit, (row) => String(row.vision_version));
    return { items: page.items.map(present), nextCursor: page.nextCursor };
  }

  /** One saved version. */
  async version(product: string, version: number): Promise<VisionView> {
    const ref = await productRef(this.db, product, false);
    const row = await this.db.selectFrom('product_visions').selectAll().where('product_id', '=', ref.id).where('vision_version', '=', version).executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`Product ${ref.external_id} has no vision version ${version}.`);
    return present(row);
  }

  /**
   * Saves a new version when `expectedVersion` is the latest one ({@link PreconditionFailedError}
   * otherwise). A canvas equal to the latest is not saved again (the latest is returned).
   */
  async save(actor: Actor, request: VisionSaveRequest): Promise<VisionView> {
    return inTransaction(this.db, async (trx) => {
      const ref = await productRef(trx, request.product, true);
      requireDomainRole(actor, { domainId: ref.domain_id, roles: domainRoles, action: "edit a product's vision" });
      const current = await latest(trx, ref.id);
      assertVersion("The product's vision", current?.version ?? 0, request.expectedVersion);
      return saveLocked(trx, actor, ref, current, request.canvas);
    });
  }
}

/**
 * Applies a canvas published inside a product document (custom property `meshboardVision`) as a new
 * vision version unless it equals the latest. Runs in the publish's transaction, after the publish
 * authorised the actor in the product's domain; the product row is locked by that publish.
 */
export async function applyPublishedVision(trx: Kysely<Database>, actor: Actor, productId: string, canvas: VisionCanvas): Promise<void> {
  const ref = await productRef(trx, productId, true);
  requireDomainRole(actor, { domainId: ref.domain_id, roles: domainRoles, action: "edit a product's vision" });
  await saveLocked(trx, actor, ref, await latest(trx, ref.id), canvas);
}

/** The latest canvas of a product, or undefined; used to export it with the product document. */
export async function latestVisionCanvas(db: Kysely<Database>, productId: string): Promise<VisionCanvas | undefined> {
  return (await latest(db, productId))?.canvas;
}

async function saveLocked(trx: Kysely<Database>, actor: Actor, ref: ProductRef, current: VisionView | undefined, canvas: VisionCanvas): Promise<VisionView> {
  if (current !== undefined && sameCanvas(current.canvas, canvas)) return current;
  const row = await trx
    .insertInto('product_visions')
    .values({ product_id: ref.id, vision_version: (current?.version ?? 0) + 1, canvas: JSON.stringify(canvas), saved_by: actor.userId, saved_by_label: actor.label })
    .returningAll()
    .executeTakeFirstOrThrow();
  const view = present(row);
  await recordAudit(trx, actor, { action: 'product.vision.save', entityType: 'product', entityId: ref.id, before: current === undefined ? null : asJsonCanvas(current), after: asJsonCanvas(view) });
  return view;
}

function asJsonCanvas(view: VisionView): JsonValue {
  return { version: view.version, canvas: view.canvas };
}

async function latest(db: Kysely<Database>, productId: string): Promise<VisionView | undefined> {
  const row = await db.selectFrom('product_visions').selectAll().where('product_id', '=', productId).orderBy('vision_version', 'desc').limit(1).executeTakeFirst();
  return row === undefined ? undefined : present(row);
}

/** A product by our id or its document id; `lock` takes its row lock (serialising vision saves). */
export async function productRef(db: Kysely<Database>, ref: string, lock: boolean): Promise<ProductRef> {
  let query = db.selectFrom('products').select(['id', 'domain_id', 'external_id']);
  query = isUuid(ref) ? query.where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)])) : query.where('external_id', '=', ref);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`No product ${ref}.`);
  return row;
}

function present(row: { product_id: string; vision_version: number; canvas: JsonValue; saved_by: string | null; saved_by_label: string; saved_at: Date }): VisionView {
  return {
    productId: row.product_id,
    version: row.vision_version,
    // Stored canvases were validated on write; parsing again fills fields added by later versions.
    canvas: visionCanvasSchema.parse(row.canvas),
    savedBy: row.saved_by,
    savedByLabel: row.saved_by_label,
    savedAt: row.saved_at.toISOString(),
  };
}

