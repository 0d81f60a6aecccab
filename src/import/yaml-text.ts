// An imported scenario as YAML text: what `vpcsim import` writes. Rules and routes one a line, as
// the lessons write them; each resource's AWS ID in a comment above it when its name is not the ID;
// the warnings at the top, so that the file says what it leaves out.
import { Document, isMap, isScalar, isSeq } from "yaml";
import type { Diagnostic } from "../model/diagnostic.js";
import type { ScenarioInput } from "../scenario/schema.js";
import type { Origin } from "./aws.js";

/** Lists whose items are written one a line, in flow style. */
const FLOW_LISTS = new Set(["inbound", "outbound", "routes"]);
/** Lists of names or addresses, written on one line. */
const FLOW_VALUES = new Set(["security-groups", "private-ip", "ipv6"]);

export function scenarioYaml(
  value: ScenarioInput,
  origins: ReadonlyMap<string, Origin>,
  warnings: readonly Diagnostic[],
  source: string,
): string {
  const doc = new Document(value);
  doc.commentBefore = [
    ` Imported by vpcsim from ${oneLine(source)}`,
    ...warnings.map((w) => ` warning: ${oneLine(w.file)}: ${oneLine(w.path ?? "")}: ${oneLine(w.message)}`),
  ].join("\n");
  const root = doc.contents;
  if (!isMap(root)) return doc.toString();
  for (const section of root.items) {
    const key = isScalar(section.key) ? String(section.key.value) : "";
    if (!isMap(section.value)) continue;
    for (const entry of section.value.items) {
      const name = isScalar(entry.key) ? String(entry.key.value) : "";
      const origin = origins.get(`${key}.${name}`);
      if (origin && origin.id !== name && isScalar(entry.key)) entry.key.commentBefore = ` ${oneLine(origin.id)}`;
      flowRules(entry.value, key === "subnets" || key === "nat-gateways" || key === "prefix-lists");
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** Rules and routes as one line each; a subnet or a NAT gateway as one line. */
function flowRules(node: unknown, whole: boolean): void {
  if (whole && (isMap(node) || isSeq(node))) {
    node.flow = true;
    return;
  }
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const k = isScalar(pair.key) ? String(pair.key.value) : "";
    if (FLOW_LISTS.has(k) && isSeq(pair.value)) for (const item of pair.value.items) if (isMap(item)) item.flow = true;
    if (FLOW_VALUES.has(k) && isSeq(pair.value)) pair.value.flow = true;
    if (k === "interfaces" && isSeq(pair.value)) for (const item of pair.value.items) flowRules(item, false);
  }
}

/** A comment is one line: a newline in an AWS name or message would end it and start YAML. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ");
}
