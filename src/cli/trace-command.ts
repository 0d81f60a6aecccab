// `vpcsim trace`: one connection, built from the options and checked as a connect step is, against
// a scenario's world (or an AWS export's) before its steps or after the first N of them. A bad option
// is an error about that option, never about a line of a file the user did not write.
import { loadSource } from "../node/load-source.js";
import { diagnosticsText } from "../render/diagnostics-text.js";
import { jsonText, oneLine } from "../render/escape.js";
import { traceResultHtml, traceResultJson, traceResultMarkdown, traceResultText } from "../render/trace-formats.js";
import type { FlowOptions, OptionProblem } from "../scenario/flow.js";
import { flowFromOptions } from "../scenario/flow.js";
import { allDelivered, runConnectionAfter } from "../scenario/run.js";
import { styleFor } from "./color.js";
import { EXIT } from "./exit-codes.js";
import type { Output } from "./io.js";
import type { Seams } from "./seams.js";

export const TRACE_FORMATS = ["text", "json", "markdown", "html"] as const;

export interface TraceOptions extends FlowOptions {
  readonly color: boolean;
  readonly format: (typeof TRACE_FORMATS)[number];
  readonly afterStep?: number;
  readonly vpc?: string;
}

export async function trace(file: string, opts: TraceOptions, out: Output, seams: Seams): Promise<number> {
  const style = styleFor(opts.color && opts.format === "text");
  const loaded = await loadSource(file, seams.fileSystem, opts.vpc === undefined ? {} : { vpc: opts.vpc });
  if (loaded.warnings.length > 0) out.err(diagnosticsText(loaded.warnings, style));
  if (!loaded.ok) {
    out.err(diagnosticsText(loaded.diagnostics, style));
    return EXIT.invalid;
  }
  const { scenario } = loaded;
  const afterStep = opts.afterStep ?? 0;
  const problems: OptionMistake[] = [];
  if (afterStep < 0 || afterStep > scenario.steps.length) {
    const count = scenario.steps.length === 1 ? "1 step" : `${scenario.steps.length} steps`;
    problems.push({ option: "after-step", value: afterStep, message: `the scenario has ${count}: give 0-${scenario.steps.length}` });
  }
  const flow = flowFromOptions(scenario.world, opts);
  if (!flow.ok) problems.push(...flow.problems);
  if (problems.length > 0 || !flow.ok) {
    for (const p of problems) out.err(`vpcsim trace: ${optionProblemText(p)}`);
    return EXIT.invalid;
  }
  const result = runConnectionAfter(scenario, afterStep, flow.flow);
  const point = { file, afterStep };
  switch (opts.format) {
    case "text":
      out.out(traceResultText(point, result, style));
      break;
    case "markdown":
      out.out(traceResultMarkdown(point, result));
      break;
    case "json":
      out.out(jsonText(traceResultJson(point, result), 2));
      break;
    case "html":
      out.out(traceResultHtml(point, result));
      break;
  }
  return allDelivered(result.connection.packets) ? EXIT.ok : EXIT.failed;
}

type OptionMistake = Pick<OptionProblem, "option" | "value" | "message">;

/** `--from "x": "x" is neither ...`: the option as typed, then what is wrong with it. */
function optionProblemText(p: OptionMistake): string {
  const value = p.value === undefined ? "" : typeof p.value === "string" ? ` "${oneLine(p.value)}"` : ` ${String(p.value)}`;
  return `--${p.option}${value}: ${oneLine(p.message)}`;
}
