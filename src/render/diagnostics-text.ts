// Problems in input files, compiler-style, one a line.
import type { Diagnostic } from "../model/diagnostic.js";
import type { Style } from "./style.js";
import { PLAIN } from "./style.js";

/** Compiler-style problems: `file:line:col  error  message  code`. */
export function diagnosticsText(diagnostics: readonly Diagnostic[], style: Style = PLAIN): string {
  return diagnostics.map((d) => `${d.file}:${d.line}:${d.column}  ${style.fail("error")}  ${d.message}  ${style.dim(d.code)}`).join("\n");
}
