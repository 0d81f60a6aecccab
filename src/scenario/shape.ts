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

/** One step in the shape of its kind's schema, or undefined after reporting why not, at `path`. */
export function stepShape(step: unknown, path: Path, problems: Problems): Record<string, unknown> | undefined {
  const keys = step && typeof step === "object" ? Object.keys(step).filter((k) => k !== "expect") : [];
  // own keys only: a step called `toString` is unknown, not Object.prototype's
  const kind = keys.find((k): k is StepKind => Object.hasOwn(stepSchemas, k));
  if (!kind) {
    problems.error(
      path,
      "schema/unknown-step",
      `a step is one of ${Object.keys(stepSchemas).join(", ")}${keys.length ? `; found ${keys.join(", ")}` : ""}`,
    );
    return undefined;
  }
  return shaped<Record<string, unknown>>(stepSchemas[kind] as z.ZodType<Record<string, unknown>>, step, path, problems);
}

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly code: string;
  readonly message: string;
  readonly expected?: string;
  /** a union's issues, one list per member */
  readonly errors?: readonly (readonly Issue[])[];
}

function reportIssues(issues: readonly Issue[], path: Path, problems: Problems): undefined {
  for (const issue of issues) {
    const p = [...path, ...(issue.path as (string | number)[])];
    // a key that is no name is reported at the key, not at what it holds
    const where = issue.code === "invalid_key" ? "key" : "value";
    problems.error(p, `schema/${issue.code}`, `${unionMessage(issue) ?? issue.message}${p.length ? ` (at ${p.join(".")})` : ""}`, where);
  }
  return undefined;
}

/** zod says only "Invalid input" when a value has none of a union's types: say which types would do. */
function unionMessage(issue: Issue): string | undefined {
  if (issue.code !== "invalid_union" || !issue.errors?.length) return undefined;
  const members = issue.errors.map((e) => (e.length === 1 && e[0]!.code === "invalid_type" && e[0]!.path.length === 0 ? e[0] : undefined));
  if (members.some((m) => m === undefined)) return undefined;
  const expected = [...new Set(members.map((m) => m!.expected))];
  const received = / received (.+)$/.exec(members[0]!.message)?.[1];
  return `Invalid input: expected ${expected.join(" or ")}${received ? `, received ${received}` : ""}`;
}
