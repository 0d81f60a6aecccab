// AWS CLI JSON on disk: one file, or every .json file of a folder tree (Batfish's
// `aws_configs/[account/][region/]*.json` layout included), each read within the size limit and
// parsed, a file that is not JSON reported at the line and column where parsing stopped.
import type { SourceDocument } from "../import/documents.js";
import type { Diagnostic } from "../model/diagnostic.js";
import { collectScenarioFiles } from "./collect-files.js";
import type { FileSystem } from "./file-system.js";
import { NODE_FILE_SYSTEM } from "./file-system.js";
import { readTextFile } from "./read-file.js";

/** An account's export can be tens of MB per file: far above a scenario's limit, below V8's string limit. */
export const MAX_IMPORT_BYTES = 256_000_000;

const JSON_FILE = /\.json$/i;

export async function readAwsDocuments(
  path: string,
  fs: FileSystem = NODE_FILE_SYSTEM,
): Promise<{ documents: SourceDocument[]; diagnostics: Diagnostic[] }> {
  const { files, problems } = await collectScenarioFiles([path], fs, JSON_FILE);
  const documents: SourceDocument[] = [];
  const diagnostics: Diagnostic[] = [...problems];
  for (const file of files) {
    const read = await readTextFile(file, MAX_IMPORT_BYTES, "imported files", fs);
    if (!read.ok) {
      diagnostics.push(...read.diagnostics);
      continue;
    }
    const parsed = parseJson(read.text, file);
    if (parsed.ok) documents.push({ name: file, data: parsed.data });
    else diagnostics.push(parsed.diagnostic);
  }
  if (files.length === 0 && problems.length === 0) {
    diagnostics.push({ file: path, line: 1, column: 1, code: "input/no-scenarios", message: "no .json file found to import" });
  }
  return { documents, diagnostics };
}

type JsonResult = { ok: true; data: unknown } | { ok: false; diagnostic: Diagnostic };

/** JSON text (a byte order mark allowed), or where and why it is not JSON. */
export function parseJson(text: string, file: string): JsonResult {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  try {
    return { ok: true, data: JSON.parse(body) };
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    // V8 says "at position N" (Node 20) or "(line L column C)" (Node 22); the end of input has neither
    const lc = /line (\d+) column (\d+)/.exec(e.message);
    const at = /at position (\d+)/.exec(e.message);
    const offset = at ? Number(at[1]) : body.length;
    const before = body.slice(0, offset).split("\n");
    const line = lc ? Number(lc[1]) : before.length;
    const column = lc ? Number(lc[2]) : before[before.length - 1]!.length + 1;
    return { ok: false, diagnostic: { file, line, column, code: "import/not-json", message: `not JSON: ${e.message}` } };
  }
}
