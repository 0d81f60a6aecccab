// Every expectation can fail, and only when it should: for every step kind that takes an `expect`
// and every key, a right value passes and a wrong one fails the run, or the key is refused at load
// because the step cannot check it. Then blocked-by: checked against the world, with suggestions,
// and naming one interface of an instance that has several.
import { describe, expect, it } from "vitest";
import type { ExpectKey } from "../src/scenario/expect.js";
import { EXPECT_KEYS, notApplicable } from "../src/scenario/expect.js";
import { loadScenario } from "../src/scenario/load.js";
import { runScenario } from "../src/scenario/run.js";

/** x in subnet a sends to y in subnet b, whose group admits ssh (its second interface has the default group only); acl nb guards b. */
const WORLD = `name: expectations
vpc: { cidr: 10.0.0.0/16 }
subnets:
  a: { cidr: 10.0.1.0/24 }
  b: { cidr: 10.0.2.0/24, network-acl: nb }
network-acls:
  nb:
    inbound: [ { rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0 } ]
    outbound: [ { rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0 } ]
security-groups:
  ssh: { inbound: [ { protocol: tcp, ports: 22, source: 10.0.0.0/16 } ] }
  client: {}
instances:
  x: { subnet: a, private-ip: 10.0.1.10, security-groups: [client] }
  y:
    subnet: b
    private-ip: 10.0.2.10
    security-groups: [ssh]
    interfaces: [ { subnet: b, private-ip: 10.0.2.11, security-groups: [default] } ]
`;

/** Where the step under test stands: nothing in the way, or nb denying a's traffic inbound or outbound. */
type Setup = "open" | "deny-in" | "deny-out";
const SETUP: Record<Setup, string> = {
  open: "",
  "deny-in": "  - add-rule: { network-acl: nb, inbound: { rule: 1, action: deny, protocol: all, cidr: 10.0.1.0/24 } }\n",
  "deny-out": "  - add-rule: { network-acl: nb, outbound: { rule: 1, action: deny, protocol: all, cidr: 10.0.1.0/24 } }\n",
};

/** The step kinds that take an expectation, each as the step under test (after a connect `c` where it needs one). */
const KINDS = {
  connect: { before: "", step: "connect: { from: x, to: y, protocol: tcp, port: 22 }" },
  send: { before: "", step: "send: { from: x, to: y, protocol: tcp, port: 22 }" },
  "send-request": { before: "c", step: "send: { connection: c, direction: request }" },
  "send-reply": { before: "c", step: "send: { connection: c, direction: reply }" },
  close: { before: "c", step: "close: c" },
} as const;
type Kind = keyof typeof KINDS;

const OPEN_C = "  - connect: { from: x, to: y, protocol: tcp, port: 22, name: c }\n    expect: allowed\n";

/** The scenario: the world, a connection when the step needs one, the setup, then the step with `expect` as YAML. */
function text(kind: Kind, setup: Setup, expectYaml: string): string {
  const k = KINDS[kind];
  return `${WORLD}steps:\n${k.before ? OPEN_C : ""}${SETUP[setup]}  - ${k.step}\n    expect: ${expectYaml}\n`;
}

