// Sets of integers as sorted, disjoint, inclusive intervals: ports, ICMP type·code keys. A check
// works on the ranges rules state (aws-rules §1.3, §2.2), never on one port at a time.

/** Inclusive bounds; a list of them is sorted and disjoint. */
export type Interval = readonly [lo: number, hi: number];

/** Sorted, disjoint and merged where they touch. */
export function normalize(list: readonly Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/** `a` without `b`. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const [lo, hi] of a) {
    let from = lo;
    while (j < b.length && b[j]![1] < from) j++;
    let k = j;
    while (k < b.length && b[k]![0] <= hi && from <= hi) {
      if (b[k]![0] > from) out.push([from, b[k]![0] - 1]);
      from = Math.max(from, b[k]![1] + 1);
      k++;
    }
    if (from <= hi) out.push([from, hi]);
  }
  return out;
}

export function size(list: readonly Interval[]): number {
  return list.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
}

/** `22, 80-90` */
export function intervalsText(list: readonly Interval[]): string {
  return list.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`)).join(", ");
}
