// The YAML pass: a scenario's text → one YAML document of plain data, or diagnostics at their
// nodes. Plain data is strings, numbers, booleans and null in lists and maps whose keys are
// strings: anything else would reach the shape check in a form no one wrote (`0x10:` as "16", a
// `!!binary` as a Buffer, `? [a, b]` as the text "[ a, b ]", `__proto__` dropped by zod's records).
import type { Document, Node, Pair } from "yaml";
import { isAlias, isCollection, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Diagnostic, DiagnosticCode } from "../model/diagnostic.js";

/** YAML aliases expand at most this many times, so that an alias bomb is refused. */
const MAX_ALIAS_COUNT = 100;

/** The tags of plain data (YAML 1.2 core schema); `!` is the non-specific tag, a string. */
const PLAIN_TAGS = new Map<string, (v: unknown) => boolean>([
  ["!", () => true],
  ["tag:yaml.org,2002:str", (v) => typeof v === "string"],
  ["tag:yaml.org,2002:int", (v) => typeof v === "number" || typeof v === "bigint"],
  ["tag:yaml.org,2002:float", (v) => typeof v === "number"],
  ["tag:yaml.org,2002:bool", (v) => typeof v === "boolean"],
  ["tag:yaml.org,2002:null", (v) => v === null],
  ["tag:yaml.org,2002:map", () => true],
  ["tag:yaml.org,2002:seq", () => true],
]);

export type YamlResult = { ok: true; doc: Document; lines: LineCounter; data: unknown } | { ok: false; diagnostics: Diagnostic[] };

/** The document (for positions) and its data, or every problem of the text as YAML. */
export function readYaml(text: string, file: string): YamlResult {
  const lines = new LineCounter();
  // Duplicate keys are found below: the parser's own check scans the map for every key (quadratic).
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number, code: DiagnosticCode, message: string): Diagnostic => {
    const pos = lines.linePos(offset);
    return { file, line: pos.line, column: pos.col, code, message };
  };
  const parserProblems = [
    ...doc.errors,
    // a tag the parser could not resolve is reported with the others below
    ...doc.warnings.filter((w) => w.code !== "TAG_RESOLVE_FAILED"),
  ].map((e) =>
    e.code === "MULTIPLE_DOCS"
      ? at(e.pos[0], "yaml/multiple-documents", "a second YAML document starts here (`---`): a scenario file holds one document")
      : at(e.pos[0], `yaml/${e.code.toLowerCase()}`, e.message.split("\n")[0]!),
  );
  if (parserProblems.length > 0) return { ok: false, diagnostics: parserProblems };
  // no node, or the empty node a lone `---` starts (no text of its own, unlike `~` or `null`)
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null && contents.range?.[0] === contents.range?.[1])) {
    return { ok: false, diagnostics: [at(0, "input/empty", "the file holds no YAML data (it is empty, or only comments)")] };
  }
  const problems = plainDataProblems(doc, text).map((p) => at(p.offset, p.code, p.message));
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  try {
    return { ok: true, doc, lines, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (e) {
    return { ok: false, diagnostics: [{ file, line: 1, column: 1, code: "yaml/resolve", message: (e as Error).message }] };
  }
}

interface Problem {
  readonly offset: number;
  readonly code: DiagnosticCode;
  readonly message: string;
}

/** Every node that is not plain data, in the order of the text. Iterative: nesting may be deep. */
function plainDataProblems(doc: Document, text: string): Problem[] {
  const problems: Problem[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isNode(node) || isAlias(node)) continue; // an alias's node is checked where it is anchored
    const tag = tagProblem(node, text);
    if (tag) problems.push(tag);
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = keyProblem(pair, doc, text, seen);
        if (key) problems.push(key);
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return problems.sort((a, b) => a.offset - b.offset);
}

function offsetOf(node: Node): number {
  return node.range?.[0] ?? 0;
}

/** `!!binary`, `!!set`, `!custom`, or a plain tag its value does not fit (`!!int abc`). */
function tagProblem(node: Node, text: string): Problem | undefined {
  if (!node.tag) return undefined;
  const fits = PLAIN_TAGS.get(node.tag);
  const value = isScalar(node) ? node.value : undefined;
  if (fits && (isCollection(node) || fits(value))) return undefined;
  const tag = node.tag.replace(/^tag:yaml\.org,2002:/, "!!");
  // A node's range starts after its tag: point at the tag when it is written in this short form.
  const start = offsetOf(node);
  const written = text.lastIndexOf(tag, start);
  const between = written >= 0 ? text.slice(written + tag.length, start) : "";
  return {
    offset: written >= 0 && /^\s*(?:&\S+\s*)?$/.test(between) ? written : start,
    code: "yaml/unsupported-tag",
    message: fits
      ? `${JSON.stringify(value)} cannot be read as ${tag}`
      : `the tag ${tag} is not plain data: scenario files hold strings, numbers, booleans, lists and maps`,
  };
}

/** A key that is not a string, is `__proto__`, or was seen before in its map. */
function keyProblem(pair: Pair, doc: Document, text: string, seen: Set<string>): Problem | undefined {
  const written = pair.key;
  const key = isAlias(written) ? written.resolve(doc) : written;
  const offset = isNode(written) ? offsetOf(written) : isNode(pair.value) ? offsetOf(pair.value) : 0;
  if (isCollection(key)) {
    return { offset, code: "yaml/collection-key", message: "a key is a list or a map here: keys are names, written as plain text" };
  }
  const value = isScalar(key) ? key.value : null;
  if (value === null) return { offset, code: "yaml/non-string-key", message: "a key is empty (null): keys are names" };
  if (typeof value !== "string") {
    const source = isNode(written) && written.range ? text.slice(written.range[0], written.range[1]).trim() : String(value);
    return {
      offset,
      code: "yaml/non-string-key",
      message: `the key ${source} is read as the ${typeof value === "boolean" ? "boolean" : "number"} ${String(value)}: keys are names; quote it ("${source}") to make it one`,
    };
  }
  const tag = isScalar(key) ? tagProblem(key, text) : undefined;
  if (tag) return tag;
  if (value === "__proto__") {
    return { offset, code: "yaml/reserved-key", message: "__proto__ cannot be a key: every JavaScript object reserves it" };
  }
  if (seen.has(value)) return { offset, code: "yaml/duplicate_key", message: `the key "${value}" appears twice in this map` };
  seen.add(value);
  return undefined;
}
