// What `vpcsim trace` and `vpcsim run` read: a scenario file, or an AWS export or `terraform show
// -json` output to import (a .json file, or a folder of them).
import type { ImportOptions } from "../import/aws.js";
import { loadImport } from "../import/load.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Scenario } from "../scenario/load.js";
import { loadScenario } from "../scenario/load.js";
import type { Positions } from "../scenario/positions.js";
import { collectScenarioFiles } from "./collect-files.js";
import type { FileSystem } from "./file-system.js";
import { NODE_FILE_SYSTEM } from "./file-system.js";
import { readAwsDocuments } from "./import-files.js";
import { readScenarioText } from "./read-file.js";

export type SourceResult =
  | { readonly ok: true; readonly scenario: Scenario; readonly warnings: readonly Diagnostic[]; readonly positions?: Positions }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly warnings: readonly Diagnostic[] };

/** Whether `path` is read as an AWS export: a .json file, or a folder. */
export async function isAwsSource(path: string, fs: FileSystem = NODE_FILE_SYSTEM): Promise<boolean> {
  if (/\.json$/i.test(path)) return true;
  try {
    return (await fs.stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * What `vpcsim run` reads from its paths: scenario files, found in folders as before, and AWS
 * exports: a .json file, or a folder that holds .json files and no scenario file.
 */
export async function collectSources(
  paths: readonly string[],
  fs: FileSystem = NODE_FILE_SYSTEM,
): Promise<{ files: string[]; problems: Diagnostic[] }> {
  const files: string[] = [];
  const problems: Diagnostic[] = [];
  for (const path of paths) {
    const found = await collectScenarioFiles([path], fs);
    problems.push(...found.problems);
    const export_ =
      /\.json$/i.test(path) ||
      (found.files.length === 0 && found.problems.length === 0 && (await collectScenarioFiles([path], fs, /\.json$/i)).files.length > 0);
    files.push(...(export_ ? [path] : found.files));
  }
  return { files, problems };
}

/** A scenario from a scenario file or an AWS export; the import's warnings beside it. */
export async function loadSource(path: string, fs: FileSystem = NODE_FILE_SYSTEM, options: ImportOptions = {}): Promise<SourceResult> {
  if (!(await isAwsSource(path, fs))) {
    const read = await readScenarioText(path, fs);
    if (!read.ok) return { ...read, warnings: [] };
    const loaded = loadScenario(read.text, path);
    return loaded.ok ? loaded : { ...loaded, warnings: [] };
  }
  const read = await readAwsDocuments(path, fs);
  if (read.diagnostics.length > 0) return { ok: false, diagnostics: read.diagnostics, warnings: [] };
  return loadImport(read.documents, options, path);
}
