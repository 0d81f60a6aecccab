// The AWS CLI importer, one AWS shape rule at a time: what describe-* outputs write, and the
// scenario value (and warnings, errors) each becomes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ImportOptions } from "../../src/import/aws.js";
import { importAws } from "../../src/import/aws.js";
import type { SourceDocument } from "../../src/import/documents.js";
import { loadAwsImport } from "../../src/import/load.js";
import { allowAll, awsAccount, DEFAULT_ACL, GROUPS, INSTANCE, MAIN_TABLE, SUBNET, VPC } from "../aws-account.js";
import { connect } from "../snapshots.js";

const run = (changes: Record<string, unknown> = {}, options: ImportOptions = {}) => importAws(awsAccount(changes), options);
const codes = (r: { errors: readonly { code: string }[]; warnings: readonly { code: string }[] }) => [
  ...r.errors.map((d) => `error ${d.code}`),
  ...r.warnings.map((d) => `warning ${d.code}`),
];
const group = (IpPermissions: unknown[], extra: object = {}) => ({
  SecurityGroups: [...GROUPS, { GroupId: "sg-x", GroupName: "x", VpcId: "vpc-1", IpPermissions, IpPermissionsEgress: [], ...extra }],
});
const acl = (Entries: unknown[]) => ({ NetworkAcls: [{ ...DEFAULT_ACL, Entries }] });
const unit = (file: string): SourceDocument => ({
  name: file,
  data: JSON.parse(readFileSync(`tests/fixtures/batfish-aws/unit/${file}`, "utf8")),
});

describe("the account as exported", () => {
  it("becomes a scenario with names from Name tags and group names, every group's outbound written out", () => {
    const r = run();
    expect(codes(r)).toEqual([]);
    expect(r.value).toMatchObject({
      name: "shop",
      vpc: { name: "shop", cidr: "10.0.0.0/16" },
      subnets: { app: { cidr: "10.0.1.0/24", "network-acl": "acl-default" } },
      "route-tables": { "rtb-main": { main: true, routes: [] } },
      "network-acls": {
        "acl-default": {
          inbound: [{ rule: 100, action: "allow", protocol: "all", cidr: "0.0.0.0/0" }],
          outbound: [{ rule: 100, action: "allow", protocol: "all", cidr: "0.0.0.0/0" }],
        },
      },
      "security-groups": {
        default: { inbound: [{ protocol: "all", source: "default" }], outbound: [{ protocol: "all", destination: "0.0.0.0/0" }] },
        web: { inbound: [{ protocol: "tcp", ports: 443, source: "0.0.0.0/0" }] },
      },
      instances: { web: { subnet: "app", "private-ip": "10.0.1.10", "security-groups": ["web"] } },
    });
    expect(loadAwsImport(awsAccount()).ok).toBe(true);
  });

  it("a subnet with no explicit association uses the main table: no route-table field, the table marked main", () => {
    const r = run({
      RouteTables: [
        MAIN_TABLE,
        { RouteTableId: "rtb-pub", VpcId: "vpc-1", Associations: [{ RouteTableId: "rtb-pub", SubnetId: "subnet-b" }], Routes: [] },
      ],
      Subnets: [SUBNET, { ...SUBNET, SubnetId: "subnet-b", CidrBlock: "10.0.2.0/24", Tags: [] }],
    });
    expect(r.value.subnets.app).not.toHaveProperty("route-table");
    expect(r.value.subnets["subnet-b"]).toMatchObject({ "route-table": "rtb-pub", "network-acl": "acl-default" });
    expect(r.value["route-tables"]!["rtb-main"]!.main).toBe(true);
    expect(r.value["route-tables"]!["rtb-pub"]).not.toHaveProperty("main");
  });

  it("explicit nulls read as absent fields (the np-guard collector's bundle, snake_case keys)", () => {
    const nulls = { FromPort: null, ToPort: null, Ipv6Ranges: null, PrefixListIds: null, UserIdGroupPairs: null };
    const bundle = {
      collector_version: "0.11.0",
      provider: "aws",
      vpcs: [{ ...VPC, Ipv6CidrBlockAssociationSet: null }],
      subnets: [{ ...SUBNET, Ipv6CidrBlockAssociationSet: [] }],
      network_acls: [
        { ...DEFAULT_ACL, Entries: DEFAULT_ACL.Entries.map((e) => ({ ...e, IcmpTypeCode: null, PortRange: null, Ipv6CidrBlock: null })) },
      ],
      security_groups: GROUPS.map((g) => ({ ...g, IpPermissionsEgress: [{ ...g.IpPermissionsEgress[0], ...nulls }] })),
      instances: [INSTANCE],
      internet_gateways: [],
    };
    const r = importAws([{ name: "bundle.json", data: bundle }]);
    expect(r.errors).toEqual([]);
    expect(r.value["security-groups"]!.web!.outbound).toEqual([{ protocol: "all", destination: "0.0.0.0/0" }]);
    expect(r.value.instances!.web).toMatchObject({ "private-ip": "10.0.1.10" });
  });

  it("one combined file holding several outputs' keys reads as the separate files do; a resource met twice is read once", () => {
    const combined = Object.assign({}, ...awsAccount().map((d) => d.data));
    const r = importAws([{ name: "account.json", data: combined }, ...awsAccount()]);
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual(run().value);
  });
});

