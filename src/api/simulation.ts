// A simulation driven from code, one step a call, in the words of the scenario files: `connect`,
// `send`, `close`, `wait`, `addRule`, ... Each call is checked by the loader exactly as a file's step
// is and run by the scenario runner (StepRunner), so a notebook and a lesson give the same verdicts.
import { Engine } from "../engine/engine.js";
import { shown, VpcsimError } from "../model/errors.js";
import type { World } from "../model/model.js";
import type { IcmpErrorKind } from "../scenario/icmp-error.js";
import type { Scenario } from "../scenario/load.js";
import { loadScenarioValue, loadStepValue } from "../scenario/load.js";
import { checkScenario, StepRunner, scenarioResult } from "../scenario/run.js";
import { options, plain, refused, text } from "./arguments.js";
import type { ConnectionOutcome, StepOutcome } from "./results.js";
import { ScenarioOutcome, stepOutcome } from "./results.js";

/** A world in the words of a scenario file (`vpc`, `subnets`, `instances`, ... and optionally `steps`), or a loaded Scenario. */
export type WorldInput = Readonly<Record<string, unknown>> | Scenario;

/** What a step may expect, as a scenario's `expect:` (camelCase or kebab-case keys). */
export type ExpectInput =
  | "allowed"
  | "denied"
  | {
      readonly request?: "allowed" | "denied";
      readonly reply?: "allowed" | "denied";
      readonly blockedBy?: string;
      readonly tracked?: boolean;
      readonly code?: string;
    };

/** The options of `connect` and `send`: a flow's fields as a step writes them. */
export interface FlowOptions {
  /** tcp, udp, icmp, icmpv6 or an IP protocol number */
  readonly protocol: string | number;
  readonly port?: number;
  readonly sourcePort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** between two instances: which addresses to use */
  readonly ipVersion?: 4 | 6;
  readonly expect?: ExpectInput;
}

/** `connect`'s options: a flow, and a name to `send` on or `close` later. */
export interface ConnectOptions extends FlowOptions {
  readonly name?: string;
}

/** `send`'s options for a new packet: a flow and its TCP flags (`SYN`, `ACK,PSH`). */
export interface PacketOptions extends FlowOptions {
  readonly flags?: string;
}

/** `send` on a named connection: one more packet of its request or reply direction. */
export interface ConnectionPacket {
  readonly connection: string;
  readonly direction: "request" | "reply";
  readonly flags?: string;
  /** instead of the packet, this ICMP error about it, back to its sender (aws-rules §3.6) */
  readonly "icmp-error"?: IcmpErrorKind;
  readonly expect?: ExpectInput;
}

/** A rule change as a scenario's `add-rule:` writes it: one rule set, one direction. */
export type RuleChange = Readonly<Record<string, unknown>>;

/** Options naming an interface other than the primary one (0). */
export interface InterfaceOption {
  readonly interface?: number;
}

/** Where a simulation starts: its world, and the steps already in it. */
function start(input: unknown, caller: "simulate" | "run"): Scenario {
  if (isScenario(input)) {
    checkScenario(input, caller);
    return input;
  }
  const code = caller === "run" ? "argument/scenario" : "argument/world";
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new VpcsimError(
      code,
      `${caller}: expected a world written as an object ({ vpc, subnets, instances, ... }) or a loaded Scenario, got ${shown(input)}`,
    );
  const data = plain(code, caller, input) as Record<string, unknown>;
  // a notebook's world needs no name; a file's does
  const loaded = loadScenarioValue({ name: "simulation", ...data }, caller === "run" ? "scenario" : "world");
  if (!loaded.ok) throw refused(code, caller, loaded.diagnostics);
  return loaded.scenario;
}

/** A loaded Scenario (from loadScenario), told apart from a world in a file's words, which has no `world`. */
function isScenario(v: unknown): v is Scenario {
  return typeof v === "object" && v !== null && Object.hasOwn(v, "world") && Object.hasOwn(v, "steps") && !Object.hasOwn(v, "vpc");
}

/**
 * A world and a clock you drive one step at a time. Each method is a step of the scenario format,
 * checked as a file's step is, and returns its result; `history` keeps them all and `report()`
 * shows everything so far. Create one with `simulate(world)`.
 */
export class Simulation {
  readonly #runner: StepRunner;
  readonly #scenario: Scenario;
  readonly #history: StepOutcome[] = [];

