// `vpcsim diff`: the traffic whose outcome changes between two worlds (two scenario files or AWS
// exports, or one scenario before and after its steps), with the rule behind each side. Exit 1
// when anything changes, so a CI job fails on a change a reviewer has not seen.
import { diffWorlds } from "../analysis/diff.js";
import type { World } from "../model/model.js";
import { loadSource } from "../node/load-source.js";
import { diagnosticsText } from "../render/diagnostics-text.js";
import { diffText } from "../render/diff-text.js";
import { jsonText } from "../render/escape.js";
import { worldAfterSteps } from "../scenario/run.js";
import { styleFor } from "./color.js";
import { EXIT } from "./exit-codes.js";
import type { Output } from "./io.js";
import type { Seams } from "./seams.js";

export interface DiffCommandOptions {
  readonly format: "text" | "json";
  readonly afterSteps?: boolean;
  readonly vpc?: string;
  readonly color: boolean;
}

export async function diffCommand(
  before: string,
  after: string | undefined,
  opts: DiffCommandOptions,
  out: Output,
  seams: Seams,
): Promise<number> {
  const style = styleFor(opts.color && opts.format === "text");
  if ((opts.afterSteps === true) === (after !== undefined)) {
    out.err("vpcsim diff: give two worlds, <before> <after>, or one scenario with --after-steps");
    return EXIT.invalid;
  }
  const worlds: World[] = [];
  for (const path of after === undefined ? [before] : [before, after]) {
    const loaded = await loadSource(path, seams.fileSystem, opts.vpc === undefined ? {} : { vpc: opts.vpc });
    // a world compared with another needs no steps of its own
    const warnings = loaded.warnings.filter((w) => w.code !== "scenario/no-steps");
    if (warnings.length > 0) out.err(diagnosticsText(warnings, style));
    if (!loaded.ok) {
      out.err(diagnosticsText(loaded.diagnostics, style));
      return EXIT.invalid;
    }
    worlds.push(loaded.scenario.world);
    if (opts.afterSteps) worlds.push(worldAfterSteps(loaded.scenario));
  }
  const diff = diffWorlds(worlds[0]!, worlds[1]!);
  out.out(opts.format === "json" ? jsonText({ version: 1, ...diff }, 2) : diffText(diff, style));
  return diff.changes.length > 0 ? EXIT.failed : EXIT.ok;
}
