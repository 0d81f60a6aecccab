// The code API under hostile and broken arguments: every public function checks its input and
// throws one error class, VpcsimError, with a stable code (`argument/port`, ...). Refusals AWS
// would give (a change naming an unknown group) are data, never a throw. A fast-check property
// feeds random values to makePacket and Engine.send: a VpcsimError or a verdict, nothing else.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Address, Packet, PacketSpec, Scenario, World, WorldChange } from "../../src/index.js";
import {
  ANY_V4,
  addressFromV4,
  applyChange,
  Engine,
  makePacket,
  parseCidr,
  parseDuration,
  runScenario,
  SYN,
  TCP,
  VpcsimError,
} from "../../src/index.js";
import { ip, pkt, scenario } from "../helpers.js";

const WORLD = `
name: t
vpc: { cidr: 10.0.0.0/16 }
subnets: { a: { cidr: 10.0.1.0/24 }, b: { cidr: 10.0.2.0/24 } }
security-groups:
  web: { inbound: [ { protocol: tcp, ports: 443, source: 10.0.1.0/24 } ] }
network-acls:
  b-acl:
    inbound: [ { rule: 100, action: allow, protocol: -1, cidr: 0.0.0.0/0 } ]
    outbound: [ { rule: 100, action: allow, protocol: -1, cidr: 0.0.0.0/0 } ]
instances:
  client: { subnet: a, private-ip: 10.0.1.10 }
  server: { subnet: b, private-ip: 10.0.2.20, security-groups: [web] }
`;
const world = (): World => scenario(WORLD).world;

/** Runs `f` and returns the VpcsimError it throws; fails if it throws anything else or nothing. */
function thrown(f: () => unknown): VpcsimError {
  try {
    f();
  } catch (e) {
    if (e instanceof VpcsimError) return e;
    throw new Error(`expected a VpcsimError, got ${String(e)}`);
  }
  throw new Error("expected a VpcsimError, nothing was thrown");
}

const client = ip("10.0.1.10");
const server = ip("10.0.2.20");
const spec = (over: Partial<Record<keyof PacketSpec, unknown>>): PacketSpec =>
  ({ src: client, dst: server, protocol: TCP, srcPort: 40000, dstPort: 443, flags: SYN, ...over }) as PacketSpec;
/** A packet with one field as a caller might have set it by hand. */
const forged = (over: Partial<Record<keyof Packet, unknown>>): Packet => ({ ...makePacket(spec({})), ...over }) as Packet;

describe("VpcsimError", () => {
  it("is an Error with a name, a code and a message", () => {
    const e = thrown(() => makePacket(spec({ dstPort: 105536 })));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("VpcsimError");
    expect(e.code).toBe("argument/port");
    expect(e.message).toMatch(/dstPort 105536 is not an integer 0-65535/);
  });
});

