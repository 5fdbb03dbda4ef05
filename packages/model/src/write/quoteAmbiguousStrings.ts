import { isScalar, visit, type Document, type Node } from 'yaml';

/**
 * Plain scalars a YAML 1.1 reader resolves to something other than a string (booleans incl. yes/no/on/off,
 * null and ~, binary/octal/hex/sexagesimal integers, floats incl. .inf/.nan, timestamps). YAML 1.2 core
 * ambiguities (`true`, `1.0`, `null`) are a subset and are quoted by the `yaml` package already.
 */
const yaml11Implicit = new RegExp(
  [
    '^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$',
    '^(?:~|null|Null|NULL)$',
    '^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*)$',
    '^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?$',
    '^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*(?:[eE][-+]?[0-9]+)?$',
    '^[-+]?[0-9][0-9_]*(?:\\.[0-9_]*)?[eE][-+]?[0-9]+$',
    '^[-+]?\\.(?:inf|Inf|INF)$',
    '^\\.(?:nan|NaN|NAN)$',
    // The \`yaml\` package's own 1.1 reader also turns these into non-strings; quoting them costs nothing.
    '^\\.$|^[eE][-+]?[0-9]+$',
    '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$',
  ].join('|'),
);

/**
 * Whether a string written as a plain scalar would be read back as something else by a YAML 1.1 reader
 * (`yes`, `on`, `2024-01-01`, `012`, `12:30`). The `yaml` package already quotes what YAML 1.2 core would
 * misread; this covers the older readers many tools still use (PyYAML, SnakeYAML).
 */
export function isAmbiguousString(text: string): boolean {
  return text.length <= 64 && yaml11Implicit.test(text);
}

/**
 * Double-quotes every string scalar that has no style yet (new nodes, not ones read from a file, whose
 * style is kept) and would be misread as a date, number, boolean or null by a YAML 1.1 or 1.2 reader.
 */
export function quoteAmbiguousStrings(document: Document | Node): void {
  visit(document, {
    Scalar(_key, node) {
      if (isScalar(node) && node.type === undefined && typeof node.value === 'string' && isAmbiguousString(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
}
