// The packet-flow engine: a world, a clock, and packets sent through them one at a time. `send`
// traces a packet hop by hop; `verdict` is the bulk mode, which builds no words. The walk itself
// lives in path.ts (the route a packet takes), filters.ts (ACLs and security groups) and
// gateways.ts (translation and appliances).
import type { Draft } from "immer";
import { produce } from "immer";
import type { CompiledWorld } from "../compile/world.js";
import { compileWorld } from "../compile/world.js";
import type { Role } from "../explain/drop.js";
import type { PacketResult } from "../explain/trace.js";
import { packetView } from "../explain/trace.js";
import { shown, VpcsimError } from "../model/errors.js";
import type { World } from "../model/model.js";
import type { Packet } from "../model/packet.js";
import { checkPacket } from "../model/packet.js";
import type { Verdict } from "../model/verdict.js";
import { ConnectionTable } from "./connection-table.js";
import type { WalkContext } from "./context.js";
import { MatchCache } from "./match-cache.js";
import { walk } from "./path.js";
import { Scope } from "./scope.js";
import { TranslationTable } from "./translation-table.js";

export type { Verdict } from "../model/verdict.js";

export interface SendOptions {
  /** build the hop-by-hop trace (default true); the drop is explained either way */
  readonly trace?: boolean;
  /** request or reply of a connection, for the explanation's words */
  readonly role?: Role;
}

/** A traced packet, and the packet as its destination received it (after translation). */
export interface Delivery {
  readonly result: PacketResult;
  readonly received: Packet | undefined;
}

export class Engine {
  #world: World;
  readonly #ids = new Map<string, number>();
  readonly #context: WalkContext;
  /** the scope verdict-only packets share: they record a verdict and nothing else */
  readonly #bulk = new Scope();

  constructor(world: World) {
    checkWorld(world, "new Engine");
    this.#world = world;
    this.#context = {
      compiled: this.#compile(world, undefined),
      now: 0,
      scope: this.#bulk,
      connections: new ConnectionTable(),
      translations: new TranslationTable(),
      matches: new MatchCache(),
      untracked: new Map(),
    };
  }

  get world(): World {
    return this.#world;
  }

  /** Simulation time in seconds. */
  get now(): number {
    return this.#context.now;
  }

  advance(seconds: number): void {
    if (typeof seconds !== "number" || !(seconds >= 0) || seconds === Infinity) {
      throw new VpcsimError("argument/duration", `advance: ${shown(seconds)} is not a duration in seconds (a finite number >= 0)`);
    }
    this.#context.now += seconds;
  }

  /** Drops idle connection-table entries now rather than when next looked up; returns how many. */
  expireConnections(): number {
    return this.#context.connections.expire(this.#context.now);
  }

  /**
   * Changes the world. Tracked connections survive rule changes; untracked flows have no entry,
   * so their next packet meets the new rules at once (aws-rules §3.2); ACL changes apply to the
   * next packet.
   */
  update(recipe: (draft: Draft<World>) => void): void {
    if (typeof recipe !== "function")
      throw new VpcsimError("argument/world", `update: expected a function that changes the world, got ${shown(recipe)}`);
    this.setWorld(produce(this.#world, recipe));
  }

  /**
   * Replaces the world. Only what changed is compiled again: security groups, network ACLs and
   * route tables the new version shares with the current one (immer keeps unchanged parts
   * identical) keep their compiled form, so a rule change costs the rules it touches.
   */
  setWorld(world: World): void {
    checkWorld(world, "setWorld");
    if (world === this.#world) return;
    this.#world = world;
    this.#context.compiled = this.#compile(world, this.#context.compiled);
    this.#context.matches.clear();
  }

  /** One packet with its full trace. */
  send(p: Packet, options: SendOptions = {}): PacketResult {
    return this.deliver(p, options).result;
  }

  /** One packet with its full trace, and the packet as it arrived (to answer it). */
  deliver(p: Packet, options: SendOptions = {}): Delivery {
    checkPacket(p, "send");
    checkOptions(options);
    const scope = new Scope();
    scope.begin(options.trace ?? true, true, options.role ?? "packet");
    const c = this.#context;
    c.scope = scope;
    try {
      const delivered = walk(c, p);
      const result: PacketResult = {
        delivered,
        packet: packetView(p),
        ...(scope.received ? { received: packetView(scope.received) } : {}),
        hops: scope.hops ?? [],
        ...(scope.drop ? { drop: scope.drop } : {}),
        ...(scope.trackedAtDestination !== undefined ? { trackedAtDestination: scope.trackedAtDestination } : {}),
        time: c.now,
      };
      return { result, received: scope.received };
    } finally {
      c.scope = this.#bulk;
    }
  }

  /** Verdict only, for bulk traffic: `"delivered"` or the drop code. Builds no trace and no words. */
  verdict(p: Packet): Verdict {
    checkPacket(p, "verdict");
    const scope = this.#bulk;
    scope.begin(false, false, "packet");
    walk(this.#context, p);
    return scope.verdict;
  }

  #compile(world: World, previous: CompiledWorld | undefined): CompiledWorld {
    // Interface ids are stable across world versions: connection-table entries refer to them.
    const ids = (name: string) => {
      let id = this.#ids.get(name);
      if (id === undefined) {
        id = this.#ids.size;
        this.#ids.set(name, id);
      }
      return id;
    };
    return compileWorld(world, ids, previous);
  }
}

const WORLD_RECORDS = [
  "subnets",
  "securityGroups",
  "networkAcls",
  "routeTables",
  "instances",
  "natGateways",
  "internetHosts",
  "prefixLists",
] as const;

/** A world's outline: its records are there. What they hold is checked as the world is compiled. */
function checkWorld(world: World, where: string): void {
  const bad = (why: string) => new VpcsimError("argument/world", `${where}: ${why}; load a scenario with loadScenario for a world`);
  if (typeof world !== "object" || world === null) throw bad(`expected a world, got ${shown(world)}`);
  const isObject = (v: unknown) => typeof v === "object" && v !== null;
  if (!isObject(world.vpc) || !Array.isArray(world.vpc.cidrs)) throw bad("the world has no vpc with cidrs");
  if (!isObject(world.settings)) throw bad("the world has no settings");
  for (const k of WORLD_RECORDS) if (!isObject(world[k])) throw bad(`the world has no ${k}`);
}

const ROLES: ReadonlySet<unknown> = new Set(["request", "reply", "packet"]);

function checkOptions(o: SendOptions): void {
  if (typeof o !== "object" || o === null) throw new VpcsimError("argument/options", `send: options must be an object, got ${shown(o)}`);
  if (o.trace !== undefined && typeof o.trace !== "boolean") {
    throw new VpcsimError("argument/options", `send: options.trace must be true or false, got ${shown(o.trace)}`);
  }
  if (o.role !== undefined && !ROLES.has(o.role)) {
    throw new VpcsimError("argument/options", `send: options.role must be "request", "reply" or "packet", got ${shown(o.role)}`);
  }
}
