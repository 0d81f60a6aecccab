// An import, checked as a scenario file is: the importer's value goes through loadScenarioValue,
// so validation is written once, and each problem the loader finds in the generated value is
// reported against the AWS resource and field it came from.
import type { Diagnostic } from "../model/diagnostic.js";
import type { Scenario } from "../scenario/load.js";
import { loadScenarioValue } from "../scenario/load.js";
import type { ScenarioInput } from "../scenario/schema.js";
import type { ImportOptions, ImportResult, Origin } from "./aws.js";
import { importAws } from "./aws.js";
import type { SourceDocument } from "./documents.js";
import { importTerraform, isTerraformDocument } from "./terraform.js";

/** The dialects an import is read in. */
export const IMPORT_DIALECTS = ["aws", "terraform"] as const;
export type ImportDialect = (typeof IMPORT_DIALECTS)[number];

/** The dialect of parsed documents: Terraform's `terraform show -json` (format_version with values or planned_values), else AWS CLI JSON. */
export function dialectOf(documents: readonly SourceDocument[]): ImportDialect {
  return documents.some((d) => isTerraformDocument(d.data)) ? "terraform" : "aws";
}

/** Documents in a dialect (detected when not given) → a loaded scenario, or the problems. */
export function loadImport(
  documents: readonly SourceDocument[],
  options: ImportOptions = {},
  file = "import",
  from: ImportDialect = dialectOf(documents),
): ImportLoadResult {
  return loadImported(from === "terraform" ? importTerraform(documents, options) : importAws(documents, options), file);
}

export type ImportLoadResult =
  | {
      readonly ok: true;
      readonly scenario: Scenario;
      readonly value: ScenarioInput;
      readonly warnings: readonly Diagnostic[];
      readonly origins: ImportResult["origins"];
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly warnings: readonly Diagnostic[] };

/** AWS CLI JSON documents → a loaded scenario, or the problems, each naming its file, resource and field. */
export function loadAwsImport(documents: readonly SourceDocument[], options: ImportOptions = {}, file = "import"): ImportLoadResult {
  return loadImported(importAws(documents, options), file);
}

/** An importer's result, checked as a scenario file is; each problem placed on the resource and field it came from. */
export function loadImported(imported: ImportResult, file: string): ImportLoadResult {
  if (imported.errors.length > 0) return { ok: false, diagnostics: imported.errors, warnings: imported.warnings };
  const loaded = loadScenarioValue(imported.value, file);
  if (!loaded.ok) {
    return { ok: false, diagnostics: loaded.diagnostics.map((d) => placed(d, imported.origins)), warnings: imported.warnings };
  }
  return { ok: true, scenario: loaded.scenario, value: imported.value, warnings: imported.warnings, origins: imported.origins };
}

/** A path's parents, nearest first: `a.b[0].c`, `a.b[0]`, `a.b`, `a`. */
function* parents(path: string): Generator<string> {
  let p = path;
  while (p !== "") {
    yield p;
    const cut = p.search(/(\.[^.[\]]*|\[\d+\])$/);
    if (cut <= 0) return;
    p = p.slice(0, cut);
  }
}

/** A loader diagnostic on the generated value, moved to the AWS resource that the value came from. */
export function placed(d: Diagnostic, origins: ReadonlyMap<string, Origin>): Diagnostic {
  if (d.path === undefined) return d;
  for (const p of parents(d.path)) {
    const o = origins.get(p);
    if (o) return { ...d, file: o.file, path: o.path, message: `${o.id}: ${d.message.replace(/ \(at [^)]*\)$/, "")} (scenario ${d.path})` };
  }
  return d;
}
