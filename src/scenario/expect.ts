// What a step expects, checked at load so that every expectation can fail, and only when it should:
// each key must apply to its step (a reply is checked only where a reply is sent), and `blocked-by`
// must name a part of the world, as `componentLabel` writes it.
import type { Component } from "../model/component.js";
import { componentLabel } from "../model/component.js";
import type { World } from "../model/model.js";
import { ICMP, ICMPV6, icmpReplyType, TCP } from "../model/protocol.js";
import type { Path, Problems } from "./diagnostics.js";
import type { Flow } from "./flow.js";
import type { ExpectInput } from "./schema.js";
import { closest } from "./suggest.js";

export interface Expectation {
  readonly request?: "allowed" | "denied";
  readonly reply?: "allowed" | "denied";
  /** `allowed`/`denied` given as one word */
  readonly overall?: "allowed" | "denied";
  readonly blockedBy?: string;
  readonly tracked?: boolean;
  readonly code?: string;
}

/** The keys of an `expect:` map. */
export const EXPECT_KEYS = ["request", "reply", "blocked-by", "tracked", "code"] as const;
export type ExpectKey = (typeof EXPECT_KEYS)[number];

/** What a step sends, as far as its expectations care; known at load time. */
export type ExpectedTraffic =
  | { readonly kind: "connect"; readonly flow: Flow }
  | { readonly kind: "send" }
  | { readonly kind: "send-connection"; readonly direction: "request" | "reply" }
  | { readonly kind: "close"; readonly protocol: number | undefined };

/**
 * Why `key` cannot be checked on the step, or undefined when it can. A reply exists only for a
 * connect that is answered, for a `send` of a connection's reply, and for the close of a TCP
 * connection; a request, and whether the destination tracks it, only where the step sends one.
 */
export function notApplicable(key: ExpectKey, t: ExpectedTraffic): string | undefined {
  switch (key) {
    case "reply":
      if (t.kind === "send") return "a send step sends one packet and no reply: expect `allowed` or `denied`, or use connect";
      if (t.kind === "send-connection" && t.direction === "request")
        return "this step sends the connection's request only: expect `request`, or send its reply in another step";
      if (t.kind === "close" && t.protocol !== undefined && t.protocol !== TCP)
        return "closing a connection that is not TCP sends one packet and no reply (no FIN comes back)";
      if (t.kind === "connect" && noReply(t.flow)) return "nothing answers this ICMP type, so no reply is sent";
      return undefined;
    case "request":
    case "tracked":
      if (t.kind === "send-connection" && t.direction === "reply")
        return `this step sends the connection's reply only: ${key === "request" ? "expect `reply`" : "tracking is decided by the request"}`;
      return undefined;
    case "blocked-by":
    case "code":
      return undefined;
  }
}

function noReply(flow: Flow): boolean {
  const { protocol } = flow;
  if (protocol !== ICMP && protocol !== ICMPV6) return false;
  return icmpReplyType(protocol, flow.icmpType ?? (protocol === ICMPV6 ? 128 : 8)) === undefined;
}

/** A step's expectation, each key checked against the step and `blocked-by` against the world. */
export function expectation(
  e: ExpectInput | undefined,
  traffic: ExpectedTraffic,
  world: World,
  path: Path,
  problems: Problems,
): Expectation | undefined {
  if (e === undefined) return undefined;
  if (typeof e === "string") return { overall: e };
  let ok = true;
  for (const key of EXPECT_KEYS) {
    const why = e[key] === undefined ? undefined : notApplicable(key, traffic);
    if (!why) continue;
    problems.error([...path, key], "expect/not-applicable", `\`${key}\` cannot be checked here: ${why}`, "key");
    ok = false;
  }
  const blockedBy = e["blocked-by"] === undefined ? undefined : blockedByLabel(e["blocked-by"], world, [...path, "blocked-by"], problems);
  if (!ok || (e["blocked-by"] !== undefined && blockedBy === undefined)) return undefined;
  return {
    ...(e.request ? { request: e.request } : {}),
    ...(e.reply ? { reply: e.reply } : {}),
    ...(blockedBy ? { blockedBy } : {}),
    ...(e.tracked !== undefined ? { tracked: e.tracked } : {}),
    ...(e.code ? { code: e.code } : {}),
  };
}

const DIRECTIONS = ["inbound", "outbound"];

/** The first word of a blocked-by and the names that may follow it. */
const KINDS = [
  "security-groups",
  "network-acl",
  "route-table",
  "internet-gateway",
  "egress-only-internet-gateway",
  "nat-gateway",
  "interface",
  "vpc",
  "internet",
  "amazon-service",
  "nothing",
] as const;

/**
 * `blocked-by` in the words `componentLabel` uses, checked against the world: its spaces made
 * single, or undefined after a problem that says what would be right.
 */
