// Messages that say how to fix the mistake: the key or word that was likely meant, at the position
// of what is wrong, and which field is missing.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../src/scenario/load.js";
import { closest } from "../src/scenario/suggest.js";
import { twoInstances as world } from "./helpers.js";

/** Every problem as `line:column code message`. */
function problems(text: string): string[] {
  const r = loadScenario(text, "t.yaml");
  return r.ok ? [] : r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);
}

describe("messages that say how to fix", () => {
  it("an unknown key names the key that was likely meant, at the key itself", () => {
    expect(problems(world("security-group: {}\n"))).toEqual([
      '8:1 schema/unrecognized_keys unknown key "security-group"; did you mean "security-groups"?',
    ]);
    expect(problems(world("steps:\n  - connect: { from: x, to: y, protocol: tcp, prot: 22 }\n"))).toEqual([
      '9:47 schema/unrecognized_keys unknown key "prot"; did you mean "port"? (at steps.0.connect)',
    ]);
    expect(
      problems(world("steps:\n  - connect: { from: x, to: y, protocol: tcp, port: 22 }\n    expect: { blocked_by: internet }\n")),
    ).toEqual(['10:15 schema/unrecognized_keys unknown key "blocked_by"; did you mean "blocked-by"? (at steps.0.expect)']);
  });

  it("an unknown key far from every known one lists the keys that would do", () => {
    expect(problems(world("vpc-peering: {}\n")).length).toBe(1);
    expect(problems(world("nat-gateways:\n  n: { subnet: a, private-ip: 10.0.1.20, public-ip: 198.51.100.4, zzzzzz: 1 }\n"))).toEqual([
      '9:67 schema/unrecognized_keys unknown key "zzzzzz": expected subnet, private-ip, public-ip (at nat-gateways.n)',
    ]);
  });

  it("each unknown key of a map is its own problem, at its own position", () => {
    expect(problems(world("settings: { untracked-flow: true, icmp-timout: 5s }\n")).map((p) => p.split(" ").slice(0, 1)[0])).toEqual([
      "8:13",
      "8:35",
    ]);
  });

  it("`expect: deny` suggests denied, and a misspelt word of any list its word", () => {
    expect(problems(world("steps:\n  - connect: { from: x, to: y, protocol: tcp, port: 22 }\n    expect: deny\n"))).toEqual([
      '10:13 schema/invalid_union "deny" is not one of allowed, denied; did you mean "denied"? (at steps.0.expect)',
    ]);
    expect(problems(world("network-acls:\n  n: { inbound: [ { rule: 100, action: alow, protocol: all, cidr: 0.0.0.0/0 } ] }\n"))).toEqual([
      '9:40 schema/invalid_value "alow" is not one of allow, deny; did you mean "allow"? (at network-acls.n.inbound.0.action)',
    ]);
  });

  it("inside a map of a union (`expect`, `send`), the problem is said for the member the map fits, at its field", () => {
    expect(problems(world("steps:\n  - connect: { from: x, to: y, protocol: tcp, port: 22 }\n    expect: { request: deny }\n"))).toEqual([
      '10:24 schema/invalid_value "deny" is not one of allowed, denied; did you mean "denied"? (at steps.0.expect.request)',
    ]);
    expect(problems(world("steps:\n  - send: { connection: c, direction: replies }\n"))).toEqual([
      '9:39 schema/invalid_value "replies" is not one of request, reply; did you mean "reply"? (at steps.0.send.direction)',
    ]);
  });

  it("a misspelt step kind names the kind", () => {
    expect(problems(world("steps:\n  - conect: { from: x, to: y, protocol: tcp, port: 22 }\n"))[0]).toMatch(
      /found conect; did you mean connect\?$/,
    );
  });

  it("`cidr:` in a group rule says to write source inbound, destination outbound", () => {
    const rule = (dir: string) => world(`security-groups:\n  s: { ${dir}: [ { protocol: tcp, ports: 22, cidr: 0.0.0.0/0 } ] }\n`);
    expect(problems(rule("inbound"))[0]).toMatch(
      /^9:\d+ schema\/unrecognized_keys a security group rule has no cidr: write the block as its `source`/,
    );
    expect(problems(rule("outbound"))[0]).toMatch(/no cidr: write the block as its `destination`/);
    const step = world("steps:\n  - add-rule: { security-group: default, outbound: { protocol: all, cidr: 0.0.0.0/0 } }\n");
    expect(problems(step)[0]).toMatch(/no cidr: write the block as its `destination`/);
  });

  it("a missing field says which, at the map that lacks it, and what it holds", () => {
    expect(problems(world("nat-gateways:\n  n: { subnet: a, private-ip: 10.0.1.20 }\n"))).toEqual([
      '9:6 schema/invalid_type the field "public-ip" is missing (at nat-gateways.n.public-ip)',
    ]);
    expect(problems(world("steps:\n  - connect: { from: x, protocol: tcp, port: 22 }\n"))).toEqual([
      '9:14 schema/invalid_type the field "to" is missing: an instance, NAT gateway or internet host name, or an IP address (at steps.0.connect.to)',
    ]);
    expect(problems("name: t\nvpc: { cidr: 10.0.0.0/16 }\n")).toEqual([
      '1:1 schema/invalid_type the field "subnets" is missing (at subnets)',
    ]);
  });
});

describe("closest", () => {
  it("finds a near word, ignoring case, and nothing for a far one", () => {
    expect(closest("deny", ["allowed", "denied"])).toBe("denied");
    expect(closest("Inbound", ["inbound", "outbound"])).toBe("inbound");
    expect(closest("security-group", ["security-groups", "network-acl"])).toBe("security-groups");
    expect(closest("ingress", ["inbound", "outbound"])).toBeUndefined();
    expect(closest("", ["a"])).toBeUndefined();
    expect(closest("tpc", ["tcp", "udp"])).toBe("tcp");
  });
});
