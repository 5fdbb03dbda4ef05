import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { fromPointer } from '../document/problem';
import { isAmbiguousString, quoteAmbiguousStrings } from './quoteAmbiguousStrings';
import { yamlWriteOptions } from './toYaml';

/** One change to make to a read document: set a value at a JSON pointer, or remove what is there. */
export type YamlEdit = { pointer: string; value: unknown } | { pointer: string; remove: true };

/** An edit that could not be applied: its pointer goes through a scalar or past the end of a list. */
export class YamlEditError extends Error {
  override name = 'YamlEditError';
}

/**
 * Applies `edits` to a document read with `readEditableSource` and writes it back. Everything not edited
 * keeps its key order, comments and scalar styles, so an unedited document reads back to the same value.
 * Setting a missing key appends it at the end of its mapping; `-` as the last segment appends to a list.
 * New strings that a YAML reader could misread (`2024-01-01`, `yes`, `1.0`) are quoted. The document is
 * modified in place. Throws `YamlEditError` for a pointer that cannot exist (through a scalar).
 */
export function writeDocument(document: Document, edits: readonly YamlEdit[] = []): string {
  for (const edit of edits) {
    const path = pathOf(document, edit.pointer);
    if ('remove' in edit) {
      if (path.length === 0) document.contents = null;
      else if (document.hasIn(path)) document.deleteIn(path);
    } else if (path.length === 0) {
      document.contents = document.createNode(edit.value);
    } else if (setScalarInPlace(document, path, edit.value)) {
      // Done: the node keeps its comment and position.
    } else {
      document.setIn(path, document.createNode(edit.value));
    }
  }
  quoteAmbiguousStrings(document);
  return document.toString(yamlWriteOptions);
}

/**
 * Replaces a scalar by a scalar in place, so a trailing comment (`version: 1.0.0 # semver`) survives.
 * A string that a YAML 1.1 reader would misread is double-quoted; other types drop the old quoting.
 */
function setScalarInPlace(document: Document, path: (string | number)[], value: unknown): boolean {
  const scalarValue = value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  const node = document.getIn(path, true);
  if (!scalarValue || !isScalar(node)) return false;
  node.value = value;
  if (typeof value !== 'string') node.type = undefined;
  else if (isAmbiguousString(value)) node.type = 'QUOTE_DOUBLE';
  return true;
}

/** Turns a JSON pointer into a yaml path: list indexes become numbers, `-` appends. */
function pathOf(document: Document, pointer: string): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = document.contents;
  for (const segment of fromPointer(pointer)) {
    if (isSeq(node)) {
      const index = segment === '-' ? node.items.length : Number(segment);
      if (!/^(0|[1-9]\d*|-)$/.test(segment) || index > node.items.length) {
        throw new YamlEditError(`${pointer}: "${segment}" is not an index of the list (it has ${node.items.length} items)`);
      }
      path.push(index);
      node = node.items[index];
    } else if (isMap(node) || node === undefined || node === null) {
      path.push(segment);
      node = isMap(node) ? node.get(segment, true) : undefined;
    } else {
      throw new YamlEditError(`${pointer}: cannot go into "${segment}" because the value before it is not a mapping or list`);
    }
  }
  return path;
}
