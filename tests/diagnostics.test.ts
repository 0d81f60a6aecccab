// Every diagnostic code is reachable and points at the right place: one minimal input per code,
// with the line:column of the problem. A code listed in DIAGNOSTIC_CODES without a case here fails.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import type { ImportOptions } from "../src/import/aws.js";
import { importAws } from "../src/import/aws.js";
import type { SourceDocument } from "../src/import/documents.js";
import { DIAGNOSTIC_CODE_FAMILIES, DIAGNOSTIC_CODES } from "../src/model/diagnostic.js";
import { parseJson } from "../src/node/import-files.js";
import { collectScenarioFiles, loadScenarioFile } from "../src/node/index.js";
import { loadScenario, loadScenarioValue, MAX_SCENARIO_BYTES } from "../src/scenario/load.js";
import { awsAccount, GROUPS, INSTANCE, MAIN_TABLE, SUBNET, VPC } from "./aws-account.js";

/** An import's errors and warnings: they name a resource and a field (a path), at 0:0. */
const imported =
  (documents: SourceDocument[], options: ImportOptions = {}) =>
  async () => {
    const r = importAws(documents, options);
    return [...r.errors, ...r.warnings];
  };

interface Found {
  readonly line: number;
  readonly column: number;
  readonly code: string;
}

/** A scenario's text, or a call that reports diagnostics; and where the code must point. */
type Case = readonly [input: string | (() => Promise<readonly Found[]>), at: string];

const dir = mkdtempSync(join(tmpdir(), "vpcsim-diagnostics-"));
const missing = join(dir, "missing.yaml");

/** A VPC with one subnet, then `body` from line 5. */
const world = (body: string) => `name: t
vpc: { cidr: 10.0.0.0/16 }
subnets:
  a: { cidr: 10.0.1.0/24 }
${body}`;

/** Two instances and an empty network ACL, then `steps` from line 11. */
const steps = (list: string) =>
  world(`instances:
  x: { subnet: a, private-ip: 10.0.1.10 }
  y: { subnet: a, private-ip: 10.0.1.11 }
network-acls:
  n: {}
steps:
${list}`);

/** One security group `s` with one inbound rule, on line 6. */
const sgRule = (rule: string) =>
  world(`security-groups:
  s: { inbound: [ ${rule} ] }
`);

/** What `vpcsim run` reports on stderr, read back from its `file:line:col  error  message  code` lines. */
async function cliDiagnostics(args: string[]): Promise<Found[]> {
  let err = "";
  await main(args, {
    out: () => {},
    err: (s) => {
      err += `${s}\n`;
    },
  });
  return [...err.matchAll(/^.*:(\d+):(\d+) {2}(?:error|warning) {2}.* {2}(\S+)$/gm)].map((m) => ({
    line: Number(m[1]),
    column: Number(m[2]),
    code: m[3]!,
  }));
}

