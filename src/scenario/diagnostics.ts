// Where the loader sends the problems it finds. In a YAML file a problem is positioned by the path
// of the node it is about; the command line names the option instead (see flow.ts).

import type { Document, LineCounter } from "yaml";
import type { Diagnostic, DiagnosticCode } from "../model/diagnostic.js";
import { isError } from "../model/diagnostic.js";
import type { Path, Where } from "./positions.js";
import { Positions } from "./positions.js";

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

/** The problems of one YAML document, each at the line and column of its node. */
export class Context implements Problems {
  readonly diagnostics: Diagnostic[] = [];
  readonly #positions: Positions;
  constructor(
    readonly file: string,
    readonly doc: Document,
    readonly lines: LineCounter,
  ) {
    this.#positions = new Positions(doc, lines);
  }

  /** Position of the YAML node at `path` (or of its key), or of its nearest existing parent. */
  at(path: Path, where: Where = "value"): { line: number; column: number } {
    return this.#positions.at(path, where);
  }

  error(path: Path, code: DiagnosticCode, message: string, where: Where = "value"): undefined {
    this.diagnostics.push({ file: this.file, ...this.at(path, where), message, code });
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
