// A connection as a Mermaid `sequenceDiagram`, the text alternative of the path picture: one
// participant per component (the columns of path-layout.ts), one message per hop, a cross where a
// packet was dropped, the reply dashed. User text is written with Mermaid's entity codes for the
// characters its grammar reads (`;`, `#`, `<`, `>`), and on one line with its controls escaped.
import type { PacketRecord } from "../scenario/run.js";
import { oneLine } from "./escape.js";
import { packetText } from "./packet-text.js";
import { pathLayout } from "./path-layout.js";

const CODES: ReadonlyMap<string, string> = new Map([
  ["#", "#35;"],
  [";", "#59;"],
  ["<", "#lt;"],
  [">", "#gt;"],
  ['"', "#quot;"],
  ["%", "#37;"],
]);

/** Text Mermaid shows as it is. */
function label(s: string): string {
  return oneLine(s).replace(/[#;<>"%]/g, (c) => CODES.get(c)!);
}

/**
 * The step's packets as a sequence diagram.
 * @example
 * const text = sequenceMermaid(runScenario(lesson).steps[0].packets); // "sequenceDiagram\n  participant c0 as ..."
 */
export function sequenceMermaid(packets: readonly PacketRecord[]): string {
  const { columns, rows } = pathLayout(packets);
  const lines = ["sequenceDiagram"];
  lines.push(...columns.map((c, i) => `  participant c${i} as ${label(`${c.kind} ${c.name}`.trim())}`));
  for (const row of rows) {
    const dashed = row.reversed ? "--" : "-";
    const order = [...columns.keys()];
    if (row.reversed) order.reverse();
    const first = order[0]!;
    const last = order.at(-1)!;
    lines.push(
      `  Note over c${Math.min(first, last)},c${Math.max(first, last)}: ${label(`${row.role}: ${packetText(row.result.packet)}`)}`,
    );
    let from = first;
    const visited = order.slice(1).filter((c) => row.cells[c]);
    visited.forEach((col, i) => {
      const hop = row.cells[col]!;
      const dropped = !row.result.delivered && i === visited.length - 1;
      const what = [hop.action, hop.rule, hop.translation && `${hop.translation.field} ${hop.translation.from} → ${hop.translation.to}`]
        .filter(Boolean)
        .join(": ");
      lines.push(`  c${from}${dashed}${dropped ? "x" : ">>"}c${col}: ${label(dropped ? `dropped, ${what}` : what)}`);
      from = col;
    });
    if (row.result.drop) lines.push(`  Note over c${from}: ${label(`${row.result.drop.code}`)}`);
  }
  return lines.join("\n");
}
