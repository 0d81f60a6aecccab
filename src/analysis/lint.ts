// `vpcsim lint`: every check over one world, findings placed at their lines, worst first.
import type { World } from "../model/model.js";
import type { WorldChange } from "../model/world-change.js";
import type { AuthorizedPorts } from "./aws-config.js";
import { awsConfigChecks, DEFAULT_AUTHORIZED_PORTS } from "./aws-config.js";
import { deadRules, laterUses } from "./dead-rules.js";
import type { Draft, Finding, Severity, Source } from "./finding.js";
import { severityRank } from "./finding.js";
import { statelessTraps } from "./stateless-traps.js";
import { trustedAdvisorChecks } from "./trusted-advisor.js";
import { WorldIndex } from "./world-index.js";

export interface LintOptions {
  /** vpc-sg-open-only-to-authorized-ports's parameters */
  readonly authorized?: AuthorizedPorts;
  /** the scenario's later world changes: a group attached or an ACL associated later is not unused */
  readonly changes?: readonly WorldChange[];
}

export function lint(world: World, source: Source, options: LintOptions = {}): Finding[] {
  const index = new WorldIndex(world, source);
  const drafts: Draft[] = [
    ...trustedAdvisorChecks(index),
    ...awsConfigChecks(index, options.authorized ?? DEFAULT_AUTHORIZED_PORTS),
    ...statelessTraps(index),
    ...deadRules(index, laterUses(options.changes ?? [])),
  ];
  return drafts
    .map((d) => ({ ...d, file: source.file, ...source.at(d.path) }))
    .sort(
      (a, b) =>
        a.line - b.line || a.column - b.column || severityRank(b.severity) - severityRank(a.severity) || a.code.localeCompare(b.code),
    );
}

/** Whether a finding at or above `level` exists: `--fail-on`. */
export function failsAt(findings: readonly Finding[], level: Severity): boolean {
  return findings.some((f) => severityRank(f.severity) >= severityRank(level));
}