/** For each kind and key the step can check: a setup, the right value there and a wrong one. */
type Case = readonly [setup: Setup, right: string, wrong: string];
const ALLOWED: Case = ["open", "allowed", "denied"];
const CASES: Record<Kind, Partial<Record<ExpectKey | "overall", readonly Case[]>>> = {
  connect: {
    overall: [ALLOWED, ["deny-in", "denied", "allowed"], ["deny-out", "denied", "allowed"]],
    request: [ALLOWED, ["deny-in", "denied", "allowed"]],
    reply: [ALLOWED, ["deny-out", "denied", "allowed"]],
    "blocked-by": [
      ["deny-in", "network-acl nb inbound", "security-groups y inbound"],
      ["open", "nothing", "network-acl nb inbound"],
    ],
    code: [
      ["deny-in", "SUBNET_ACL_RESTRICTION", "ENI_SG_RULES_MISMATCH"],
      ["open", "none", "SUBNET_ACL_RESTRICTION"],
    ],
    tracked: [
      ["open", "true", "false"],
      ["deny-in", "false", "true"],
    ],
  },
  send: {
    overall: [ALLOWED, ["deny-in", "denied", "allowed"]],
    request: [ALLOWED, ["deny-in", "denied", "allowed"]],
    "blocked-by": [
      ["deny-in", "network-acl nb inbound", "network-acl nb outbound"],
      ["open", "nothing", "security-groups y inbound"],
    ],
    code: [
      ["deny-in", "SUBNET_ACL_RESTRICTION", "none"],
      ["open", "none", "SUBNET_ACL_RESTRICTION"],
    ],
    tracked: [
      ["open", "true", "false"],
      ["deny-in", "false", "true"],
    ],
  },
  "send-request": {
    overall: [ALLOWED, ["deny-in", "denied", "allowed"]],
    request: [ALLOWED, ["deny-in", "denied", "allowed"]],
    "blocked-by": [
      ["deny-in", "network-acl nb inbound", "nothing"],
      ["open", "nothing", "network-acl nb inbound"],
    ],
    code: [
      ["deny-in", "SUBNET_ACL_RESTRICTION", "none"],
      ["open", "none", "SUBNET_ACL_RESTRICTION"],
    ],
    tracked: [
      ["open", "true", "false"],
      ["deny-in", "false", "true"],
    ],
  },
  "send-reply": {
    overall: [ALLOWED, ["deny-out", "denied", "allowed"]],
    reply: [ALLOWED, ["deny-out", "denied", "allowed"]],
    "blocked-by": [
      ["deny-out", "network-acl nb outbound", "network-acl nb inbound"],
      ["open", "nothing", "network-acl nb outbound"],
    ],
    code: [
      ["deny-out", "SUBNET_ACL_RESTRICTION", "none"],
      ["open", "none", "SUBNET_ACL_RESTRICTION"],
    ],
  },
  close: {
    overall: [ALLOWED, ["deny-in", "denied", "allowed"], ["deny-out", "denied", "allowed"]],
    request: [ALLOWED, ["deny-in", "denied", "allowed"]],
    reply: [ALLOWED, ["deny-out", "denied", "allowed"]],
    "blocked-by": [
      ["deny-out", "network-acl nb outbound", "nothing"],
      ["open", "nothing", "network-acl nb inbound"],
    ],
    code: [
      ["deny-in", "SUBNET_ACL_RESTRICTION", "none"],
      ["open", "none", "SUBNET_ACL_RESTRICTION"],
    ],
    tracked: [
      ["open", "true", "false"],
      ["deny-in", "false", "true"],
    ],
  },
};

/** The traffic `notApplicable` is asked about for each kind (the connection is TCP). */
const TRAFFIC = {
  connect: { kind: "connect", flow: { from: { kind: "instance", name: "x" }, to: { kind: "instance", name: "y" }, protocol: 6, port: 22 } },
  send: { kind: "send" },
  "send-request": { kind: "send-connection", direction: "request" },
  "send-reply": { kind: "send-connection", direction: "reply" },
  close: { kind: "close", protocol: 6 },
} as const;

function yamlOf(key: ExpectKey | "overall", value: string): string {
  return key === "overall" ? value : `{ ${key}: ${value} }`;
}