  /** @see simulate */
  constructor(world: WorldInput) {
    this.#scenario = start(world, "simulate");
    this.#runner = new StepRunner(new Engine(this.#scenario.world));
    for (const step of this.#scenario.steps) this.#history.push(stepOutcome(this.#runner.run(step)));
  }

  /** The world as the steps so far have changed it. */
  get world(): World {
    return this.#runner.engine.world;
  }

  /** Seconds since the simulation started. */
  get now(): number {
    return this.#runner.engine.now;
  }

  /** Every step's result so far, oldest first. */
  get history(): readonly StepOutcome[] {
    return [...this.#history];
  }

  /**
   * Opens a connection: a request from `from` to `to` and, when it arrives, the reply.
   * @example
   * const r = sim.connect("laptop", "web", { protocol: "tcp", port: 443, name: "https" });
   * r.request?.delivered; // true
   */
  connect(from: string, to: string, opts: ConnectOptions): ConnectionOutcome {
    const { expect, ...flow } = this.#flow("connect", from, to, opts);
    return this.#step("argument/flow", "connect", { connect: flow, ...expectation(expect) }) as ConnectionOutcome;
  }

  /**
   * Sends one packet: a new one from `from` to `to`, or one more of a named connection.
   * @example
   * sim.send("laptop", "web", { protocol: "udp", port: 53 });
   * sim.send({ connection: "https", direction: "reply" });
   */
  send(from: string, to: string, opts: PacketOptions): StepOutcome;
  send(packet: ConnectionPacket): StepOutcome;
  send(from: string | ConnectionPacket, to?: string, opts?: PacketOptions): StepOutcome {
    if (typeof from === "object" && from !== null && to === undefined) {
      const { expect, ...body } = options("send", from);
      return this.#step("argument/connection", "send", { send: body, ...expectation(expect) });
    }
    const { expect, ...flow } = this.#flow("send", from, to, opts);
    return this.#step("argument/flow", "send", { send: flow, ...expectation(expect) });
  }

  /**
   * Closes a named connection: a FIN from each side.
   * @example
   * sim.close("https");
   */
  close(connection: string, opts?: { readonly expect?: ExpectInput }): StepOutcome {
    const { expect } = options("close", opts);
    return this.#step("argument/connection", "close", {
      close: text("argument/connection", "close", "the connection", connection),
      ...expectation(expect),
    });
  }

  /**
   * Lets time pass: tracked connections idle longer than their timeout are forgotten.
   * @example
   * sim.wait("6d");
   */
  wait(duration: string | number): StepOutcome {
    if (typeof duration !== "string" && typeof duration !== "number")
      throw new VpcsimError("argument/duration", `wait: expected a duration like "30s", "5m", "6d" or a number of seconds`);
    return this.#step("argument/duration", "wait", { wait: duration });
  }

  /**
   * Adds a rule to a network ACL or a security group, as a scenario's `add-rule:`.
   * @example
   * sim.addRule({ networkAcl: "web-acl", outbound: { rule: 110, action: "allow", protocol: "tcp", ports: "1024-65535", cidr: "0.0.0.0/0" } });
   */
  addRule(change: RuleChange): StepOutcome {
    return this.#change("add-rule", "addRule", change);
  }

  /**
   * Removes a rule: an ACL's by its number, a group's by its content.
   * @example
   * sim.removeRule({ networkAcl: "web-acl", outbound: { rule: 110 } });
   */
  removeRule(change: RuleChange): StepOutcome {
    return this.#change("remove-rule", "removeRule", change);
  }

  /**
   * Replaces a rule: an ACL's with the same number, a group's given under `with`.
   * @example
   * sim.replaceRule({ networkAcl: "web-acl", inbound: { rule: 100, action: "deny", protocol: "tcp", ports: 443, cidr: "0.0.0.0/0" } });
   */
  replaceRule(change: RuleChange): StepOutcome {
    return this.#change("replace-rule", "replaceRule", change);
  }

  /**
   * Attaches a security group to an instance's interface.
   * @example
   * sim.attach("web", "admin-sg");
   */
  attach(instance: string, securityGroup: string, opts?: InterfaceOption): StepOutcome {
    return this.#group("attach-security-group", "attach", instance, securityGroup, opts);
  }

  /**
   * Detaches a security group from an instance's interface.
   * @example
   * sim.detach("web", "web-sg");
   */
  detach(instance: string, securityGroup: string, opts?: InterfaceOption): StepOutcome {
    return this.#group("detach-security-group", "detach", instance, securityGroup, opts);
  }

