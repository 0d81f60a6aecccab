// The one error vpcsim's code API throws: for a caller's misuse of a public function (a port of
// 105536, a protocol of "tcp" where a number belongs, a world that is not one). Problems in a
// scenario file are diagnostics, and a change AWS would refuse is a `ChangeResult`, never a throw:
// those are data. Anything else thrown is our bug.

import type { Diagnostic } from "./diagnostic.js";

/** What was wrong, as a stable `area/what` code. */
export type VpcsimErrorCode =
  | "argument/packet"
  | "argument/address"
  | "argument/protocol"
  | "argument/port"
  | "argument/icmp"
  | "argument/flags"
  | "argument/options"
  | "argument/duration"
  | "argument/world"
  | "argument/engine"
  | "argument/scenario"
  | "argument/change"
  | "argument/endpoint"
  | "argument/flow"
  | "argument/connection"
  | "argument/rule"
  | "argument/step"
  | "environment/document"
  | "argument/documents";

/**
 * A public function was called with an argument it cannot take; `code` says which kind. A world
 * or step written in code that the loader refuses carries the loader's `diagnostics` too.
 */
export class VpcsimError extends Error {
  override name = "VpcsimError";
  readonly code: VpcsimErrorCode;
  readonly diagnostics: readonly Diagnostic[];

  constructor(code: VpcsimErrorCode, message: string, diagnostics: readonly Diagnostic[] = []) {
    super(message);
    this.code = code;
    this.diagnostics = diagnostics;
  }
}

/** A value for a message: strings quoted, everything else as JavaScript would print it. */
export function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}
