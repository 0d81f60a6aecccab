// One packet's trace as HTML: the packet and its verdict, its path as a picture, each hop, and for
// a drop why and the fix. Every user text goes through `xml` (escape.ts); no scripts, inline style.
import { componentLabel } from "../model/component.js";
import type { PacketRecord } from "../scenario/run.js";
import { xml } from "./escape.js";
import { hopText, packetText } from "./packet-text.js";
import { pathSvg } from "./path-svg.js";
import { HTML_CSS } from "./theme.js";

/**
 * `body` as a self-contained result: its style, scoped to the `vpcsim` class, inside.
 * @example
 * const html = htmlFragment(stepHtml(step)); // <div class="vpcsim"><style>...
 */
export function htmlFragment(body: string): string {
  return `<div class="vpcsim"><style>${HTML_CSS}</style>\n${body}\n</div>`;
}

/** A packet's verdict, marked pass or fail. */
export function verdictHtml(p: PacketRecord): string {
  const d = p.result.drop;
  return d
    ? `<span class="fail">dropped at ${xml(componentLabel(d.component))} (${xml(d.code)})</span>`
    : '<span class="pass">delivered</span>';
}

/**
 * The trace of one packet; with `picture`, its path drawn above the hops.
 * @example
 * const html = htmlFragment(packetHtml(step.packets[0]));
 */
export function packetHtml(p: PacketRecord, picture = true): string {
  const out = [`<p><strong>${xml(p.role)}</strong> <code>${xml(packetText(p.result.packet))}</code> ${verdictHtml(p)}</p>`];
  if (picture) out.push(`<figure>${pathSvg([p])}</figure>`);
  out.push(`<ol>${p.result.hops.map((h) => `<li>${xml(hopText(h))}</li>`).join("")}</ol>`);
  const d = p.result.drop;
  if (d) out.push(`<blockquote><p>${xml(d.explanation)}</p>${d.fix ? `<p>Fix: ${xml(d.fix)}</p>` : ""}</blockquote>`);
  return out.join("\n");
}
