// Three evaluators that must agree packet by packet: the engine with full traces (`send`), the
// engine in verdict-only mode (`verdict`), and the executable rule book (`src/reference/`).
//
// - `checkedEngine(world)` is an Engine whose every packet, clock step and world change is mirrored
//   into a twin Engine (verdict-only) and a ReferenceEvaluator; it throws at the first packet on
//   which the three disagree. Tests get it through `engine()` in helpers.ts.
// - `recordScenario` walks a scenario's steps the way the scenario runner does (src/scenario/run.ts)
//   and records what it sends: each packet, each wait and each new world version, in order.
//   `replay` sends that exact sequence through fresh evaluators.

import type {
  Address,
  Endpoint,
  Family,
  Flow,
  Packet,
  PacketResult,
  PacketView,
  PortRange,
  Scenario,
  SendOptions,
  Verdict,
  World,
} from "../src/index.js";
import { ACK, applyChange, Engine, FIN, ICMP, ICMPV6, makePacket, PSH, packetView, SYN, TCP } from "../src/index.js";
import { icmpReplyType } from "../src/model/protocol.js";
import { ReferenceEvaluator } from "../src/reference/evaluator.js";

/** A packet in a line: `tcp 10.0.1.10:40000 > 10.0.2.20:443 SYN`, `icmp 10.0.1.10 > 8.8.8.8 8/0 id 3`. */
export function describePacket(p: Packet): string {
  const v = packetView(p);
  const port = (a: string, n: number | undefined) => (n === undefined ? a : a.includes(":") ? `[${a}]:${n}` : `${a}:${n}`);
  const extra = v.icmpType !== undefined ? ` ${v.icmpType}/${v.icmpCode} id ${p.srcPort}` : v.flags ? ` ${v.flags}` : "";
  return `${v.protocol} ${port(v.source, v.sourcePort)} > ${port(v.destination, v.destinationPort)}${extra}`;
}

export function outcomeOf(r: PacketResult): Verdict {
  if (r.delivered) return "delivered";
  if (!r.drop) throw new Error("a dropped packet without a drop");
  return r.drop.code;
}

// --- the checked engine --------------------------------------------------------------------------

/** Thrown by a checked engine when its twin or the reference sees a packet otherwise. */
export class DisagreementError extends Error {
  override name = "DisagreementError";
}

/**
 * An Engine whose every `send`/`deliver`/`verdict`, `update`/`setWorld`, `advance` and
 * `expireConnections` is mirrored into a twin Engine (verdict-only mode) and a ReferenceEvaluator.
 * After each packet the three outcomes must be equal, else it throws a DisagreementError naming the
 * packet, the time and the three outcomes.
 */
export class CheckedEngine extends Engine {
  readonly #twin: Engine;
  readonly #reference: ReferenceEvaluator;
  #packets = 0;

  constructor(world: World) {
    super(world);
    this.#twin = new Engine(world);
    this.#reference = new ReferenceEvaluator(world);
  }

  /** How many packets were checked. */
  get checkedPackets(): number {
    return this.#packets;
  }

  // `send` and `update` are the Engine's own: they call `deliver` and `setWorld` below.

  override deliver(p: Packet, options: SendOptions = {}) {
    const d = super.deliver(p, options);
    this.#check(p, outcomeOf(d.result), "send");
    return d;
  }

  override verdict(p: Packet): Verdict {
    const v = super.verdict(p);
    this.#check(p, v, "verdict");
    return v;
  }

  override setWorld(world: World): void {
    super.setWorld(world);
    this.#twin.setWorld(world);
    this.#reference.setWorld(world);
  }

  override advance(seconds: number): void {
    super.advance(seconds);
    this.#twin.advance(seconds);
    this.#reference.advance(seconds);
  }

  override expireConnections(): number {
    const n = super.expireConnections();
    this.#twin.expireConnections();
    this.#reference.expireConnections();
    return n;
  }

  #check(p: Packet, engine: Verdict, mode: "send" | "verdict"): void {
    this.#packets++;
    const twin = this.#twin.verdict(p);
    const reference = this.#reference.verdict(p);
    if (engine === twin && twin === reference) return;
    throw new DisagreementError(
      `packet ${this.#packets} at t=${this.now}s, ${describePacket(p)}: engine ${mode} says ${engine}, ` +
        `twin engine verdict says ${twin}, reference says ${reference}`,
    );
  }
}

export function checkedEngine(world: World): CheckedEngine {
  return new CheckedEngine(world);
}

// --- recording a scenario's packets --------------------------------------------------------------

