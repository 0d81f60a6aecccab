// `vpcsim run`: load and run scenario files, print their results, and give the exit code. One file
// that crashes us is reported as failed and the others still run; JSON is always one document.

import { writeFile } from "node:fs/promises";
import type { Diagnostic } from "../model/diagnostic.js";
import type { World } from "../model/model.js";
import { collectSources, loadSource } from "../node/load-source.js";
import { diagnosticsText } from "../render/diagnostics-text.js";
import { jsonText, oneLine } from "../render/escape.js";
import { FLOW_LOG_HEADER, flowLogRecords } from "../render/flow-log.js";
import { reportPage } from "../render/report-html.js";
import { resultsJson } from "../render/results-json.js";
import { scenarioHtml } from "../render/scenario-html.js";
import { scenarioMarkdown, summaryMarkdown } from "../render/scenario-markdown.js";
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
  /** a file to write every packet to as VPC Flow Logs records */
  readonly flowLogs?: string;
  /** an AWS export's VPC, when it holds several */
  readonly vpc?: string;
  readonly verbose?: boolean;
  readonly color: boolean;
}

/** A bug of ours met while handling one file (or, with no file, the run itself), as data. */
interface InternalError {
  readonly file: string | null;
  readonly message: string;
  readonly error: unknown;
}

export async function run(paths: readonly string[], opts: RunOptions, out: Output, seams: Seams, debug: boolean): Promise<number> {
  const invalid: Diagnostic[] = [];
  /** warnings of files that loaded; a file that failed has its warnings among its problems */
  const warnings: Diagnostic[] = [];
  const results: ScenarioResult[] = [];
  const internal: InternalError[] = [];
  /** each result's world, for the topology of `--format html` */
  const worlds = new Map<ScenarioResult, World>();
  const crashed = (error: unknown, file: string | null) => internal.push({ file, message: errorMessage(error), error });
  try {
    const { files, problems } = await collectSources(paths, seams.fileSystem);
    invalid.push(...problems);
    for (const file of files) {
      try {
        const loaded = await loadSource(file, seams.fileSystem, opts.vpc === undefined ? {} : { vpc: opts.vpc });
        warnings.push(...loaded.warnings);
        if (loaded.ok) {
          const result = seams.runScenario(loaded.scenario);
          results.push(result);
          worlds.set(result, loaded.scenario.world);
        } else invalid.push(...loaded.diagnostics);
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
        opts.format === "html"
          ? scenarioHtml(result, worlds.get(result))
          : opts.format === "markdown"
            ? scenarioMarkdown(result)
            : `${scenarioText(result, { verbose: opts.verbose ?? false, style })}\n`;
      rendered.push({ result, text });
    } catch (e) {
      crashed(e, result.file);
    }
  }
  const reportInternal = () => {
    for (const i of internal) out.err(internalErrorReport(i.error, debug, i.file ?? undefined));
  };

  if (opts.format === "json") {
    out.out(jsonDocument(results, invalid, warnings, internal));
    reportInternal();
  } else {
    const shown = rendered.map((r) => r.result);
    const failedFiles = new Set([...invalid.map((d) => d.file), ...internal.flatMap((i) => (i.file === null ? [] : [i.file]))]).size;
    if (opts.format === "html") {
      out.out(
        reportPage(
          rendered.map((r) => r.text),
          summaryText(shown, failedFiles),
          invalid,
        ),
      );
      reportInternal();
    } else if (opts.format === "markdown") {
      out.out(rendered.map((r) => r.text).join("\n\n"));
      if (invalid.length || warnings.length) out.out(["", "```", diagnosticsText([...warnings, ...invalid]), "```"].join("\n"));
      reportInternal();
      out.out(`\n${summaryMarkdown(shown, failedFiles)}`);
    } else {
      for (const r of rendered) out.out(r.text);
      if (invalid.length || warnings.length) out.err(`${diagnosticsText([...warnings, ...invalid], style)}\n`);
      reportInternal();
      out.out(summaryText(shown, failedFiles, style));
    }
  }

  if (opts.flowLogs !== undefined && !(await writeFlowLogs(opts.flowLogs, results, worlds, out))) return EXIT.invalid;
  if (internal.length > 0) return EXIT.internal;
  if (invalid.length > 0) return EXIT.invalid;
  return results.some((r) => r.failed > 0) ? EXIT.failed : EXIT.ok;
}

/**
 * The versioned document of `--format json`, with the internal errors as data. A result that
 * cannot be written as JSON becomes an internal error itself; the document is always whole.
 */
function jsonDocument(
  results: readonly ScenarioResult[],
  invalid: readonly Diagnostic[],
  warnings: readonly Diagnostic[],
  internal: InternalError[],
): string {
  const write = (kept: readonly ScenarioResult[]) =>
    jsonText(
      resultsJson(
        kept,
        invalid,
        warnings,
        internal.map(({ file, message }) => ({ file, message })),
      ),
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
      return jsonText({ version: 1, scenarios: [], invalid, warnings, internalErrors: errors, summary }, 2);
    }
  }
}

/** The records of every scenario's packets, in run order, under the S3 header line (aws-rules §6.1). */
async function writeFlowLogs(
  file: string,
  results: readonly ScenarioResult[],
  worlds: ReadonlyMap<ScenarioResult, World>,
  out: Output,
): Promise<boolean> {
  const lines = [FLOW_LOG_HEADER];
  for (const r of results) {
    const world = worlds.get(r);
    if (world) lines.push(...flowLogRecords(r, world));
  }
  try {
    await writeFile(file, `${lines.join("\n")}\n`);
    return true;
  } catch (e) {
    out.err(`vpcsim: cannot write the flow logs to ${oneLine(file)}: ${errorMessage(e)}`);
    return false;
  }
}
