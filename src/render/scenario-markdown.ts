// A scenario's result as Markdown: a table of steps, then the trace of every drop or failed step.
import type { ScenarioResult, StepResult } from "../scenario/run.js";
import { oneLine, visible } from "./escape.js";
import { escapeCell, packetMarkdown } from "./packet-markdown.js";
import { summaryParts } from "./scenario-text.js";

/** An expectation's check as a table cell: ✓ or ✗ and what was expected. */
function checkText(s: StepResult): string {
  return !s.check ? "" : s.check.pass ? `✓ ${s.check.expected}` : `✗ ${s.check.expected} — ${s.check.failures.join("; ")}`;
}

/**
 * One step: its title and outcome, its expectation, and the trace of each of its packets.
 * @example
 * const md = stepMarkdown(runScenario(lesson).steps[0]);
 */
export function stepMarkdown(s: StepResult): string {
  const lines = [`**${s.index + 1}. ${escapeCell(s.title)}:** ${escapeCell(s.outcome)}`];
  if (s.check) lines.push("", escapeCell(checkText(s)));
  for (const p of s.packets) lines.push("", packetMarkdown(p.result, p.role));
  return lines.join("\n");
}

export function scenarioMarkdown(r: ScenarioResult): string {
  // user text is escaped (escape.ts); a description may span lines, a heading may not
  const lines = [`## ${oneLine(r.name)}`, "", `\`${oneLine(r.file)}\``, ""];
  if (r.description) lines.push(visible(r.description), "");
  lines.push("| # | step | outcome | expectation |", "|---|---|---|---|");
  for (const s of r.steps) {
    lines.push(`| ${s.index + 1} | ${escapeCell(s.title)} | ${escapeCell(s.outcome)} | ${escapeCell(checkText(s))} |`);
  }
  for (const s of r.steps) {
    for (const p of s.packets) {
      if (p.result.delivered && s.check?.pass !== false) continue;
      lines.push("", packetMarkdown(p.result, `Step ${s.index + 1}, ${p.role}`));
    }
  }
  return lines.join("\n");
}

/**
 * The closing summary as Markdown: a list, then `N passed, N failed` as a paragraph of its own
 * (as text its lines would run into one paragraph).
 * @example
 * summaryMarkdown([result], 0); // "- Scenarios: 1 passed (1)\n- Expectations: 2 passed (2)\n\n2 passed, 0 failed"
 */
export function summaryMarkdown(results: readonly ScenarioResult[], invalid: number): string {
  const p = summaryParts(results, invalid);
  return [`- Scenarios: ${p.scenarios}`, `- Expectations: ${p.expectations}`, "", p.total].join("\n");
}
