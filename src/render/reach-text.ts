// `vpcsim reach` as a table: one row per interval of ports with one outcome and one reason.
import type { ReachRow, ReachTable } from "../analysis/reach.js";
import { protocolName } from "../model/protocol.js";
import type { Endpoint } from "../scenario/load.js";
import { oneLine } from "./escape.js";
import type { Style } from "./style.js";
import { PLAIN } from "./style.js";

function endpointName(e: Endpoint): string {
  return e.kind === "address" ? e.address.text : e.name;
}

function cells(row: ReachRow, style: Style): string[] {
  const ports = row.ports ? (row.ports[0] === row.ports[1] ? String(row.ports[0]) : `${row.ports[0]}-${row.ports[1]}`) : "echo";
  const request = row.outcome === "request-denied" ? style.fail("denied") : style.pass("allowed");
  const reply = row.outcome === "request-denied" ? "-" : row.outcome === "reply-denied" ? style.fail("denied") : style.pass("allowed");
  const b = row.blockedBy;
  const why = b ? `${b.component}${b.rule ? `: ${b.rule}` : ""} (${b.code})` : "";
  return [protocolName(row.protocol), ports, request, reply, oneLine(why)];
}

export function reachText(table: ReachTable, style: Style = PLAIN): string {
  const head = ["protocol", "ports", "request", "reply", "blocked by"];
  const plain = table.rows.map((r) => cells(r, PLAIN));
  const styled = table.rows.map((r) => cells(r, style));
  const widths = head.map((h, i) => Math.max(h.length, ...plain.map((c) => c[i]!.length)));
  // pad by the plain text's width: colour codes take no room on a terminal
  const line = (plainCells: string[], shown: string[]) =>
    shown
      .map((c, i) => (i === shown.length - 1 ? c : c + " ".repeat(widths[i]! - plainCells[i]!.length)))
      .join("  ")
      .trimEnd();
  const title = `${oneLine(endpointName(table.from))} → ${oneLine(endpointName(table.to))}, requests from source port ${table.sourcePort}`;
  return [style.bold(title), style.dim(line(head, head)), ...plain.map((c, i) => line(c, styled[i]!))].join("\n");
}
