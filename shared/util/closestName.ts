/**
 * The known name nearest to `name` (case-insensitive edit distance below `maxDistance`), for
 * "did you mean" hints: `clas` → `class`, `DROP TABEL` → `DROP TABLE`. Null when nothing is close.
 */
export function closestName(name: string, known: readonly string[], maxDistance = 3): string | null {
  let best: string | null = null;
  let bestDistance = maxDistance;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
