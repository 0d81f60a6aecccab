// Scenario text → validated model. Passes, each reporting every problem it finds with its
// file:line:col: the size limit, the encoding, YAML as plain data, the shape (zod), then meaning (CIDRs, references,
// rule numbers, and a dry run of the steps' world changes). Nothing runs unless all are clean.

import type { Diagnostic } from "../model/diagnostic.js";
import type { World } from "../model/model.js";
import { Context } from "./diagnostics.js";
import { encodingProblem } from "./encoding.js";
import { validateShape } from "./shape.js";
import type { Step } from "./steps.js";
import { buildSteps } from "./steps.js";
import { buildWorld } from "./world.js";
import { readYaml } from "./yaml.js";

export type { Endpoint, Flow } from "./flow.js";
export type { Expectation, Step } from "./steps.js";

export interface Scenario {
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly world: World;
  readonly steps: readonly Step[];
}

/** A loaded scenario comes with the warnings its file gave; a file that failed, with every problem. */
export type LoadResult = { ok: true; scenario: Scenario; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** Files larger than this are refused before parsing: scenarios are hand-written. */
export const MAX_SCENARIO_BYTES = 2_000_000;

export function loadScenario(text: string, file: string): LoadResult {
  if (text.length > MAX_SCENARIO_BYTES) {
    return failed([
      {
        file,
        line: 1,
        column: 1,
        code: "input/too-large",
        message: `the file has ${text.length} characters; scenarios are limited to ${MAX_SCENARIO_BYTES}`,
      },
    ]);
  }
  const encoding = encodingProblem(text, file);
  if (encoding) return failed([encoding]);
  const parsed = readYaml(text, file);
  if (!parsed.ok) return failed(parsed.diagnostics);
  const ctx = new Context(file, parsed.doc, parsed.lines);
  const input = validateShape(parsed.data, ctx);
  const world = input && buildWorld(input, ctx);
  const steps = input && world && buildSteps(input.steps, world, ctx);
  if (!input || !world || !steps || ctx.failed) return failed(ctx.diagnostics);
  const scenario = { file, name: input.name, ...(input.description ? { description: input.description } : {}), world, steps };
  return { ok: true, scenario, warnings: ctx.diagnostics };
}

function failed(diagnostics: Diagnostic[]): LoadResult {
  return { ok: false, diagnostics };
}
