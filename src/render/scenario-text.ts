// A scenario's result as plain text, one line a step, and the closing summary of a run.
import type { ScenarioResult, StepResult } from "../scenario/run.js";
import { oneLine } from "./escape.js";
import { traceText } from "./packet-text.js";
import type { Style } from "./style.js";
import { PLAIN } from "./style.js";

export interface RenderOptions {
  /** every hop of every packet, not only of drops and failed expectations */
  readonly verbose?: boolean;
  readonly style?: Style;
}

/** One step's line, its expectation's failures, and the traces `o` asks for (drops, or every one when verbose). */
export function stepText(s: StepResult, o: RenderOptions = {}): string {
  const style = o.style ?? PLAIN;
  const mark = !s.check ? style.dim("•") : s.check.pass ? style.pass("✓") : style.fail("✗");
  // titles, outcomes and expectations quote the file's names and words: escaped (escape.ts)
  const lines = [`  ${mark} ${s.index + 1}. ${oneLine(s.title)}: ${oneLine(s.outcome)}`];
  if (s.check && !s.check.pass) {
    lines.push(style.fail(`      expected: ${oneLine(s.check.expected)}`));
    for (const f of s.check.failures) lines.push(style.fail(`      - ${oneLine(f)}`));
  }
  for (const p of s.packets) {
    const show = o.verbose || !p.result.delivered || (s.check && !s.check.pass);
    if (show) lines.push(traceText(p.result, style, "      ", `${p.role}: `));
  }
  return lines.join("\n");
}

export function scenarioText(r: ScenarioResult, o: RenderOptions = {}): string {
  const style = o.style ?? PLAIN;
  const head = `${style.bold(oneLine(r.file))} — ${oneLine(r.name)}`;
  return [head, ...r.steps.map((s) => stepText(s, o))].join("\n");
}

/** The closing summary's three parts: files, expectations, and `N passed, N failed`. */
export function summaryParts(
  results: readonly ScenarioResult[],
  invalid: number,
  style: Style = PLAIN,
): { scenarios: string; expectations: string; total: string } {
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const failedFiles = results.filter((r) => r.failed > 0).length + invalid;
  const okFiles = results.length - results.filter((r) => r.failed > 0).length;
  const files = [failedFiles ? style.fail(`${failedFiles} failed`) : "", okFiles ? style.pass(`${okFiles} passed`) : ""]
    .filter(Boolean)
    .join(" | ");
  const exps = [failed ? style.fail(`${failed} failed`) : "", passed ? style.pass(`${passed} passed`) : ""].filter(Boolean).join(" | ");
  return {
    scenarios: `${files || "0"} (${results.length + invalid})`,
    expectations: `${exps || "0"} (${passed + failed})`,
    total: `${passed} passed, ${failed} failed`,
  };
}

/** The closing summary in the style of test runners, ending with `N passed, N failed`. */
export function summaryText(results: readonly ScenarioResult[], invalid: number, style: Style = PLAIN): string {
  const p = summaryParts(results, invalid, style);
  return [` Scenarios     ${p.scenarios}`, ` Expectations  ${p.expectations}`, p.total].join("\n");
}
