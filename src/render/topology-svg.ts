// A world as an SVG picture: the internet and its hosts above, the gateways on the VPC's edge, and
// inside the VPC one box per subnet with its network ACL, its route table and routes, and its
// instances (addresses and security groups) and NAT gateways. Sizes follow the content, so that
// nothing overlaps; long names are cut with the whole name in a tooltip.
import type { Instance, NatGateway, Route, Subnet, World } from "../model/model.js";
import { box, fits, line, svgDocument, text } from "./svg.js";

const MARGIN = 20;
const SUBNET_W = 300;
const GAP = 24;
const PER_ROW = 3;
const LINE = 16;
const HOST_W = 190;

/** A route's target in the console's words. */
function target(r: Route): string {
  switch (r.target.kind) {
    case "internet-gateway":
    case "egress-only-internet-gateway":
    case "blackhole":
      return r.target.kind;
    case "nat-gateway":
      return `nat-gateway ${r.target.name}`;
    case "instance":
      return `instance ${r.target.name}`;
    case "unmodelled":
      return `unmodelled ${r.target.id}`;
  }
}

/** The lines of one instance's box: its name, then each interface's addresses and groups. */
function instanceLines(i: Instance): string[] {
  return i.interfaces.flatMap((f, n) => [
    ...(n > 0 ? [`${f.name}`] : []),
    [...f.privateIps.map((a) => a.text), ...f.ipv6s.map((a) => a.text), ...(f.publicIp ? [`public ${f.publicIp.text}`] : [])].join(", "),
    `groups: ${f.securityGroups.join(", ") || "none"}`,
  ]);
}

interface Block {
  readonly subnet: Subnet;
  readonly head: readonly { text: string; cls?: string }[];
  readonly things: readonly { title: string; lines: readonly string[] }[];
  readonly height: number;
}

function block(world: World, s: Subnet): Block {
  const rt = world.routeTables[s.routeTable];
  const head = [
    { text: [s.cidr.text, s.ipv6Cidr?.text].filter(Boolean).join(", "), cls: "muted" },
    { text: `network ACL ${s.networkAcl}` },
    { text: `route table ${s.routeTable}` },
    ...(rt?.routes ?? []).map((r) => ({ text: `  ${r.destination.text} → ${target(r)}`, cls: "muted" })),
  ];
  const instances = Object.values(world.instances)
    .filter((i) => i.interfaces[0]?.subnet === s.name)
    .map((i) => ({ title: `instance ${i.name}`, lines: instanceLines(i) }));
  const nats = Object.values(world.natGateways)
    .filter((g: NatGateway) => g.subnet === s.name)
    .map((g) => ({ title: `NAT gateway ${g.name}`, lines: [`${g.privateIp.text}, public ${g.publicIp.text}`] }));
  const things = [...nats, ...instances];
  const height = 34 + head.length * LINE + things.reduce((h, t) => h + 32 + t.lines.length * LINE, 0) + 8;
  return { subnet: s, head, things, height };
}

/**
 * The world as a picture.
 * @example
 * const svg = topologySvg(sim.world);
 */
