// Where each hop of a request and its reply goes in a picture: one column per component, the
// request left to right, the reply right to left under it, so that a reply's hop stands under the
// request's hop at the same component (a network ACL's outbound side under its inbound side). The
// columns are the two paths merged on their longest common run of components; the two ends are the
// request's source (left) and destination (right). Shared by the SVG and the Mermaid renderers.
import type { Hop, PacketResult } from "../explain/trace.js";
import type { Component } from "../model/component.js";
import { componentLabel } from "../model/component.js";
import type { PacketRecord } from "../scenario/run.js";

export interface PathColumn {
  /** what the component is: `network ACL`, `security groups`, `internet host` */
  readonly kind: string;
  /** which one: its name, or an end's address */
  readonly name: string;
}

export interface PathRow {
  readonly role: PacketRecord["role"];
  readonly result: PacketResult;
  /** the hop at each column, when this packet met that component */
  readonly cells: readonly (Hop | undefined)[];
  /** right to left: a reply */
  readonly reversed: boolean;
}

export interface PathLayout {
  readonly columns: readonly PathColumn[];
  readonly rows: readonly PathRow[];
}

/** A component without its direction: a filter's two sides share a column. */
function place(c: Component): string {
  switch (c.kind) {
    case "security-groups":
      return `security-groups ${c.instance} ${c.interface}`;
    case "network-acl":
      return `network-acl ${c.name} ${c.subnet}`;
    case "route-table":
      return `route-table ${c.name} ${c.subnet}`;
    case "nat-gateway":
      return `nat-gateway ${c.name}`;
    case "interface":
      return `interface ${c.instance} ${c.interface}`;
    case "vpc":
      return `vpc ${c.subnet ?? ""}`;
    case "internet":
      return `internet ${c.host ?? ""}`;
    case "amazon-service":
      return `amazon-service ${c.service}`;
    case "internet-gateway":
    case "egress-only-internet-gateway":
      return c.kind;
  }
}

/** What a column shows: the component's kind and name. */
function column(c: Component): PathColumn {
  switch (c.kind) {
    case "security-groups":
      return { kind: "security groups", name: c.interface };
    case "network-acl":
      return { kind: "network ACL", name: c.name };
    case "route-table":
      return { kind: "route table", name: c.name };
    case "nat-gateway":
      return { kind: "NAT gateway", name: c.name };
    case "interface":
      return { kind: "interface", name: c.interface };
    case "vpc":
      return { kind: c.subnet ? "subnet" : "VPC", name: c.subnet ?? "" };
    case "internet":
      return { kind: c.host ? "internet host" : "internet", name: c.host ?? "" };
    case "amazon-service":
      return { kind: "Amazon service", name: c.service };
    case "internet-gateway":
      return { kind: "internet gateway", name: "" };
    case "egress-only-internet-gateway":
      return { kind: "egress-only gateway", name: "" };
  }
}

/** An end of the path: the component that received there (when one did), and its address. */
function end(hop: Hop | undefined, address: string): PathColumn {
  if (!hop) return { kind: "host", name: address };
  const c = column(hop.component);
  return { kind: `${c.kind} ${c.name}`.trim(), name: address };
}

/**
 * The hops between the ends: all but a final delivery, which is an end. A drop blamed on a
 * component past the last hop (an interface's source/destination check) gets a hop of its own.
 */
function middle(r: PacketResult): { hops: readonly Hop[]; end: Hop | undefined } {
  const last = r.hops.at(-1);
  if (last?.action === "deliver") return { hops: r.hops.slice(0, -1), end: last };
  const drop = r.drop;
  if (drop && (!last || componentLabel(last.component) !== componentLabel(drop.component)))
    return { hops: [...r.hops, { component: drop.component, action: "deny", rule: drop.code }], end: undefined };
  return { hops: r.hops, end: undefined };
}

/** Pairs of indexes into `a` and `b` along their longest common subsequence, the others alone. */
function merge(a: readonly string[], b: readonly string[]): { a?: number; b?: number }[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: { a?: number; b?: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) out.push({ a: i++, b: j++ });
    else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push({ a: i++ });
    else out.push({ b: j++ });
  }
  return out;
}

/** The columns and rows of a step's packets: a request and its reply, or one packet. */
export function pathLayout(packets: readonly PacketRecord[]): PathLayout {
  const first = packets.find((p) => p.role !== "reply");
  const reply = packets.find((p) => p.role === "reply");
  if (!first) return { columns: [], rows: [] };
  const req = middle(first.result);
  const rep = reply ? middle(reply.result) : { hops: [], end: undefined };
  const backwards = [...rep.hops].reverse();
  const merged = merge(
    req.hops.map((h) => place(h.component)),
    backwards.map((h) => place(h.component)),
  );
  const columns: PathColumn[] = [
    end(rep.end, first.result.packet.source),
    ...merged.map((m) => column((m.a !== undefined ? req.hops[m.a] : backwards[m.b!])!.component)),
    end(req.end, first.result.packet.destination),
  ];
  const rows: PathRow[] = [
    {
      role: first.role,
      result: first.result,
      reversed: false,
      cells: [undefined, ...merged.map((m) => (m.a === undefined ? undefined : req.hops[m.a])), req.end],
    },
  ];
  if (reply) {
    rows.push({
      role: "reply",
      result: reply.result,
      reversed: true,
      cells: [rep.end, ...merged.map((m) => (m.b === undefined ? undefined : backwards[m.b])), undefined],
    });
  }
  return { columns, rows };
}
