// One packet's trace as Markdown: the packet, a numbered list of hops, and for a drop why and the fix.
import type { PacketResult } from "../explain/trace.js";
import { oneLine } from "./escape.js";
import { hopText, packetText } from "./packet-text.js";

export function packetMarkdown(r: PacketResult, label: string): string {
  const lines = [`**${oneLine(label)}:** \`${packetText(r.packet)}\``, ""];
  for (const [i, h] of r.hops.entries()) lines.push(`${i + 1}. ${escapeCell(hopText(h))}`);
  if (r.drop)
    lines.push(
      "",
      `> ${oneLine(r.drop.explanation)}`,
      ...(r.drop.fix ? [">", `> Fix: ${oneLine(r.drop.fix)}`] : []),
      ...(r.drop.narrower ? [">", `> Or, narrower: ${oneLine(r.drop.narrower)}`] : []),
    );
  return lines.join("\n");
}

/** Text safe inside a Markdown table cell: one line, controls escaped, pipes escaped. */
export function escapeCell(s: string): string {
  return oneLine(s).replace(/\|/g, "\\|");
}
