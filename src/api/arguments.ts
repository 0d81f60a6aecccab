// The code API's arguments: options in JavaScript's words (`networkAcl`, `icmpType`) or the files'
// (`network-acl`, `icmp-type`), copied once into plain data and turned into the scenario's words,
// so that the loader checks them as it checks a file; its diagnostics become one VpcsimError.
import type { Diagnostic } from "../model/diagnostic.js";
import type { VpcsimErrorCode } from "../model/errors.js";
import { shown, VpcsimError } from "../model/errors.js";
import { plainValue } from "../scenario/value.js";

/** The error for what the loader refused, its diagnostics in the message and on the error. */
export function refused(code: VpcsimErrorCode, caller: string, diagnostics: readonly Diagnostic[]): VpcsimError {
  const where = (d: Diagnostic) => (d.path === undefined ? `${d.line}:${d.column}` : d.path);
  return new VpcsimError(code, `${caller}: ${diagnostics.map((d) => `${where(d)}: ${d.message} (${d.code})`).join("; ")}`, diagnostics);
}

/** `name` when it is a non-empty string, else the error `code`. */
export function text(code: VpcsimErrorCode, caller: string, what: string, value: unknown): string {
  if (typeof value === "string" && value.length > 0) return value;
  throw new VpcsimError(code, `${caller}: ${what} must be a name or an address (a non-empty string), got ${shown(value)}`);
}

/**
 * The options object of a call as plain data in the files' words: undefined is `{}`, anything but
 * a plain object is refused, as are keys the call sets itself (`from` in `connect`'s options).
 */
export function options(caller: string, value: unknown, reserved: readonly string[] = []): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new VpcsimError("argument/options", `${caller}: the options must be an object, got ${shown(value)}`);
  const data = plain("argument/options", caller, value) as Record<string, unknown>;
  for (const key of reserved) {
    if (Object.hasOwn(data, key)) throw new VpcsimError("argument/options", `${caller}: "${key}" is an argument of its own, not an option`);
  }
  return data;
}

/** `value` copied as plain data in the files' words (keys in kebab-case), or the error `code`. */
export function plain(code: VpcsimErrorCode, caller: string, value: unknown): unknown {
  const copy = plainValue(value, caller);
  if (!copy.ok) throw refused(code, caller, copy.diagnostics);
  return fileWords(copy.data);
}

/** Keys in camelCase become the files' kebab-case (`blockedBy` → `blocked-by`); values are kept. */
function fileWords(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fileWords);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)] = fileWords(v);
  return out;
}
