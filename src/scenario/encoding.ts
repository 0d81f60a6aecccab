// Whether a scenario's text was UTF-8 before it became a string. Files are decoded as UTF-8 (see
// src/node/): a UTF-16 file then starts with two U+FFFD for its byte order mark and holds a NUL
// after every ASCII character, and bytes that are not UTF-8 become U+FFFD. YAML would read either
// as data, so the user would meet a puzzling shape error far from the cause.
import type { Diagnostic } from "../model/diagnostic.js";

/** UTF-16's byte order mark FF FE or FE FF, decoded as UTF-8 (two U+FFFD) or as Latin-1 (ÿþ, þÿ). */
const UTF16_BOM = /^(?:\uFFFD\uFFFD|\u00FF\u00FE|\u00FE\u00FF)/;

/** A problem with the text's encoding, at the first character that shows it; undefined when none. */
export function encodingProblem(text: string, file: string): Diagnostic | undefined {
  if (UTF16_BOM.test(text)) {
    return {
      file,
      line: 1,
      column: 1,
      code: "input/utf16",
      message: "the file is UTF-16 (it starts with a UTF-16 byte order mark, FF FE or FE FF): vpcsim reads UTF-8, save it as UTF-8",
    };
  }
  const nul = text.indexOf("\u0000");
  if (nul >= 0) {
    return {
      file,
      ...position(text, nul),
      code: "input/utf16",
      message: "the file holds NUL bytes, as UTF-16 text (or a binary file) does: vpcsim reads UTF-8, save it as UTF-8",
    };
  }
  const bad = text.indexOf("\uFFFD");
  if (bad >= 0) {
    return {
      file,
      ...position(text, bad),
      code: "input/not-utf8",
      message:
        "the file is not UTF-8: here is a byte that is not UTF-8 (read as U+FFFD, as Latin-1 or Windows-1252 text gives); save the file as UTF-8",
    };
  }
  return undefined;
}

/** Line and column (1-based, in UTF-16 code units as the YAML parser counts) of `offset`. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
