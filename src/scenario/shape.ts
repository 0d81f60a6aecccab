// The shape pass: the file's data against the zod schema, each issue reported at its YAML path.
import type { z } from "zod";
import type { Path, Problems } from "./diagnostics.js";
import type { ScenarioInput, StepKind } from "./schema.js";
import { scenarioSchema, stepSchemas } from "./schema.js";

export function validateShape(data: unknown, problems: Problems): ScenarioInput | undefined {
  const result = scenarioSchema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    // A step failed the union: say what is wrong for the kind of step it is.
    if (issue.path[0] === "steps" && issue.path.length === 2 && issue.code === "invalid_union") {
      stepShape((data as { steps: unknown[] }).steps[issue.path[1] as number], issue.path as Path, problems);
    } else {
      reportIssues([issue], [], problems);
    }
  }
  return undefined;
}

/** `value` in the shape of `schema`, or undefined after reporting why not, at `path`. */
export function shaped<T>(schema: z.ZodType<T>, value: unknown, path: Path, problems: Problems): T | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  return reportIssues(r.error.issues, path, problems);
}

function stepShape(step: unknown, path: Path, problems: Problems): void {
  const keys = step && typeof step === "object" ? Object.keys(step).filter((k) => k !== "expect") : [];
  // own keys only: a step called `toString` is unknown, not Object.prototype's
  const kind = keys.find((k): k is StepKind => Object.hasOwn(stepSchemas, k));
  if (!kind) {
    problems.error(
      path,
      "schema/unknown-step",
      `a step is one of ${Object.keys(stepSchemas).join(", ")}${keys.length ? `; found ${keys.join(", ")}` : ""}`,
    );
    return;
  }
  shaped<unknown>(stepSchemas[kind], step, path, problems);
}

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly code: string;
  readonly message: string;
}

function reportIssues(issues: readonly Issue[], path: Path, problems: Problems): undefined {
  for (const issue of issues) {
    const p = [...path, ...(issue.path as (string | number)[])];
    problems.error(p, `schema/${issue.code}`, `${issue.message}${p.length ? ` (at ${p.join(".")})` : ""}`);
  }
  return undefined;
}