  /**
   * Associates a subnet with another network ACL.
   * @example
   * sim.associateNetworkAcl("public", "open-acl");
   */
  associateNetworkAcl(subnet: string, networkAcl: string): StepOutcome {
    const body = {
      subnet: text("argument/change", "associateNetworkAcl", "the subnet", subnet),
      "network-acl": text("argument/change", "associateNetworkAcl", "the network ACL", networkAcl),
    };
    return this.#step("argument/change", "associateNetworkAcl", { "associate-network-acl": body });
  }

  /**
   * Turns an interface's source/destination check on or off (an appliance forwards only with it off).
   * @example
   * sim.setSourceDestCheck("nat-box", false);
   */
  setSourceDestCheck(instance: string, enabled: boolean, opts?: InterfaceOption): StepOutcome {
    const name = text("argument/change", "setSourceDestCheck", "the instance", instance);
    if (typeof enabled !== "boolean") throw new VpcsimError("argument/change", `setSourceDestCheck: enabled must be true or false`);
    const extra = options("setSourceDestCheck", opts, ["instance", "enabled"]);
    return this.#step("argument/change", "setSourceDestCheck", { "set-source-dest-check": { ...extra, instance: name, enabled } });
  }

  /**
   * Runs one step written exactly as in a scenario file.
   * @example
   * sim.step({ connect: { from: "laptop", to: "web", protocol: "tcp", port: 443 }, expect: "allowed" });
   */
  step(step: Readonly<Record<string, unknown>>): StepOutcome {
    if (typeof step !== "object" || step === null || Array.isArray(step))
      throw new VpcsimError("argument/step", 'step: expected a step as a scenario file writes it, e.g. { wait: "30s" }');
    return this.#step("argument/step", "step", plain("argument/step", "step", step));
  }

  /**
   * Everything so far as one result, with the world it ended in: it displays as a report.
   * @example
   * sim.report().failed; // expectations not met so far
   */
  report(): ScenarioOutcome {
    const steps = this.#history.map((s) => s.result);
    return new ScenarioOutcome(scenarioResult(this.#scenario, steps), this.world);
  }

  #flow(caller: string, from: unknown, to: unknown, opts: unknown): Record<string, unknown> {
    const f = text("argument/endpoint", caller, "from", from);
    const t = text("argument/endpoint", caller, "to", to);
    if (opts === undefined) throw new VpcsimError("argument/options", `${caller}: give the options, at least { protocol }`);
    return { ...options(caller, opts, ["from", "to"]), from: f, to: t };
  }

  #group(kind: string, caller: string, instance: string, group: string, opts: unknown): StepOutcome {
    const body = {
      ...options(caller, opts, ["instance", "security-group"]),
      instance: text("argument/change", caller, "the instance", instance),
      "security-group": text("argument/change", caller, "the security group", group),
    };
    return this.#step("argument/change", caller, { [kind]: body });
  }

  #change(kind: string, caller: string, change: unknown): StepOutcome {
    if (typeof change !== "object" || change === null || Array.isArray(change))
      throw new VpcsimError(
        "argument/rule",
        `${caller}: expected a rule change like { networkAcl: "web-acl", outbound: { rule: 110, ... } }`,
      );
    return this.#step("argument/rule", caller, { [kind]: plain("argument/rule", caller, change) });
  }

  /** Checks a step as the loader checks a file's, then runs it. */
  #step(code: Parameters<typeof refused>[0], caller: string, value: unknown): StepOutcome {
    const loaded = loadStepValue(value, this.#history.length, this.world, this.#runner.connectionNames(), caller);
    if (!loaded.ok) throw refused(code, caller, loaded.diagnostics);
    const outcome = stepOutcome(this.#runner.run(loaded.step));
    this.#history.push(outcome);
    return outcome;
  }
}

/** `expect` as a step's key, when given. */
function expectation(expect: unknown): { expect?: unknown } {
  return expect === undefined ? {} : { expect };
}

/**
 * A simulation of `world`: a plain object in the words of a scenario file, checked as a file is
 * (its `steps`, if any, run first), or a Scenario from `loadScenario`.
 * @example
 * const sim = simulate({
 *   vpc: { cidr: "10.0.0.0/16" },
 *   subnets: { public: { cidr: "10.0.1.0/24" } },
 *   instances: { web: { subnet: "public", "private-ip": "10.0.1.10" } },
 * });
 */
export function simulate(world: WorldInput): Simulation {
  return new Simulation(world);
}

/**
 * Runs a whole scenario: a plain object in the words of a scenario file, or a loaded Scenario.
 * @example
 * const result = run(lesson);
 * result.failed; // 0 when every expectation is met
 */
export function run(scenario: WorldInput): ScenarioOutcome {
  return new Simulation(start(scenario, "run")).report();
}
