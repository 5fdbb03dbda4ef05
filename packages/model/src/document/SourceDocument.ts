import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { plainJsonValue } from './plainJson';
import { fromPointer, type Position, type Problem } from './problem';

/**
 * A YAML or JSON text read into a plain value that remembers where every value came from.
 *
 * Contract: reading never throws and never hangs on hostile input. Oversized text, nesting deeper than
 * `maxDepth`, alias expansion beyond `maxAliasCount` (YAML bombs), duplicate keys, binary content and
 * syntax errors become `problems` with positions; `value` is then `undefined` when nothing usable was
 * read. YAML 1.2 core schema is used, so `2024-01-01` stays a string (no timestamp inference).
 */
export interface SourceDocument {
  /** The name the caller gave the text (usually a file path); used in messages only. */
  path: string;
  text: string;
  value: unknown;
  problems: Problem[];
  /** Where the value at `pointer` starts in the text; falls back to the nearest located ancestor. */
  locate: (pointer: string) => Position;
  /** Whether the text has a value at exactly this pointer (not an ancestor). */
  has: (pointer: string) => boolean;
}

/** Limits applied while reading; defaults suit hand-written contracts and generated ones alike. */
export interface ReadLimits {
  /** Largest accepted text, in characters. Default 20 MB. */
  maxLength?: number;
  /** Deepest accepted nesting of maps and lists. Default 64. */
  maxDepth?: number;
  /** Most alias expansions (YAML bomb guard). Default 100. */
  maxAliasCount?: number;
}

const defaults: Required<ReadLimits> = { maxLength: 20_000_000, maxDepth: 64, maxAliasCount: 100 };

/** Reads YAML (or JSON, which is read as YAML 1.2) text into a `SourceDocument`. */
export function readSource(path: string, text: string, limits: ReadLimits = {}): SourceDocument {
  const { maxLength, maxDepth, maxAliasCount } = { ...defaults, ...limits };
  const problems: Problem[] = [];
  const fail = (message: string, rule: string, at: Position = { line: 1, column: 1 }): SourceDocument => {
    problems.push({ pointer: '', ...at, message, rule, severity: 'error' });
    return { path, text, value: undefined, problems, locate: () => at, has: () => false };
  };

  if (text.length > maxLength) {
    return fail(
      `file is too large to be a contract or product (${text.length.toLocaleString('en')} characters; the limit is ${maxLength.toLocaleString('en')})`,
      'syntax/too-large',
    );
  }
  const binaryAt = text.search(/[\u0000-\u0008\u000e-\u001f]/);
  if (binaryAt >= 0) {
    return fail('file is not text (it contains control characters; is it a binary file?)', 'syntax/binary', positionOf(text, binaryAt));
  }
  const depthAt = nestingBeyond(text, maxDepth);
  if (depthAt !== undefined) {
    return fail(`nesting is deeper than ${maxDepth} levels`, 'syntax/too-deep', positionOf(text, depthAt));
  }

  // Plain JSON (what generators write) is read by JSON.parse; positions are found with the YAML reader
  // only when asked for, which a valid file seldom is.
  const json = plainJsonValue(text);
  if (json !== undefined) {
    let read: SourceDocument | undefined;
    const located = (): SourceDocument => (read ??= readYaml(path, text, maxAliasCount, []));
    return { path, text, value: json.value, problems, locate: (pointer) => located().locate(pointer), has: (pointer) => located().has(pointer) };
  }
  return readYaml(path, text, maxAliasCount, problems);
}

/** Reads `text` with the YAML parser (JSON is YAML 1.2), adding its problems to `problems`. */
function readYaml(path: string, text: string, maxAliasCount: number, problems: Problem[]): SourceDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    schema: 'core',
    prettyErrors: false,
    strict: true,
  });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  for (const error of doc.errors) {
    const rule = error.code === 'DUPLICATE_KEY' ? 'syntax/duplicate-key' : 'syntax/yaml';
    const message =
      error.code === 'DUPLICATE_KEY' ? 'key appears twice in the same mapping' : firstLine(error.message);
    problems.push({ pointer: '', ...at(error.pos[0]), message, rule, severity: 'error' });
  }

  let value: unknown;
  if (doc.errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const bomb = /alias/i.test(message) && /count|resource|exhaust/i.test(message);
      problems.push({
        pointer: '',
        line: 1,
        column: 1,
        message: bomb ? `too many alias expansions (more than ${maxAliasCount}; a YAML bomb?)` : firstLine(message),
        rule: bomb ? 'syntax/alias-limit' : 'syntax/yaml',
        severity: 'error',
      });
      value = undefined;
    }
  }

  const nodeAt = (pointer: string): { node: Node | undefined; exact: boolean } => {
    let node: unknown = doc.contents;
    let located: Node | undefined = isNode(node) ? node : undefined;
    for (const segment of fromPointer(pointer)) {
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
        // A missing member is reported where its parent mapping starts.
        next = pair?.value ?? undefined;
        if (pair !== undefined && next == null && isNode(pair.key)) next = pair.key;
      } else if (isSeq(node)) {
        next = node.items[Number(segment)];
      }
      if (!isNode(next)) return { node: located, exact: false };
      node = next;
      located = next;
    }
    return { node: located, exact: true };
  };

  return {
    path,
    text,
    value,
    problems,
    locate: (pointer) => {
      const { node } = nodeAt(pointer);
      return node?.range ? at(node.range[0]) : { line: 1, column: 1 };
    },
    has: (pointer) => nodeAt(pointer).exact,
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}

function positionOf(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Finds the offset where flow nesting (`[`/`{`) or block indentation first exceeds `maxDepth`, before
 * the parser sees the text: the parser itself recurses and would overflow the stack on hostile input.
 */
function nestingBeyond(text: string, maxDepth: number): number | undefined {
  let flow = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      // Only a quote at a token start opens a string (not an apostrophe inside a plain scalar).
      const prev = text[i - 1];
      if (prev === undefined || /[\s,[{:]/.test(prev)) quote = c;
    } else if (c === '#') {
      const prev = text[i - 1];
      if (prev === undefined || /\s/.test(prev)) while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      if (++flow > maxDepth) return i;
    } else if (c === ']' || c === '}') {
      flow = Math.max(0, flow - 1);
    } else if (c === '\n') {
      quote = undefined;
      let indent = 0;
      while (text[i + 1 + indent] === ' ' || text[i + 1 + indent] === '-') indent++;
      // Block nesting: each level indents by at least one column (a list dash counts as indentation).
      if (indent > maxDepth * 8) return i + 1;
    }
  }
  return undefined;
}
