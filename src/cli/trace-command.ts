// `vpcsim trace`: one connection, built from the options and checked as a connect step is, against
// a scenario's world before its steps. A bad option is an error about that option, never about a
// line of a file the user did not write.
import { loadSource } from "../node/load-source.js";
import { diagnosticsText } from "../render/diagnostics-text.js";
import { traceText } from "../render/packet-text.js";
import type { FlowOptions, OptionProblem } from "../scenario/flow.js";
import { flowFromOptions } from "../scenario/flow.js";
import { runConnection } from "../scenario/run.js";
import { styleFor } from "./color.js";
import { EXIT } from "./exit-codes.js";
import type { Output } from "./io.js";
import type { Seams } from "./seams.js";

export interface TraceOptions extends FlowOptions {
  readonly color: boolean;
  readonly vpc?: string;
}

export async function trace(file: string, opts: TraceOptions, out: Output, seams: Seams): Promise<number> {
  const style = styleFor(opts.color);
  const loaded = await loadSource(file, seams.fileSystem, opts.vpc === undefined ? {} : { vpc: opts.vpc });
  if (loaded.warnings.length > 0) out.err(diagnosticsText(loaded.warnings, style));
  if (!loaded.ok) {
    out.err(diagnosticsText(loaded.diagnostics, style));
    return EXIT.invalid;
  }
  const flow = flowFromOptions(loaded.scenario.world, opts);
  if (!flow.ok) {
    for (const p of flow.problems) out.err(`vpcsim trace: ${optionProblemText(p)}`);
    return EXIT.invalid;
  }
  const step = runConnection(loaded.scenario.world, flow.flow);
  out.out(`${style.bold(step.title)}: ${step.outcome}`);
  for (const p of step.packets) out.out(traceText(p.result, style, "", `${p.role}: `));
  return step.packets.every((p) => p.result.delivered) ? EXIT.ok : EXIT.failed;
}

/** `--from "x": "x" is neither ...`: the option as typed, then what is wrong with it. */
function optionProblemText(p: OptionProblem): string {
  const value = p.value === undefined ? "" : typeof p.value === "string" ? ` "${p.value}"` : ` ${String(p.value)}`;
  return `--${p.option}${value}: ${p.message}`;
}