export type ReplayEvent =
  | {
      readonly kind: "packet";
      readonly step: number;
      readonly title: string;
      readonly role: "request" | "reply" | "packet";
      readonly packet: Packet;
      readonly recorded: Verdict;
    }
  | { readonly kind: "wait"; readonly step: number; readonly seconds: number }
  | { readonly kind: "world"; readonly step: number; readonly world: World };

/** What the runner reports for one step: the packets it sent, as views, and their outcomes. */
export interface RecordedStep {
  readonly step: number;
  readonly packets: readonly { readonly view: PacketView; readonly outcome: Verdict }[];
}

/**
 * Chooses addresses and ports for named endpoints as the scenario runner does: instances send from
 * their first address of the family, internet hosts reach instances at their public address, and
 * each sender takes its ephemeral ports in turn. Like the runner, it reads the scenario's first
 * world.
 */
class Endpoints {
  readonly #next = new Map<string, number>();
  constructor(private readonly world: World) {}

  family(flow: Flow): Family {
    if (flow.ipVersion) return flow.ipVersion;
    for (const e of [flow.to, flow.from]) {
      if (e.kind === "address") return e.address.family;
      if (e.kind === "internet-host") return this.world.internetHosts[e.name]!.address.family;
    }
    return 4;
  }

  source(e: Endpoint, family: Family): Address | undefined {
    switch (e.kind) {
      case "address":
        return e.address;
      case "internet-host":
        return this.world.internetHosts[e.name]!.address;
      case "nat-gateway":
        return undefined;
      case "instance": {
        const iface = this.world.instances[e.name]!.interfaces[0]!;
        return family === 4 ? iface.privateIps[0] : iface.ipv6s[0];
      }
    }
  }

  destination(to: Endpoint, from: Endpoint, family: Family): Address | undefined {
    const outside = from.kind === "internet-host" || (from.kind === "address" && !this.#inside(from.address));
    switch (to.kind) {
      case "address":
        return to.address;
      case "internet-host":
        return this.world.internetHosts[to.name]!.address;
      case "nat-gateway": {
        const n = this.world.natGateways[to.name]!;
        return outside ? n.publicIp : n.privateIp;
      }
      case "instance": {
        const iface = this.world.instances[to.name]!.interfaces[0]!;
        if (family === 6) return iface.ipv6s[0];
        return outside && iface.publicIp ? iface.publicIp : iface.privateIps[0]!;
      }
    }
  }

  #inside(a: Address): boolean {
    return Object.values(this.world.instances).some((i) =>
      i.interfaces.some((f) => [...f.privateIps, ...f.ipv6s].some((x) => x.text === a.text)),
    );
  }

  ephemeralPort(e: Endpoint): number {
    const range: PortRange =
      e.kind === "instance"
        ? this.world.instances[e.name]!.interfaces[0]!.ephemeral
        : e.kind === "internet-host"
          ? this.world.internetHosts[e.name]!.ephemeral
          : { from: 32768, to: 60999 };
    const key = e.kind === "address" ? e.address.text : e.name;
    const next = this.#next.get(key) ?? range.from;
    this.#next.set(key, next >= range.to ? range.from : next + 1);
    return next;
  }
}

/** The answer a host sends: addresses and ports swapped; echo reply for an echo request. */
function replyTo(p: Packet): Packet | undefined {
  if (p.protocol === ICMP || p.protocol === ICMPV6) {
    const type = icmpReplyType(p.protocol, p.icmpType);
    if (type === undefined) return undefined;
    return { ...p, src: p.dst, dst: p.src, icmpType: type, icmpCode: 0 };
  }
  return { ...p, src: p.dst, dst: p.src, srcPort: p.dstPort, dstPort: p.srcPort, flags: p.protocol === TCP ? SYN | ACK : 0 };
}

/**
 * Walks a scenario's steps as the scenario runner does, with an engine of its own to learn how
 * requests arrive (their replies answer the packet as received, after translation), and records
 * the sequence: packets, waits and world versions. Step kinds it does not know are an error, never
 * skipped.
 */
