/**
 * The fast path of `readSource` for generated JSON (issue 4: `meshboard publish` lints thousands of JSON
 * files, and reading each through the YAML parser was most of the CLI's time).
 *
 * Contract: answers the value only when the YAML reader would read the very same value without a
 * problem — the text is one JSON object or array that `JSON.parse` accepts, no object repeats a key (the
 * YAML reader reports duplicates; `JSON.parse` silently keeps the last), and no key is longer than YAML's
 * 1,024-character limit for implicit keys. Anything else answers `undefined` and the caller reads the text
 * as YAML, so problems and their positions come from one place.
 */
export function plainJsonValue(text: string): { value: unknown } | undefined {
  const first = text.search(/\S/);
  if (first < 0 || (text[first] !== '{' && text[first] !== '[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return keysAreUnique(text) ? { value } : undefined;
}

/** Whether no object of a text `JSON.parse` accepted repeats a key, and every key is short enough for YAML. */
function keysAreUnique(text: string): boolean {
  // One entry per open collection: the keys seen so far for an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x22) {
      // A string: find its closing quote, skipping escaped characters.
      let end = i + 1;
      let escaped = false;
      while (end < text.length && text.charCodeAt(end) !== 0x22) {
        if (text.charCodeAt(end) === 0x5c) {
          escaped = true;
          end += 2;
        } else end += 1;
      }
      const top = open.at(-1);
      if (expectKey && top instanceof Set) {
        const key = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
        if (key.length > 1000 || top.has(key)) return false;
        top.add(key);
        expectKey = false;
      }
      i = end;
    } else if (char === 0x7b) {
      open.push(new Set());
      expectKey = true;
    } else if (char === 0x5b) {
      open.push(null);
      expectKey = false;
    } else if (char === 0x7d || char === 0x5d) {
      open.pop();
      expectKey = false;
    } else if (char === 0x2c) {
      expectKey = open.at(-1) instanceof Set;
    }
  }
  return true;
}
