// `vpcsim reach`: every port that gets from one endpoint to another of a scenario's world (before
// its steps) and whose reply gets back, as a table of intervals, each blocked one with its reason.
import type { ReachTable } from "../analysis/reach.js";
import { REACH_PROTOCOLS, reach } from "../analysis/reach.js";
import { loadScenarioFile } from "../node/index.js";
import { diagnosticsText } from "../render/diagnostics-text.js";
import { reachText } from "../render/reach-text.js";
import { flowFromOptions } from "../scenario/flow.js";
import { styleFor } from "./color.js";
import { EXIT } from "./exit-codes.js";
import type { Output } from "./io.js";
import type { Seams } from "./seams.js";

export interface ReachCommandOptions {
  readonly format: "text" | "json";
  readonly color: boolean;
}

export async function reachCommand(
  file: string,
  from: string,
  to: string,
  opts: ReachCommandOptions,
  out: Output,
  seams: Seams,
): Promise<number> {
  const style = styleFor(opts.color);
  const loaded = await loadScenarioFile(file, seams.fileSystem);
  if (!loaded.ok) {
    out.err(diagnosticsText(loaded.diagnostics, style));
    return EXIT.invalid;
  }
  // the ends are checked as a trace's are; the protocol and port are reach's to vary
  const flow = flowFromOptions(loaded.scenario.world, { from, to, protocol: "tcp", port: 0 });
  if (!flow.ok) {
    for (const p of flow.problems) out.err(`vpcsim reach: <${p.option}> "${String(p.value)}": ${p.message}`);
    return EXIT.invalid;
  }
  const table = reach(loaded.scenario.world, flow.flow.from, flow.flow.to, { protocols: REACH_PROTOCOLS });
  out.out(opts.format === "json" ? reachJson(table) : reachText(table, style));
  return table.rows.some((r) => r.outcome === "allowed") ? EXIT.ok : EXIT.failed;
}

function reachJson(table: ReachTable): string {
  const end = (e: ReachTable["from"]) => (e.kind === "address" ? { kind: e.kind, address: e.address.text } : e);
  return JSON.stringify({ version: 1, ...table, from: end(table.from), to: end(table.to) }, null, 2);
}
