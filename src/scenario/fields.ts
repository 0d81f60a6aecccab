// Field values of scenario files, parsed.

/** A duration as scenario files write it (`30s`, `5m`, `2h`, `6d`, or seconds), in seconds. */
export function parseDuration(value: number | string): number {
  if (typeof value === "number") return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value)!;
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "ms" | "s" | "m" | "h" | "d"];
  return Number(m[1]) * unit;
}
