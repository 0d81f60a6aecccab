// `vpcsim diff` as text, one line per interval that changes outcome:
//   web → db tcp 5432: allowed → request denied (security-group db inbound: no rule matches)
import type { DiffSide, WorldDiff } from "../analysis/diff.js";
import { protocolName } from "../model/protocol.js";
import { oneLine } from "./escape.js";
import type { Style } from "./style.js";
import { PLAIN } from "./style.js";

/** A class's first names, and how many more it holds. */
function names(list: readonly string[]): string {
  const shown = list.slice(0, 3).map(oneLine).join(", ");
  return list.length > 3 ? `${shown} (+${list.length - 3})` : shown;
}

function sideText(s: DiffSide, style: Style): string {
  const word =
    s.outcome === "allowed" ? style.pass("allowed") : style.fail(s.outcome === "request-denied" ? "request denied" : "reply denied");
  const b = s.blockedBy;
  return b ? `${word} ${style.dim(`(${oneLine(b.rule ? `${b.component}: ${b.rule}` : `${b.component}, ${b.code}`)})`)}` : word;
}

export function diffText(diff: WorldDiff, style: Style = PLAIN): string {
  const lines = diff.changes.map((c) => {
    const ports = c.ports ? (c.ports[0] === c.ports[1] ? String(c.ports[0]) : `${c.ports[0]}-${c.ports[1]}`) : "echo";
    return `${names(c.from)} → ${names(c.to)} ${protocolName(c.protocol)} ${ports}: ${sideText(c.before, style)} → ${sideText(c.after, style)}`;
  });
  if (diff.onlyBefore.length > 0) lines.push(style.dim(`only before, not compared: ${diff.onlyBefore.map(oneLine).join(", ")}`));
  if (diff.onlyAfter.length > 0) lines.push(style.dim(`only after, not compared: ${diff.onlyAfter.map(oneLine).join(", ")}`));
  const count = diff.changes.length === 0 ? "no change" : plural(diff.changes.length, "change");
  lines.push(style.bold(`${count} between ${plural(diff.endpoints, "endpoint")} in ${plural(diff.classes, "class", "classes")}`));
  return lines.join("\n");
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
