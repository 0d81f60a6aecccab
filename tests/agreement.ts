// Three evaluators that must agree packet by packet: the engine with full traces (`send`), the
// engine in verdict-only mode (`verdict`), and the executable rule book (`src/reference/`).
//
// - `checkedEngine(world)` is an Engine whose every packet, clock step and world change is mirrored
//   into a twin Engine (verdict-only) and a ReferenceEvaluator; it throws at the first packet on
//   which the three disagree. Tests get it through `engine()` in helpers.ts.
// - `runScenario(scenario, checkedEngine(scenario.world))` runs a lesson with every packet checked.

import type { Packet, PacketResult, SendOptions, Verdict, World } from "../src/index.js";
import { Engine, packetView } from "../src/index.js";
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
