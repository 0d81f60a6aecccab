// The path of a packet, or of a request and its reply, as an SVG picture: one box per component
// the packet met, the rule or route that decided written under it, a drop drawn as a red box and a
// cross where it happened, and the reply under the request, right to left (path-layout.ts).
import type { Hop } from "../explain/trace.js";
import { componentLabel } from "../model/component.js";
import type { PacketRecord } from "../scenario/run.js";
import { xml } from "./escape.js";
import { hopText, packetText } from "./packet-text.js";
import type { PathColumn, PathLayout, PathRow } from "./path-layout.js";
import { pathLayout } from "./path-layout.js";
import { arrow, box, cross, fits, svgDocument, text, wrap } from "./svg.js";

const MARGIN = 20;
const COL_W = 170;
const GAP = 44;
const BOX_H = 58;
/** heading, verdict, box, three lines of rule */
const ROW_H = 180;
const HEAD_H = 44;
const MIN_W = 640;

const colX = (c: number) => MARGIN + c * (COL_W + GAP);

/**
 * A step's packets as one picture: a request and its reply, or one packet.
 * @example
 * const svg = pathSvg(sim.connect("laptop", "web", { protocol: "tcp", port: 443 }).result.packets);
 */
export function pathSvg(packets: readonly PacketRecord[]): string {
  const layout = pathLayout(packets);
  const cols = layout.columns.length;
  const width = Math.max(MIN_W, 2 * MARGIN + cols * COL_W + Math.max(0, cols - 1) * GAP);
  const height = 2 * MARGIN + Math.max(1, layout.rows.length) * ROW_H - 20;
  const body = layout.rows.map((row, i) => rowSvg(layout, row, MARGIN + i * ROW_H, width)).join("\n");
  return svgDocument(width, height, title(packets), body || text(MARGIN, MARGIN + 16, "no packet was sent", { cls: "muted" }));
}

function title(packets: readonly PacketRecord[]): string {
  return `Path of ${packets.map((p) => `the ${p.role} ${packetText(p.result.packet)}: ${verdict(p)}`).join("; ")}`;
}

function verdict(p: PacketRecord): string {
  const d = p.result.drop;
  return d ? `dropped at ${componentLabel(d.component)} (${d.code})` : "delivered";
}

/** The columns a packet passes, in the order it passes them, with the hop there (none for the sender). */
function visits(layout: PathLayout, row: PathRow): { col: number; hop: Hop | undefined }[] {
  const order = [...layout.columns.keys()];
  if (row.reversed) order.reverse();
  const [start, ...rest] = order;
  return [{ col: start!, hop: undefined }, ...rest.flatMap((col) => (row.cells[col] ? [{ col, hop: row.cells[col] }] : []))];
}

function rowSvg(layout: PathLayout, row: PathRow, top: number, width: number): string {
  const out: string[] = [];
  const delivered = row.result.delivered;
  const p: PacketRecord = { role: row.role, result: row.result };
  const headMax = fits(width - 2 * MARGIN, 13);
  out.push(text(MARGIN, top + 14, `${row.role}: ${packetText(row.result.packet)}`, { size: 13, weight: "bold", max: headMax }));
  out.push(text(MARGIN, top + 32, verdict(p), { size: 12, cls: delivered ? "ok" : "bad", max: headMax }));
  const y = top + HEAD_H;
  const mid = y + BOX_H / 2;
  const seen = visits(layout, row);
  seen.forEach(({ col, hop }, i) => {
    const x = colX(col);
    const c = layout.columns[col]!;
    out.push(hop ? hopSvg(hop, c, x, y, !delivered && i === seen.length - 1) : labelled(c, "sends", x, y, "end"));
    if (i > 0) {
      const from = colX(seen[i - 1]!.col);
      out.push(row.reversed ? arrow(from, mid, x + COL_W + 2, mid) : arrow(from + COL_W, mid, x - 2, mid));
    }
  });
  if (!delivered) {
    const at = seen.at(-1)!.col;
    const edge = row.reversed ? colX(at) - GAP / 2 : colX(at) + COL_W + GAP / 2;
    out.push(cross(edge, mid, 8));
    const target = row.reversed ? 0 : layout.columns.length - 1;
    if (target !== at) {
      out.push(labelled(layout.columns[target]!, "not reached", colX(target), y, "unreached"));
    }
  }
  return `<g>${out.join("")}</g>`;
}

/** A box with its column's kind and name, and a last line saying what happened there. */
function labelled(c: PathColumn, what: string, x: number, y: number, cls: string, whatCls = "muted"): string {
  const cx = x + COL_W / 2;
  const max = fits(COL_W - 12, 12);
  return [
    box(x, y, COL_W, BOX_H, cls),
    text(cx, y + 16, c.kind, { size: 10, anchor: "middle", cls: "muted", max: fits(COL_W - 12, 10) }),
    text(cx, y + 33, c.name, { size: 12, anchor: "middle", weight: "bold", max }),
    text(cx, y + 49, what, { size: 11, anchor: "middle", cls: whatCls, max: fits(COL_W - 12, 11) }),
  ].join("");
}

/** A component the packet met: its name, its side and action, and under it what decided. */
function hopSvg(h: Hop, c: PathColumn, x: number, y: number, dropped: boolean): string {
  const side = h.component.kind === "security-groups" || h.component.kind === "network-acl" ? `${h.component.direction}: ` : "";
  const cls = dropped || h.action === "deny" ? "deny" : h.action === "allow" ? "allow" : h.action === "deliver" ? "end" : "box";
  const why = h.rule ?? (h.translation ? `${h.translation.field} ${h.translation.from} → ${h.translation.to}` : "");
  const lines = why ? wrap(why, fits(COL_W, 11), 3) : [];
  const what = `${side}${dropped && h.action !== "deny" ? "dropped" : h.action}`;
  return [
    `<g><title>${xml(hopText(h))}</title>`,
    labelled(c, what, x, y, cls, dropped ? "bad" : "muted"),
    ...lines.map((l, i) => text(x, y + BOX_H + 16 + i * 14, l, { size: 11, cls: dropped ? "bad" : "muted" })),
    "</g>",
  ].join("");
}