describe("makePacket", () => {
  it("refuses a port of 105536, which would overflow into the other port's bits", () => {
    expect(thrown(() => makePacket(spec({ dstPort: 105536 }))).code).toBe("argument/port");
    expect(thrown(() => makePacket(spec({ srcPort: 65536 }))).code).toBe("argument/port");
  });
  it('refuses the port "443", a string', () => {
    expect(thrown(() => makePacket(spec({ dstPort: "443" }))).code).toBe("argument/port");
  });
  it("refuses the port 443.5 and NaN", () => {
    expect(thrown(() => makePacket(spec({ dstPort: 443.5 }))).code).toBe("argument/port");
    expect(thrown(() => makePacket(spec({ srcPort: Number.NaN }))).code).toBe("argument/port");
  });
  it("refuses protocol 999, -1 (all, a rule's word) and the name tcp", () => {
    for (const protocol of [999, -1, "tcp", 6.5]) expect(thrown(() => makePacket(spec({ protocol }))).code).toBe("argument/protocol");
  });
  it("refuses ICMP type 256 and code -1", () => {
    expect(thrown(() => makePacket(spec({ protocol: 1, icmpType: 256 }))).code).toBe("argument/icmp");
    expect(thrown(() => makePacket(spec({ protocol: 1, icmpType: 8, icmpCode: -1 }))).code).toBe("argument/icmp");
  });
  it('refuses flags 256 and "SYN"', () => {
    expect(thrown(() => makePacket(spec({ flags: 256 }))).code).toBe("argument/flags");
    expect(thrown(() => makePacket(spec({ flags: "SYN" }))).code).toBe("argument/flags");
  });
  it("refuses an address given as text, or as an object that is not one", () => {
    expect(thrown(() => makePacket(spec({ src: "10.0.1.10" }))).code).toBe("argument/address");
    expect(thrown(() => makePacket(spec({ dst: { family: 4, v4: 5 } }))).code).toBe("argument/address");
    const lying: Address = { ...addressFromV4(0x0a000214), text: "10.0.2.99" };
    expect(thrown(() => makePacket(spec({ dst: lying }))).code).toBe("argument/address");
  });
  it("refuses a packet from IPv4 to IPv6", () => {
    expect(thrown(() => makePacket(spec({ dst: ip("2001:db8::1") }))).code).toBe("argument/address");
  });
  it("refuses no fields at all", () => {
    expect(thrown(() => makePacket(null as unknown as PacketSpec)).code).toBe("argument/packet");
    expect(thrown(() => makePacket(undefined as unknown as PacketSpec)).code).toBe("argument/packet");
  });
  it("builds a frozen packet from good fields", () => {
    const p = makePacket(spec({}));
    expect(Object.isFrozen(p)).toBe(true);
    expect(p.dstPort).toBe(443);
  });
});

describe("Engine.send, deliver and verdict", () => {
  it("refuses fields that cannot even be converted to a number (fast-check's counterexample), with a VpcsimError", () => {
    const e = new Engine(world());
    const hostile = { src: [], dst: [], protocol: { toString: "" } } as unknown as Packet;
    expect(thrown(() => e.verdict(hostile)).code).toBe("argument/protocol");
    expect(thrown(() => e.send(hostile)).code).toBe("argument/protocol");
  });

  it("refuses a packet whose port overflows, instead of delivering it as the reply of a tracked flow", () => {
    const e = new Engine(world());
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:443 SYN")).delivered).toBe(true);
    // 105536 = 65536 + 40000: packed into the table's key it read as port 40000
    const reply = forged({ src: server, dst: client, srcPort: 443, dstPort: 105536, flags: SYN | 16 });
    expect(thrown(() => e.verdict(reply)).code).toBe("argument/port");
    expect(thrown(() => e.send(reply)).code).toBe("argument/port");
    expect(thrown(() => e.deliver(reply)).code).toBe("argument/port");
  });
  it('refuses the port "443" and 443.5', () => {
    const e = new Engine(world());
    expect(thrown(() => e.verdict(forged({ dstPort: "443" }))).code).toBe("argument/port");
    expect(thrown(() => e.send(forged({ dstPort: 443.5 }))).code).toBe("argument/port");
  });
  it("refuses protocol 999 (it used to read a table past its end)", () => {
    const e = new Engine(world());
    expect(thrown(() => e.verdict(forged({ protocol: 999 }))).code).toBe("argument/protocol");
    expect(thrown(() => e.send(forged({ protocol: 999 }))).code).toBe("argument/protocol");
  });
  it("refuses flags 256, ICMP type 300, addresses that are not Addresses or of two families", () => {
    const e = new Engine(world());
    expect(thrown(() => e.verdict(forged({ flags: 256 }))).code).toBe("argument/flags");
    expect(thrown(() => e.verdict(forged({ icmpType: 300 }))).code).toBe("argument/icmp");
    expect(thrown(() => e.verdict(forged({ src: "10.0.1.10" }))).code).toBe("argument/address");
    expect(thrown(() => e.verdict(forged({ dst: ip("2001:db8::1") }))).code).toBe("argument/address");
    expect(thrown(() => e.send(forged({ src: { ...client, text: undefined } }))).code).toBe("argument/address");
  });
  it("refuses what is no packet", () => {
    const e = new Engine(world());
    for (const p of [null, undefined, 42, "tcp 10.0.1.10 > 10.0.2.20"]) {
      expect(thrown(() => e.verdict(p as unknown as Packet)).code).toBe("argument/packet");
      expect(thrown(() => e.send(p as unknown as Packet)).code).toBe("argument/packet");
    }
  });
  it("refuses options that are not options", () => {
    const e = new Engine(world());
    const p = pkt("tcp 10.0.1.10:40000 > 10.0.2.20:443 SYN");
    expect(thrown(() => e.send(p, { role: "server" as never })).code).toBe("argument/options");
    expect(thrown(() => e.send(p, { trace: "yes" as never })).code).toBe("argument/options");
    expect(thrown(() => e.send(p, null as never)).code).toBe("argument/options");
  });
  it("still takes a well-formed packet built by hand", () => {
    const e = new Engine(world());
    const p = { ...makePacket(spec({})) };
    expect(Object.isFrozen(p)).toBe(false);
    expect(e.verdict(p)).toBe("delivered");
  });
});