/** The run's verdict on the step under test (the last): passed, failed, or the load's problems. */
function verdict(kind: Kind, setup: Setup, expectYaml: string): string {
  const r = loadScenario(text(kind, setup, expectYaml), "t.yaml");
  if (!r.ok) return r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`).join(", ");
  const check = runScenario(r.scenario).steps.at(-1)!.check!;
  return check.pass ? "pass" : `fail: ${check.failures.join("; ")}`;
}

describe("every expectation key, on every step kind that takes one", () => {
  for (const kind of Object.keys(KINDS) as Kind[]) {
    for (const key of ["overall", ...EXPECT_KEYS] as const) {
      const cases = CASES[kind][key];
      const refused = key === "overall" ? undefined : notApplicable(key, TRAFFIC[kind] as Parameters<typeof notApplicable>[1]);
      if (cases) {
        it(`${kind}, ${key}: the right value passes and a wrong one fails`, () => {
          expect(refused).toBeUndefined();
          for (const [setup, right, wrong] of cases) {
            expect(verdict(kind, setup, yamlOf(key, right)), `${setup}: ${right}`).toBe("pass");
            expect(verdict(kind, setup, yamlOf(key, wrong)), `${setup}: ${wrong}`).toMatch(/^fail: /);
          }
        });
      } else {
        it(`${kind}, ${key}: refused at load, at the key, since the step cannot check it`, () => {
          expect(refused).toBeDefined();
          const value = key === "tracked" ? "true" : key === "blocked-by" ? "nothing" : key === "code" ? "none" : "allowed";
          expect(verdict(kind, "open", yamlOf(key, value))).toMatch(/^\d+:\d+ expect\/not-applicable$/);
        });
      }
    }
  }

  it("the issue's case: `request: denied` on a send of a connection's reply is refused at its key", () => {
    const lines = text("send-reply", "open", "{ request: denied }").split("\n");
    const line = lines.findIndex((l) => l.includes("expect: { request")) + 1;
    expect(verdict("send-reply", "open", "{ request: denied }")).toBe(`${line}:15 expect/not-applicable`);
  });

  it("a reply is refused on a connect nothing answers, and on closing a connection that is not TCP", () => {
    const noAnswer = `${WORLD}steps:\n  - connect: { from: x, to: y, protocol: icmp, icmp-type: 3, icmp-code: 1 }\n    expect: { reply: denied }\n`;
    const udp = `${WORLD}steps:\n  - connect: { from: x, to: y, protocol: udp, port: 53, name: u }\n  - close: u\n    expect: { reply: denied }\n`;
    for (const t of [noAnswer, udp]) {
      const r = loadScenario(t, "t.yaml");
      expect(r.ok ? [] : r.diagnostics.map((d) => d.code)).toEqual(["expect/not-applicable"]);
    }
  });
});

describe("blocked-by is checked against the world", () => {
  const blocked = (label: string) => verdict("connect", "deny-in", `{ blocked-by: "${label}" }`);
  const refusedWith = (label: string, suggestion: RegExp) => {
    const r = loadScenario(text("connect", "deny-in", `{ blocked-by: "${label}" }`), "t.yaml");
    expect(r.ok, label).toBe(false);
    const d = !r.ok ? r.diagnostics[0]! : undefined;
    expect(d?.code).toBe("expect/blocked-by");
    expect(d?.message).toMatch(suggestion);
  };

  it("a misspelt kind, name or direction is refused with the label that was meant", () => {
    refusedWith("security-group y inbound", /did you mean `security-groups y inbound`\?/);
    refusedWith("network-acl nn inbound", /no network ACL is named "nn"; did you mean `network-acl nb inbound`\?/);
    refusedWith("network-acl nb inboud", /did you mean `network-acl nb inbound`\?/);
    refusedWith("network-acl nb", /needs a direction/);
    refusedWith("security-groups yy inbound", /no instance is named "yy"; did you mean `security-groups y inbound`\?/);
    refusedWith("route-table", /needs a route table name; did you mean `route-table main`\?/);
    refusedWith("internet-gateway now", /words after/);
    refusedWith("security-groups y/eth2 inbound", /y has interfaces eth0 to eth1, not eth2/);
  });

  it("a right label loads and decides, its spaces made single", () => {
    expect(blocked("network-acl  nb   inbound")).toBe("pass");
    expect(blocked("internet-gateway")).toMatch(/^fail: expected blocked by internet-gateway, was blocked by network-acl nb inbound/);
  });

  it("`security-groups INSTANCE/ethN` names one interface; without it, any interface of the instance", () => {
    // y's second interface (10.0.2.11, eth1) has only the default group: ssh from x is refused there
    const toSecond = (label: string) =>
      `${WORLD}steps:\n  - connect: { from: x, to: 10.0.2.11, protocol: tcp, port: 22 }\n    expect: { blocked-by: "${label}" }\n`;
    const run = (label: string) => {
      const r = loadScenario(toSecond(label), "t.yaml");
      if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
      return runScenario(r.scenario).steps[0]!.check!.pass;
    };
    expect(run("security-groups y/eth1 inbound")).toBe(true);
    expect(run("security-groups y inbound")).toBe(true);
    expect(run("security-groups y/eth0 inbound")).toBe(false);
    expect(run("security-groups y/eth1 outbound")).toBe(false);
  });
});
