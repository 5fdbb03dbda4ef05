/**
 * How much a change matters to the consumers of a contract or product.
 * - `breaking`: something a consumer reads disappears or changes shape, or data/pipelines that satisfied the
 *   old document can fail the new one. Needs a major version.
 * - `non-breaking`: additions and loosened rules. Needs a minor version.
 * - `informational`: documentation, ownership, status. Needs a patch version.
 */
export type ChangeSeverity = 'breaking' | 'non-breaking' | 'informational';

/** One classified difference between two versions of a document. */
export interface Change {
  /** JSON pointer (RFC 6901) into the new document, or into the old one when the thing was removed. */
  path: string;
  /** Stable kind id, e.g. `property-removed`, `sla-tightened`; see docs/diff.md for the full list. */
  change: string;
  severity: ChangeSeverity;
  /** One changelog line written for a consumer, e.g. "Column `orders.customer_id` was removed". */
  message: string;
}

/** The result of comparing two versions of a contract or a product. */
export interface DiffResult {
  kind: 'contract' | 'product';
  /** True when at least one change is breaking. */
  breaking: boolean;
  /** The `version` of the old document as written, if any. */
  oldVersion: string | undefined;
  /** The `version` of the new document as written, if any. */
  newVersion: string | undefined;
  /** The next version the changes call for; `undefined` when the old version is not a version we can bump. */
  suggestedVersion: string | undefined;
  /** Why no version (or an adjusted one) was suggested, or whether the new document's version is enough. */
  versionNote: string | undefined;
  /** Every change, breaking first, then non-breaking, then informational; document order within each. */
  changes: Change[];
}

/** Orders severities from most to least important (for sorting and grouping). */
export const severityOrder: readonly ChangeSeverity[] = ['breaking', 'non-breaking', 'informational'];
