// The code API: each method checks its arguments (a VpcsimError with its code, never a TypeError),
// and a lesson built call by call gives the verdicts the YAML runner gives.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Simulation, StepOutcome } from "../src/index.js";
import { loadScenario, run, runScenario, simulate, VpcsimError } from "../src/index.js";

const WORLD = {
  vpc: { cidr: "10.0.0.0/16" },
  subnets: { public: { cidr: "10.0.1.0/24", "network-acl": "web-acl", "route-table": "rt" } },
  "route-tables": { rt: { routes: [{ destination: "0.0.0.0/0", target: "internet-gateway" }] } },
  "network-acls": {
    "web-acl": {
      inbound: [{ rule: 100, action: "allow", protocol: "tcp", ports: 443, cidr: "0.0.0.0/0" }],
      outbound: [{ rule: 100, action: "allow", protocol: "tcp", ports: 443, cidr: "0.0.0.0/0" }],
    },
    open: {},
  },
  "security-groups": { "web-sg": { inbound: [{ protocol: "tcp", ports: 443, source: "0.0.0.0/0" }] }, other: {} },
  instances: { web: { subnet: "public", "private-ip": "10.0.1.10", "public-ip": "203.0.113.10", "security-groups": ["web-sg"] } },
  "internet-hosts": { laptop: { ip: "198.51.100.7" } },
};

/** The code of the VpcsimError `f` throws; fails on any other error or none. */
function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(VpcsimError);
    expect((e as VpcsimError).message).not.toMatch(/\[object|Cannot read|is not a function/);
    return (e as VpcsimError).code;
  }
  throw new Error("no error was thrown");
}

describe("simulate", () => {
  it("refuses what is not a world, with the loader's diagnostics", () => {
    for (const bad of [undefined, null, 3, "vpc", [], () => 1]) expect(codeOf(() => simulate(bad as never))).toBe("argument/world");
    const e = (() => {
      try {
        simulate({ ...WORLD, instances: { web: { subnet: "nowhere", "private-ip": "10.0.1.10" } } });
      } catch (x) {
        return x as VpcsimError;
      }
    })()!;
    expect(e.code).toBe("argument/world");
    expect(e.diagnostics.map((d) => d.path)).toContain("instances.web.subnet");
    expect(e.message).toContain("instances.web.subnet");
  });
  it("runs the steps a world brings, and a loaded scenario's", () => {
    const sim = simulate({ ...WORLD, steps: [{ connect: { from: "laptop", to: "web", protocol: "tcp", port: 443, name: "c" } }] });
    expect(sim.history).toHaveLength(1);
    expect(sim.close("c").request?.result.packet.flags).toBe("FIN,ACK");
    const lesson = loadScenario(readFileSync("scenarios/ephemeral-ports.yaml", "utf8"), "ephemeral-ports.yaml");
    if (!lesson.ok) throw new Error("the lesson does not load");
    expect(simulate(lesson.scenario).history.map((s) => s.check?.pass)).toEqual([true, undefined, true]);
  });
});

describe("each method checks its arguments", () => {
  const sim = () => simulate(WORLD);
  const cases: [string, (s: Simulation) => unknown, string][] = [
    ["connect: from is no string", (s) => s.connect(3 as never, "web", { protocol: "tcp", port: 443 }), "argument/endpoint"],
    ["connect: unknown endpoint", (s) => s.connect("laptop", "wbe", { protocol: "tcp", port: 443 }), "argument/flow"],
    ["connect: no options", (s) => (s.connect as (a: string, b: string) => unknown)("laptop", "web"), "argument/options"],
    ["connect: options not an object", (s) => s.connect("laptop", "web", "tcp" as never), "argument/options"],
    ["connect: a port out of range", (s) => s.connect("laptop", "web", { protocol: "tcp", port: 70000 }), "argument/flow"],
    ["connect: an unknown option", (s) => s.connect("laptop", "web", { protocol: "tcp", port: 443, prot: 1 } as never), "argument/flow"],
    [
      "connect: from among the options",
      (s) => s.connect("laptop", "web", { protocol: "tcp", port: 443, from: "x" } as never),
      "argument/options",
    ],
    ["connect: a function as an option", (s) => s.connect("laptop", "web", { protocol: () => 6 } as never), "argument/options"],
    [
      "connect: a bad expectation",
      (s) => s.connect("laptop", "web", { protocol: "tcp", port: 443, expect: "maybe" as never }),
      "argument/flow",
    ],
    ["send: no protocol", (s) => s.send("laptop", "web", {} as never), "argument/flow"],
    ["send: unknown connection", (s) => s.send({ connection: "nope", direction: "reply" }), "argument/connection"],
    ["send: bad direction", (s) => s.send({ connection: "nope", direction: "sideways" as never }), "argument/connection"],
    ["close: no name", (s) => s.close(undefined as never), "argument/connection"],
    ["close: unknown connection", (s) => s.close("nope"), "argument/connection"],
    ["wait: an object", (s) => s.wait({} as never), "argument/duration"],
    ["wait: a bad duration", (s) => s.wait("soon"), "argument/duration"],
    ["wait: negative", (s) => s.wait(-1), "argument/duration"],
    ["addRule: no object", (s) => s.addRule("rule" as never), "argument/rule"],
    ["addRule: unknown ACL", (s) => s.addRule({ networkAcl: "nope", outbound: { rule: 1 } }), "argument/rule"],
    [
      "addRule: a duplicate number",
      (s) => s.addRule({ networkAcl: "web-acl", outbound: { rule: 100, action: "allow", protocol: "tcp", ports: 80, cidr: "0.0.0.0/0" } }),
      "argument/rule",
    ],
    ["removeRule: no number", (s) => s.removeRule({ networkAcl: "web-acl", outbound: {} }), "argument/rule"],
    ["replaceRule: both targets", (s) => s.replaceRule({ networkAcl: "web-acl", securityGroup: "web-sg", inbound: {} }), "argument/rule"],
    ["attach: unknown group", (s) => s.attach("web", "nope"), "argument/change"],
    ["attach: no instance", (s) => s.attach(null as never, "other"), "argument/change"],
    ["detach: group not attached", (s) => s.detach("web", "other"), "argument/change"],
    ["associateNetworkAcl: unknown subnet", (s) => s.associateNetworkAcl("nowhere", "open"), "argument/change"],
    ["setSourceDestCheck: not a boolean", (s) => s.setSourceDestCheck("web", "off" as never), "argument/change"],
    ["setSourceDestCheck: bad interface", (s) => s.setSourceDestCheck("web", false, { interface: 5 }), "argument/change"],
    ["step: not a step", (s) => s.step({ jump: 1 }), "argument/step"],
    ["step: a list", (s) => s.step([] as never), "argument/step"],
  ];
  for (const [name, call, code] of cases) {
    it(name, () => {
      const s = sim();
      expect(codeOf(() => call(s))).toBe(code);
      expect(s.history, "a refused step leaves no trace").toHaveLength(0);
    });
  }
  it("run refuses what is not a scenario", () => {
    expect(codeOf(() => run(42 as never))).toBe("argument/scenario");
    expect(codeOf(() => run({ vpc: {} }))).toBe("argument/scenario");
    expect(codeOf(() => run({ world: {}, steps: "no" } as never))).toBe("argument/scenario");
  });
});

