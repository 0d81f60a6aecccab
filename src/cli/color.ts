// Colours for a terminal reader.
import type { Style } from "../render/style.js";
import { PLAIN } from "../render/style.js";

const ANSI: Style = {
  pass: (s) => `\x1b[32m${s}\x1b[39m`,
  fail: (s) => `\x1b[31m${s}\x1b[39m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
};

/** Colour only on a terminal, never with NO_COLOR (no-color.org) or --no-color. */
export function styleFor(color: boolean): Style {
  return color && process.stdout.isTTY && !("NO_COLOR" in process.env && process.env.NO_COLOR !== "") ? ANSI : PLAIN;
}