describe("Engine.advance", () => {
  it("refuses NaN, a negative time, Infinity and a string", () => {
    const e = new Engine(world());
    for (const s of [Number.NaN, -1, Number.POSITIVE_INFINITY, "5"])
      expect(thrown(() => e.advance(s as number)).code).toBe("argument/duration");
    expect(e.now).toBe(0);
  });
});

describe("new Engine and setWorld", () => {
  it("refuse what is no world", () => {
    for (const w of [undefined, null, 42, {}, { vpc: { cidrs: [] } }])
      expect(thrown(() => new Engine(w as unknown as World)).code).toBe("argument/world");
    const e = new Engine(world());
    expect(thrown(() => e.setWorld({} as World)).code).toBe("argument/world");
  });
  it("refuse a world whose names lead nowhere", () => {
    const w = world();
    const broken = { ...w, subnets: { ...w.subnets, b: { ...w.subnets.b!, networkAcl: "nowhere" } } };
    expect(thrown(() => new Engine(broken)).message).toMatch(/subnet b names network ACL "nowhere"/);
    const hostile = { ...w, subnets: { ...w.subnets, b: { ...w.subnets.b!, networkAcl: "constructor" } } };
    expect(thrown(() => new Engine(hostile)).code).toBe("argument/world");
  });
  it("refuse a route to an instance the world does not have, before any packet meets it", () => {
    const w = world();
    const main = Object.values(w.routeTables)[0]!;
    const routed = { ...main, routes: [...main.routes, { destination: ANY_V4, target: { kind: "instance" as const, name: "ghost" } }] };
    expect(thrown(() => new Engine({ ...w, routeTables: { ...w.routeTables, [main.name]: routed } })).message).toMatch(
      /routes 0.0.0.0\/0 to instance "ghost"/,
    );
  });
  it("update refuses what is not a function", () => {
    const e = new Engine(world());
    expect(thrown(() => e.update(42 as never)).code).toBe("argument/world");
  });
});

describe("parseDuration", () => {
  it("reads the documented forms", () => {
    expect(parseDuration("30s")).toBe(30);
    expect(parseDuration(" 5m ")).toBe(300);
    expect(parseDuration("2h")).toBe(7200);
    expect(parseDuration("6d")).toBe(518400);
    expect(parseDuration("250ms")).toBe(0.25);
    expect(parseDuration(12)).toBe(12);
  });
  it("refuses text in no documented form (it used to crash reading a failed match)", () => {
    for (const s of ["5 minutes", "", "s", "-5s", "1e3s", "5w"]) expect(thrown(() => parseDuration(s)).code).toBe("argument/duration");
  });
  it("refuses negative, infinite and missing numbers, and what is neither number nor text", () => {
    for (const v of [-1, Number.NaN, Number.POSITIVE_INFINITY, null, undefined, {}]) {
      expect(thrown(() => parseDuration(v as number)).code).toBe("argument/duration");
    }
    expect(thrown(() => parseDuration(`${"9".repeat(400)}d`)).code).toBe("argument/duration");
  });
});

