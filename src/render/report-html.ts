// `vpcsim run --format html`: one self-contained page (inline style, no scripts) with every
// scenario's result and pictures, the files that could not be loaded, and the summary.
import type { Diagnostic } from "../model/diagnostic.js";
import { diagnosticsText } from "./diagnostics-text.js";
import { xml } from "./escape.js";
import { HTML_CSS } from "./theme.js";

/**
 * The whole page: each scenario's section (`scenarioHtml`), the problems of the files that could
 * not be loaded, and the run's summary (`summaryText`).
 * @example
 * const page = reportPage([scenarioHtml(result, lesson.world)], summaryText([result], 0), []);
 */
export function reportPage(sections: readonly string[], summary: string, invalid: readonly Diagnostic[]): string {
  const problems = invalid.length
    ? `<section><h2>Files that could not be loaded</h2><pre>${lines(diagnosticsText(invalid))}</pre></section>`
    : "";
  return [
    "<!doctype html>",
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>vpcsim report</title>',
    `<style>body{margin:0}${HTML_CSS}</style></head>`,
    '<body><div class="vpcsim">',
    "<h1>vpcsim report</h1>",
    ...sections.map((s) => `<section>\n${s}\n</section>`),
    problems,
    `<pre>${lines(summary)}</pre>`,
    "</div></body></html>",
  ].join("\n");
}

/** Text of several lines for a <pre>: each line escaped on its own. */
function lines(s: string): string {
  return s.split("\n").map(xml).join("\n");
}
