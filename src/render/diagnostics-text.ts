// Problems in input files, compiler-style, one a line.
import type { Diagnostic } from "../model/diagnostic.js";
import { oneLine } from "./escape.js";
import type { Style } from "./style.js";
import { PLAIN } from "./style.js";

/** Compiler-style problems: `file:line:col  error  message  code` (`name: path` for a value built in code). */
export function diagnosticsText(diagnostics: readonly Diagnostic[], style: Style = PLAIN): string {
  // file names and messages quote user text: escaped, and one line per problem whatever they hold
  return diagnostics
    .map(
      (d) =>
        `${where(d)}  ${d.severity === "warning" ? "warning" : style.fail("error")}  ${oneLine(d.message)}  ${style.dim(oneLine(d.code))}`,
    )
    .join("\n");
}

function where(d: Diagnostic): string {
  return d.path === undefined ? `${oneLine(d.file)}:${d.line}:${d.column}` : `${oneLine(d.file)}: ${oneLine(d.path)}`;
}
