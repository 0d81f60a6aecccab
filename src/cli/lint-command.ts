// `vpcsim lint`: load scenario files, run every check on each world, print the findings, and fail
// when one is at or above --fail-on. A file that cannot be loaded is reported as `run` does (exit 2).

import type { AuthorizedPorts } from "../analysis/aws-config.js";
import { DEFAULT_AUTHORIZED_PORTS } from "../analysis/aws-config.js";
import type { Finding, Severity, Source } from "../analysis/finding.js";
import type { Interval } from "../analysis/intervals.js";
import { normalize } from "../analysis/intervals.js";
import { failsAt, lint } from "../analysis/lint.js";
import type { Diagnostic } from "../model/diagnostic.js";
import { collectScenarioFiles, loadScenarioFile } from "../node/index.js";
import { diagnosticsText } from "../render/diagnostics-text.js";
import { findingsJson } from "../render/findings-json.js";
import { findingsSarif } from "../render/findings-sarif.js";
import { findingsText } from "../render/findings-text.js";
import { PLAIN } from "../render/style.js";
import type { LoadResult } from "../scenario/load.js";
import { styleFor } from "./color.js";
import { EXIT } from "./exit-codes.js";
import type { Output } from "./io.js";
import type { Seams } from "./seams.js";

export interface LintCommandOptions {
  readonly format: "text" | "json" | "sarif";
  readonly failOn: Severity;
  readonly authorizedTcpPorts?: readonly Interval[];
  readonly authorizedUdpPorts?: readonly Interval[];
  readonly color: boolean;
}

export async function lintCommand(
  paths: readonly string[],
  opts: LintCommandOptions,
  out: Output,
  seams: Seams,
  version: string,
): Promise<number> {
  const { files, problems } = await collectScenarioFiles(paths, seams.fileSystem);
  const invalid: Diagnostic[] = [...problems];
  const findings: Finding[] = [];
  const authorized: AuthorizedPorts = {
    tcp: opts.authorizedTcpPorts ?? DEFAULT_AUTHORIZED_PORTS.tcp,
    udp: opts.authorizedUdpPorts ?? DEFAULT_AUTHORIZED_PORTS.udp,
  };
  for (const file of files) {
    const loaded = await loadScenarioFile(file, seams.fileSystem);
    if (!loaded.ok) {
      invalid.push(...loaded.diagnostics);
      continue;
    }
    const changes = loaded.scenario.steps.flatMap((s) => (s.kind === "change" ? [s.change] : []));
    findings.push(...lint(loaded.scenario.world, sourceOf(file, loaded), { authorized, changes }));
  }
  if (files.length === 0 && problems.length === 0) {
    invalid.push({ file: paths.join(" "), line: 1, column: 1, code: "input/no-scenarios", message: "no .yaml scenario files found" });
  }
  const style = opts.format === "text" ? styleFor(opts.color) : PLAIN;
  switch (opts.format) {
    case "text":
      out.out(findingsText(findings, style));
      if (invalid.length > 0) out.err(diagnosticsText(invalid, style));
      break;
    case "json":
      out.out(findingsJson(findings, invalid));
      break;
    case "sarif":
      out.out(findingsSarif(findings, version));
      if (invalid.length > 0) out.err(diagnosticsText(invalid));
      break;
  }
  if (invalid.length > 0) return EXIT.invalid;
  return failsAt(findings, opts.failOn) ? EXIT.failed : EXIT.ok;
}

/** Findings are placed through the loader's positions; without them, at the file's start. */
function sourceOf(file: string, loaded: Extract<LoadResult, { ok: true }>): Source {
  const positions = loaded.positions;
  return {
    file,
    at: (path) => positions?.at(path) ?? { line: 1, column: 1 },
    has: (path) => positions?.has(path) ?? true,
  };
}

/** `443,1020-1025` as AWS Config's authorizedTcpPorts writes it; undefined when it is not. */
export function parsePortList(text: string): Interval[] | undefined {
  const parts = text.split(",").map((p) => p.trim());
  const out: Interval[] = [];
  for (const part of parts) {
    if (part === "") continue;
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = Number(m[2] ?? m[1]);
    if (hi > 65535 || lo > hi) return undefined;
    out.push([lo, hi]);
  }
  return normalize(out);
}
