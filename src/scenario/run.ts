// Runs a scenario's steps against the engine and checks each expectation.

import { Engine } from "../engine/engine.js";
import { changeText } from "../explain/change-text.js";
import type { PacketResult } from "../explain/trace.js";
import type { Address, Family } from "../model/address.js";
import { componentLabel } from "../model/component.js";
import { EPHEMERAL_PROFILES } from "../model/defaults.js";
import { shown, VpcsimError } from "../model/errors.js";
import type { PortRange, World } from "../model/model.js";
import type { Packet } from "../model/packet.js";
import { ACK, FIN, makePacket, PSH, SYN } from "../model/packet.js";
import { ICMP, ICMPV6, icmpReplyType, protocolName, TCP } from "../model/protocol.js";
import { applyChange } from "../model/world-change.js";
import { blockedByMatches } from "./expect.js";
import { icmpErrorAbout } from "./icmp-error.js";
import type { Endpoint, Expectation, Flow, Scenario, Step } from "./load.js";

export interface PacketRecord {
  readonly role: "request" | "reply" | "packet";
  readonly result: PacketResult;
}

export interface ExpectationCheck {
  readonly expected: string;
  readonly actual: string;
  readonly pass: boolean;
  readonly failures: readonly string[];
}

export interface StepResult {
  readonly index: number;
  readonly line: number;
  readonly kind: Step["kind"];
  readonly title: string;
  /** what happened, in one line */
  readonly outcome: string;
  readonly packets: readonly PacketRecord[];
  readonly check?: ExpectationCheck;
}

export interface ScenarioResult {
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly steps: readonly StepResult[];
  readonly passed: number;
  readonly failed: number;
}

/** A named connection: its packets once its request was delivered, else why it never opened. */
type Connection =
  | { readonly request: Packet; readonly reply: Packet | undefined }
  | { readonly unopened: string; readonly protocol: number };

/** Chooses addresses and ports for named endpoints, like the hosts themselves would. */
class Endpoints {
  #next = new Map<string, number>();
  /** the private addresses of every interface, as text; built on first use, once per run */
  #private: Set<string> | undefined;
  constructor(private readonly world: World) {}

  /** Why the endpoint cannot take part, when it names nothing in the world (a scenario built by hand). */
  unknown(e: Endpoint): string | undefined {
    const records = { instance: this.world.instances, "internet-host": this.world.internetHosts, "nat-gateway": this.world.natGateways };
    if (e.kind === "address") return undefined;
    return Object.hasOwn(records[e.kind], e.name) ? undefined : `the world has no ${e.kind} named ${e.name}`;
  }

  family(flow: Flow): Family {
    if (flow.ipVersion) return flow.ipVersion;
    for (const e of [flow.to, flow.from]) {
      if (e.kind === "address") return e.address.family;
      if (e.kind === "internet-host") return this.world.internetHosts[e.name]!.address.family;
    }
    return 4;
  }

  /** The address `e` sends from. */
  source(e: Endpoint, family: Family): Address | string {
    switch (e.kind) {
      case "address":
        return e.address;
      case "internet-host":
        return this.world.internetHosts[e.name]!.address;
      case "nat-gateway":
        return `${e.name} is a NAT gateway: it forwards traffic, it does not open connections`;
      case "instance": {
        const iface = this.world.instances[e.name]!.interfaces[0]!;
        const a = family === 4 ? iface.privateIps[0] : iface.ipv6s[0];
        return a ?? `${e.name} has no IPv${family} address`;
      }
    }
  }

  /** The address `from` reaches `to` at: an internet host reaches an instance at its public IP. */
  destination(to: Endpoint, from: Endpoint, family: Family): Address | string {
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
        if (family === 6) return iface.ipv6s[0] ?? `${to.name} has no IPv6 address`;
        return outside && iface.publicIp ? iface.publicIp : iface.privateIps[0]!;
      }
    }
  }

  #inside(a: Address): boolean {
    // One set for the whole run, so that a step from an address costs one lookup, not a walk of
    // every instance. Changes never move addresses, so the scenario's first world holds them all.
    if (!this.#private) {
      this.#private = new Set();
      for (const i of Object.values(this.world.instances)) {
        for (const f of i.interfaces) for (const x of [...f.privateIps, ...f.ipv6s]) this.#private.add(x.text);
      }
    }
    return this.#private.has(a.text);
  }

  ephemeralPort(e: Endpoint): number {
    const range = ephemeralRange(this.world, e);
    const key = e.kind === "address" ? e.address.text : e.name;
    const next = this.#next.get(key) ?? range.from;
    this.#next.set(key, next >= range.to ? range.from : next + 1);
    return next;
  }
}

