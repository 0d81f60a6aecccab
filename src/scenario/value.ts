// A scenario written in code, as a plain object: copied once into plain data, so that what the
// later passes see is what a YAML file could hold. Getters run once here, and whatever is not
// plain data (a function, a Date, a Map, a class instance, a cycle, NaN) is a problem at its path.
import type { Diagnostic } from "../model/diagnostic.js";
import type { Path } from "./diagnostics.js";
import { pathText } from "./diagnostics.js";

/** Deeper than any scenario: a value this deep is refused rather than walked. */
const MAX_DEPTH = 64;

export type ValueResult = { ok: true; data: unknown } | { ok: false; diagnostics: Diagnostic[] };

/** A copy of `value` as plain data (strings, finite numbers, booleans, null, arrays, plain objects), or its problems. */
export function plainValue(value: unknown, file: string): ValueResult {
  const diagnostics: Diagnostic[] = [];
  if (value === undefined || value === null) {
    return {
      ok: false,
      diagnostics: [
        {
          file,
          line: 0,
          column: 0,
          path: pathText([]),
          code: "value/not-plain-data",
          message: "no scenario was given (undefined or null)",
        },
      ],
    };
  }
  const problem = (path: Path, message: string, code: Diagnostic["code"] = "value/not-plain-data"): undefined => {
    diagnostics.push({ file, line: 0, column: 0, path: pathText(path), code, message });
    return undefined;
  };
  const open = new Set<object>();
  const copy = (v: unknown, path: Path): unknown => {
    if (v === null || typeof v === "string" || typeof v === "boolean") return v;
    if (typeof v === "number") return Number.isFinite(v) ? v : problem(path, `${v} is not a number a scenario can hold`);
    if (typeof v !== "object")
      return problem(path, `a ${typeof v} is not plain data: a scenario holds strings, numbers, booleans, lists and objects`);
    if (path.length >= MAX_DEPTH) return problem(path, `the value is nested more than ${MAX_DEPTH} levels deep`);
    if (open.has(v)) return problem(path, "the value contains itself (a cycle)");
    open.add(v);
    try {
      if (Array.isArray(v)) return v.map((item, i) => copy(item, [...path, i]));
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        return problem(path, `a ${proto?.constructor?.name ?? "class instance"} is not plain data: write a plain object`);
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        if (key === "__proto__") {
          problem([...path, key], "__proto__ cannot be a key: every JavaScript object reserves it", "yaml/reserved-key");
          continue;
        }
        const item = read(v, key, [...path, key]);
        // `{ description: undefined }` is how code leaves a field out
        if (item === undefined) continue;
        out[key] = copy(item, [...path, key]);
      }
      return out;
    } catch (e) {
      // a proxy that throws on listing its keys: the caller's value, not our bug
      return problem(path, `reading the value failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      open.delete(v);
    }
  };
  // a getter or a proxy that throws: the caller's value, not our bug
  const read = (v: object, key: string, path: Path): unknown => {
    try {
      return (v as Record<string, unknown>)[key];
    } catch (e) {
      return problem(path, `reading the value failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const data = copy(value, []);
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, data };
}