describe("runScenario", () => {
  it("refuses what is no scenario", () => {
    for (const s of [null, undefined, {}, { world: world(), steps: "all" }, { world: world(), steps: [{ kind: "jump" }] }]) {
      expect(thrown(() => runScenario(s as unknown as Scenario)).code).toBe("argument/scenario");
    }
  });
  it("refuses an engine of another world, or no engine", () => {
    const s = scenario(`${WORLD}\nsteps: []\n`);
    expect(thrown(() => runScenario(s, new Engine(world()))).code).toBe("argument/engine");
    expect(thrown(() => runScenario(s, {} as Engine)).code).toBe("argument/engine");
  });
  it("passes a step's bad duration on as a VpcsimError", () => {
    const s = scenario(`${WORLD}\nsteps: []\n`);
    const bad: Scenario = { ...s, steps: [{ index: 0, line: 1, kind: "wait", seconds: -5 }] };
    expect(thrown(() => runScenario(bad)).code).toBe("argument/duration");
  });
  it("makes a step between endpoints of two families, in a scenario built by hand, a step outcome", () => {
    const s = scenario(`${WORLD}\nsteps: []\n`);
    const flow = {
      from: { kind: "address", address: ip("2001:db8::1") },
      to: { kind: "address", address: server },
      protocol: TCP,
      port: 443,
    };
    const r = runScenario({ ...s, steps: [{ index: 0, line: 1, kind: "connect", flow } as Scenario["steps"][number]] });
    expect(r.steps[0]!.outcome).toBe("2001:db8::1 and 10.0.2.20 are of different families (IPv6 → IPv4): a packet has one");
    expect(r.steps[0]!.packets).toEqual([]);
  });
  it("makes a change AWS refuses, in a scenario built by hand, a step outcome", () => {
    const s = scenario(`${WORLD}\nsteps: []\n`);
    const change: WorldChange = { kind: "attach-security-group", instance: "server", interface: 0, group: "nope" };
    const r = runScenario({ ...s, steps: [{ index: 0, line: 1, kind: "change", change }] });
    expect(r.steps[0]!.outcome).toBe("refused: there is no security group nope");
  });
});

describe("applyChange", () => {
  const cidr = (t: string) => {
    const c = parseCidr(t);
    if (!c.ok) throw new Error(c.message);
    return c.value;
  };
  const rule = { protocol: 6, ports: { from: 22, to: 22 }, peer: { kind: "cidr" as const, cidr: cidr("10.0.1.0/24") } };
  const naclRule = { number: 200, action: "deny" as const, protocol: -1, cidr: ANY_V4 };

  it("refuses, as data, a change to a group, ACL, instance, subnet or interface the world does not have", () => {
    const w = world();
    const refusals: [WorldChange, string][] = [
      [{ kind: "add-sg-rule", group: "ghost", direction: "inbound", rule }, "there is no security group ghost"],
      [{ kind: "add-nacl-rule", acl: "ghost", direction: "inbound", rule: naclRule }, "there is no network ACL ghost"],
      [{ kind: "remove-nacl-rule", acl: "constructor", direction: "inbound", number: 100 }, "there is no network ACL constructor"],
      [{ kind: "attach-security-group", instance: "ghost", interface: 0, group: "web" }, "there is no instance ghost"],
      [{ kind: "attach-security-group", instance: "server", interface: 3, group: "web" }, "instance server has no interface 3"],
      [{ kind: "detach-security-group", instance: "server", interface: 0, group: "ghost" }, "there is no security group ghost"],
      [{ kind: "set-source-dest-check", instance: "server", interface: 1, enabled: false }, "instance server has no interface 1"],
      [{ kind: "associate-network-acl", subnet: "ghost", acl: "b-acl" }, "there is no subnet ghost"],
      [{ kind: "associate-network-acl", subnet: "a", acl: "ghost" }, "there is no network ACL ghost"],
      [
        {
          kind: "add-sg-rule",
          group: "web",
          direction: "inbound",
          rule: { protocol: -1, peer: { kind: "security-group", group: "ghost" } },
        },
        "the rule names security group ghost, which does not exist",
      ],
    ];
    for (const [change, message] of refusals) expect(applyChange(w, change)).toEqual({ ok: false, message });
  });
  it("throws for a change object that is not one", () => {
    const w = world();
    const malformed: unknown[] = [
      null,
      "add-sg-rule",
      { kind: "delete-vpc" },
      { kind: "add-sg-rule", group: "web", direction: "up", rule },
      { kind: "add-sg-rule", group: 7, direction: "inbound", rule },
      { kind: "add-sg-rule", group: "web", direction: "inbound", rule: { ...rule, ports: { from: 22, to: 70000 } } },
      { kind: "add-sg-rule", group: "web", direction: "inbound", rule: { ...rule, peer: { kind: "cidr", cidr: "10.0.0.0/8" } } },
      { kind: "add-sg-rule", group: "web", direction: "inbound", rule: { ...rule, peer: { kind: "everyone" } } },
      { kind: "add-nacl-rule", acl: "b-acl", direction: "inbound", rule: { ...naclRule, number: "200" } },
      { kind: "add-nacl-rule", acl: "b-acl", direction: "inbound", rule: { ...naclRule, number: 40000 } },
      { kind: "add-nacl-rule", acl: "b-acl", direction: "inbound", rule: { ...naclRule, action: "maybe" } },
      { kind: "remove-nacl-rule", acl: "b-acl", direction: "inbound", number: 1.5 },
      { kind: "attach-security-group", instance: "server", interface: -1, group: "web" },
      { kind: "set-source-dest-check", instance: "server", interface: 0, enabled: "no" },
      { kind: "associate-network-acl", subnet: "a" },
    ];
    for (const change of malformed) expect(thrown(() => applyChange(w, change as WorldChange)).code).toBe("argument/change");
  });
  it("still applies a good change", () => {
    const r = applyChange(world(), { kind: "add-sg-rule", group: "web", direction: "inbound", rule });
    expect(r.ok).toBe(true);
  });
});

