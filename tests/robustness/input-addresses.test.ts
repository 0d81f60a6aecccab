// Address text of every form: each parses or is a diagnostic, never a throw; what parses reads
// back the same through ip-num; IPv4-mapped addresses and zone ids are refused by name; and the
// addresses AWS reserves in an IPv6 subnet are refused like the IPv4 ones (aws-rules §1.6).
import fc from "fast-check";
import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange } from "ip-num";
import { describe, expect, it } from "vitest";
import type { Address, Cidr } from "../../src/model/address.js";
import { parseAddress, parseCidr } from "../../src/model/address.js";
import { loadScenario } from "../../src/scenario/load.js";

/** Characters addresses are written with, and a few they are not. */
const ALPHABET = [..."0123456789abcdefABCDEF:./%", " ", "\n", "x", "-", "[", "]", "١", "\u0000"];

/** A block with its host bits clear, written by ip-num. */
const maskedBlock = fc.oneof(
  fc.tuple(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), fc.integer({ min: 0, max: 32 })).map(([v, p]) => {
    const lo = (v >> BigInt(32 - p)) << BigInt(32 - p);
    return `${new IPv4(lo).toString()}/${p}`;
  }),
  fc.tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 })).map(([v, p]) => {
    const lo = (v >> BigInt(128 - p)) << BigInt(128 - p);
    return `${new IPv6(lo).toString()}/${p}`;
  }),
);

/** A valid address or block, from fast-check's generators (some IPv6 ones end in a dotted IPv4). */
const validText = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  maskedBlock,
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`),
);

/** A valid text with a few characters deleted, inserted, replaced or doubled. */
const nearValid = fc
  .tuple(
    validText,
    fc.array(fc.tuple(fc.constantFrom("delete", "insert", "replace", "double"), fc.nat(), fc.constantFrom(...ALPHABET)), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([text, edits]) =>
    edits.reduce((s, [op, at, c]) => {
      const i = s.length === 0 ? 0 : at % s.length;
      if (op === "delete") return s.slice(0, i) + s.slice(i + 1);
      if (op === "insert") return s.slice(0, i) + c + s.slice(i);
      if (op === "replace") return s.slice(0, i) + c + s.slice(i + 1);
      return s.slice(0, i) + s.slice(i, i + 3) + s.slice(i);
    }, text),
  );

const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 50 }),
  nearValid,
  validText,
);

/** What ip-num reads from our canonical text is the value we hold. */
function roundTripsAddress(a: Address): void {
  if (a.family === 4) expect(Number(IPv4.fromString(a.text).getValue())).toBe(a.v4);
  else expect(IPv6.fromString(a.text).getValue()).toBe(a.v6);
  const again = parseAddress(a.text);
  expect(again.ok && again.value).toEqual(a);
}

function roundTripsCidr(c: Cidr): void {
  if (c.family === 4) {
    const r = IPv4CidrRange.fromCidr(c.text);
    expect([Number(r.getFirst().getValue()), Number(r.getLast().getValue())]).toEqual([c.lo4, c.hi4]);
  } else {
    const r = IPv6CidrRange.fromCidr(c.text);
    expect([r.getFirst().getValue(), r.getLast().getValue()]).toEqual([c.lo6, c.hi6]);
  }
  const again = parseCidr(c.text);
  expect(again.ok && again.value).toEqual(c);
}

describe("address and block text of every form", () => {
  it("random, near-valid and valid texts: parseAddress and parseCidr never throw, and what parses round-trips through ip-num", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const a = parseAddress(text);
        const c = parseCidr(text);
        if (a.ok) roundTripsAddress(a.value);
        else expect(a.message).toContain(text);
        if (c.ok) roundTripsCidr(c.value);
        else expect(c.message).toContain(text);
      }),
      { numRuns: 4000 },
    );
  });

  it("every address fast-check calls valid parses, unless it is IPv4-mapped, which is refused by name", () => {
    fc.assert(
      fc.property(validText, (text) => {
        const r = text.includes("/") ? parseCidr(text) : parseAddress(text);
        if (!r.ok && r.reason === "host-bits") return;
        expect(r.ok || r.reason === "ipv4-mapped", r.ok ? "" : r.message).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("IPv4-mapped addresses and blocks are refused naming the IPv4 form; other dotted IPv6 forms parse", () => {
    for (const text of ["::ffff:10.0.0.1", "::FFFF:10.0.0.1", "0:0:0:0:0:ffff:a00:1"]) {
      const r = parseAddress(text);
      expect(r.ok ? "parsed" : r.reason, text).toBe("ipv4-mapped");
      expect(r.ok ? "" : r.message).toContain("10.0.0.1");
    }
    for (const text of ["::ffff:10.0.0.1/128", "::ffff:10.0.0.0/120", "::ffff:0:0/96"]) {
      const r = parseCidr(text);
      expect(r.ok ? "parsed" : r.reason, text).toBe("ipv4-mapped");
    }
    expect(parseCidr("::ffff:10.0.0.1/120")).toMatchObject({ ok: false, reason: "host-bits" });
    // wider blocks hold more than the mapped range, and NAT64's well-known prefix is a real IPv6 block
    expect(parseCidr("::/0").ok).toBe(true);
    expect(parseAddress("64:ff9b::192.0.2.1")).toMatchObject({ ok: true, value: { text: "64:ff9b::c000:201" } });
    expect(parseAddress("::192.0.2.1")).toMatchObject({ ok: true, value: { text: "::c000:201" } });
    expect(parseAddress("::ffff:256.0.0.1")).toMatchObject({ ok: false, reason: "invalid" });

    const loaded = loadScenario(
      `name: t