/** The ports an endpoint opens connections from: its own range, Linux's for a bare address. */
export function ephemeralRange(world: World, e: Endpoint): PortRange {
  return e.kind === "instance"
    ? world.instances[e.name]!.interfaces[0]!.ephemeral
    : e.kind === "internet-host"
      ? world.internetHosts[e.name]!.ephemeral
      : EPHEMERAL_PROFILES.linux!;
}

/**
 * Runs steps one at a time against one engine, remembering the connections they name: what
 * `runScenario` does for a whole file, and what the code API does for each call.
 */
export class StepRunner {
  readonly #endpoints: Endpoints;
  readonly #connections = new Map<string, Connection>();
  #icmpId = 0;

  constructor(readonly engine: Engine) {
    this.#endpoints = new Endpoints(engine.world);
  }

  /** The connections earlier steps opened or tried to open: each name with its protocol. */
  connectionNames(): ReadonlyMap<string, number> {
    return new Map([...this.#connections].map(([name, c]) => [name, "unopened" in c ? c.protocol : c.request.protocol]));
  }

  /** Runs one step (built for this runner's world by the loader) and checks its expectation. */
  run(step: Step): StepResult {
    const { engine } = this;
    const endpoints = this.#endpoints;
    const connections = this.#connections;
    const base = { index: step.index, line: step.line, kind: step.kind };
    switch (step.kind) {
      case "wait":
        engine.advance(step.seconds);
        engine.expireConnections();
        return { ...base, title: `wait ${formatDuration(step.seconds)}`, outcome: `t=${engine.now}s`, packets: [] };
      case "change": {
        const applied = applyTo(engine, step);
        return { ...base, title: changeText(step.change), outcome: applied, packets: [] };
      }
      case "connect":
      case "send": {
        const title = `${step.kind} ${flowText(step.flow)}`;
        const unknown = endpoints.unknown(step.flow.from) ?? endpoints.unknown(step.flow.to);
        const family = unknown ? 4 : endpoints.family(step.flow);
        const src = unknown ?? endpoints.source(step.flow.from, family);
        const dst = unknown ?? endpoints.destination(step.flow.to, step.flow.from, family);
        // the loader refuses endpoints of two families; a scenario built by hand may hold them
        const mixed =
          typeof src !== "string" && typeof dst !== "string" && src.family !== dst.family
            ? `${src.text} and ${dst.text} are of different families (IPv${src.family} → IPv${dst.family}): a packet has one`
            : undefined;
        if (typeof src === "string" || typeof dst === "string" || mixed) {
          const outcome = typeof src === "string" ? src : typeof dst === "string" ? dst : mixed!;
          if (step.kind === "connect" && step.name) connections.set(step.name, { unopened: outcome, protocol: step.flow.protocol });
          return { ...base, title, outcome, packets: [], ...checkOf(step.expect, [], outcome) };
        }
        const icmp = step.flow.protocol === ICMP || step.flow.protocol === ICMPV6;
        // An ICMP echo identifier is 16 bits: a long scenario wraps around
        if (icmp) this.#icmpId = (this.#icmpId % 65535) + 1;
        const request = makePacket({
          src,
          dst,
          protocol: step.flow.protocol,
          srcPort: icmp ? this.#icmpId : (step.flow.sourcePort ?? endpoints.ephemeralPort(step.flow.from)),
          dstPort: step.flow.port ?? 0,
          icmpType: step.flow.icmpType ?? (step.flow.protocol === ICMPV6 ? 128 : 8),
          icmpCode: step.flow.icmpCode ?? 0,
          flags: step.kind === "send" ? (step.flags ?? SYN) : SYN,
        });
        if (step.kind === "send") {
          const r = engine.send(request, { role: "packet" });
          const packets = [{ role: "packet" as const, result: r }];
          return { ...base, title, outcome: packetOutcome(r), packets, ...checkOf(step.expect, packets) };
        }
        const { packets, reply } = exchange(engine, request);
        if (step.name)
          connections.set(
            step.name,
            packets[0]!.result.delivered ? { request, reply } : { unopened: "its request was not delivered", protocol: request.protocol },
          );
        return {
          ...base,
          title: step.name ? `${title} as ${step.name}` : title,
          outcome: exchangeOutcome(packets),
          packets,
          ...checkOf(step.expect, packets),
        };
      }
      case "send-connection": {
        const conn = opened(connections, step.connection);
        const title = `send ${step.direction} of ${step.connection}`;
        const template = typeof conn === "string" ? undefined : step.direction === "request" ? conn.request : conn.reply;
        if (!template) {
          const outcome =
            typeof conn === "string" ? conn : `${step.connection} has no reply direction (the destination does not answer it)`;
          return { ...base, title, outcome, packets: [], ...checkOf(step.expect, [], outcome) };
        }
        if (step.icmpError) {
          const r = engine.send(icmpErrorAbout(template, step.icmpError), { role: "packet" });
          const packets = [{ role: "packet" as const, result: r }];
          const about = `${step.icmpError} about the ${step.direction} of ${step.connection}`;
          return { ...base, title: `send ${about}`, outcome: packetOutcome(r), packets, ...checkOf(step.expect, packets) };
        }
        const packet = withFlags(template, template.protocol === TCP ? (step.flags ?? ACK | PSH) : 0);
        const r = engine.send(packet, { role: step.direction });
        const packets = [{ role: step.direction, result: r }];
        return { ...base, title, outcome: packetOutcome(r), packets, ...checkOf(step.expect, packets) };
      }
      case "close": {
        const conn = opened(connections, step.connection);
        const title = `close ${step.connection} (FIN)`;
        if (typeof conn === "string")
          return { ...base, kind: "close", title, outcome: conn, packets: [], ...checkOf(step.expect, [], conn) };
        // The requester's FIN, then the other side's FIN: a TCP close takes one from each (aws-rules §3.5).
        const tcp = conn.request.protocol === TCP;
        const packet = withFlags(conn.request, tcp ? FIN | ACK : conn.request.flags);
        const r = engine.send(packet, { role: "request" });
        const packets: PacketRecord[] = [{ role: "request", result: r }];
        if (tcp && r.delivered && conn.reply)
          packets.push({ role: "reply", result: engine.send(withFlags(conn.reply, FIN | ACK), { role: "reply" }) });
        const outcome = packets.length > 1 ? exchangeOutcome(packets) : packetOutcome(r);
        return { ...base, kind: "close", title, outcome, packets, ...checkOf(step.expect, packets) };
      }
    }
  }
}

/**
 * Runs a scenario's steps and checks their expectations. `engine` is an engine of the scenario's
 * world, fresh by default; pass one (a subclass, say) to watch every packet the steps send.
 */
export function runScenario(scenario: Scenario, engine?: Engine): ScenarioResult {
  checkScenario(scenario);
  engine ??= new Engine(scenario.world);
  if (!(engine instanceof Engine)) throw new VpcsimError("argument/engine", `runScenario: expected an Engine, got ${shown(engine)}`);
  if (engine.world !== scenario.world) throw new VpcsimError("argument/engine", "runScenario: the engine must hold the scenario's world");
  const runner = new StepRunner(engine);
  return scenarioResult(
    scenario,
    scenario.steps.map((step) => runner.run(step)),
  );
}

/** The result of a scenario whose steps gave `steps`: their expectations counted. */
export function scenarioResult(scenario: Pick<Scenario, "file" | "name" | "description">, steps: readonly StepResult[]): ScenarioResult {
  return {
    file: scenario.file,
    name: scenario.name,
    ...(scenario.description ? { description: scenario.description } : {}),
    steps,
    passed: steps.filter((r) => r.check?.pass === true).length,
    failed: steps.filter((r) => r.check?.pass === false).length,
  };
}

/** One connection against a world, run exactly as a `connect` step would be (`vpcsim trace`). */
export function runConnection(world: World, flow: Flow): StepResult {
  return runConnectionAfter({ file: "", name: "", world, steps: [] }, 0, flow).connection;
}

/** What the first steps of a scenario did, and then one connection, as a `connect` step there. */
export interface ConnectionAfterSteps {
  readonly before: readonly StepResult[];
  readonly connection: StepResult;
}

/**
 * One connection after the first `after` steps of a scenario (`vpcsim trace --after-step N`): the
 * world changed by them, the clock advanced, their connections tracked and their clients' ports
 * taken, so the connection is a new one from the next free port.
 */
export function runConnectionAfter(scenario: Scenario, after: number, flow: Flow): ConnectionAfterSteps {
  if (!Number.isInteger(after) || after < 0 || after > scenario.steps.length) {
    throw new VpcsimError("argument/step", `runConnectionAfter: expected a step count 0-${scenario.steps.length}, got ${shown(after)}`);
  }
  const steps = scenario.steps.slice(0, after);
  const step: Step = { index: after, line: 0, kind: "connect", flow };
  const r = runScenario({ ...scenario, steps: [...steps, step] });
  return { before: r.steps.slice(0, after), connection: r.steps[after]! };
}

function applyTo(engine: Engine, step: Step & { kind: "change" }): string {
  // The loader's dry run refuses what AWS would; a scenario built by hand may still hold such a
  // change, and AWS's refusal is an outcome, not a crash.
  const r = applyChange(engine.world, step.change);
  if (!r.ok) return `refused: ${r.message}`;
  engine.setWorld(r.world);
  return "applied";
}

/** A named connection that opened, or why it cannot be used. */
function opened(connections: ReadonlyMap<string, Connection>, name: string): Exclude<Connection, { unopened: string }> | string {
  const c = connections.get(name);
  if (!c) return `no earlier connect step is named ${name}`;
  return "unopened" in c ? `connection ${name} was never opened: ${c.unopened}` : c;
}

/** One more packet of a connection: the same addresses and ports, other TCP flags. */
function withFlags(p: Packet, flags: number): Packet {
  return makePacket({ ...p, flags });
}

const STEP_KINDS: ReadonlySet<unknown> = new Set(["connect", "send", "send-connection", "close", "wait", "change"]);

/** A Scenario's outline; what a step holds is checked as it runs (packets, durations, changes). */
export function checkScenario(s: Scenario, caller = "runScenario"): void {
  const bad = (why: string) => new VpcsimError("argument/scenario", `${caller}: ${why}; load one with loadScenario`);
  if (typeof s !== "object" || s === null) throw bad(`expected a scenario, got ${shown(s)}`);
  if (typeof s.world !== "object" || s.world === null) throw bad("the scenario has no world");
  if (!Array.isArray(s.steps)) throw bad("the scenario's steps are not a list");
  s.steps.forEach((step: Step, i: number) => {
    if (typeof step !== "object" || step === null || !STEP_KINDS.has(step.kind)) throw bad(`step ${i + 1} is not a step`);
  });
}

/** A request and, when it arrives, the reply the destination sends back. */
function exchange(engine: Engine, request: Packet): { packets: PacketRecord[]; reply: Packet | undefined } {
  const { result: first, received } = engine.deliver(request, { role: "request" });
  const packets: PacketRecord[] = [{ role: "request", result: first }];
  if (!first.delivered || !received) return { packets, reply: undefined };
  const reply = replyTo(received);
  if (!reply) return { packets, reply: undefined };
  packets.push({ role: "reply", result: engine.send(reply, { role: "reply" }) });
  return { packets, reply };
}

/** The answer a host sends: addresses and ports swapped; echo reply for echo request. */
function replyTo(p: Packet): Packet | undefined {
  if (p.protocol === ICMP || p.protocol === ICMPV6) {
    const type = icmpReplyType(p.protocol, p.icmpType);
    if (type === undefined) return undefined;
    return makePacket({ ...p, src: p.dst, dst: p.src, icmpType: type, icmpCode: 0 });
  }
  return makePacket({ ...p, src: p.dst, dst: p.src, srcPort: p.dstPort, dstPort: p.srcPort, flags: p.protocol === TCP ? SYN | ACK : 0 });
}

function packetOutcome(r: PacketResult): string {
  return r.delivered ? "delivered" : `denied at ${componentLabel(r.drop!.component)} (${r.drop!.code})`;
}

function exchangeOutcome(packets: readonly PacketRecord[]): string {
  const [req, rep] = packets;
  if (!req!.result.delivered) return `request ${packetOutcome(req!.result)}`;
  if (!rep) return "request delivered (no reply expected)";
  if (!rep.result.delivered) return `request delivered, reply ${packetOutcome(rep.result)}`;
  return "allowed: request and reply delivered";
}

/** Whether a step got through: it sent packets, and every one arrived (`allowed`, trace's exit 0). */
export function allDelivered(packets: readonly PacketRecord[]): boolean {
  return packets.length > 0 && packets.every((p) => p.result.delivered);
}

function checkOf(expect: Expectation | undefined, packets: readonly PacketRecord[], unavailable?: string): { check?: ExpectationCheck } {
  if (!expect) return {};
  return { check: checkExpectation(expect, packets, unavailable) };
}

export function checkExpectation(e: Expectation, packets: readonly PacketRecord[], unavailable?: string): ExpectationCheck {
  const failures: string[] = [];
  const request = packets.find((p) => p.role !== "reply")?.result;
  const reply = packets.find((p) => p.role === "reply")?.result;
  const overallAllowed = allDelivered(packets);
  const drop = packets.find((p) => !p.result.delivered)?.result.drop;
  const word = (b: boolean) => (b ? "allowed" : "denied");
  if (unavailable) failures.push(unavailable);
  if (e.overall && word(overallAllowed) !== e.overall) failures.push(`expected ${e.overall}, was ${word(overallAllowed)}`);
  if (e.request && request && word(request.delivered) !== e.request)
    failures.push(`expected the request ${e.request}, it was ${word(request.delivered)}`);
  if (e.reply) {
    if (!reply) failures.push(`expected the reply ${e.reply}, but no reply was sent (the request was not delivered)`);
    else if (word(reply.delivered) !== e.reply) failures.push(`expected the reply ${e.reply}, it was ${word(reply.delivered)}`);
  }
  if (e.blockedBy !== undefined && !blockedByMatches(e.blockedBy, drop?.component)) {
    failures.push(`expected blocked by ${e.blockedBy}, was blocked by ${drop ? componentLabel(drop.component) : "nothing"}`);
  }
  if (e.code !== undefined && (drop?.code ?? "none") !== e.code) failures.push(`expected code ${e.code}, was ${drop?.code ?? "none"}`);
  if (e.tracked !== undefined) {
    const tracked = request?.trackedAtDestination ?? false;
    if (tracked !== e.tracked)
      failures.push(`expected the destination to ${e.tracked ? "" : "not "}track the connection; it did${tracked ? "" : " not"}`);
  }
  return { expected: expectationText(e), actual: actualText(packets, drop), pass: failures.length === 0, failures };
}

function expectationText(e: Expectation): string {
  const parts: string[] = [];
  if (e.overall) parts.push(e.overall);
  if (e.request) parts.push(`request ${e.request}`);
  if (e.reply) parts.push(`reply ${e.reply}`);
  if (e.blockedBy) parts.push(`blocked by ${e.blockedBy}`);
  if (e.code) parts.push(`code ${e.code}`);
  if (e.tracked !== undefined) parts.push(e.tracked ? "tracked" : "not tracked");
  return parts.join(", ");
}

function actualText(packets: readonly PacketRecord[], drop: PacketResult["drop"]): string {
  if (packets.length === 0) return "no packet sent";
  const parts = packets.map((p) => `${p.role === "packet" ? "packet" : p.role} ${p.result.delivered ? "allowed" : "denied"}`);
  if (drop) parts.push(`blocked by ${componentLabel(drop.component)}`);
  return parts.join(", ");
}

function flowText(f: Flow): string {
  const name = (e: Endpoint) => (e.kind === "address" ? e.address.text : e.name);
  const what =
    f.port !== undefined
      ? `${protocolName(f.protocol)}/${f.port}`
      : f.icmpType !== undefined
        ? `${protocolName(f.protocol)} type ${f.icmpType}`
        : protocolName(f.protocol);
  return `${name(f.from)} → ${name(f.to)} ${what}`;
}

export function formatDuration(s: number): string {
  if (s >= 86400 && s % 86400 === 0) return `${s / 86400}d`;
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600}h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** The world a scenario's steps leave behind: its changes applied, as the runner's engine holds it after them. */
export function worldAfterSteps(scenario: Scenario): World {
  const engine = new Engine(scenario.world);
  runScenario(scenario, engine);
  return engine.world;
}