function blockedByLabel(text: string, world: World, path: Path, problems: Problems): string | undefined {
  const label = text.trim().replace(/\s+/g, " ");
  const [kind = "", ...rest] = label.split(" ");
  const [first, second] = rest;
  /** Reports the problem, with the label that was likely meant; true, so that checks chain with `||`. */
  const wrong = (what: string, suggestion: string | undefined): true => {
    const meant = suggestion ? `; did you mean \`${suggestion}\`?` : "";
    problems.error(path, "expect/blocked-by", `${what}${meant} (blocked-by names one of: ${KINDS.join(", ")}, as a trace shows it)`);
    return true;
  };
  if (!(KINDS as readonly string[]).includes(kind)) {
    const meant = closest(kind, KINDS);
    wrong(`"${kind}" is no part of a VPC a packet meets`, meant && [meant, ...rest].join(" "));
    return undefined;
  }
  /** A problem with the name at `name`, one of `options`; `then` writes the label with a better name. */
  const named = (what: string, options: readonly string[], name: string | undefined, then: (n: string) => string) => {
    if (name !== undefined && options.includes(name)) return false;
    const meant = name === undefined ? options[0] : closest(name, options);
    const noun = what.replace(/^an? /, "");
    return wrong(name === undefined ? `${kind} needs ${what} name` : `no ${noun} is named "${name}"`, meant && then(meant));
  };
  const direction = (d: string | undefined, then: (d: string) => string) =>
    !(d !== undefined && DIRECTIONS.includes(d)) &&
    wrong(`${kind} needs a direction, inbound or outbound${d ? `, not "${d}"` : ""}`, then(closest(d ?? "", DIRECTIONS) ?? "inbound"));
  const extra = (count: number) =>
    rest.length > count && wrong(`"${label}" has words after the ${kind} label`, [kind, ...rest.slice(0, count)].join(" "));
  const instances = Object.keys(world.instances);
  let bad: boolean;
  switch (kind as (typeof KINDS)[number]) {
    case "security-groups": {
      const [instance = "", iface] = (first ?? "").split("/");
      const withInterface = iface === undefined ? "" : `/${iface}`;
      bad =
        named("an instance", instances, first && instance, (n) => `security-groups ${n}${withInterface} ${second ?? "inbound"}`) ||
        interfaceProblem(world, instance, iface, (why) => wrong(why, `security-groups ${instance} ${second ?? "inbound"}`)) ||
        direction(second, (d) => `security-groups ${first} ${d}`) ||
        extra(2);
      break;
    }
    case "network-acl":
      bad =
        named("a network ACL", Object.keys(world.networkAcls), first, (n) => `network-acl ${n} ${second ?? "inbound"}`) ||
        direction(second, (d) => `network-acl ${first} ${d}`) ||
        extra(2);
      break;
    case "route-table":
      bad = named("a route table", Object.keys(world.routeTables), first, (n) => `route-table ${n}`) || extra(1);
      break;
    case "nat-gateway":
      bad = named("a NAT gateway", Object.keys(world.natGateways), first, (n) => `nat-gateway ${n}`) || extra(1);
      break;
    case "interface": {
      const interfaces = Object.values(world.instances).flatMap((i) => i.interfaces.map((f) => f.name));
      bad = named("an interface", interfaces, first, (n) => `interface ${n}`) || extra(1);
      break;
    }
    case "vpc":
      bad =
        rest.length > 0 &&
        (first !== "subnet"
          ? wrong("after vpc comes nothing or `subnet NAME`", "vpc")
          : named("a subnet", Object.keys(world.subnets), second, (n) => `vpc subnet ${n}`) || extra(2));
      break;
    case "internet":
      bad = rest.length > 0 && (named("an internet host", Object.keys(world.internetHosts), first, (n) => `internet ${n}`) || extra(1));
      break;
    case "amazon-service":
      bad = rest.length === 0 && wrong("amazon-service needs the service's name, as a trace shows it", "amazon-service VPC router");
      break;
    case "internet-gateway":
    case "egress-only-internet-gateway":
    case "nothing":
      bad = extra(0);
      break;
  }
  return bad ? undefined : label;
}

/** `web/eth1` names the instance's second interface, eth0 its primary one: true after reporting one it lacks. */
function interfaceProblem(world: World, instance: string, iface: string | undefined, wrong: (why: string) => true): boolean {
  if (iface === undefined) return false;
  const m = /^eth(\d+)$/.exec(iface);
  const count = Object.hasOwn(world.instances, instance) ? world.instances[instance]!.interfaces.length : 0;
  if (m && Number(m[1]) < count) return false;
  return wrong(`${instance} has interfaces eth0${count > 1 ? ` to eth${count - 1}` : ""}, not ${iface}`);
}

/**
 * Whether a drop's component is the one `blocked-by` names: its label, or for security groups the
 * label with the interface (`security-groups web/eth1 inbound`), eth0 being the primary interface.
 */
export function blockedByMatches(expected: string, component: Component | undefined): boolean {
  if (component === undefined) return expected === "nothing";
  if (componentLabel(component) === expected) return true;
  if (component.kind !== "security-groups") return false;
  const index = component.interface === component.instance ? 0 : Number(component.interface.slice(component.instance.length + 1));
  return expected === `security-groups ${component.instance}/eth${index} ${component.direction}`;
}