function aliasBomb(): string {
  const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 0; i < 12; i++) {
    const [name, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
    lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

const cases: Record<keyof typeof DIAGNOSTIC_CODES, Case> = {
  "input/too-large": [
    async () => {
      const r = loadScenario(`#${"x".repeat(MAX_SCENARIO_BYTES)}\n`, "big.yaml");
      return r.ok ? [] : r.diagnostics;
    },
    "1:1",
  ],
  "input/not-found": [async () => (await collectScenarioFiles([missing])).problems, "1:1"],
  "input/unreadable": [
    async () => {
      const r = await loadScenarioFile(missing);
      return r.ok ? [] : r.diagnostics;
    },
    "1:1",
  ],
  "input/not-regular": [
    async () => {
      const r = await loadScenarioFile(dir);
      return r.ok ? [] : r.diagnostics;
    },
    "1:1",
  ],
  "input/no-scenarios": [
    async () => {
      const empty = join(dir, "empty");
      mkdirSync(empty, { recursive: true });
      return cliDiagnostics(["run", empty]);
    },
    "1:1",
  ],
  "input/empty": ["# only a comment\n", "1:1"],
  "input/not-utf8": ["name: caf\uFFFD\n", "1:10"],
  "input/utf16": ["\uFFFD\uFFFDn\0a\0m\0e\0", "1:1"],
  "value/not-plain-data": [
    async () => {
      const r = loadScenarioValue({ name: "t", settings: { when: new Date(0) } });
      return r.ok ? [] : r.diagnostics;
    },
    "0:0",
  ],
  "yaml/resolve": [aliasBomb(), "1:1"],
  "yaml/multiple-documents": [world("---\nname: again\n"), "5:1"],
  "yaml/unsupported-tag": [world("prefix-lists:\n  p: !!binary aGk=\n"), "6:6"],
  "yaml/collection-key": [world("prefix-lists:\n  ? [a, b]\n  : []\n"), "6:5"],
  "yaml/non-string-key": [world("prefix-lists:\n  0x10: []\n"), "6:3"],
  "yaml/reserved-key": [world("prefix-lists:\n  __proto__: []\n"), "6:3"],
  "schema/unknown-step": [steps("  - jump: 3\n"), "11:5"],
  "cidr/invalid": [world("prefix-lists:\n  p: [10.0.0.0/40]\n"), "6:7"],
  "cidr/host-bits": [world("prefix-lists:\n  p: [10.0.0.5/24]\n"), "6:7"],
  "cidr/family": ["name: t\nvpc: { cidr: 10.0.0.0/16, ipv6-cidr: 10.1.0.0/16 }\nsubnets: {}\n", "2:38"],
  "address/invalid": [world("instances:\n  x: { subnet: a, private-ip: 10.0.1.999 }\n"), "6:31"],
  "address/family": [world('instances:\n  x: { subnet: a, private-ip: "2600::5" }\n'), "6:31"],
  "address/outside-subnet": [world("instances:\n  x: { subnet: a, private-ip: 10.0.2.10 }\n"), "6:31"],
  "address/reserved": [world("instances:\n  x: { subnet: a, private-ip: 10.0.1.2 }\n"), "6:31"],
  "address/zone-id": [world('prefix-lists:\n  p: ["fe80::%eth0/64"]\n'), "6:7"],
  "address/ipv4-mapped": [steps('  - connect: { from: x, to: "::ffff:10.0.1.11", protocol: tcp, port: 22 }\n'), "11:29"],
  "address/inside-vpc": [world("internet-hosts:\n  h: { ip: 10.0.5.5 }\n"), "6:12"],
  "address/duplicate": [world("instances:\n  x: { subnet: a, private-ip: 10.0.1.10 }\n  y: { subnet: a, private-ip: 10.0.1.10 }\n"), "7:6"],
  "port/range": [sgRule("{ protocol: tcp, ports: 70000, source: 0.0.0.0/0 }"), "6:43"],
  "port/order": [sgRule("{ protocol: tcp, ports: 200-100, source: 0.0.0.0/0 }"), "6:43"],
  "protocol/unknown": [sgRule("{ protocol: foo, source: 0.0.0.0/0 }"), "6:31"],
  "rule/ports-without-tcp-udp": [sgRule("{ protocol: icmp, ports: 80, source: 0.0.0.0/0 }"), "6:44"],
  "rule/icmp-without-icmp": [sgRule("{ protocol: tcp, ports: 22, icmp-type: 8, source: 0.0.0.0/0 }"), "6:58"],
  "rule/peer": [sgRule("{ protocol: tcp, ports: 22, destination: 0.0.0.0/0 }"), "6:60"],
  "icmp/range": [sgRule("{ protocol: icmp, icmp-type: 300, source: 0.0.0.0/0 }"), "6:48"],
  "icmp/code-without-type": [sgRule("{ protocol: icmp, icmp-code: 3, source: 0.0.0.0/0 }"), "6:48"],
  "nacl/rule-number-range": [
    world("network-acls:\n  n: { inbound: [ { rule: 0, action: allow, protocol: all, cidr: 0.0.0.0/0 } ] }\n"),
    "6:27",
  ],
  "nacl/duplicate-rule-number": [
    world(`network-acls:
  n:
    inbound:
      - { rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0 }
      - { rule: 100, action: deny, protocol: all, cidr: 0.0.0.0/0 }
`),
    "9:17",
  ],
  "ref/unknown": [sgRule("{ protocol: tcp, ports: 22, source: office }"), "6:55"],
  "ref/unknown-subnet": [world("instances:\n  x: { subnet: b, private-ip: 10.0.1.10 }\n"), "6:16"],
  "ref/unknown-security-group": [world("instances:\n  x: { subnet: a, private-ip: 10.0.1.10, security-groups: [nope] }\n"), "6:60"],
  "ref/unknown-network-acl": [steps("  - associate-network-acl: { subnet: a, network-acl: nope }\n"), "11:54"],
  "ref/unknown-route-table": ["name: t\nvpc: { cidr: 10.0.0.0/16 }\nsubnets:\n  a: { cidr: 10.0.1.0/24, route-table: nope }\n", "4:40"],
  "ref/unknown-instance": [steps("  - attach-security-group: { instance: nope, security-group: default }\n"), "11:40"],
  "ref/unknown-target": [world("route-tables:\n  r: { routes: [ { destination: 0.0.0.0/0, target: nope } ] }\n"), "6:52"],
  "ref/unknown-endpoint": [steps("  - connect: { from: nope, to: y, protocol: tcp, port: 22 }\n"), "11:22"],
  "ref/unknown-connection": [steps("  - close: nope\n"), "11:12"],
  "name/duplicate": [world("instances:\n  x: { subnet: a, private-ip: 10.0.1.10 }\ninternet-hosts:\n  x: { ip: 198.51.100.7 }\n"), "8:3"],
  "name/keyword": [world("instances:\n  blackhole: { subnet: a, private-ip: 10.0.1.10 }\n"), "6:3"],
  "name/address": [world("internet-hosts:\n  198.51.100.7: { ip: 198.51.100.7 }\n"), "6:3"],
  "name/duplicate-connection": [
    steps(`  - connect: { from: x, to: y, protocol: tcp, port: 22, name: c }
  - connect: { from: x, to: y, protocol: tcp, port: 22, name: c }
`),
    "12:63",
  ],
  "route/family": [world("route-tables:\n  r: { routes: [ { destination: 0.0.0.0/0, target: egress-only-internet-gateway } ] }\n"), "6:52"],
  "route/local": [world("route-tables:\n  r: { routes: [ { destination: 10.0.1.0/25, target: internet-gateway } ] }\n"), "6:33"],
  "subnet/outside-vpc": ["name: t\nvpc: { cidr: 10.0.0.0/16 }\nsubnets:\n  a: { cidr: 10.1.0.0/24 }\n", "4:14"],
  "subnet/no-vpc-ipv6": [
    'name: t\nvpc: { cidr: 10.0.0.0/16 }\nsubnets:\n  a: { cidr: 10.0.1.0/24, ipv6-cidr: "2600:1f18::/64" }\n',
    "4:38",
  ],
  "subnet/overlap": [world("").replace("subnets:\n", "subnets:\n  b: { cidr: 10.0.0.0/20 }\n"), "5:14"],
  "instance/no-security-group": [world("instances:\n  x: { subnet: a, private-ip: 10.0.1.10, security-groups: [] }\n"), "6:59"],
  "duration/too-long": [steps(`  - wait: ${"9".repeat(400)}s\n`), "11:11"],
  "tcp/flags": [steps("  - send: { from: x, to: y, protocol: tcp, port: 22, flags: FOO }\n"), "11:61"],
  "flow/protocol-all": [steps("  - connect: { from: x, to: y, protocol: all }\n"), "11:42"],
  "flow/port": [steps("  - connect: { from: x, to: y, protocol: icmp, port: 22 }\n"), "11:54"],
  "flow/family": [steps('  - connect: { from: "2600::5", to: y, protocol: tcp, port: 22, ip-version: 4 }\n'), "11:77"],
  "flow/icmp": [steps("  - connect: { from: x, to: y, protocol: tcp, port: 22, icmp-type: 8 }\n"), "11:68"],
  "change/direction": [steps("  - add-rule: { network-acl: n }\n"), "11:15"],
  "change/target": [steps("  - add-rule: { inbound: { rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0 } }\n"), "11:15"],
  "change/rule-number": [steps("  - remove-rule: { network-acl: n, inbound: {} }\n"), "11:45"],
  "change/with": [steps("  - replace-rule: { security-group: default, inbound: { protocol: all, source: default } }\n"), "11:19"],
  "change/refused": [steps("  - remove-rule: { network-acl: n, inbound: { rule: 100 } }\n"), "11:18"],
  "rule/ports-required": [sgRule("{ protocol: tcp, source: 0.0.0.0/0 }"), "6:31"],
  "rule/icmp-type-required": [
    world("network-acls:\n  n: { inbound: [ { rule: 100, action: allow, protocol: icmp, cidr: 0.0.0.0/0 } ] }\n"),
    "6:57",
  ],
  "rule/icmp-family": [sgRule("{ protocol: icmpv6, source: 0.0.0.0/0 }"), "6:31"],
  "rule/duplicate": [
    world(`security-groups:
  s:
    inbound:
      - { protocol: tcp, ports: 22, source: 0.0.0.0/0 }
      - { protocol: tcp, ports: 22, source: 0.0.0.0/0, description: again }
`),
    "9:9",
  ],
  "prefix-list/family": [world('prefix-lists:\n  p: [10.1.0.0/16, "2600::/64"]\n'), "6:20"],
  "prefix-list/max-entries": [world("prefix-lists:\n  p: { entries: [10.1.0.0/16, 10.2.0.0/16], max-entries: 1 }\n"), "6:58"],
  "instance/duplicate-security-group": [
    world("instances:\n  x: { subnet: a, private-ip: 10.0.1.10, security-groups: [default, default] }\n"),
    "6:69",
  ],
  "conntrack/range": [world("instances:\n  x: { subnet: a, private-ip: 10.0.1.10, connection-tracking: { udp: 90 } }\n"), "6:70"],
  "address/not-public": [world("instances:\n  x: { subnet: a, private-ip: 10.0.1.10, public-ip: 192.168.1.5 }\n"), "6:53"],
  "cidr/size": ["name: t\nvpc: { cidr: 10.0.0.0/8 }\nsubnets: {}\n", "2:14"],
  "route/duplicate": [
    world(`route-tables:
  r:
    routes:
      - { destination: 0.0.0.0/0, target: internet-gateway }
      - { destination: 0.0.0.0/0, target: blackhole }
`),
    "9:24",
  ],
  "route/main": [world("route-tables:\n  r: { main: true }\n  q: { main: true }\n"), "7:8"],
  "quota/acl-rules": [
    world(
      `network-acls:\n  n:\n    inbound:\n${Array.from({ length: 20 }, (_, i) => `      - { rule: ${i + 1}, action: allow, protocol: all, cidr: 0.0.0.0/0 }\n`).join("")}`,
    ),
    "7:5",
  ],
  "quota/group-rules": [
    world(
      `security-groups:\n  s:\n    inbound:\n${Array.from({ length: 61 }, (_, i) => `      - { protocol: tcp, ports: ${i + 1}, source: 0.0.0.0/0 }\n`).join("")}`,
    ),
    "7:5",
  ],
  "quota/groups-per-interface": [
    world(
      `security-groups: { a: {}, b: {}, c: {}, d: {}, e: {} }\ninstances:\n  x: { subnet: a, private-ip: 10.0.1.10, security-groups: [default, a, b, c, d, e] }\n`,
    ),
    "7:59",
  ],
  "quota/vpc-blocks": [
    `name: t\nvpc: { cidr: [${Array.from({ length: 6 }, (_, i) => `10.${i}.0.0/16`).join(", ")}] }\nsubnets: { a: { cidr: 10.0.1.0/24 } }\n`,
    "2:14",
  ],
  "quota/prefix-list-entries": [world(`prefix-lists:\n  p: [${Array(1001).fill("10.1.0.0/16").join(", ")}]\n`), "6:3"],
  "scenario/no-steps": [world(""), "1:1"],
  "expect/not-applicable": [
    steps(`  - connect: { from: x, to: y, protocol: tcp, port: 22, name: c }
  - send: { connection: c, direction: reply }
    expect: { request: denied }
`),
    "13:15",
  ],
  "expect/blocked-by": [
    steps("  - connect: { from: x, to: y, protocol: tcp, port: 22 }\n    expect: { blocked-by: security-group y inbound }\n"),
    "12:27",
  ],
  "import/not-json": [
    async () => {
      const r = parseJson('{\n  "Vpcs" []\n}', "Vpcs.json");
      return r.ok ? [] : [r.diagnostic];
    },
    "2:10",
  ],
  "import/unrecognised": [imported([{ name: "x.json", data: { Buckets: [] } }]), "0:0"],
  "import/bad-field": [imported(awsAccount({ Subnets: [{ ...SUBNET, CidrBlock: 10 }] })), "0:0"],
  "import/duplicate-id": [
    imported([...awsAccount(), { name: "more.json", data: { Subnets: [{ ...SUBNET, CidrBlock: "10.0.2.0/24" }] } }]),
    "0:0",
  ],
  "import/no-vpc": [imported(awsAccount({ Vpcs: [] })), "0:0"],
  "import/several-vpcs": [imported(awsAccount({ Vpcs: [VPC, { ...VPC, VpcId: "vpc-2" }] })), "0:0"],
  "import/missing": [imported(awsAccount({ SecurityGroups: [GROUPS[0]] })), "0:0"],
  "import/other-vpc": [imported(awsAccount({ Vpcs: [VPC, { ...VPC, VpcId: "vpc-2" }] }), { vpc: "vpc-1" }), "0:0"],
  "import/unmodelled": [
    imported(awsAccount({ RouteTables: [{ ...MAIN_TABLE, Routes: [{ DestinationCidrBlock: "0.0.0.0/0", TransitGatewayId: "tgw-1" }] }] })),
    "0:0",
  ],
  "import/left-out": [imported(awsAccount({ Reservations: [{ Instances: [{ ...INSTANCE, State: { Name: "stopped" } }] }] })), "0:0"],
};

/** One member of each open family: its text, where, and the code it gives. */
const familyCases: Record<keyof typeof DIAGNOSTIC_CODE_FAMILIES, readonly [input: string, at: string, code: string]> = {
  "yaml/": [world("name: again\n"), "5:1", "yaml/duplicate_key"],
  "schema/": [world("instancez: {}\n"), "5:1", "schema/unrecognized_keys"],
};

async function diagnosticsOf(input: Case[0]): Promise<readonly Found[]> {
  if (typeof input !== "string") return input();
  const r = loadScenario(input, "test.yaml");
  return r.ok ? r.warnings : r.diagnostics;
}

/** The input gives `code`, at `at` (line:column). */
async function expectCodeAt(input: Case[0], code: string, at: string): Promise<void> {
  const found = await diagnosticsOf(input);
  const hit = found.find((d) => d.code === code);
  expect(hit, `got ${found.map((d) => `${d.line}:${d.column} ${d.code}`).join(", ") || "no diagnostic"}`).toBeDefined();
  expect(`${hit!.line}:${hit!.column}`).toBe(at);
}

describe("diagnostic codes", () => {
  it("every listed code has a case here, and every case a listed code", () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(DIAGNOSTIC_CODES).sort());
    expect(Object.keys(familyCases).sort()).toEqual(Object.keys(DIAGNOSTIC_CODE_FAMILIES).sort());
  });

  for (const [code, [input, at]] of Object.entries(cases)) {
    it(`${code} at ${at}`, async () => {
      await expectCodeAt(input, code, at);
    });
  }

  for (const [family, [input, at, code]] of Object.entries(familyCases)) {
    it(`the family ${family}: ${code} at ${at}`, async () => {
      await expectCodeAt(input, code, at);
    });
  }
});

