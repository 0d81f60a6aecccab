// The stable JSON document of a run: every scenario's result and every invalid file.
import type { Diagnostic } from "../model/diagnostic.js";
import type { ScenarioResult } from "../scenario/run.js";

/** A bug of vpcsim's met while running one file (`file`) or the run itself (null). */
export interface InternalErrorRecord {
  readonly file: string | null;
  readonly message: string;
}

/** The versioned JSON of `vpcsim run --format json`. */
export function resultsJson(
  results: readonly ScenarioResult[],
  invalid: readonly Diagnostic[],
  warnings: readonly Diagnostic[] = [],
  internalErrors: readonly InternalErrorRecord[] = [],
): unknown {
  return {
    version: 1,
    scenarios: results,
    invalid,
    warnings,
    internalErrors,
    summary: {
      passed: results.reduce((n, r) => n + r.passed, 0),
      failed: results.reduce((n, r) => n + r.failed, 0),
      invalidFiles: new Set(invalid.map((d) => d.file)).size,
    },
  };
}
