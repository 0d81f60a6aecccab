// A scenario's timeline: traffic, waits and world changes, each with what the user expects. Every
// change is applied once here, as a dry run, so that one AWS would refuse is an error at its line.

import type { World } from "../model/model.js";
import type { WorldChange } from "../model/world-change.js";
import { applyChange } from "../model/world-change.js";
import type { ChangeKind } from "./changes.js";
import { buildChange } from "./changes.js";
import type { Context, Path } from "./diagnostics.js";
import type { Expectation, ExpectedTraffic } from "./expect.js";
import { expectation } from "./expect.js";
import { duration, tcpFlags } from "./fields.js";
import type { Flow, FlowInput } from "./flow.js";
import { buildFlow } from "./flow.js";
import type { IcmpErrorKind } from "./icmp-error.js";
import type { ExpectInput, ScenarioInput, StepKind } from "./schema.js";

export type { Expectation } from "./expect.js";

interface StepBase {
  readonly index: number;
  readonly line: number;
  readonly expect?: Expectation;
}

/** What a step does. */
type StepBody =
  | { readonly kind: "connect"; readonly flow: Flow; readonly name?: string }
  | { readonly kind: "send"; readonly flow: Flow; readonly flags?: number }
  | {
      readonly kind: "send-connection";
      readonly connection: string;
      readonly direction: "request" | "reply";
      readonly flags?: number;
      /** instead of the packet, this ICMP error about it (aws-rules §3.6) */
      readonly icmpError?: IcmpErrorKind;
    }
  | { readonly kind: "close"; readonly connection: string }
  | { readonly kind: "wait"; readonly seconds: number }
  | { readonly kind: "change"; readonly change: WorldChange };

export type Step = StepBase & StepBody;

/** A step's body after the shape pass: its fields are those of its kind's schema. */
type Body = Record<string, unknown>;
export type RawStep = Record<string, unknown> & { expect?: ExpectInput };

/** What the steps so far have left: the world after their changes, and the connections they named, with their protocols. */
export interface Timeline {
  world: World;
  readonly connections: Map<string, number>;
  readonly ctx: Context;
}

/** The steps, checked against the world they run in; `world` must be free of problems. */
export function buildSteps(input: ScenarioInput["steps"], world: World, ctx: Context): Step[] {
  const timeline: Timeline = { world, connections: new Map(), ctx };
  if (!input?.length) {
    ctx.warn(
      input ? ["steps"] : [],
      "scenario/no-steps",
      "the file has no steps, so running it checks nothing: add steps such as `- connect: { from: a, to: b, protocol: tcp, port: 22 }` with an `expect`",
      "key",
    );
  }
  return ((input ?? []) as RawStep[]).flatMap((raw, index) => {
    const step = stepAt(raw, index, ["steps", index], timeline);
    return step ? [step] : [];
  });
}

/**
 * One step of the shape of `stepSchemas`, at `path`, checked against what the steps before it left
 * (the timeline, which it updates); the problems go to the timeline's context.
 */
export function stepAt(raw: RawStep, index: number, path: Path, timeline: Timeline): Step | undefined {
  const kind = Object.keys(raw).find((k) => k !== "expect") as StepKind;
  const step = buildStep(kind, raw[kind], [...path, kind], timeline);
  if (!step) return undefined;
  const traffic = trafficOf(step, timeline);
  const expect = traffic && expectation(raw.expect, traffic, timeline.world, [...path, "expect"], timeline.ctx);
  return { index, line: timeline.ctx.at(path).line, ...(expect ? { expect } : {}), ...step };
}

function buildStep(kind: StepKind, value: unknown, path: Path, timeline: Timeline): StepBody | undefined {
  switch (kind) {
    case "connect":
      return connectStep(value as Body, path, timeline);
    case "send":
      return sendStep(value as Body, path, timeline);
    case "close":
      return closeStep(value as string, path, timeline);
    case "wait": {
      const seconds = duration(value as string | number, path, timeline.ctx);
      return seconds === undefined ? undefined : { kind: "wait", seconds };
    }
    case "add-rule":
    case "remove-rule":
    case "replace-rule":
    case "attach-security-group":
    case "detach-security-group":
    case "associate-network-acl":
    case "set-source-dest-check":
      return changeStep(kind, value as Body, path, timeline);
    default: {
      const never: never = kind;
      throw new Error(`step kind ${String(never)} passed the shape pass but has no builder`);
    }
  }
}

function connectStep(body: Body, path: Path, { world, connections, ctx }: Timeline): StepBody | undefined {
  const flow = buildFlow(body as unknown as FlowInput, path, ctx, world);
  if (!flow) return undefined;
  const name = body.name as string | undefined;
  if (name) {
    if (connections.has(name)) ctx.error([...path, "name"], "name/duplicate-connection", `a connection named "${name}" already exists`);
    connections.set(name, flow.protocol);
  }
  return { kind: "connect", flow, ...(name ? { name } : {}) };
}

function sendStep(body: Body, path: Path, timeline: Timeline): StepBody | undefined {
  const { world, ctx } = timeline;
  if (Object.hasOwn(body, "connection")) {
    const connection = knownConnection(body.connection as string, [...path, "connection"], timeline);
    if (connection === undefined) return undefined;
    const f = tcpFlags(body.flags as string | undefined, [...path, "flags"], ctx);
    const icmpError = body["icmp-error"] as IcmpErrorKind | undefined;
    if (icmpError !== undefined && f !== undefined)
      return ctx.error([...path, "flags"], "tcp/flags", "an ICMP error carries no TCP flags: remove `flags` or `icmp-error`");
    return {
      kind: "send-connection",
      connection,
      direction: body.direction as "request" | "reply",
      ...(f !== undefined ? { flags: f } : {}),
      ...(icmpError !== undefined ? { icmpError } : {}),
    };
  }
  const flow = buildFlow(body as unknown as FlowInput, path, ctx, world);
  if (!flow) return undefined;
  const f = tcpFlags(body.flags as string | undefined, [...path, "flags"], ctx);
  return { kind: "send", flow, ...(f !== undefined ? { flags: f } : {}) };
}

function closeStep(connection: string, path: Path, timeline: Timeline): StepBody | undefined {
  return knownConnection(connection, path, timeline) === undefined ? undefined : { kind: "close", connection };
}

function knownConnection(name: string, path: Path, { connections, ctx }: Timeline): string | undefined {
  return connections.has(name) ? name : ctx.error(path, "ref/unknown-connection", `no earlier connect step is named "${name}"`);
}

function changeStep(kind: ChangeKind, body: Body, path: Path, timeline: Timeline): StepBody | undefined {
  const change = buildChange(kind, body, path, timeline.ctx, timeline.world);
  if (!change) return undefined;
  const applied = applyChange(timeline.world, change);
  if (!applied.ok) return timeline.ctx.error(path, "change/refused", applied.message);
  timeline.world = applied.world;
  return { kind: "change", change };
}

/** What a step sends, for checking its expectation; nothing for a wait or a change. */
function trafficOf(step: StepBody, { connections }: Timeline): ExpectedTraffic | undefined {
  switch (step.kind) {
    case "connect":
      return { kind: "connect", flow: step.flow };
    case "send":
      return { kind: "send" };
    case "send-connection":
      // An ICMP error is one packet, whichever packet of the connection it is about.
      return step.icmpError ? { kind: "send" } : { kind: "send-connection", direction: step.direction };
    case "close":
      return { kind: "close", protocol: connections.get(step.connection) };
    case "wait":
    case "change":
      return undefined;
  }
}
