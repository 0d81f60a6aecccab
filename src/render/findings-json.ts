// `vpcsim lint --format json`: the findings as a versioned document, with the files that could not
// be read or loaded as their diagnostics.
import type { Finding } from "../analysis/finding.js";
import { SEVERITIES } from "../analysis/finding.js";
import type { Diagnostic } from "../model/diagnostic.js";

export function findingsJson(findings: readonly Finding[], invalid: readonly Diagnostic[] = []): string {
  const summary = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length]));
  return JSON.stringify({ version: 1, findings, invalid, summary }, null, 2);
}
