// Where an importer's problems go: each names the file, the resource ID and the field, as data.
import type { Diagnostic, DiagnosticCode } from "../model/diagnostic.js";

/** One resource of an AWS document: the file it came from, its place there, its ID and its fields. */
export interface Item {
  readonly file: string;
  /** where the resource sits in its document: `RouteTables[2]` */
  readonly path: string;
  readonly id: string;
  readonly data: Json;
}

export type Json = Readonly<Record<string, unknown>>;

/** The warnings and errors of one import. A warning never stops it; an error gives no scenario. */
export class ImportProblems {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];

  error(at: Item | Omit<Item, "data">, field: string, code: DiagnosticCode, message: string): undefined {
    this.errors.push(diagnostic(at, field, code, message, "error"));
    return undefined;
  }

  warn(at: Item | Omit<Item, "data">, field: string, code: DiagnosticCode, message: string): void {
    this.warnings.push(diagnostic(at, field, code, message, "warning"));
  }
}

function diagnostic(
  at: Omit<Item, "data">,
  field: string,
  code: DiagnosticCode,
  message: string,
  severity: "error" | "warning",
): Diagnostic {
  const path = field === "" ? at.path : field.startsWith("[") ? `${at.path}${field}` : `${at.path}.${field}`;
  return { file: at.file, line: 0, column: 0, path, code, message: at.id ? `${at.id}: ${message}` : message, severity };
}

/** A field of an AWS object; an explicit `null` is the same as an absent field. */
export function field(o: Json, key: string): unknown {
  const v = Object.hasOwn(o, key) ? o[key] : undefined;
  return v === null ? undefined : v;
}

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Typed reads of an item's fields: a value of the wrong type is an error naming the field. */
export class Fields {
  constructor(
    readonly item: Item,
    readonly problems: ImportProblems,
  ) {}

  text(o: Json, key: string, where = key): string | undefined {
    const v = field(o, key);
    if (v === undefined || typeof v === "string") return v;
    return this.problems.error(this.item, where, "import/bad-field", `${key} is ${typeof v}, where AWS writes a string`);
  }

  number(o: Json, key: string, where = key): number | undefined {
    const v = field(o, key);
    if (v === undefined || (typeof v === "number" && Number.isInteger(v))) return v;
    return this.problems.error(this.item, where, "import/bad-field", `${key} is ${JSON.stringify(v)}, where AWS writes a whole number`);
  }

  boolean(o: Json, key: string, where = key): boolean | undefined {
    const v = field(o, key);
    if (v === undefined || typeof v === "boolean") return v;
    return this.problems.error(this.item, where, "import/bad-field", `${key} is ${JSON.stringify(v)}, where AWS writes true or false`);
  }

  /** A list of objects, each with its field path (`IpPermissions[2]`). */
  objects(o: Json, key: string, where = key): [Json, string][] {
    const v = field(o, key);
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      this.problems.error(this.item, where, "import/bad-field", `${key} is not a list`);
      return [];
    }
    const out: [Json, string][] = [];
    v.forEach((x, i) => {
      if (isObject(x)) out.push([x, `${where}[${i}]`]);
      else if (x !== null) this.problems.error(this.item, `${where}[${i}]`, "import/bad-field", `${key}[${i}] is not an object`);
    });
    return out;
  }

  object(o: Json, key: string, where = key): Json | undefined {
    const v = field(o, key);
    if (v === undefined || isObject(v)) return v;
    return this.problems.error(this.item, where, "import/bad-field", `${key} is not an object`);
  }

  /** The `Name` tag (Tags or TagSet, as describe-* write them). */
  nameTag(o: Json = this.item.data): string | undefined {
    for (const key of ["Tags", "TagSet"]) {
      const v = field(o, key);
      if (!Array.isArray(v)) continue;
      const tag = v.find((t) => isObject(t) && field(t, "Key") === "Name");
      const value = isObject(tag) ? field(tag, "Value") : undefined;
      if (typeof value === "string") return value;
    }
    return undefined;
  }
}