describe("random values into makePacket and Engine.send: a VpcsimError or a verdict, nothing else", () => {
  const anyValue = fc.oneof(
    fc.anything(),
    fc.integer({ min: -2, max: 70000 }),
    fc.double(),
    fc.constantFrom(-1, 0, 1, 6, 17, 58, 255, 256, 65535, 65536, 105536, "443", 443.5, Number.NaN, null),
  );
  const address = fc.oneof(
    fc.constantFrom(client, server, client, server, ip("2001:db8::1"), ip("8.8.8.8"), ip("10.0.2.1")),
    fc.integer({ min: 0, max: 0xffffffff }).map(addressFromV4),
    anyValue,
  );
  /** Each field good or random, the good ones more often so that many packets are walked. */
  const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 3 }, { arbitrary: anyValue, weight: 1 });
  const packetFields = fc.record(
    {
      src: field(address),
      dst: field(address),
      protocol: field(fc.constantFrom(1, 6, 17, 58, 50)),
      srcPort: field(fc.integer({ min: 0, max: 65535 })),
      dstPort: field(fc.integer({ min: 0, max: 65535 })),
      icmpType: field(fc.integer({ min: 0, max: 255 })),
      icmpCode: field(fc.integer({ min: 0, max: 255 })),
      flags: field(fc.integer({ min: 0, max: 255 })),
    },
    { requiredKeys: ["src", "dst", "protocol"] },
  );
  const outcome = (f: () => unknown): "error" | "verdict" => {
    try {
      f();
      return "verdict";
    } catch (e) {
      if (e instanceof VpcsimError) return "error";
      throw e;
    }
  };

  it("through makePacket", () => {
    const e = new Engine(world());
    const seen = { error: 0, verdict: 0 };
    fc.assert(
      fc.property(packetFields, (fields) => {
        seen[outcome(() => e.send(makePacket(fields as PacketSpec)))]++;
      }),
      { numRuns: 2000 },
    );
    expect(seen.verdict).toBeGreaterThan(100);
    expect(seen.error).toBeGreaterThan(100);
  });
  it("as packets built by hand, through send and verdict", () => {
    const e = new Engine(world());
    fc.assert(
      fc.property(fc.oneof(packetFields, anyValue), (p) => {
        outcome(() => e.send(p as Packet));
        outcome(() => e.verdict(p as Packet));
      }),
      { numRuns: 2000 },
    );
  });
});
