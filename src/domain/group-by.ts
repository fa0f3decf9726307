/**
 * Items grouped by a key, each group in the items' order: one pass, where filtering the whole list
 * once per key costs keys x items (a report or a job over a large workspace then grows with the
 * square of its size).
 */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