describe("network ACL entries", () => {
  it("protocols are numeric strings: 6 tcp, 17 udp, 1 icmp, 58 icmpv6, -1 all, others as numbers", () => {
    const e = (n: number, Protocol: string, extra: object = {}) => ({
      RuleNumber: n,
      Egress: false,
      Protocol,
      RuleAction: "allow",
      CidrBlock: "10.9.0.0/16",
      ...extra,
    });
    const r = run(
      acl([
        e(10, "6", { PortRange: { From: 443, To: 443 } }),
        e(20, "17", { PortRange: { From: 1024, To: 65535 } }),
        e(30, "1", { IcmpTypeCode: { Type: 8, Code: -1 } }),
        e(40, "58", { CidrBlock: undefined, Ipv6CidrBlock: "::/0", IcmpTypeCode: { Type: -1, Code: -1 } }),
        e(50, "-1"),
        e(60, "50"),
        ...allowAll(true),
      ]),
    );
    expect(r.errors).toEqual([]);
    expect(r.value["network-acls"]!["acl-default"]!.inbound).toEqual([
      { rule: 10, action: "allow", protocol: "tcp", ports: 443, cidr: "10.9.0.0/16" },
      { rule: 20, action: "allow", protocol: "udp", ports: "1024-65535", cidr: "10.9.0.0/16" },
      { rule: 30, action: "allow", protocol: "icmp", "icmp-type": 8, cidr: "10.9.0.0/16" },
      { rule: 40, action: "allow", protocol: "icmpv6", "icmp-type": -1, cidr: "::/0" },
      { rule: 50, action: "allow", protocol: "all", cidr: "10.9.0.0/16" },
      { rule: 60, action: "allow", protocol: 50, cidr: "10.9.0.0/16" },
    ]);
  });

  it("entries arrive unsorted and mixed by direction: each direction in rule order", () => {
    const e = (n: number, Egress: boolean, RuleAction = "allow") => ({
      RuleNumber: n,
      Egress,
      Protocol: "-1",
      RuleAction,
      CidrBlock: "0.0.0.0/0",
    });
    const r = run(acl([e(300, false), e(32767, true, "deny"), e(100, true), e(200, false, "deny"), e(32767, false, "deny"), e(50, false)]));
    const a = r.value["network-acls"]!["acl-default"]!;
    expect(a.inbound!.map((x) => `${x.rule} ${x.action}`)).toEqual(["50 allow", "200 deny", "300 allow"]);
    expect(a.outbound!.map((x) => `${x.rule} ${x.action}`)).toEqual(["100 allow"]);
  });

  it("the * entries, 32767 for IPv4 and 32768 for IPv6, are the scenario's implicit deny; anything else numbered so is refused", () => {
    const star = (RuleNumber: number, cidr: object) => ({ RuleNumber, Egress: false, Protocol: "-1", RuleAction: "deny", ...cidr });
    const ok = run(acl([star(32767, { CidrBlock: "0.0.0.0/0" }), star(32768, { Ipv6CidrBlock: "::/0" })]));
    expect(ok.errors).toEqual([]);
    expect(ok.value["network-acls"]!["acl-default"]).toEqual({ inbound: [], outbound: [] });
    // a declared ACL with no rules denies all: the loader's empty ACL is AWS's * entries
    const s = loadAwsImport(awsAccount(acl([star(32767, { CidrBlock: "0.0.0.0/0" })])));
    if (!s.ok) throw new Error("import failed");
    expect(connect(s.scenario.world, "web", "10.0.2.7", "tcp", 443).request.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    const bad = run(acl([{ ...star(32767, { CidrBlock: "0.0.0.0/0" }), RuleAction: "allow" }]));
    expect(bad.errors.map((d) => [d.file, d.path, d.message])).toEqual([
      [
        "NetworkAcls.json",
        "NetworkAcls[0].Entries[0].RuleNumber",
        "acl-default: rule 32767 is AWS's own and denies all; this one is allow 0.0.0.0/0",
      ],
    ]);
  });

  it("the unit files parse with their edge cases: ICMP type and code, IPv6 entries", () => {
    const vpc6 = {
      ...VPC,
      VpcId: "vpc-f8fad69d",
      Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: "2600:1f18::/56", Ipv6CidrBlockState: { State: "associated" } }],
    };
    const subnet = { ...SUBNET, SubnetId: "subnet-1f315846", VpcId: "vpc-f8fad69d" };
    const docs = (file: string) => [{ name: "v.json", data: { Vpcs: [vpc6], Subnets: [subnet] } }, unit(file)];
    const icmp = importAws(docs("NetworkAclIcmpTest.json"));
    expect(icmp.errors).toEqual([]);
    expect(icmp.value["network-acls"]!["acl-4db39c28"]!.outbound).toEqual([
      { rule: 100, action: "allow", protocol: "icmp", "icmp-type": -1, cidr: "0.0.0.0/0" },
      { rule: 200, action: "allow", protocol: "icmp", "icmp-type": 0, "icmp-code": 1, cidr: "0.0.0.0/0" },
    ]);
    const v6 = importAws(docs("NetworkAclV6Test.json"));
    expect(v6.value["network-acls"]!["acl-4db39c28"]!.outbound).toEqual([{ rule: 100, action: "allow", protocol: "all", cidr: "::/0" }]);
    expect(importAws(docs("NetworkAclTest.json")).errors).toEqual([]);
  });
});

