// The look of vpcsim's pictures and HTML results: one palette, scoped to the `vpcsim` class so that it
// never restyles the page around it, with a dark variant chosen by `prefers-color-scheme`. Every
// picture paints its own background, so it stays readable on whatever page shows it.

/** Light and dark colours of each role. */
const PALETTE = {
  bg: ["#ffffff", "#0d1117"],
  fg: ["#1f2328", "#e6edf3"],
  muted: ["#59636e", "#9198a1"],
  box: ["#f6f8fa", "#161b22"],
  line: ["#59636e", "#9198a1"],
  ok: ["#1a7f37", "#3fb950"],
  okBox: ["#dafbe1", "#12261e"],
  deny: ["#cf222e", "#f85149"],
  denyBox: ["#ffebe9", "#2d1214"],
  accent: ["#0969da", "#4493f8"],
} as const;

type Role = keyof typeof PALETTE;

/** CSS custom properties of the palette for one scheme. */
function variables(scheme: 0 | 1): string {
  return Object.entries(PALETTE)
    .map(([role, colours]) => `--vpcsim-${role}:${colours[scheme]};`)
    .join("");
}

/** `var(--vpcsim-role)` */
export function colour(role: Role): string {
  return `var(--vpcsim-${role})`;
}

/** The palette's variables on `.vpcsim`, light by default and dark where the reader prefers it. */
export const PALETTE_CSS = `.vpcsim{${variables(0)}}@media (prefers-color-scheme: dark){.vpcsim{${variables(1)}}}`;

/** The classes a picture uses, below its root `.vpcsim` element. */
export const SVG_CSS = [
  PALETTE_CSS,
  `.vpcsim text{font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",sans-serif;fill:${colour("fg")}}`,
  `.vpcsim .bg{fill:${colour("bg")}}`,
  `.vpcsim .muted{fill:${colour("muted")}}`,
  `.vpcsim .box{fill:${colour("box")};stroke:${colour("line")};stroke-width:1}`,
  `.vpcsim .end{fill:${colour("bg")};stroke:${colour("accent")};stroke-width:1.5}`,
  `.vpcsim .unreached{fill:none;stroke:${colour("muted")};stroke-dasharray:4 3}`,
  `.vpcsim .allow{fill:${colour("okBox")};stroke:${colour("ok")};stroke-width:1.5}`,
  `.vpcsim .deny{fill:${colour("denyBox")};stroke:${colour("deny")};stroke-width:2.5}`,
  `.vpcsim .wire{stroke:${colour("line")};stroke-width:1.5;fill:none}`,
  `.vpcsim .head{fill:${colour("line")}}`,
  `.vpcsim .frame{fill:none;stroke:${colour("line")};stroke-width:1}`,
  `.vpcsim .subnet{fill:${colour("box")};stroke:${colour("accent")};stroke-width:1}`,
  `.vpcsim text.ok{fill:${colour("ok")};font-weight:600}`,
  `.vpcsim text.bad{fill:${colour("deny")};font-weight:600}`,
  `.vpcsim .cross{stroke:${colour("deny")};stroke-width:3;stroke-linecap:round}`,
].join("");

/** The classes of an HTML result, below its root `.vpcsim` element; its pictures bring their own. */
export const HTML_CSS = [
  PALETTE_CSS,
  `div.vpcsim{font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",sans-serif;font-size:14px;line-height:1.45;color:${colour("fg")};background:${colour("bg")};padding:12px 16px;border-radius:8px}`,
  `div.vpcsim h2,div.vpcsim h3{margin:.6em 0 .3em}`,
  `div.vpcsim code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}`,
  `div.vpcsim table{border-collapse:collapse;margin:.5em 0}`,
  `div.vpcsim th,div.vpcsim td{border:1px solid ${colour("line")};padding:4px 8px;text-align:left;vertical-align:top}`,
  `div.vpcsim .pass{color:${colour("ok")};font-weight:600}`,
  `div.vpcsim .fail{color:${colour("deny")};font-weight:600}`,
  `div.vpcsim .muted{color:${colour("muted")}}`,
  // a long path keeps its size and scrolls: shrunk to the page, its words would be unreadable
  `div.vpcsim figure{margin:.5em 0;overflow-x:auto}`,
  `div.vpcsim blockquote{margin:.4em 0;padding:.2em .8em;border-left:3px solid ${colour("deny")}}`,
].join("");
