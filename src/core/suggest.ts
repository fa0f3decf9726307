/**
 * "Did you mean ...?" for a word typed wrong (`influencr`, `negociating`, `Finde`). A plain edit
 * distance is enough for lists of a few dozen names; kept here rather than a dependency because
 * src/core imports only zod and dayjs and every schema's enum message uses it.
 */

/** Levenshtein distance, with an adjacent swap counted as one edit (`dicord` and `disocrd` are both one away). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidates close enough to `typed` to be a slip: within a third of the word's length (at
 * least one edit), or starting with it (`neg` -> negotiating). Nearest first, at most three.
 */
export function closestMatches(typed: string, candidates: readonly string[]): string[] {
  const word = typed.trim().toLowerCase();
  if (!word || word.length > 64) return [];
  const limit = Math.max(1, Math.floor(word.length / 3));
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(word, candidate.toLowerCase()), prefix: word.length >= 3 && candidate.toLowerCase().startsWith(word) }))
    .filter(({ distance, prefix }) => distance <= limit || prefix)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

/** ` Did you mean "negotiating"?` or an empty string. */
export function didYouMean(typed: unknown, candidates: readonly string[]): string {
  if (typeof typed !== 'string') return '';
  const found = closestMatches(typed, candidates);
  if (found.length === 0) return '';
  return ` Did you mean ${found.map((f) => `"${f}"`).join(' or ')}?`;
}
