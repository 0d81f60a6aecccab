// One packet's trace as plain text: the packet, each hop, and for a drop why and the fix.
import type { Hop, PacketResult, PacketView } from "../explain/trace.js";
import { componentLabel } from "../model/component.js";
import { oneLine } from "./escape.js";
import type { Style } from "./style.js";
import { PLAIN } from "./style.js";

// Every line is escaped (escape.ts): names, rule descriptions and explanations quote user text.

export function packetText(p: PacketView): string {
  return oneLine(packetLine(p));
}

function packetLine(p: PacketView): string {
  const host = (a: string) => (a.includes(":") ? `[${a}]` : a);
  if (p.sourcePort !== undefined) {
    return `${p.protocol} ${host(p.source)}:${p.sourcePort} → ${host(p.destination)}:${p.destinationPort}${p.flags ? ` [${p.flags}]` : ""}`;
  }
  if (p.icmpType !== undefined) return `${p.protocol} ${p.source} → ${p.destination} type ${p.icmpType} code ${p.icmpCode}`;
  return `${p.protocol} ${p.source} → ${p.destination}`;
}

export function hopText(h: Hop): string {
  const parts = [`${componentLabel(h.component)}: ${h.action}`];
  if (h.rule) parts.push(h.rule);
  if (h.translation) parts.push(`${h.translation.field} ${h.translation.from} → ${h.translation.to}`);
  let s = parts.join(" — ");
  if (h.note) s += ` (${h.note})`;
  return oneLine(s);
}

/** A packet's trace, one hop a line, then the drop's explanation and fix. */
export function traceText(r: PacketResult, style: Style = PLAIN, indent = "", label = ""): string {
  const lines = [
    `${indent}${oneLine(label)}${packetText(r.packet)}  ${r.delivered ? style.pass("delivered") : style.fail(`dropped: ${oneLine(r.drop!.code)}`)}`,
  ];
  for (const [i, h] of r.hops.entries()) lines.push(`${indent}  ${i + 1}. ${hopText(h)}`);
  if (r.drop) {
    lines.push(`${indent}  why: ${oneLine(r.drop.explanation)}`);
    if (r.drop.fix) lines.push(`${indent}  fix: ${oneLine(r.drop.fix)}`);
    if (r.drop.narrower) lines.push(`${indent}   or: ${oneLine(r.drop.narrower)}`);
  }
  return lines.join("\n");
}