export function topologySvg(world: World): string {
  const blocks = Object.values(world.subnets).map((s) => block(world, s));
  const rows: Block[][] = [];
  for (let i = 0; i < blocks.length; i += PER_ROW) rows.push(blocks.slice(i, i + PER_ROW));
  const perRow = Math.max(1, Math.min(PER_ROW, blocks.length));
  const vpcW = perRow * SUBNET_W + (perRow + 1) * GAP;
  const hosts = Object.values(world.internetHosts);
  const gateways = gatewaysOf(world);
  const outside = hosts.length > 0 || gateways.length > 0;
  const width = Math.max(vpcW, hosts.length * (HOST_W + GAP) - GAP) + 2 * MARGIN;
  const out: string[] = [];
  let y = MARGIN;
  if (hosts.length > 0) {
    out.push(text(MARGIN, y + 12, "internet", { size: 12, cls: "muted" }));
    hosts.forEach((h, i) => {
      const x = MARGIN + i * (HOST_W + GAP);
      out.push(box(x, y + 20, HOST_W, 44, "end"));
      out.push(
        text(x + HOST_W / 2, y + 38, `internet host ${h.name}`, { size: 12, anchor: "middle", weight: "bold", max: fits(HOST_W - 12, 12) }),
      );
      out.push(text(x + HOST_W / 2, y + 55, h.address.text, { size: 11, anchor: "middle", cls: "muted", max: fits(HOST_W - 12, 11) }));
    });
    y += 84;
  }
  if (gateways.length > 0) {
    gateways.forEach((g, i) => {
      const x = MARGIN + GAP + i * (HOST_W + GAP);
      out.push(box(x, y, HOST_W, 32, "box"));
      out.push(text(x + HOST_W / 2, y + 20, GATEWAY_NAMES[g], { size: 12, anchor: "middle", weight: "bold", max: fits(HOST_W - 12, 12) }));
      out.push(line(x + HOST_W / 2, y + 32, x + HOST_W / 2, y + 52));
    });
    y += 52;
  } else if (outside) {
    y += 8;
  }
  const vpcTop = y;
  const vpc = world.vpc;
  y += 30;
  for (const row of rows) {
    const h = Math.max(...row.map((b) => b.height));
    out.push(...row.map((b, i) => subnetSvg(b, MARGIN + GAP + i * (SUBNET_W + GAP), y, h)));
    y += h + GAP;
  }
  if (rows.length === 0) {
    out.push(text(MARGIN + GAP, y + 12, "no subnets", { size: 12, cls: "muted" }));
    y += 30;
  }
  out.unshift(box(MARGIN, vpcTop, vpcW, y - vpcTop, "frame"));
  out.push(
    text(MARGIN + 12, vpcTop + 20, `VPC ${vpc.name} ${[...vpc.cidrs.map((c) => c.text), vpc.ipv6Cidr?.text].filter(Boolean).join(", ")}`, {
      size: 13,
      weight: "bold",
      max: fits(vpcW - 24, 13),
    }),
  );
  return svgDocument(width, y + MARGIN, `Topology of VPC ${vpc.name}`, out.join("\n"));
}

const GATEWAY_NAMES = { "internet-gateway": "internet gateway", "egress-only-internet-gateway": "egress-only gateway" } as const;

/** The gateways some route sends to. */
function gatewaysOf(world: World): (keyof typeof GATEWAY_NAMES)[] {
  const kinds = new Set<keyof typeof GATEWAY_NAMES>();
  for (const rt of Object.values(world.routeTables))
    for (const r of rt.routes)
      if (r.target.kind === "internet-gateway" || r.target.kind === "egress-only-internet-gateway") kinds.add(r.target.kind);
  return [...kinds].sort();
}

function subnetSvg(b: Block, x: number, y: number, h: number): string {
  const out = [box(x, y, SUBNET_W, h, "subnet")];
  const max = fits(SUBNET_W - 20, 12);
  out.push(text(x + 10, y + 20, `subnet ${b.subnet.name}`, { size: 13, weight: "bold", max: fits(SUBNET_W - 20, 13) }));
  let ty = y + 20;
  for (const l of b.head) {
    ty += LINE;
    out.push(text(x + 10, ty, l.text, { size: 12, max, ...(l.cls ? { cls: l.cls } : {}) }));
  }
  ty += 14;
  for (const t of b.things) {
    const th = 24 + t.lines.length * LINE;
    out.push(box(x + 10, ty, SUBNET_W - 20, th, "end"));
    out.push(text(x + 20, ty + 16, t.title, { size: 12, weight: "bold", max: fits(SUBNET_W - 40, 12) }));
    out.push(...t.lines.map((l, i) => text(x + 20, ty + 16 + (i + 1) * LINE, l, { size: 11, cls: "muted", max: fits(SUBNET_W - 40, 11) })));
    ty += th + 8;
  }
  return out.join("");
}
