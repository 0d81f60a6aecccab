// A step's or a scenario's result as HTML: the path of each step's packets as a picture, the
// world's topology, a table of steps and their expectations. Fragments for notebooks; report-html.ts
// makes a page of them. Every user text goes through `xml` (escape.ts).
import type { World } from "../model/model.js";
import type { ScenarioResult, StepResult } from "../scenario/run.js";
import { xml } from "./escape.js";
import { packetHtml } from "./packet-html.js";
import { pathSvg } from "./path-svg.js";
import { topologySvg } from "./topology-svg.js";

function checkHtml(s: StepResult): string {
  if (!s.check) return "";
  if (s.check.pass) return `<span class="pass">✓ ${xml(s.check.expected)}</span>`;
  return `<span class="fail">✗ expected ${xml(s.check.expected)}: ${xml(s.check.failures.join("; "))}</span>`;
}

/**
 * One step: its title and outcome, its expectation, the path of its packets, and their traces.
 * @example
 * const html = htmlFragment(stepHtml(runScenario(lesson).steps[0]));
 */
export function stepHtml(s: StepResult): string {
  const out = [`<h3>${s.index + 1}. ${xml(s.title)}</h3>`, `<p>${xml(s.outcome)}${s.check ? `<br>${checkHtml(s)}` : ""}</p>`];
  if (s.packets.length > 0) {
    out.push(`<figure>${pathSvg(s.packets)}</figure>`);
    out.push(`<details><summary>each hop</summary>\n${s.packets.map((p) => packetHtml(p, false)).join("\n")}\n</details>`);
  }
  return out.join("\n");
}

/**
 * A scenario: its name and description, the world's topology, a table of steps, then each step that sent packets.
 * @example
 * const html = htmlFragment(scenarioHtml(runScenario(lesson), lesson.world));
 */
export function scenarioHtml(r: ScenarioResult, world?: World): string {
  const out = [`<h2>${xml(r.name)}</h2>`];
  if (r.file) out.push(`<p class="muted"><code>${xml(r.file)}</code></p>`);
  if (r.description) out.push(`<p>${xml(r.description)}</p>`);
  if (world) out.push(`<figure>${topologySvg(world)}</figure>`);
  out.push(
    "<table><thead><tr><th>#</th><th>step</th><th>outcome</th><th>expectation</th></tr></thead><tbody>",
    ...r.steps.map((s) => `<tr><td>${s.index + 1}</td><td>${xml(s.title)}</td><td>${xml(s.outcome)}</td><td>${checkHtml(s)}</td></tr>`),
    "</tbody></table>",
    `<p><span class="${r.failed ? "fail" : "pass"}">${r.passed} passed, ${r.failed} failed</span></p>`,
  );
  for (const s of r.steps) if (s.packets.length > 0) out.push(stepHtml(s));
  return out.join("\n");
}
