// The pieces every picture is made of: the document with its style and background, boxes, lines,
// and text that fits its box (cut with an ellipsis, the whole of it in a tooltip). All user text
// goes through `xml` (escape.ts). Coordinates are rounded so that the output is byte-stable.
import { oneLine, xml } from "./escape.js";
import { SVG_CSS } from "./theme.js";

/** Average advance of a character at `size` px in a sans-serif face: enough to cut text, not to set it. */
const ADVANCE = 0.6;

/** How many characters of `size` px fit in `width` px. */
export function fits(width: number, size: number): number {
  return Math.max(1, Math.floor(width / (size * ADVANCE)));
}

/** `s` on at most `lines` lines of `max` characters, broken at spaces, the last cut with an ellipsis. */
export function wrap(s: string, max: number, lines: number): string[] {
  // a word longer than a line (a drop code) is broken where the line ends
  const words = oneLine(s)
    .split(" ")
    .flatMap((w) => w.match(new RegExp(`.{1,${max}}`, "g")) ?? [w]);
  const out: string[] = [];
  let line = "";
  for (const w of words) {
    if (line === "") line = w;
    else if (line.length + 1 + w.length <= max) line += ` ${w}`;
    else {
      out.push(line);
      line = w;
    }
  }
  if (line) out.push(line);
  const kept = out.slice(0, lines);
  if (out.length > lines) kept[lines - 1] = `${kept[lines - 1]}…`;
  return kept.map((l) => (l.length > max ? `${l.slice(0, max - 1)}…` : l));
}

const n = (v: number) => String(Math.round(v * 10) / 10);

export interface TextOptions {
  readonly size?: number;
  readonly cls?: string;
  readonly anchor?: "start" | "middle" | "end";
  /** cut to this many characters, the whole text in a tooltip */
  readonly max?: number;
  readonly weight?: "bold";
}

/** One line of text at (x, y). */
export function text(x: number, y: number, s: string, o: TextOptions = {}): string {
  const size = o.size ?? 12;
  const line = oneLine(s);
  const cut = o.max !== undefined && line.length > o.max ? `${line.slice(0, Math.max(1, o.max - 1))}…` : line;
  const attrs = [
    `x="${n(x)}"`,
    `y="${n(y)}"`,
    `font-size="${size}"`,
    o.anchor && o.anchor !== "start" ? `text-anchor="${o.anchor}"` : "",
    o.cls ? `class="${o.cls}"` : "",
    o.weight ? `font-weight="${o.weight}"` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const tip = cut === line ? "" : `<title>${xml(line)}</title>`;
  return `<text ${attrs}>${tip}${xml(cut)}</text>`;
}

/** A rounded box. */
export function box(x: number, y: number, w: number, h: number, cls: string): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="6" class="${cls}"/>`;
}

/** A line with an arrowhead at its end. */
export function arrow(x1: number, y1: number, x2: number, y2: number): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" class="wire" marker-end="url(#vpcsim-arrow)"/>`;
}

/** A plain line. */
export function line(x1: number, y1: number, x2: number, y2: number, cls = "wire"): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" class="${cls}"/>`;
}

/** A cross centred on (x, y): where a packet was dropped. */
export function cross(x: number, y: number, r: number): string {
  return `${line(x - r, y - r, x + r, y + r, "cross")}${line(x - r, y + r, x + r, y - r, "cross")}`;
}

/** A whole picture: its title for screen readers, the style, the background, then `body`. */
export function svgDocument(width: number, height: number, title: string, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="vpcsim" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" role="img">`,
    `<title>${xml(title)}</title>`,
    `<style>${SVG_CSS}</style>`,
    '<defs><marker id="vpcsim-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="head"/></marker></defs>',
    `<rect width="100%" height="100%" class="bg"/>`,
    body,
    "</svg>",
  ].join("\n");
}
