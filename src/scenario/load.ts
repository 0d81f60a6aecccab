// Scenario text → validated model. Passes, each reporting every problem it finds with its
// file:line:col: the size limit, YAML syntax, the shape (zod), then meaning (CIDRs, references,
// rule numbers, and a dry run of the steps' world changes). Nothing runs unless all are clean.

import type { Document } from "yaml";
import { LineCounter, parseDocument } from "yaml";
import type { Diagnostic } from "../model/diagnostic.js";
import type { World } from "../model/model.js";
import { Context } from "./diagnostics.js";
import { validateShape } from "./shape.js";
import type { Step } from "./steps.js";
import { buildSteps } from "./steps.js";
import { buildWorld } from "./world.js";

export type { Endpoint, Flow } from "./flow.js";
export type { Expectation, Step } from "./steps.js";

export interface Scenario {
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly world: World;
  readonly steps: readonly Step[];
}

export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; diagnostics: Diagnostic[] };

/** Files larger than this are refused before parsing: scenarios are hand-written. */
export const MAX_SCENARIO_BYTES = 2_000_000;

/** YAML aliases expand at most this many times, so that an alias bomb is refused. */
const MAX_ALIAS_COUNT = 100;

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
  const parsed = readYaml(text, file);
  if (!parsed.ok) return failed(parsed.diagnostics);
  const ctx = new Context(file, parsed.doc, parsed.lines);
  const input = validateShape(parsed.data, ctx);
  const world = input && buildWorld(input, ctx);
  const steps = input && world && buildSteps(input.steps, world, ctx);
  if (!input || !world || !steps || ctx.diagnostics.length > 0) return failed(ctx.diagnostics);
  return { ok: true, scenario: { file, name: input.name, ...(input.description ? { description: input.description } : {}), world, steps } };
}

function failed(diagnostics: Diagnostic[]): LoadResult {
  return { ok: false, diagnostics };
}

type YamlResult = { ok: true; doc: Document; lines: LineCounter; data: unknown } | { ok: false; diagnostics: Diagnostic[] };

/** The document (for positions) and its data, or the parser's errors. */
function readYaml(text: string, file: string): YamlResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = doc.errors.map((e) => {
    const at = lines.linePos(e.pos[0]);
    return { file, line: at.line, column: at.col, message: e.message.split("\n")[0]!, code: `yaml/${e.code.toLowerCase()}` };
  });
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  try {
    return { ok: true, doc, lines, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (e) {
    return { ok: false, diagnostics: [{ file, line: 1, column: 1, code: "yaml/resolve", message: (e as Error).message }] };
  }
}