describe("security group permissions", () => {
  const rules = (r: ReturnType<typeof run>) => r.value["security-groups"]!.x!.inbound;
  const perm = (IpProtocol: string, FromPort?: number, ToPort?: number) => ({
    IpProtocol,
    FromPort,
    ToPort,
    IpRanges: [{ CidrIp: "10.9.0.0/16" }],
  });

  it("protocols are names or numbers; -1 is all, and its ports are not read; -1 ports on tcp/udp are every port", () => {
    const r = run(group([perm("tcp", 22, 22), perm("6", 80, 81), perm("-1", -1, -1), perm("50"), perm("udp", -1, -1)]));
    expect(r.errors).toEqual([]);
    expect(rules(r)!.map((x) => [x.protocol, x.ports])).toEqual([
      ["tcp", 22],
      ["tcp", "80-81"],
      ["all", undefined],
      [50, undefined],
      ["udp", "0-65535"],
    ]);
  });

  it("ICMP type and code ride in FromPort and ToPort, -1 for any; a code with type -1 is refused, as AWS refuses it", () => {
    const r = run(group([perm("icmp", -1, -1), perm("icmp", 8, -1), perm("icmpv6", 128, 0)]));
    expect(rules(r)!.map((x) => [x.protocol, x["icmp-type"], x["icmp-code"]])).toEqual([
      ["icmp", -1, undefined],
      ["icmp", 8, undefined],
      ["icmpv6", 128, 0],
    ]);
    const bad = run(group([perm("icmp", -1, 9)]));
    expect(bad.errors.map((d) => [d.path, d.message])).toEqual([
      ["SecurityGroups[2].IpPermissions[0].ToPort", "sg-x: ICMP code 9 with type -1 (all types): AWS takes code -1 only"],
    ]);
  });

  it("one rule per peer: IpRanges, Ipv6Ranges, PrefixListIds and group pairs, descriptions kept", () => {
    const r = run({
      ...group([
        {
          IpProtocol: "tcp",
          FromPort: 443,
          ToPort: 443,
          IpRanges: [{ CidrIp: "10.9.0.0/16", Description: "office" }],
          Ipv6Ranges: [{ CidrIpv6: "2001:db8::/32" }],
          PrefixListIds: [{ PrefixListId: "pl-1" }],
          UserIdGroupPairs: [{ GroupId: "sg-web", UserId: "111" }],
        },
      ]),
      PrefixLists: [{ PrefixListId: "pl-1", PrefixListName: "partners", Entries: [{ Cidr: "192.0.2.0/24" }] }],
    });
    expect(r.errors).toEqual([]);
    expect(rules(r)!.map((x) => [x.source, x.description])).toEqual([
      ["10.9.0.0/16", "office"],
      ["2001:db8::/32", undefined],
      ["partners", undefined],
      ["web", undefined],
    ]);
    expect(r.value["prefix-lists"]).toEqual({ partners: ["192.0.2.0/24"] });
  });

  it("a group of another account, or a prefix list without entries, matches nothing here: left out with a warning naming it", () => {
    const r = run(
      group([
        {
          IpProtocol: "tcp",
          FromPort: 22,
          ToPort: 22,
          UserIdGroupPairs: [{ GroupId: "sg-far", UserId: "999" }],
          PrefixListIds: [{ PrefixListId: "pl-s3" }],
        },
      ]),
    );
    expect(rules(r)).toEqual([]);
    expect(r.warnings.map((d) => [d.code, d.path, d.message])).toEqual([
      [
        "import/left-out",
        "SecurityGroups[2].IpPermissions[0].PrefixListIds[0]",
        "sg-x: a rule's source is prefix list pl-s3, whose entries are not in the import: the rule is left out",
      ],
      [
        "import/left-out",
        "SecurityGroups[2].IpPermissions[0].UserIdGroupPairs[0]",
        "sg-x: a rule's source is security group sg-far (account 999), which is not in this VPC's import: it matches no address here and is left out",
      ],
    ]);
  });

  it("tcp ports of -1 on one side only are refused, as AWS refuses them", () => {
    const r = run(group([perm("tcp", -1, 50)]));
    expect(r.errors.map((d) => d.path)).toEqual(["SecurityGroups[2].IpPermissions[0].FromPort"]);
  });

  it("describe-security-group-rules, when exported, gives a group's rules", () => {
    const r = run({
      ...group([perm("tcp", 1, 2)]),
      SecurityGroupRules: [
        {
          SecurityGroupRuleId: "sgr-1",
          GroupId: "sg-x",
          IsEgress: false,
          IpProtocol: "tcp",
          FromPort: 5432,
          ToPort: 5432,
          ReferencedGroupInfo: { GroupId: "sg-web" },
        },
        {
          SecurityGroupRuleId: "sgr-2",
          GroupId: "sg-x",
          IsEgress: true,
          IpProtocol: "-1",
          FromPort: -1,
          ToPort: -1,
          CidrIpv4: "0.0.0.0/0",
        },
      ],
    });
    expect(r.errors).toEqual([]);
    expect(r.value["security-groups"]!.x).toEqual({
      inbound: [{ protocol: "tcp", ports: 5432, source: "web" }],
      outbound: [{ protocol: "all", destination: "0.0.0.0/0" }],
    });
  });

  it("the unit file parses: single ports, ranges, all traffic, ICMP type only and type and code; the refused rules are named", () => {
    const docs = [
      {
        name: "v.json",
        data: {
          Vpcs: [{ ...VPC, VpcId: "vpc-6f6f8316" }],
          Subnets: [{ ...SUBNET, VpcId: "vpc-6f6f8316" }],
          NetworkAcls: [{ ...DEFAULT_ACL, VpcId: "vpc-6f6f8316" }],
        },
      },
      unit("SecurityGroupTest.json"),
    ];
    const r = importAws(docs);
    expect(r.errors.map((d) => `${d.code} ${d.path}`)).toEqual([
      "import/duplicate-id SecurityGroups[10]",
      "import/duplicate-id SecurityGroups[11]",
      "import/bad-field SecurityGroups[6].IpPermissions[0].FromPort",
      "import/bad-field SecurityGroups[7].IpPermissions[0].ToPort",
    ]);
    const inbound = (id: string) =>
      Object.values(r.value["security-groups"]!).find((_, i) => Object.keys(r.value["security-groups"]!)[i] === id)?.inbound;
    expect(inbound("sg-01a88a2ecd621d9ba")).toEqual([
      { protocol: "tcp", ports: 22, source: "1.2.3.4/32", description: "Allowing single port" },
    ]);
    expect(inbound("sg-0089111f50bb7d828")![0]!.ports).toBe("0-22");
    expect(inbound("sg-0c1301cba55e50293")![0]).toMatchObject({ protocol: "all", source: "0.0.0.0/0" });
    expect(inbound("sg-0de0ddfa8a5a12348")).toEqual([
      { protocol: "icmp", "icmp-type": 8, source: "0.0.0.0/0" },
      { protocol: "icmp", "icmp-type": 8, source: "::/0" },
    ]);
  });
});

