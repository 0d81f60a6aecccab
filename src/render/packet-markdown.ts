// One packet's trace as Markdown: the packet, a numbered list of hops, and for a drop why and the fix.
import type { PacketResult } from "../explain/trace.js";
import { hopText, packetText } from "./packet-text.js";

export function packetMarkdown(r: PacketResult, label: string): string {
  const lines = [`**${label}:** \`${packetText(r.packet)}\``, ""];
  for (const [i, h] of r.hops.entries()) lines.push(`${i + 1}. ${escapeCell(hopText(h))}`);
  if (r.drop) lines.push("", `> ${r.drop.explanation}`, ...(r.drop.fix ? [">", `> Fix: ${r.drop.fix}`] : []));
  return lines.join("\n");
}

/** Text safe inside a Markdown table cell. */
export function escapeCell(s: string): string {
  return s.replace(/\|/g, "\\|");
}
