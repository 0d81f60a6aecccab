// The shape pass: the file's data against the zod schema, each issue reported at its YAML path and
// worded to say how to fix it: an unknown key names the one that was likely meant, a missing field
// says which, a misspelt word the word.
import type { z } from "zod";
import type { Path, Problems } from "./diagnostics.js";
import type { ScenarioInput, StepKind } from "./schema.js";
import { scenarioSchema, stepSchemas } from "./schema.js";
import { closest } from "./suggest.js";

export function validateShape(data: unknown, problems: Problems): ScenarioInput | undefined {
  const result = scenarioSchema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    // A step failed the union: say what is wrong for the kind of step it is.
    if (issue.path[0] === "steps" && issue.path.length === 2 && issue.code === "invalid_union") {
      stepShape((data as { steps: unknown[] }).steps[issue.path[1] as number], issue.path as Path, problems);
    } else {
      reportIssues([issue], [], problems, { schema: scenarioSchema, value: data });
    }
  }
  return undefined;
}

/** `value` in the shape of `schema`, or undefined after reporting why not, at `path`. */
export function shaped<T>(schema: z.ZodType<T>, value: unknown, path: Path, problems: Problems): T | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  return reportIssues(r.error.issues, path, problems, { schema, value });
}

/** One step in the shape of its kind's schema, or undefined after reporting why not, at `path`. */
export function stepShape(step: unknown, path: Path, problems: Problems): Record<string, unknown> | undefined {
  const keys = step && typeof step === "object" ? Object.keys(step).filter((k) => k !== "expect") : [];
  // own keys only: a step called `toString` is unknown, not Object.prototype's
  const kind = keys.find((k): k is StepKind => Object.hasOwn(stepSchemas, k));
  if (!kind) {
    const meant = keys.map((k) => closest(k, Object.keys(stepSchemas))).find((k) => k !== undefined);
    problems.error(
      path,
      "schema/unknown-step",
      `a step is one of ${Object.keys(stepSchemas).join(", ")}${keys.length ? `; found ${keys.join(", ")}` : ""}${meant ? `; did you mean ${meant}?` : ""}`,
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
  /** unrecognized_keys: the keys */
  readonly keys?: readonly string[];
  /** invalid_value: the values that would do */
  readonly values?: readonly unknown[];
}

/** The schema that was checked and the value it was checked against: where the issues' paths start. */
interface Checked {
  readonly schema: z.ZodType;
  readonly value: unknown;
}

function reportIssues(issues: readonly Issue[], path: Path, problems: Problems, checked: Checked): undefined {
  for (const issue of issues) {
    const rel = issue.path as (string | number)[];
    const p = [...path, ...rel];
    const at = p.length ? ` (at ${p.join(".")})` : "";
    if (issue.code === "unrecognized_keys") {
      // each unknown key at its own position, with the key that was likely meant
      for (const key of issue.keys ?? []) {
        problems.error([...p, key], "schema/unrecognized_keys", `${unknownKeyMessage(key, keysAt(checked.schema, rel), p)}${at}`, "key");
      }
      continue;
    }
    const member = unionMember(issue, rel, checked);
    if (member) {
      // an object that fits no member of a union: what is wrong for the member it is nearest
      reportIssues(member.issues, p, problems, { schema: member.schema, value: valueAt(checked.value, rel) });
      continue;
    }
    const missing = missingField(rel, checked);
    if (missing) {
      problems.error(p.slice(0, -1), `schema/${issue.code}`, `${missing}${at}`);
      continue;
    }
    // a key that is no name is reported at the key, not at what it holds
    const where = issue.code === "invalid_key" ? "key" : "value";
    const message = wordMessage(issue, valueAt(checked.value, rel)) ?? unionMessage(issue) ?? issue.message;
    problems.error(p, `schema/${issue.code}`, `${message}${at}`, where);
  }
  return undefined;
}

/**
 * For a map that no member of a union accepts (`send` as a flow or as a connection's packet, `expect`
 * as a word or a map), the member that is a map with the fewest issues, and those issues.
 */
function unionMember(
  issue: Issue,
  rel: readonly PropertyKey[],
  checked: Checked,
): { schema: z.ZodType; issues: readonly Issue[] } | undefined {
  const value = valueAt(checked.value, rel);
  if (issue.code !== "invalid_union" || !issue.errors || value === null || typeof value !== "object") return undefined;
  const options = schemasAt(checked.schema, rel)
    .flatMap(unwrapped)
    .find((s) => def(s).options)?._zod.def;
  const members = (options as Def | undefined)?.options;
  if (!members || members.length !== issue.errors.length) return undefined;
  let best: number | undefined;
  issue.errors.forEach((errors, i) => {
    const isMap = unwrapped(members[i]!).some((m) => def(m).shape);
    if (isMap && (best === undefined || errors.length < issue.errors![best]!.length)) best = i;
  });
  return best === undefined ? undefined : { schema: members[best]!, issues: issue.errors[best]! };
}

/** A schema without its optional or default wrapper. */
function unwrapped(s: z.ZodType): z.ZodType[] {
  const wrapped = def(s).options ? undefined : inner(s);
  return wrapped ? unwrapped(wrapped) : [s];
}

/** `unknown key "instancez"; did you mean "instances"?`, or the keys that would do. */
function unknownKeyMessage(key: string, known: readonly string[], path: Path): string {
  // a group rule's peer is its source or destination; `cidr` is a network ACL rule's word
  if (key === "cidr" && known.includes("source")) {
    const meant = path.includes("outbound")
      ? "`destination`"
      : path.includes("inbound")
        ? "`source`"
        : "`source` (inbound) or `destination` (outbound)";
    return `a security group rule has no cidr: write the block as its ${meant}, as a group rule may also name a group or a prefix list`;
  }
  const meant = closest(key, known);
  if (meant) return `unknown key "${key}"; did you mean "${meant}"?`;
  return `unknown key "${key}"${known.length ? `: expected ${known.join(", ")}` : ""}`;
}

/** `"deny" is not one of allowed, denied; did you mean "denied"?`: a misspelt word of a list, in a union or not. */
function wordMessage(issue: Issue, value: unknown): string | undefined {
  const word = issue.code === "invalid_value" ? issue : issue.errors?.flat().find((e) => e.code === "invalid_value" && e.path.length === 0);
  if (!word?.values || typeof value !== "string") return undefined;
  const values = word.values.map(String);
  const meant = closest(value, values);
  return `"${value}" is not one of ${values.join(", ")}${meant ? `; did you mean "${meant}"?` : ""}`;
}

/** `instances.x needs "private-ip": private IPv4 address(es)...` when the issue is about a field left out. */
function missingField(rel: readonly (string | number)[], { schema, value }: Checked): string | undefined {
  const key = rel[rel.length - 1];
  const parent = valueAt(value, rel.slice(0, -1));
  if (typeof key !== "string" || parent === null || typeof parent !== "object" || Array.isArray(parent) || Object.hasOwn(parent, key)) {
    return undefined;
  }
  const field = schemasAt(schema, rel)[0];
  const about = field?.description ?? (field ? inner(field)?.description : undefined);
  return `the field "${key}" is missing${about ? `: ${about}` : ""}`;
}

/** The value at a path of the data; undefined where the path leaves it. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** zod's definition of a schema: its kind and its parts. */
interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly valueType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly options?: readonly z.ZodType[];
}

function def(s: z.ZodType): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

/** What an optional, default or pipe wraps. */
function inner(s: z.ZodType): z.ZodType | undefined {
  const d = def(s);
  return d.innerType ?? d.in;
}

/** The schemas a value may be checked against: a union's members, a wrapper's content. */
function alternatives(s: z.ZodType): z.ZodType[] {
  const d = def(s);
  if (d.options) return d.options.flatMap(alternatives);
  const wrapped = inner(s);
  return wrapped ? alternatives(wrapped) : [s];
}

/** The schemas at a path below `schema`: of every union member that has the path. */
function schemasAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  let current = [schema];
  for (const key of path) {
    current = current.flatMap(alternatives).flatMap((s) => {
      const d = def(s);
      if (d.shape) return typeof key === "string" && Object.hasOwn(d.shape, key) ? [d.shape[key]!] : [];
      if (d.valueType) return [d.valueType];
      if (d.element) return typeof key === "number" ? [d.element] : [];
      return [];
    });
  }
  return current;
}

/** The keys a map at `path` may have. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const shapes = schemasAt(schema, path)
    .flatMap(alternatives)
    .flatMap((s) => (def(s).shape ? Object.keys(def(s).shape!) : []));
  return [...new Set(shapes)];
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