describe("route targets", () => {
  const routes = (Routes: unknown[], extra: Record<string, unknown> = {}) => run({ RouteTables: [{ ...MAIN_TABLE, Routes }], ...extra });
  const r4 = (target: object, cidr = "0.0.0.0/0") => ({ DestinationCidrBlock: cidr, State: "active", ...target });

  it("gateways, NAT gateways and instances by name; a blackhole state is a blackhole; local routes are implicit", () => {
    const r = routes(
      [
        r4({ GatewayId: "local" }, "10.0.0.0/16"),
        r4({ GatewayId: "igw-1" }),
        { DestinationIpv6CidrBlock: "::/0", EgressOnlyInternetGatewayId: "eigw-1", State: "active" },
        r4({ NatGatewayId: "nat-1" }, "198.51.100.0/24"),
        r4({ InstanceId: "i-web", NetworkInterfaceId: "eni-web" }, "203.0.113.0/24"),
        r4({ GatewayId: "igw-old", State: "blackhole" }, "192.0.2.0/24"),
      ],
      {
        NatGateways: [
          {
            NatGatewayId: "nat-1",
            VpcId: "vpc-1",
            SubnetId: "subnet-a",
            State: "available",
            NatGatewayAddresses: [{ PrivateIp: "10.0.1.5", PublicIp: "198.51.100.9" }],
          },
        ],
      },
    );
    expect(r.errors).toEqual([]);
    expect(r.value["route-tables"]!["rtb-main"]!.routes).toEqual([
      { destination: "0.0.0.0/0", target: "internet-gateway" },
      { destination: "::/0", target: "egress-only-internet-gateway" },
      { destination: "198.51.100.0/24", target: "nat-1" },
      { destination: "203.0.113.0/24", target: "web" },
      { destination: "192.0.2.0/24", target: "blackhole" },
    ]);
    expect(r.value["nat-gateways"]).toEqual({ "nat-1": { subnet: "app", "private-ip": "10.0.1.5", "public-ip": "198.51.100.9" } });
  });

  it("what vpcsim does not model becomes a named stand-in, with one warning per resource naming it", () => {
    const r = routes([
      r4({ TransitGatewayId: "tgw-1" }, "172.16.0.0/12"),
      r4({ TransitGatewayId: "tgw-1" }, "192.168.0.0/16"),
      r4({ GatewayId: "vgw-1" }),
      r4({ VpcPeeringConnectionId: "pcx-1" }, "10.8.0.0/16"),
      r4({ GatewayId: "vpce-1" }, "10.0.1.0/24"),
      r4({ NetworkInterfaceId: "eni-firewall" }, "198.51.100.0/24"),
      r4({ NatGatewayId: "nat-gone" }, "203.0.113.0/24"),
    ]);
    expect(r.value["route-tables"]!["rtb-main"]!.routes.map((x) => x.target)).toEqual([
      { unmodelled: "tgw-1" },
      { unmodelled: "tgw-1" },
      { unmodelled: "vgw-1" },
      { unmodelled: "pcx-1" },
      { unmodelled: "vpce-1" },
      { unmodelled: "eni-firewall" },
      { unmodelled: "nat-gone" },
    ]);
    expect(r.warnings.map((d) => `${d.code} ${d.message.split(":")[1]}`)).toEqual([
      "import/unmodelled  transit gateway tgw-1 is not modelled",
      "import/unmodelled  virtual private gateway vgw-1 is not modelled",
      "import/unmodelled  VPC peering connection pcx-1 is not modelled yet (one VPC at a time)",
      "import/unmodelled  VPC endpoint vpce-1 is not modelled",
      "import/unmodelled  network interface eni-firewall is not an instance's primary interface in the import, which is what vpcsim routes to",
      "import/unmodelled  NAT gateway nat-gone is routed to but is not in the import as a public, available NAT gateway",
    ]);
    const s = loadAwsImport(awsAccount({ RouteTables: [{ ...MAIN_TABLE, Routes: [r4({ TransitGatewayId: "tgw-1" }, "172.16.0.0/12")] }] }));
    if (!s.ok) throw new Error(JSON.stringify(s.diagnostics));
    const c = connect(s.scenario.world, "web", "172.16.0.9", "tcp", 443);
    expect(c.request.drop?.code).toBe("UNMODELLED_TARGET");
    expect(c.request.drop?.explanation).toContain("transit gateway tgw-1");
  });

  it("a route to a prefix list routes each of its blocks; one whose entries are not exported is left out with a warning", () => {
    const r = routes(
      [
        { DestinationPrefixListId: "pl-1", GatewayId: "igw-1" },
        { DestinationPrefixListId: "pl-s3", GatewayId: "vpce-s3" },
      ],
      {
        PrefixLists: [{ PrefixListId: "pl-1", Cidrs: ["192.0.2.0/24", "198.51.100.0/24"] }],
      },
    );
    expect(r.value["route-tables"]!["rtb-main"]!.routes).toEqual([
      { destination: "192.0.2.0/24", target: "internet-gateway" },
      { destination: "198.51.100.0/24", target: "internet-gateway" },
    ]);
    expect(r.warnings.map((d) => d.path)).toContain("RouteTables[0].Routes[1].DestinationPrefixListId");
  });
});

