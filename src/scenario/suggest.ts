// "Did you mean": the known word nearest a misspelt one, by edit distance.

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`, or more than `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * The option nearest `word`, when it is near enough to be what was meant: at most half the letters
 * of the longer of the two wrong, two for short words (`deny` → `denied`, `security-group` →
 * `security-groups`). Case is ignored. Undefined when nothing is near.
 */
export function closest(word: string, options: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (w === "") return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const option of options) {
    const o = option.toLowerCase();
    const limit = Math.max(2, Math.floor(Math.max(w.length, o.length) / 2));
    const d = distance(w, o, limit);
    if (d <= limit && d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  return best;
}
