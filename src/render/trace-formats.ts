// `vpcsim trace`'s result in each format: one connection, and the steps it was traced after.
import type { ConnectionAfterSteps } from "../scenario/run.js";
import { allDelivered } from "../scenario/run.js";
import { oneLine, xml } from "./escape.js";
import { packetMarkdown } from "./packet-markdown.js";
import { traceText } from "./packet-text.js";
import { reportPage } from "./report-html.js";
import { stepHtml } from "./scenario-html.js";
import type { Style } from "./style.js";
import { PLAIN } from "./style.js";

/** Where in the scenario the connection was traced: before its steps, or after step N. */
export interface TracePoint {
  readonly file: string;
  readonly afterStep: number;
}

function pointText(p: TracePoint, r: ConnectionAfterSteps): string {
  const last = r.before.at(-1);
  return last ? `after step ${p.afterStep} (${oneLine(last.title)}: ${oneLine(last.outcome)})` : "before the steps";
}

/** The connection's line, then every hop of each packet. */
export function traceResultText(p: TracePoint, r: ConnectionAfterSteps, style: Style = PLAIN): string {
  const c = r.connection;
  const lines = [`${style.bold(oneLine(c.title))}: ${oneLine(c.outcome)}`];
  if (p.afterStep > 0) lines.push(style.dim(`traced ${pointText(p, r)}`));
  for (const packet of c.packets) lines.push(traceText(packet.result, style, "", `${packet.role}: `));
  return lines.join("\n");
}

export function traceResultMarkdown(p: TracePoint, r: ConnectionAfterSteps): string {
  const c = r.connection;
  const lines = [`## ${oneLine(c.title)}`, "", `\`${oneLine(p.file)}\`, ${pointText(p, r)}: ${oneLine(c.outcome)}`];
  for (const packet of c.packets) lines.push("", packetMarkdown(packet.result, packet.role));
  return lines.join("\n");
}

/** One self-contained page: where it was traced, the path of the request and the reply, each hop. */
export function traceResultHtml(p: TracePoint, r: ConnectionAfterSteps): string {
  const where = `<p class="muted"><code>${xml(p.file)}</code>, ${xml(pointText(p, r))}</p>`;
  return reportPage([`${where}\n${stepHtml(r.connection)}`], `${r.connection.title}: ${r.connection.outcome}`, []);
}

/** The versioned JSON document of `vpcsim trace --format json`. */
export function traceResultJson(p: TracePoint, r: ConnectionAfterSteps): unknown {
  return { version: 1, file: p.file, afterStep: p.afterStep, delivered: allDelivered(r.connection.packets), connection: r.connection };
}