describe("names, VPCs and references", () => {
  it("a Name tag two resources share, or one that is no valid name, gives way to the ID", () => {
    const tagged = (id: string, name: string) => ({
      ...SUBNET,
      SubnetId: id,
      CidrBlock: `10.0.${id.length}.0/24`,
      Tags: [{ Key: "Name", Value: name }],
    });
    const r = run({
      Subnets: [tagged("subnet-a", "twin"), tagged("subnet-bb", "twin"), tagged("subnet-ccc", "has space"), tagged("subnet-dddd", "solo")],
    });
    expect(Object.keys(r.value.subnets)).toEqual(["subnet-a", "subnet-bb", "subnet-ccc", "solo"]);
  });

  it("several VPCs are an error naming them; --vpc imports one and lists the others in a warning", () => {
    const two = { Vpcs: [VPC, { ...VPC, VpcId: "vpc-2", CidrBlock: "10.1.0.0/16" }] };
    expect(run(two).errors.map((d) => d.message)).toEqual([
      "the import holds 2 VPCs: vpc-1 (10.0.0.0/16), vpc-2 (10.1.0.0/16); vpcsim simulates one VPC at a time for now: choose one with --vpc ID",
    ]);
    const one = run(two, { vpc: "vpc-1" });
    expect(codes(one)).toEqual(["warning import/other-vpc"]);
    expect(one.value.instances).toHaveProperty("web");
    expect(run(two, { vpc: "vpc-9" }).errors.map((d) => d.code)).toEqual(["import/several-vpcs"]);
  });

  it("an interface's group missing from the import is an error naming the interface, the field and the group", () => {
    const r = run({ SecurityGroups: [GROUPS[0]] });
    expect(r.errors.map((d) => [d.file, d.path, d.message])).toEqual([
      [
        "Reservations.json",
        "Reservations[0].Instances[0].NetworkInterfaces[0].Groups[0].GroupId",
        "eni-web: security group sg-web of the interface is not in the import",
      ],
    ]);
  });

  it("a problem the scenario loader finds is reported against the AWS resource and field it came from", () => {
    const r = loadAwsImport(awsAccount({ Subnets: [{ ...SUBNET, CidrBlock: "10.7.1.0/24" }] }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => [d.file, d.path, d.code, d.message])).toContainEqual([
      "Subnets.json",
      "Subnets[0]",
      "subnet/outside-vpc",
      "subnet-a: 10.7.1.0/24 is not inside the VPC's 10.0.0.0/16 (scenario subnets.app.cidr)",
    ]);
  });

  it("a terminated instance is left out; a stopped one is simulated as running, with a warning", () => {
    const gone = run({ Reservations: [{ Instances: [{ ...INSTANCE, State: { Name: "terminated" } }] }] });
    expect(gone.value.instances).toEqual({});
    const stopped = run({ Reservations: [{ Instances: [{ ...INSTANCE, State: { Name: "stopped" } }] }] });
    expect(codes(stopped)).toEqual(["warning import/left-out"]);
    expect(stopped.value.instances).toHaveProperty("web");
  });

  it("an interface of another kind with groups (a database's) is simulated as a host, with a warning; one without is left out", () => {
    const eni = (id: string, ip: string, Groups: unknown[]) => ({
      NetworkInterfaceId: id,
      VpcId: "vpc-1",
      SubnetId: "subnet-a",
      InterfaceType: "interface",
      RequesterManaged: true,
      Status: "in-use",
      Description: "RDSNetworkInterface",
      Groups,
      PrivateIpAddress: ip,
      PrivateIpAddresses: [{ PrivateIpAddress: ip, Primary: true }],
    });
    const r = run({ NetworkInterfaces: [eni("eni-db", "10.0.1.50", [{ GroupId: "sg-web" }]), eni("eni-nlb", "10.0.1.60", [])] });
    expect(r.value.instances!["eni-db"]).toMatchObject({ "private-ip": "10.0.1.50", "security-groups": ["web"] });
    expect(r.value.instances).not.toHaveProperty("eni-nlb");
    expect(codes(r)).toEqual(["warning import/unmodelled", "warning import/left-out"]);
  });

  it("instances: interfaces by device index, secondary and IPv6 addresses, the public IP, source/destination check, Windows ports", () => {
    const eni = INSTANCE.NetworkInterfaces[0]!;
    const r = run({
      Vpcs: [
        {
          ...VPC,
          Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: "2600:1f18:aaaa:bb00::/56", Ipv6CidrBlockState: { State: "associated" } }],
        },
      ],
      Subnets: [
        {
          ...SUBNET,
          Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: "2600:1f18:aaaa:bb01::/64", Ipv6CidrBlockState: { State: "associated" } }],
        },
      ],
      Reservations: [
        {
          Instances: [
            {
              ...INSTANCE,
              Platform: "windows",
              NetworkInterfaces: [
                {
                  ...eni,
                  NetworkInterfaceId: "eni-2",
                  Attachment: { DeviceIndex: 1 },
                  PrivateIpAddress: "10.0.1.20",
                  PrivateIpAddresses: [{ PrivateIpAddress: "10.0.1.20", Primary: true }],
                },
                {
                  ...eni,
                  SourceDestCheck: false,
                  PrivateIpAddresses: [
                    { PrivateIpAddress: "10.0.1.11", Primary: false },
                    { PrivateIpAddress: "10.0.1.10", Primary: true, Association: { PublicIp: "203.0.113.10" } },
                  ],
                  Ipv6Addresses: [{ Ipv6Address: "2600:1f18:aaaa:bb01::10" }],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(r.errors).toEqual([]);
    expect(r.value.vpc["ipv6-cidr"]).toBe("2600:1f18:aaaa:bb00::/56");
    expect(r.value.subnets.app!["ipv6-cidr"]).toBe("2600:1f18:aaaa:bb01::/64");
    expect(r.value.instances!.web).toEqual({
      subnet: "app",
      "private-ip": ["10.0.1.10", "10.0.1.11"],
      ipv6: "2600:1f18:aaaa:bb01::10",
      "public-ip": "203.0.113.10",
      "security-groups": ["web"],
      "source-dest-check": false,
      "ephemeral-ports": "windows",
      interfaces: [{ subnet: "app", "private-ip": "10.0.1.20", "security-groups": ["web"], "ephemeral-ports": "windows" }],
    });
  });
});
