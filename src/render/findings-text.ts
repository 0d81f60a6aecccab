// `vpcsim lint` findings, compiler-style: `file:line:col  severity  message  code`, then the fix
// and the published rule behind the finding, and a count.
import type { Finding, Severity } from "../analysis/finding.js";
import { SEVERITIES } from "../analysis/finding.js";
import { oneLine } from "./escape.js";
import type { Style } from "./style.js";
import { PLAIN } from "./style.js";

const SOURCE_NAMES = { "trusted-advisor": "Trusted Advisor", "aws-config": "AWS Config", "aws-rules": "aws-rules" } as const;

export function findingsText(findings: readonly Finding[], style: Style = PLAIN): string {
  const mark = (s: Severity) => (s === "error" ? style.fail(s) : s === "warning" ? style.bold(s) : style.dim(s));
  const lines = findings.flatMap((f) => [
    `${oneLine(f.file)}:${f.line}:${f.column}  ${mark(f.severity)}  ${oneLine(f.message)}  ${style.dim(f.code)}`,
    `    fix: ${oneLine(f.fix)}`,
    `    ${style.dim(`rule: ${SOURCE_NAMES[f.basis.source]} ${f.basis.name} (${f.basis.url})`)}`,
  ]);
  return [...lines, findingsSummary(findings)].join("\n");
}

/** `3 findings: 1 error, 1 warning, 1 note` */
export function findingsSummary(findings: readonly Finding[]): string {
  const counts = SEVERITIES.map((s) => {
    const n = findings.filter((f) => f.severity === s).length;
    return `${n} ${s}${n === 1 ? "" : "s"}`;
  });
  return `${findings.length} finding${findings.length === 1 ? "" : "s"}: ${counts.join(", ")}`;
}
