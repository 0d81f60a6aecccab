// A scenario's result as Markdown: a table of steps, then the trace of every drop or failed step.
import type { ScenarioResult } from "../scenario/run.js";
import { oneLine, visible } from "./escape.js";
import { escapeCell, packetMarkdown } from "./packet-markdown.js";

export function scenarioMarkdown(r: ScenarioResult): string {
  // user text is escaped (escape.ts); a description may span lines, a heading may not
  const lines = [`## ${oneLine(r.name)}`, "", `\`${oneLine(r.file)}\``, ""];
  if (r.description) lines.push(visible(r.description), "");
  lines.push("| # | step | outcome | expectation |", "|---|---|---|---|");
  for (const s of r.steps) {
    const exp = !s.check ? "" : s.check.pass ? `✓ ${s.check.expected}` : `✗ ${s.check.expected} — ${s.check.failures.join("; ")}`;
    lines.push(`| ${s.index + 1} | ${escapeCell(s.title)} | ${escapeCell(s.outcome)} | ${escapeCell(exp)} |`);
  }
  for (const s of r.steps) {
    for (const p of s.packets) {
      if (p.result.delivered && s.check?.pass !== false) continue;
      lines.push("", packetMarkdown(p.result, `Step ${s.index + 1}, ${p.role}`));
    }
  }
  return lines.join("\n");
}
