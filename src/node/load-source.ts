// What `vpcsim trace` and `vpcsim run` read: a scenario file, or an AWS export to import (a .json
// file, or a folder of them).
import type { ImportOptions } from "../import/aws.js";
import { loadAwsImport } from "../import/load.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Scenario } from "../scenario/load.js";
import type { FileSystem } from "./file-system.js";
import { NODE_FILE_SYSTEM } from "./file-system.js";
import { readAwsDocuments } from "./import-files.js";
import { loadScenarioFile } from "./index.js";

export type SourceResult =
  | { readonly ok: true; readonly scenario: Scenario; readonly warnings: readonly Diagnostic[] }
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

/** A scenario from a scenario file or an AWS export; the import's warnings beside it. */
export async function loadSource(path: string, fs: FileSystem = NODE_FILE_SYSTEM, options: ImportOptions = {}): Promise<SourceResult> {
  if (!(await isAwsSource(path, fs))) {
    return { ...(await loadScenarioFile(path, fs)), warnings: [] };
  }
  const read = await readAwsDocuments(path, fs);
  if (read.diagnostics.length > 0) return { ok: false, diagnostics: read.diagnostics, warnings: [] };
  return loadAwsImport(read.documents, options, path);
}
