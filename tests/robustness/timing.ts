// Timing for the scale tests, which compare a 1× and a 10× input rather than absolute times.
import { performance } from "node:perf_hooks";

/** The median of 5 timed runs of `run`, each on a fresh, untimed `setup()`. */
export function medianMs<T>(setup: () => T, run: (state: T) => void): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const state = setup();
    const start = performance.now();
    run(state);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[2]!;
}
