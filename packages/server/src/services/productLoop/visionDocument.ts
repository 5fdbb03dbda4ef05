import { InputError } from '../../errors/errors';
import type { JsonValue } from '../../store/Database';
import { isObject, type JsonObject } from '../catalogDocuments';
import { parseVisionCanvas, visionProperty, type VisionCanvas } from './visionCanvas';

/**
 * Takes the vision canvas out of a product document: the ODPS top-level `customProperties` entry
 * `{property: "meshboardVision", value: {...}}`. The canvas is kept in its own versioned table, so the
 * document is stored without it (a canvas edit is not a product change) and {@link withVision} puts the
 * latest canvas back when the document is read. A malformed canvas is an {@link InputError} pointing
 * into the document; a second vision entry too.
 */
export function splitVision(document: unknown): { document: unknown; canvas: VisionCanvas | undefined } {
  if (!isObject(document) || !Array.isArray(document['customProperties'])) return { document, canvas: undefined };
  const entries = document['customProperties'];
  const positions = entries.flatMap((entry, index) => (isObject(entry) && entry['property'] === visionProperty ? [index] : []));
  if (positions.length === 0) return { document, canvas: undefined };
  if (positions.length > 1) {
    throw new InputError(`The product has ${positions.length} ${visionProperty} custom properties; keep one.`, positions.slice(1).map((index) => ({ pointer: `/customProperties/${index}`, detail: `A second ${visionProperty} entry.` })));
  }
  const index = positions[0] ?? 0;
  const parsed = parseVisionCanvas((entries[index] as JsonObject)['value'], `/customProperties/${index}/value`);
  if ('problems' in parsed) throw new InputError('The vision canvas in the product document is not valid.', parsed.problems);
  const rest = entries.filter((_, position) => position !== index);
  const { customProperties: _removed, ...others } = document;
  return { document: rest.length === 0 ? others : { ...others, customProperties: rest }, canvas: parsed.canvas };
}

/** The document with `canvas` as its `meshboardVision` custom property (replacing one it carries). */
export function withVision(document: JsonValue, canvas: VisionCanvas | undefined): JsonValue {
  if (canvas === undefined || !isObject(document)) return document;
  const existing = Array.isArray(document['customProperties']) ? document['customProperties'].filter((entry) => !(isObject(entry) && entry['property'] === visionProperty)) : [];
  const entry: JsonObject = { property: visionProperty, value: canvas, description: 'Meshboard vision canvas (purpose, consumers, use cases, value, success KPIs, sources, constraints).' };
  return { ...document, customProperties: [...existing, entry] };
}
