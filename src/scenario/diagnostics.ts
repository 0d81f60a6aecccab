// Where the loader sends the problems it finds. In a YAML file a problem is positioned by the path
// of the node it is about; the command line names the option instead (see flow.ts).

import type { Diagnostic, DiagnosticCode } from "../model/diagnostic.js";
import { isError } from "../model/diagnostic.js";
import type { Path, Where } from "./positions.js";

export type { Path, Where } from "./positions.js";

export interface Problems {
  /**
   * Records a problem; returns undefined so that a parser can `return problems.error(...)`. At
   * `where: "key"` a file positions it at the key of the path's last step (a bad name).
   */
  error(path: Path, code: DiagnosticCode, message: string, where?: Where): undefined;
  /** Records a warning: something AWS accepts but that is likely a mistake, or over a quota. */
  warn?(path: Path, code: DiagnosticCode, message: string, where?: Where): void;
}

/** Where the node at a path was written: a YAML file's Positions, or none for a value built in code. */
export interface Locator {
  at(path: Path, where: Where): { line: number; column: number };
}

/**
 * The problems of one input, each at the line and column of its node. A value built in code has
 * no lines: its problems are at 0:0 and carry the path instead (`security-groups.web.inbound[0]`).
 */
export class Context implements Problems {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly file: string,
    readonly locator?: Locator,
  ) {}

  /** Position of the node at `path` (or of its key), or of its nearest existing parent. */
  at(path: Path, where: Where = "value"): { line: number; column: number } {
    return this.locator ? this.locator.at(path, where) : { line: 0, column: 0 };
  }

  error(path: Path, code: DiagnosticCode, message: string, where: Where = "value"): undefined {
    const position = this.locator ? this.locator.at(path, where) : { line: 0, column: 0, path: pathText(path) };
    this.diagnostics.push({ file: this.file, ...position, message, code });
    return undefined;
  }

  warn(path: Path, code: DiagnosticCode, message: string, where: Where = "value"): void {
    this.diagnostics.push({ file: this.file, ...this.at(path, where), message, code, severity: "warning" });
  }

  /** Whether any problem so far is an error (warnings do not stop a file from loading). */
  get failed(): boolean {
    return this.diagnostics.some(isError);
  }
}

/** A path as a reader writes it: `steps[3].connect.from`. */
export function pathText(path: Path): string {
  let text = "";
  for (const step of path) text += typeof step === "number" ? `[${step}]` : text === "" ? step : `.${step}`;
  return text === "" ? "(the whole value)" : text;
}