vpc: { cidr: 10.0.0.0/16 }
subnets:
  a: { cidr: 10.0.1.0/24 }
security-groups:
  s: { inbound: [ { protocol: all, source: "::ffff:10.0.0.0/120" } ] }
internet-hosts:
  h: { ip: "::ffff:198.51.100.7" }
`,
      "mapped.yaml",
    );
    expect(loaded.ok ? [] : loaded.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual([
      "6:44 address/ipv4-mapped",
      "8:12 address/ipv4-mapped",
    ]);
  });

  it("zone ids are refused, never dropped", () => {
    for (const text of ["fe80::1%eth0", "fe80::1%1", "fe80::1%"])
      expect(parseAddress(text)).toMatchObject({ ok: false, reason: "zone-id" });
    expect(parseCidr("fe80::%eth0/64")).toMatchObject({ ok: false, reason: "zone-id" });
    const loaded = loadScenario(
      'name: t\nvpc: { cidr: 10.0.0.0/16 }\nsubnets:\n  a: { cidr: 10.0.1.0/24 }\ninternet-hosts:\n  h: { ip: "2001:db8::7%eth0" }\n',
      "zone.yaml",
    );
    expect(loaded.ok ? [] : loaded.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(["6:12 address/zone-id"]);
  });
});

describe("reserved addresses in IPv6 subnets (aws-rules §1.6)", () => {
  const world = (ipv6: string) => `name: t
vpc: { cidr: 10.0.0.0/16, ipv6-cidr: "2600:1f18:aaaa:bb00::/56" }
subnets:
  a: { cidr: 10.0.1.0/24, ipv6-cidr: "2600:1f18:aaaa:bb01::/64" }
instances:
  x: { subnet: a, private-ip: 10.0.1.10, ipv6: "${ipv6}" }
`;

  it("the first four and the last address of a subnet's IPv6 block are refused like the IPv4 ones", () => {
    for (const last of ["0", "1", "2", "3"]) {
      const r = loadScenario(world(`2600:1f18:aaaa:bb01::${last}`), "v6.yaml");
      expect(r.ok ? [] : r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`), last).toEqual(["6:48 address/reserved"]);
    }
    const top = loadScenario(world("2600:1f18:aaaa:bb01:ffff:ffff:ffff:ffff"), "v6.yaml");
    expect(top.ok ? [] : top.diagnostics.map((d) => d.code)).toEqual(["address/reserved"]);
    expect(top.ok ? "" : top.diagnostics[0]!.message).toContain("2600:1f18:aaaa:bb01::/64");
    for (const ok of ["2600:1f18:aaaa:bb01::4", "2600:1f18:aaaa:bb01:ffff:ffff:ffff:fffe"])
      expect(loadScenario(world(ok), "v6.yaml").ok, ok).toBe(true);
  });
});