describe("names that are also properties of every object are unknown names, not a crash", () => {
  const prototypeNames: [what: string, text: string, code: string, at: string][] = [
    ["a step", steps("  - toString: 1\n"), "schema/unknown-step", "11:5"],
    [
      "a security group",
      world("instances:\n  x: { subnet: a, private-ip: 10.0.1.10, security-groups: [toString] }\n"),
      "ref/unknown-security-group",
      "6:60",
    ],
    [
      "a network ACL",
      "name: t\nvpc: { cidr: 10.0.0.0/16 }\nsubnets:\n  a: { cidr: 10.0.1.0/24, network-acl: constructor }\n",
      "ref/unknown-network-acl",
      "4:40",
    ],
    [
      "a route table",
      "name: t\nvpc: { cidr: 10.0.0.0/16 }\nsubnets:\n  a: { cidr: 10.0.1.0/24, route-table: valueOf }\n",
      "ref/unknown-route-table",
      "4:40",
    ],
    [
      "a NAT gateway's subnet",
      world("nat-gateways:\n  n: { subnet: hasOwnProperty, private-ip: 10.0.1.5, public-ip: 198.51.100.20 }\n"),
      "ref/unknown-subnet",
      "6:16",
    ],
    ["an endpoint", steps("  - connect: { from: x, to: constructor, protocol: tcp, port: 22 }\n"), "ref/unknown-endpoint", "11:29"],
    [
      "a changed group",
      steps("  - attach-security-group: { instance: x, security-group: toString }\n"),
      "ref/unknown-security-group",
      "11:59",
    ],
  ];
  for (const [what, text, code, at] of prototypeNames) {
    it(`${what}: ${code} at ${at}`, async () => {
      const found = await diagnosticsOf(text);
      expect(found.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual([`${at} ${code}`]);
    });
  }
});
