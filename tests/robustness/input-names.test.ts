// Hostile names: the properties every JavaScript object has (`constructor`, `toString`, ...) are
// ordinary names from end to end, `__proto__` is refused, and no name may hide a route target word
// or an IP address.
import { describe, expect, it } from "vitest";
import { protocolNumber } from "../../src/model/protocol.js";
import { resultsJson } from "../../src/render/results-json.js";
import { scenarioMarkdown } from "../../src/render/scenario-markdown.js";
import { scenarioText } from "../../src/render/scenario-text.js";
import { loadScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import { twoInstances as world } from "../helpers.js";

const PROTOTYPE_NAMES = ["constructor", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf", "toLocaleString"] as const;

/** `n` as the name of every kind of entity, reference and connection, in a world that runs. */
function everywhere(n: string): string {
  return `name: ${n}
description: ${n}
vpc: { cidr: 10.0.0.0/16, name: ${n} }
subnets:
  ${n}: { cidr: 10.0.1.0/24, network-acl: ${n}, route-table: ${n} }
  b: { cidr: 10.0.2.0/24, route-table: ${n} }
route-tables:
  ${n}: { main: true, routes: [ { destination: 0.0.0.0/0, target: internet-gateway }, { destination: 10.0.2.0/24, target: ${n} } ] }
network-acls:
  ${n}:
    inbound: [ { rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0 } ]
    outbound: [ { rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0 } ]
security-groups:
  ${n}:
    inbound:
      - { protocol: tcp, ports: 22, source: ${n} }
      - { protocol: tcp, ports: 443, source: ${n}-list }
      - { protocol: tcp, ports: 80, source: 0.0.0.0/0, description: ${n} }
prefix-lists:
  ${n}-list: [ 10.0.0.0/8 ]
instances:
  ${n}: { subnet: ${n}, private-ip: 10.0.1.10, public-ip: 198.51.100.10, security-groups: [${n}], source-dest-check: false }
  y: { subnet: ${n}, private-ip: 10.0.1.11, security-groups: [${n}] }
nat-gateways:
  ${n}-nat: { subnet: ${n}, private-ip: 10.0.1.20, public-ip: 198.51.100.20 }
internet-hosts:
  ${n}-host: { ip: 203.0.113.7 }
steps:
  - connect: { from: y, to: ${n}, protocol: tcp, port: 22, name: ${n} }
    expect: allowed
  - send: { connection: ${n}, direction: request }
  - close: ${n}
  - connect: { from: ${n}-host, to: ${n}, protocol: tcp, port: 80 }
    expect: allowed
  - add-rule: { security-group: ${n}, inbound: { protocol: tcp, ports: 23, source: ${n} } }
  - remove-rule: { security-group: ${n}, inbound: { protocol: tcp, ports: 23, source: ${n} } }
  - associate-network-acl: { subnet: b, network-acl: ${n} }
  - attach-security-group: { instance: y, security-group: default }
  - detach-security-group: { instance: y, security-group: ${n} }
  - set-source-dest-check: { instance: ${n}, enabled: true }
`;
}

function codesOf(text: string): string[] {
  const r = loadScenario(text, "names.yaml");
  return r.ok ? [] : r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`);
}

describe("names every JavaScript object has", () => {
  for (const n of PROTOTYPE_NAMES) {
    it(`${n} names every entity, reference and connection: it loads, runs and renders as itself`, () => {
      const loaded = loadScenario(everywhere(n), `${n}.yaml`);
      if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join("\n"));
      const result = runScenario(loaded.scenario);
      expect(result.failed).toBe(0);
      expect(result.passed).toBe(2);
      const outputs = [scenarioText(result, { verbose: true }), scenarioMarkdown(result), JSON.stringify(resultsJson([result], []))];
      for (const out of outputs) {
        expect(out).toContain(n);
        expect(out).not.toMatch(/function \w*\(|\[native code\]|\[object Object\]/);
      }
    });
  }

  it("__proto__ as a name, a key or a reference is a diagnostic at its place, never dropped", () => {
    expect(codesOf(world("security-groups:\n  __proto__: {}\n"))).toEqual(["9:3 yaml/reserved-key"]);
    expect(codesOf(world("prefix-lists: { __proto__: [10.0.0.0/8] }\n"))).toEqual(["8:17 yaml/reserved-key"]);
    expect(codesOf(world("settings: { __proto__: { untracked-flows: false } }\n"))).toEqual(["8:13 yaml/reserved-key"]);
    expect(codesOf(world("steps:\n  - connect: { from: x, to: __proto__, protocol: tcp, port: 22 }\n"))).toEqual([
      "9:29 ref/unknown-endpoint",
    ]);
    expect(codesOf(world("steps:\n  - close: __proto__\n"))).toEqual(["9:12 schema/invalid_format"]);
    expect(codesOf(world("steps:\n  - __proto__: 1\n"))).toEqual(["9:5 yaml/reserved-key"]);
  });

  it("as step kinds, protocols, client port profiles, settings and TCP flags they are precise diagnostics", () => {
    const step = (s: string) => world(`steps:\n  - ${s}\n`);
    for (const n of [...PROTOTYPE_NAMES, "__proto__"]) {
      const at = (text: string) => codesOf(text).map((c) => c.split(" ")[1]);
      if (n !== "__proto__") expect(at(step(`${n}: 1`)), n).toEqual(["schema/unknown-step"]);
      expect(at(step(`connect: { from: x, to: y, protocol: ${n} }`)), n).toEqual(["protocol/unknown"]);
      expect(at(world(`security-groups:\n  s: { inbound: [ { protocol: ${n}, source: 0.0.0.0/0 } ] }\n`)), n).toEqual(["protocol/unknown"]);
      expect(at(world(`network-acls:\n  n: { inbound: [ { rule: 1, action: allow, protocol: ${n}, cidr: 0.0.0.0/0 } ] }\n`)), n).toEqual([
        "protocol/unknown",
      ]);
      expect(at(world(`internet-hosts:\n  h: { ip: 203.0.113.7, ephemeral-ports: ${n} }\n`)), n).toEqual(["schema/invalid_format"]);
      expect(at(step(`send: { from: x, to: y, protocol: tcp, port: 22, flags: ${n} }`)), n).toEqual(["tcp/flags"]);
      expect(at(world(`settings: { ${n}: true }\n`)), n).toEqual([n === "__proto__" ? "yaml/reserved-key" : "schema/unrecognized_keys"]);
    }
  });
});

describe("names that collide with keywords", () => {
  it("an instance, NAT gateway or internet host named as a route target word or an IP address is refused at its name", () => {
    const cases: [body: string, expected: string[]][] = [
      ["  internet-gateway: { subnet: a, private-ip: 10.0.1.12 }\n", ["8:3 name/keyword"]],
      ["  blackhole: { subnet: a, private-ip: 10.0.1.12 }\n", ["8:3 name/keyword"]],
      ["  10.0.1.11: { subnet: a, private-ip: 10.0.1.12 }\n", ["8:3 name/address"]],
    ];
    for (const [body, expected] of cases) expect(codesOf(world(body)), body).toEqual(expected);
    expect(
      codesOf(world("nat-gateways:\n  egress-only-internet-gateway: { subnet: a, private-ip: 10.0.1.20, public-ip: 198.51.100.20 }\n")),
    ).toEqual(["9:3 name/keyword"]);
    expect(codesOf(world("internet-hosts:\n  10.0.1.11: { ip: 203.0.113.7 }\n"))).toEqual(["9:3 name/address"]);
    expect(codesOf(world("internet-hosts:\n  blackhole: { ip: 203.0.113.7 }\n"))).toEqual(["9:3 name/keyword"]);
    // Names that only look like addresses, and groups or tables with these names, hide nothing.
    expect(codesOf(world("internet-hosts:\n  10.0.1.999: { ip: 203.0.113.7 }\n"))).toEqual([]);
    expect(codesOf(world("security-groups:\n  blackhole: {}\nroute-tables:\n  internet-gateway: { routes: [] }\n"))).toEqual([]);
  });
});

describe("protocolNumber, the public name lookup", () => {
  it("knows only its own protocol names: constructor, __proto__ and toString are no protocol", () => {
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) expect(protocolNumber(name)).toBeUndefined();
    expect(protocolNumber("TCP")).toBe(6);
    expect(protocolNumber("icmpv6")).toBe(58);
  });
});
