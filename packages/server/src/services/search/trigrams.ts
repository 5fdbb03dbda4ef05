/**
 * pg_trgm's notions, for the in-memory search index: the words pg_trgm sees in a text (runs of letters
 * and digits, lower-cased), a word's trigrams (padded with two blanks in front and one behind), and the
 * word similarity of a query word to one indexed word.
 */

/** The words of a text as pg_trgm (and the query tokenizer of the index) split it: letter/digit runs, lower case. */
export function trigramWords(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
}

/** The trigrams of one word in order (duplicates kept), padded as pg_trgm pads: "  w", " wo", …, "d ". */
export function wordTrigrams(word: string): string[] {
  const padded = `  ${word} `;
  const trigrams: string[] = [];
  for (let at = 0; at + 3 <= padded.length; at++) trigrams.push(padded.slice(at, at + 3));
  return trigrams;
}

/**
 * The word similarity of `query` (one word) to `word`: the greatest Jaccard similarity between the
 * query's trigram set and the set of any contiguous run of the word's trigrams — pg_trgm's
 * `word_similarity(query, word)` for a text of one word (pg_trgm finds its maximum greedily; this
 * scans every run, so it may be a little higher in rare cases).
 */
export function wordSimilarity(queryTrigrams: ReadonlySet<string>, word: string): number {
  const trigrams = wordTrigrams(word);
  let best = 0;
  for (let start = 0; start < trigrams.length; start++) {
    // Only runs that start on a shared trigram can be best (dropping an unshared first one only helps).
    if (!queryTrigrams.has(trigrams[start] ?? '')) continue;
    const seen = new Set<string>();
    let shared = 0;
    for (let end = start; end < trigrams.length; end++) {
      const trigram = trigrams[end] ?? '';
      if (seen.has(trigram)) continue;
      seen.add(trigram);
      if (queryTrigrams.has(trigram)) {
        shared++;
        const similarity = shared / (queryTrigrams.size + seen.size - shared);
        if (similarity > best) best = similarity;
      }
    }
  }
  return best;
}
