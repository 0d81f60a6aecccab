// `vpcsim run`: load and run scenario files, print their results, and give the exit code. One file
// that crashes us is reported as failed and the others still run; JSON is always one document.
import type { Diagnostic } from "../model/diagnostic.js";
import { collectSources, loadSource } from "../node/load-source.js";
import { diagnosticsText } from "../render/diagnostics-text.js";
import { resultsJson } from "../render/results-json.js";
import { scenarioMarkdown } from "../render/scenario-markdown.js";
import { scenarioText, summaryText } from "../render/scenario-text.js";
import { PLAIN } from "../render/style.js";
import type { ScenarioResult } from "../scenario/run.js";
import { styleFor } from "./color.js";
import { EXIT } from "./exit-codes.js";
import { errorMessage, internalErrorReport } from "./internal-error.js";
import type { Output } from "./io.js";
import type { Seams } from "./seams.js";

export interface RunOptions {
  readonly format: string;
  readonly verbose?: boolean;
  readonly color: boolean;
  /** an AWS export's VPC, when it holds several */
  readonly vpc?: string;
}

/** A bug of ours met while handling one file (or, with no file, the run itself), as data. */
interface InternalError {
  readonly file: string | null;
  readonly message: string;
  readonly error: unknown;
}

export async function run(paths: readonly string[], opts: RunOptions, out: Output, seams: Seams, debug: boolean): Promise<number> {
  const invalid: Diagnostic[] = [];
  const results: ScenarioResult[] = [];
  const internal: InternalError[] = [];
  const crashed = (error: unknown, file: string | null) => internal.push({ file, message: errorMessage(error), error });
  try {
    const { files, problems } = await collectSources(paths, seams.fileSystem);
    invalid.push(...problems);
    for (const file of files) {
      try {
        const loaded = await loadSource(file, seams.fileSystem, opts.vpc === undefined ? {} : { vpc: opts.vpc });
        if (loaded.warnings.length > 0) out.err(diagnosticsText(loaded.warnings));
        if (loaded.ok) results.push(seams.runScenario(loaded.scenario));
        else invalid.push(...loaded.diagnostics);
      } catch (e) {
        crashed(e, file);
      }
    }
    if (files.length === 0 && problems.length === 0) {
      invalid.push({ file: paths.join(" "), line: 1, column: 1, code: "input/no-scenarios", message: "no .yaml scenario files found" });
    }
  } catch (e) {
    crashed(e, null);
  }

  // Each result is rendered on its own, so that one that cannot be rendered loses only itself.
  const style = opts.format === "text" ? styleFor(opts.color) : PLAIN;
  const rendered: { result: ScenarioResult; text: string }[] = [];
  for (const result of opts.format === "json" ? [] : results) {
    try {
      const text =
        opts.format === "markdown" ? scenarioMarkdown(result) : `${scenarioText(result, { verbose: opts.verbose ?? false, style })}\n`;
      rendered.push({ result, text });
    } catch (e) {
      crashed(e, result.file);
    }
  }
  const reportInternal = () => {
    for (const i of internal) out.err(internalErrorReport(i.error, debug, i.file ?? undefined));
  };

  if (opts.format === "json") {
    out.out(jsonDocument(results, invalid, internal));
    reportInternal();
  } else {
    const shown = rendered.map((r) => r.result);
    const failedFiles = new Set([...invalid.map((d) => d.file), ...internal.flatMap((i) => (i.file === null ? [] : [i.file]))]).size;
    if (opts.format === "markdown") {
      out.out(rendered.map((r) => r.text).join("\n\n"));
      if (invalid.length) out.out(["", "```", diagnosticsText(invalid), "```"].join("\n"));
      reportInternal();
      out.out(`\n${summaryText(shown, failedFiles)}`);
    } else {
      for (const r of rendered) out.out(r.text);
      if (invalid.length) out.err(`${diagnosticsText(invalid, style)}\n`);
      reportInternal();
      out.out(summaryText(shown, failedFiles, style));
    }
  }

  if (internal.length > 0) return EXIT.internal;
  if (invalid.length > 0) return EXIT.invalid;
  return results.some((r) => r.failed > 0) ? EXIT.failed : EXIT.ok;
}

/**
 * The versioned document of `--format json`, with the internal errors as data. A result that
 * cannot be written as JSON becomes an internal error itself; the document is always whole.
 */
function jsonDocument(results: readonly ScenarioResult[], invalid: readonly Diagnostic[], internal: InternalError[]): string {
  const write = (kept: readonly ScenarioResult[]) =>
    JSON.stringify(
      { ...(resultsJson(kept, invalid) as object), internalErrors: internal.map(({ file, message }) => ({ file, message })) },
      null,
      2,
    );
  try {
    return write(results);
  } catch {
    const kept = results.filter((r) => {
      try {
        JSON.stringify(r);
        return true;
      } catch (e) {
        internal.push({ file: r.file, message: errorMessage(e), error: e });
        return false;
      }
    });
    try {
      return write(kept);
    } catch (e) {
      // The renderer itself fails: the bare shape, built from strings and numbers only.
      internal.push({ file: null, message: errorMessage(e), error: e });
      const errors = internal.map(({ file, message }) => ({ file, message }));
      const summary = { passed: 0, failed: 0, invalidFiles: new Set(invalid.map((d) => d.file)).size };
      return JSON.stringify({ version: 1, scenarios: [], invalid, summary, internalErrors: errors }, null, 2);
    }
  }
}
