// Where the loader sends the problems it finds. In a YAML file a problem is positioned by the path
// of the node it is about; the command line names the option instead (see flow.ts).

import type { Document, LineCounter } from "yaml";
import { isNode } from "yaml";
import type { Diagnostic, DiagnosticCode } from "../model/diagnostic.js";

/** Keys and indexes from the document's root to a node, as in `["steps", 3, "connect", "from"]`. */
export type Path = readonly (string | number)[];

export interface Problems {
  /** Records a problem; returns undefined so that a parser can `return problems.error(...)`. */
  error(path: Path, code: DiagnosticCode, message: string): undefined;
}

/** The problems of one YAML document, each at the line and column of its node. */
export class Context implements Problems {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly file: string,
    readonly doc: Document,
    readonly lines: LineCounter,
  ) {}

  /** Position of the YAML node at `path`, or of its nearest existing parent. */
  at(path: Path): { line: number; column: number } {
    for (let p = [...path]; ; p.pop()) {
      const node = p.length > 0 ? this.doc.getIn(p, true) : this.doc.contents;
      if (isNode(node) && node.range) {
        const pos = this.lines.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
      if (p.length === 0) return { line: 1, column: 1 };
    }
  }

  error(path: Path, code: DiagnosticCode, message: string): undefined {
    this.diagnostics.push({ file: this.file, ...this.at(path), message, code });
    return undefined;
  }
}
