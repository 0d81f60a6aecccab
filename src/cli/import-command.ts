// `vpcsim import`: an AWS export (a folder of describe-* outputs, or one combined file) or
// `terraform show -json` output of a state or a plan, written as
// a scenario YAML on stdout, the warnings on stderr. Exit 2 on any error: nothing half-imported.

import type { ImportDialect } from "../import/load.js";
import { loadImport } from "../import/load.js";
import { scenarioYaml } from "../import/yaml-text.js";
import { readAwsDocuments } from "../node/import-files.js";
import { diagnosticsText } from "../render/diagnostics-text.js";
import { styleFor } from "./color.js";
import { EXIT } from "./exit-codes.js";
import type { Output } from "./io.js";
import type { Seams } from "./seams.js";

export interface ImportCommandOptions {
  readonly vpc?: string;
  readonly name?: string;
  /** the dialect; detected from the documents when not given */
  readonly from?: ImportDialect;
  readonly color: boolean;
}

export async function importCommand(path: string, opts: ImportCommandOptions, out: Output, seams: Seams): Promise<number> {
  const style = styleFor(opts.color);
  const read = await readAwsDocuments(path, seams.fileSystem);
  if (read.diagnostics.length > 0) {
    out.err(diagnosticsText(read.diagnostics, style));
    return EXIT.invalid;
  }
  const options = { ...(opts.vpc !== undefined ? { vpc: opts.vpc } : {}), ...(opts.name !== undefined ? { name: opts.name } : {}) };
  const loaded = loadImport(read.documents, options, path, opts.from);
  if (loaded.warnings.length > 0) out.err(diagnosticsText(loaded.warnings, style));
  if (!loaded.ok) {
    out.err(diagnosticsText(loaded.diagnostics, style));
    return EXIT.invalid;
  }
  out.out(scenarioYaml(loaded.value, loaded.origins, loaded.warnings, path).trimEnd());
  return EXIT.ok;
}
