export interface FindClosestKeyOptions {
  /** The key that was written. */
  key: string;
  /** The keys that are allowed. */
  knownKeys: readonly string[];
  /** The largest edit distance still worth suggesting. */
  maximumDistance?: number;
}

/** The known key closest to a mistyped one (insertions, deletions, substitutions and swaps of neighbours), if any is close enough. */
export function findClosestKey({ key, knownKeys, maximumDistance = 2 }: FindClosestKeyOptions): string | undefined {
  let closest: string | undefined;
  let closestDistance = Number.POSITIVE_INFINITY;
  const written = key.toLowerCase();
  for (const knownKey of knownKeys) {
    const distance = editDistance(written, knownKey.toLowerCase());
    if (distance < closestDistance) {
      closest = knownKey;
      closestDistance = distance;
    }
  }
  return closestDistance <= maximumDistance ? closest : undefined;
}

/** Optimal string alignment distance between two strings. */
function editDistance(left: string, right: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= left.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= right.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const previousRow = rows[i - 1] ?? [];
      const substitution = (previousRow[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      let best = Math.min((previousRow[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution);
      const swapped = i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1];
      if (swapped) best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[left.length]?.[right.length] ?? 0;
}