/** A lesson's raw step, made as calls of the API: the method named after the step. */
function callFor(sim: Simulation, raw: Record<string, unknown>): StepOutcome {
  const kind = Object.keys(raw).find((k) => k !== "expect")!;
  const body = raw[kind] as Record<string, unknown>;
  const expectation = raw.expect === undefined ? {} : { expect: raw.expect as never };
  switch (kind) {
    case "connect": {
      const { from, to, ...opts } = body;
      return sim.connect(from as string, to as string, { ...(opts as { protocol: string }), ...expectation });
    }
    case "send": {
      if (Object.hasOwn(body, "connection")) return sim.send({ ...(body as { connection: string; direction: "reply" }), ...expectation });
      const { from, to, ...opts } = body;
      return sim.send(from as string, to as string, { ...(opts as { protocol: string }), ...expectation });
    }
    case "close":
      return sim.close(body as unknown as string, expectation);
    case "wait":
      return sim.wait(body as unknown as string);
    case "add-rule":
      return sim.addRule(body);
    case "remove-rule":
      return sim.removeRule(body);
    case "replace-rule":
      return sim.replaceRule(body);
    case "attach-security-group":
    case "detach-security-group": {
      const { instance, "security-group": group, ...opts } = body;
      const method = kind === "attach-security-group" ? "attach" : "detach";
      return sim[method](instance as string, group as string, opts);
    }
    case "associate-network-acl":
      return sim.associateNetworkAcl(body.subnet as string, body["network-acl"] as string);
    case "set-source-dest-check": {
      const { instance, enabled, ...opts } = body;
      return sim.setSourceDestCheck(instance as string, enabled as boolean, opts);
    }
    default:
      throw new Error(`no method for the step ${kind}`);
  }
}

describe("the API gives the YAML runner's verdicts on every lesson", () => {
  const lessons = readdirSync("scenarios").filter((f) => f.endsWith(".yaml"));
  it("there are lessons", () => expect(lessons.length).toBeGreaterThan(10));
  for (const file of lessons) {
    it(file, () => {
      const text = readFileSync(`scenarios/${file}`, "utf8");
      const loaded = loadScenario(text, file);
      if (!loaded.ok) throw new Error(`${file} does not load`);
      const expected = runScenario(loaded.scenario);
      const { steps, ...world } = parse(text) as { steps: Record<string, unknown>[] };
      const sim = simulate(world);
      const got = steps.map((raw) => callFor(sim, raw));
      const verdict = (s: { title: string; outcome: string; check?: { pass: boolean } | undefined; packets: readonly unknown[] }) => ({
        title: s.title,
        outcome: s.outcome,
        pass: s.check?.pass,
        packets: s.packets.length,
      });
      expect(got.map(verdict)).toEqual(expected.steps.map(verdict));
      expect(got.map((s) => s.packets.map((p) => p.result))).toEqual(expected.steps.map((s) => s.packets.map((p) => p.result)));
      expect(run(loaded.scenario).toJSON()).toEqual(expected);
    });
  }
});
