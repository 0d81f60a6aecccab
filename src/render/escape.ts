// User text in text and Markdown output: control characters are shown, never obeyed. A scenario's
// name or description, a rule's description, a file name, or a diagnostic quoting its input may
// hold ESC (a terminal escape sequence recolours, moves the cursor, retitles the window or writes
// a hyperlink), BEL, NUL, C1 controls (U+0080-U+009F, U+009B is a one-character CSI) or Unicode
// bidirectional controls (which reorder what a reader sees, as in "Trojan Source", CVE-2021-42574).
// Each is written as its JavaScript escape, `\u001b`, which is plain text in every terminal.

type Range = readonly [first: number, last: number];

/** C0 but tab and newline, DEL and C1, and the bidirectional marks, embeddings and isolates. */
const CONTROLS: readonly Range[] = [
  [0x00, 0x08],
  [0x0b, 0x1f],
  [0x7f, 0x9f],
  [0x061c, 0x061c],
  [0x200e, 0x200f],
  [0x202a, 0x202e],
  [0x2066, 0x2069],
];
/** Tab, newline, and the Unicode line and paragraph separators. */
const BREAKS: readonly Range[] = [
  [0x09, 0x0a],
  [0x2028, 0x2029],
];

/** A global character class of code point ranges (built, as a literal would be full of controls). */
function characterClass(ranges: readonly Range[]): RegExp {
  const hex = (n: number) => `\\u${n.toString(16).padStart(4, "0")}`;
  return new RegExp(`[${ranges.map(([a, b]) => `${hex(a)}-${hex(b)}`).join("")}]`, "g");
}

/** Controls but tab and newline, which text layout may need. */
const CONTROL = characterClass(CONTROLS);
/** Every control and line break: text that must stay on its line. */
const CONTROL_OR_BREAK = characterClass([...CONTROLS, ...BREAKS]);

const SHORT: ReadonlyMap<string, string> = new Map([
  ["\n", "\\n"],
  ["\r", "\\r"],
  ["\t", "\\t"],
]);

function escaped(c: string): string {
  return SHORT.get(c) ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** `s` with its control characters escaped; tabs and line breaks are kept. */
export function visible(s: string): string {
  return s.replace(CONTROL, escaped);
}

/** `s` on one line: control characters and line breaks escaped (`\n`, `\u001b`). */
export function oneLine(s: string): string {
  return s.replace(CONTROL_OR_BREAK, escaped);
}

/**
 * JSON text whose strings carry every control as an escape. JSON.stringify escapes U+0000-U+001F
 * already; DEL, the C1 controls and the bidirectional ones it leaves raw, and a terminal that
 * shows the JSON would obey them. `\uXXXX` is valid JSON for any character in a string, and these
 * characters appear only in strings, so the data read back is the same.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(CONTROL, escaped);
}

/** What XML and HTML cannot hold raw: lone surrogates and the noncharacters U+FFFE and U+FFFF. */
const NOT_XML = /[\p{Cs}\uFFFE\uFFFF]/gu;
const ENTITIES: ReadonlyMap<string, string> = new Map([
  ["&", "&amp;"],
  ["<", "&lt;"],
  [">", "&gt;"],
  ['"', "&quot;"],
  ["'", "&#39;"],
]);

/**
 * `s` as XML or HTML text, safe in an element and in a quoted attribute: on one line, its controls
 * and bidirectional marks escaped as `oneLine` does, and `& < > " '` written as entities.
 */
export function xml(s: string): string {
  return oneLine(s)
    .replace(NOT_XML, escaped)
    .replace(/[&<>"']/g, (c) => ENTITIES.get(c)!);
}