export function recordScenario(scenario: Scenario): { events: ReplayEvent[]; steps: RecordedStep[] } {
  const engine = new Engine(scenario.world);
  const endpoints = new Endpoints(scenario.world);
  const connections = new Map<string, { request: Packet; reply: Packet | undefined }>();
  const events: ReplayEvent[] = [];
  const steps: RecordedStep[] = [];
  let world = scenario.world;
  let icmpId = 0;

  for (const step of scenario.steps) {
    const sent: { view: PacketView; outcome: Verdict }[] = [];
    const title = `step ${step.index + 1} (${step.kind}, line ${step.line})`;
    const send = (packet: Packet, role: "request" | "reply" | "packet") => {
      const { result, received } = engine.deliver(packet, { role });
      const recorded = outcomeOf(result);
      events.push({ kind: "packet", step: step.index, title, role, packet, recorded });
      sent.push({ view: packetView(packet), outcome: recorded });
      return { delivered: result.delivered, received };
    };
    switch (step.kind) {
      case "wait":
        engine.advance(step.seconds);
        engine.expireConnections();
        events.push({ kind: "wait", step: step.index, seconds: step.seconds });
        break;
      case "change": {
        const r = applyChange(world, step.change);
        if (!r.ok) throw new Error(`${scenario.file} ${title}: change refused: ${r.message}`);
        world = r.world;
        engine.setWorld(world);
        events.push({ kind: "world", step: step.index, world });
        break;
      }
      case "connect":
      case "send": {
        const family = endpoints.family(step.flow);
        const src = endpoints.source(step.flow.from, family);
        const dst = endpoints.destination(step.flow.to, step.flow.from, family);
        if (!src || !dst) break; // the runner sends nothing either: the step reports why
        const icmp = step.flow.protocol === ICMP || step.flow.protocol === ICMPV6;
        const request = makePacket({
          src,
          dst,
          protocol: step.flow.protocol,
          srcPort: icmp ? ++icmpId : (step.flow.sourcePort ?? endpoints.ephemeralPort(step.flow.from)),
          dstPort: step.flow.port ?? 0,
          icmpType: step.flow.icmpType ?? (step.flow.protocol === ICMPV6 ? 128 : 8),
          icmpCode: step.flow.icmpCode ?? 0,
          flags: step.kind === "send" ? (step.flags ?? SYN) : SYN,
        });
        if (step.kind === "send") {
          send(request, "packet");
          break;
        }
        const first = send(request, "request");
        let reply: Packet | undefined;
        if (first.delivered && first.received) {
          reply = replyTo(first.received);
          if (reply) send(reply, "reply");
        }
        if (step.name) connections.set(step.name, { request, reply });
        break;
      }
      case "send-connection": {
        const conn = connections.get(step.connection)!;
        const template = step.direction === "request" ? conn.request : conn.reply;
        if (!template) break;
        send({ ...template, flags: template.protocol === TCP ? (step.flags ?? ACK | PSH) : 0 }, step.direction);
        break;
      }
      case "close": {
        const conn = connections.get(step.connection)!;
        const tcp = conn.request.protocol === TCP;
        const first = send({ ...conn.request, flags: tcp ? FIN | ACK : conn.request.flags }, "request");
        if (tcp && first.delivered && conn.reply) send({ ...conn.reply, flags: FIN | ACK }, "reply");
        break;
      }
      default:
        throw new Error(`${scenario.file} ${title}: the agreement replay does not know this kind of step`);
    }
    steps.push({ step: step.index, packets: sent });
  }
  return { events, steps };
}

// --- replaying it through the three evaluators ---------------------------------------------------

export interface ReplayedPacket {
  readonly event: ReplayEvent & { kind: "packet" };
  readonly send: Verdict;
  readonly verdict: Verdict;
  readonly reference: Verdict;
}

/**
 * Sends the recorded sequence through a fresh Engine's traced `send`, a fresh Engine's `verdict`
 * and a fresh ReferenceEvaluator, with the same waits (advance, then expire, as the runner does)
 * and world changes at the same points.
 */
export function replay(world: World, events: readonly ReplayEvent[]): ReplayedPacket[] {
  const traced = new Engine(world);
  const bulk = new Engine(world);
  const reference = new ReferenceEvaluator(world);
  const out: ReplayedPacket[] = [];
  for (const event of events) {
    switch (event.kind) {
      case "wait":
        for (const e of [traced, bulk, reference]) {
          e.advance(event.seconds);
          e.expireConnections();
        }
        break;
      case "world":
        for (const e of [traced, bulk, reference]) e.setWorld(event.world);
        break;
      case "packet":
        out.push({
          event,
          send: outcomeOf(traced.send(event.packet, { role: event.role })),
          verdict: bulk.verdict(event.packet),
          reference: reference.verdict(event.packet),
        });
        break;
    }
  }
  return out;
}

/** The packets on which the three evaluators (or the recording) do not all say the same. */
export function disagreements(file: string, replayed: readonly ReplayedPacket[]): string[] {
  return replayed.flatMap((r, i) => {
    const { recorded } = r.event;
    if (r.send === r.verdict && r.verdict === r.reference && r.reference === recorded) return [];
    return [
      `${file} ${r.event.title}, packet ${i + 1} (${r.event.role}) ${describePacket(r.event.packet)}: ` +
        `engine send ${r.send}, engine verdict ${r.verdict}, reference ${r.reference}, recorded ${recorded}`,
    ];
  });
}
