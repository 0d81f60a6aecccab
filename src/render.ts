// Renderers: plain strings, no terminal or DOM. The CLI adds colour through `Style`; notebooks
// use the same text and markdown.
import type { Diagnostic } from "./scenario/load.js";
import type { ScenarioResult, StepResult } from "./scenario/run.js";
import type { Hop, PacketResult, PacketView } from "./trace.js";
import { componentLabel } from "./trace.js";

export interface Style {
  pass(s: string): string;
  fail(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export const PLAIN: Style = { pass: (s) => s, fail: (s) => s, dim: (s) => s, bold: (s) => s };

export function packetText(p: PacketView): string {
  const host = (a: string) => (a.includes(":") ? `[${a}]` : a);
  if (p.sourcePort !== undefined) {
    return `${p.protocol} ${host(p.source)}:${p.sourcePort} → ${host(p.destination)}:${p.destinationPort}${p.flags ? ` [${p.flags}]` : ""}`;
  }
  if (p.icmpType !== undefined) return `${p.protocol} ${p.source} → ${p.destination} type ${p.icmpType} code ${p.icmpCode}`;
  return `${p.protocol} ${p.source} → ${p.destination}`;
}

export function hopText(h: Hop): string {
  const parts = [`${componentLabel(h.component)}: ${h.action}`];
  if (h.rule) parts.push(h.rule);
  if (h.translation) parts.push(`${h.translation.field} ${h.translation.from} → ${h.translation.to}`);
  let s = parts.join(" — ");
  if (h.note) s += ` (${h.note})`;
  return s;
}

/** A packet's trace, one hop a line, then the drop's explanation and fix. */
export function traceText(r: PacketResult, style: Style = PLAIN, indent = "", label = ""): string {
  const lines = [`${indent}${label}${packetText(r.packet)}  ${r.delivered ? style.pass("delivered") : style.fail(`dropped: ${r.drop!.code}`)}`];
  r.hops.forEach((h, i) => lines.push(`${indent}  ${i + 1}. ${hopText(h)}`));
  if (r.drop) {
    lines.push(`${indent}  why: ${r.drop.explanation}`);
    if (r.drop.fix) lines.push(`${indent}  fix: ${r.drop.fix}`);
  }
  return lines.join("\n");
}

export interface RenderOptions {
  /** every hop of every packet, not only of drops and failed expectations */
  readonly verbose?: boolean;
  readonly style?: Style;
}

function stepText(s: StepResult, o: RenderOptions): string {
  const style = o.style ?? PLAIN;
  const mark = !s.check ? style.dim("•") : s.check.pass ? style.pass("✓") : style.fail("✗");
  const lines = [`  ${mark} ${s.index + 1}. ${s.title}: ${s.outcome}`];
  if (s.check && !s.check.pass) {
    lines.push(style.fail(`      expected: ${s.check.expected}`));
    for (const f of s.check.failures) lines.push(style.fail(`      - ${f}`));
  }
  for (const p of s.packets) {
    const show = o.verbose || !p.result.delivered || (s.check && !s.check.pass);
    if (show) lines.push(traceText(p.result, style, "      ", `${p.role}: `));
  }
  return lines.join("\n");
}

export function scenarioText(r: ScenarioResult, o: RenderOptions = {}): string {
  const style = o.style ?? PLAIN;
  const head = `${style.bold(r.file)} — ${r.name}`;
  return [head, ...r.steps.map((s) => stepText(s, o))].join("\n");
}

/** The closing summary in the style of test runners, ending with `N passed, N failed`. */
export function summaryText(results: readonly ScenarioResult[], invalid: number, style: Style = PLAIN): string {
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const failedFiles = results.filter((r) => r.failed > 0).length + invalid;
  const okFiles = results.length - results.filter((r) => r.failed > 0).length;
  const files = [failedFiles ? style.fail(`${failedFiles} failed`) : "", okFiles ? style.pass(`${okFiles} passed`) : ""].filter(Boolean).join(" | ");
  const exps = [failed ? style.fail(`${failed} failed`) : "", passed ? style.pass(`${passed} passed`) : ""].filter(Boolean).join(" | ");
  return [
    ` Scenarios     ${files || "0"} (${results.length + invalid})`,
    ` Expectations  ${exps || "0"} (${passed + failed})`,
    `${passed} passed, ${failed} failed`,
  ].join("\n");
}

export function scenarioMarkdown(r: ScenarioResult): string {
  const lines = [`## ${r.name}`, "", `\`${r.file}\``, ""];
  if (r.description) lines.push(r.description, "");
  lines.push("| # | step | outcome | expectation |", "|---|---|---|---|");
  for (const s of r.steps) {
    const exp = !s.check ? "" : s.check.pass ? `✓ ${s.check.expected}` : `✗ ${s.check.expected} — ${s.check.failures.join("; ")}`;
    lines.push(`| ${s.index + 1} | ${escape(s.title)} | ${escape(s.outcome)} | ${escape(exp)} |`);
  }
  for (const s of r.steps) {
    for (const p of s.packets) {
      if (p.result.delivered && s.check?.pass !== false) continue;
      lines.push("", `**Step ${s.index + 1}, ${p.role}:** \`${packetText(p.result.packet)}\``, "");
      p.result.hops.forEach((h, i) => lines.push(`${i + 1}. ${escape(hopText(h))}`));
      if (p.result.drop) lines.push("", `> ${p.result.drop.explanation}`, ...(p.result.drop.fix ? [">", `> Fix: ${p.result.drop.fix}`] : []));
    }
  }
  return lines.join("\n");
}

function escape(s: string): string {
  return s.replace(/\|/g, "\\|");
}

/** Compiler-style problems: `file:line:col  error  message  code`. */
export function diagnosticsText(diagnostics: readonly Diagnostic[], style: Style = PLAIN): string {
  return diagnostics
    .map((d) => `${d.file}:${d.line}:${d.column}  ${style.fail("error")}  ${d.message}  ${style.dim(d.code)}`)
    .join("\n");
}

/** The versioned JSON of `vpcsim run --format json`. */
export function resultsJson(results: readonly ScenarioResult[], invalid: readonly Diagnostic[]): unknown {
  return {
    version: 1,
    scenarios: results,
    invalid,
    summary: {
      passed: results.reduce((n, r) => n + r.passed, 0),
      failed: results.reduce((n, r) => n + r.failed, 0),
      invalidFiles: new Set(invalid.map((d) => d.file)).size,
    },
  };
}
