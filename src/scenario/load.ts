// Scenario text → validated model. Passes, each reporting every problem it finds with its
// file:line:col: the size limit, the encoding, YAML as plain data, the shape (zod), then meaning (CIDRs, references,
// rule numbers, and a dry run of the steps' world changes). Nothing runs unless all are clean.

import type { Diagnostic } from "../model/diagnostic.js";
import type { World } from "../model/model.js";
import { Context } from "./diagnostics.js";
import { encodingProblem } from "./encoding.js";
import { Positions } from "./positions.js";
import { stepShape, validateShape } from "./shape.js";
import type { RawStep, Step } from "./steps.js";
import { buildSteps, stepAt } from "./steps.js";
import { plainValue } from "./value.js";
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

/**
 * A loaded scenario comes with the warnings its file gave, and for a file the line and column of
 * each node (`positions`: where `vpcsim lint` shows its findings); a file that failed, with every problem.
 */
export type LoadResult =
  | { ok: true; scenario: Scenario; warnings: Diagnostic[]; positions?: Positions }
  | { ok: false; diagnostics: Diagnostic[] };

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
  return fromData(parsed.data, new Context(file, new Positions(parsed.doc, parsed.lines)));
}

/**
 * A scenario written in code as a plain object, in the vocabulary of the files, checked as a file
 * is. Its diagnostics have no line (0:0) but a `path` into the value. `name` stands for the file.
 */
export function loadScenarioValue(value: unknown, name = "<scenario>"): LoadResult {
  const plain = plainValue(value, name);
  return plain.ok ? fromData(plain.data, new Context(name)) : failed(plain.diagnostics);
}

export type StepLoadResult = { ok: true; step: Step; world: World } | { ok: false; diagnostics: Diagnostic[] };

/**
 * One step written in code as a plain object (`{ connect: { from, to, protocol, port } }`),
 * checked as a file's step is against `world` and the connections earlier steps named. Its
 * diagnostics carry a `path` from the step (`connect.to`). `world` is the world after the step.
 */
export function loadStepValue(
  value: unknown,
  index: number,
  world: World,
  connections: ReadonlyMap<string, number>,
  name: string,
): StepLoadResult {
  const plain = plainValue(value, name);
  if (!plain.ok) return failed(plain.diagnostics);
  const ctx = new Context(name);
  const raw = stepShape(plain.data, [], ctx);
  const timeline = { world, connections: new Map(connections), ctx };
  const step = raw && stepAt(raw as RawStep, index, [], timeline);
  return step && ctx.diagnostics.length === 0 ? { ok: true, step, world: timeline.world } : failed(ctx.diagnostics);
}

function fromData(data: unknown, ctx: Context): LoadResult {
  const file = ctx.file;
  const input = validateShape(data, ctx);
  const world = input && buildWorld(input, ctx);
  const steps = input && world && buildSteps(input.steps, world, ctx);
  if (!input || !world || !steps || ctx.failed) return failed(ctx.diagnostics);
  const scenario = { file, name: input.name, ...(input.description ? { description: input.description } : {}), world, steps };
  return { ok: true, scenario, warnings: ctx.diagnostics, ...(ctx.locator instanceof Positions ? { positions: ctx.locator } : {}) };
}

function failed(diagnostics: Diagnostic[]): { ok: false; diagnostics: Diagnostic[] } {
  return { ok: false, diagnostics };
}
