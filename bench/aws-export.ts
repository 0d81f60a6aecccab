// A world written as an AWS account's describe-* outputs, the way `aws ec2 describe-*` prints them:
// the importer's benchmark input (W1 as AWS JSON). Names ride in Name tags, so that the import
// gives the world's names back; IDs are made from them.
import type { SourceDocument } from "../src/import/documents.js";
import type { Peer, RouteTarget, SecurityGroupRule, World } from "../src/index.js";

const tags = (name: string) => [{ Key: "Name", Value: name }];
const PROTOCOL_NAMES: Readonly<Record<number, string>> = { [-1]: "-1", 1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6" };

function target(t: RouteTarget): Record<string, string> {
  switch (t.kind) {
    case "internet-gateway":
      return { GatewayId: "igw-1" };
    case "egress-only-internet-gateway":
      return { EgressOnlyInternetGatewayId: "eigw-1" };
    case "nat-gateway":
      return { NatGatewayId: `nat-${t.name}` };
    case "instance":
      return { InstanceId: `i-${t.name}`, NetworkInterfaceId: `eni-${t.name}` };
    case "blackhole":
      return { GatewayId: "igw-gone", State: "blackhole" };
    case "unmodelled":
      return { TransitGatewayId: t.id };
  }
}

function permission(r: SecurityGroupRule): Record<string, unknown> {
  const ports = r.ports ? { FromPort: r.ports.from, ToPort: r.ports.to } : r.icmp ? { FromPort: r.icmp.type, ToPort: r.icmp.code } : {};
  const peer = (p: Peer) =>
    p.kind === "cidr"
      ? p.cidr.family === 4
        ? { IpRanges: [{ CidrIp: p.cidr.text }] }
        : { Ipv6Ranges: [{ CidrIpv6: p.cidr.text }] }
      : p.kind === "security-group"
        ? { UserIdGroupPairs: [{ GroupId: `sg-${p.group}`, UserId: "111122223333" }] }
        : { PrefixListIds: [{ PrefixListId: `pl-${p.list}` }] };
  return { IpProtocol: PROTOCOL_NAMES[r.protocol] ?? String(r.protocol), ...ports, ...peer(r.peer) };
}

/** A group's rules as AWS holds them: once each (AWS refuses a duplicate; a group's rules are a union). */
function permissions(rules: readonly SecurityGroupRule[]): Record<string, unknown>[] {
  const seen = new Set<string>();
  return rules.map(permission).filter((p) => {
    const key = JSON.stringify(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function awsExport(world: World): SourceDocument[] {
  const vpc = {
    VpcId: "vpc-1",
    CidrBlock: world.vpc.cidrs[0]!.text,
    CidrBlockAssociationSet: world.vpc.cidrs.map((c) => ({ CidrBlock: c.text, CidrBlockState: { State: "associated" } })),
    Tags: tags(world.vpc.name),
  };
  const subnets = Object.values(world.subnets).map((s) => ({
    SubnetId: `subnet-${s.name}`,
    VpcId: "vpc-1",
    CidrBlock: s.cidr.text,
    Tags: tags(s.name),
  }));
  const acls = Object.values(world.networkAcls).map((a) => ({
    NetworkAclId: `acl-${a.name}`,
    VpcId: "vpc-1",
    IsDefault: a.name === world.vpc.defaultNetworkAcl,
    Tags: tags(a.name),
    Associations: Object.values(world.subnets)
      .filter((s) => s.networkAcl === a.name)
      .map((s) => ({ NetworkAclId: `acl-${a.name}`, SubnetId: `subnet-${s.name}` })),
    Entries: [
      ...(["inbound", "outbound"] as const).flatMap((dir) =>
        a[dir].map((r) => ({
          RuleNumber: r.number,
          Egress: dir === "outbound",
          Protocol: String(r.protocol),
          RuleAction: r.action,
          [r.cidr.family === 4 ? "CidrBlock" : "Ipv6CidrBlock"]: r.cidr.text,
          ...(r.ports ? { PortRange: { From: r.ports.from, To: r.ports.to } } : {}),
          ...(r.icmp ? { IcmpTypeCode: { Type: r.icmp.type, Code: r.icmp.code } } : {}),
        })),
      ),
      ...[true, false].map((Egress) => ({ RuleNumber: 32767, Egress, Protocol: "-1", RuleAction: "deny", CidrBlock: "0.0.0.0/0" })),
    ],
  }));
  const tables = Object.values(world.routeTables).map((t) => ({
    RouteTableId: `rtb-${t.name}`,
    VpcId: "vpc-1",
    Tags: tags(t.name),
    Associations: [
      ...(t.name === world.vpc.mainRouteTable ? [{ Main: true, RouteTableId: `rtb-${t.name}` }] : []),
      ...Object.values(world.subnets)
        .filter((s) => s.routeTable === t.name && t.name !== world.vpc.mainRouteTable)
        .map((s) => ({ Main: false, RouteTableId: `rtb-${t.name}`, SubnetId: `subnet-${s.name}` })),
    ],
    Routes: [
      ...world.vpc.cidrs.map((c) => ({ DestinationCidrBlock: c.text, GatewayId: "local", State: "active" })),
      ...t.routes.map((r) => ({
        [r.destination.family === 4 ? "DestinationCidrBlock" : "DestinationIpv6CidrBlock"]: r.destination.text,
        State: "active",
        ...target(r.target),
      })),
    ],
  }));
  const groups = Object.values(world.securityGroups).map((g) => ({
    GroupId: `sg-${g.name}`,
    GroupName: g.name,
    VpcId: "vpc-1",
    IpPermissions: permissions(g.inbound),
    IpPermissionsEgress: permissions(g.outbound),
  }));
  const lists = Object.values(world.prefixLists).map((l) => ({
    PrefixListId: `pl-${l.name}`,
    PrefixListName: l.name,
    Entries: l.cidrs.map((c) => ({ Cidr: c.text })),
  }));
  const instances = Object.values(world.instances).map((i) => ({
    InstanceId: `i-${i.name}`,
    VpcId: "vpc-1",
    State: { Name: "running" },
    Tags: tags(i.name),
    NetworkInterfaces: i.interfaces.map((e, k) => ({
      NetworkInterfaceId: `eni-${e.name}`,
      VpcId: "vpc-1",
      SubnetId: `subnet-${e.subnet}`,
      Attachment: { DeviceIndex: k },
      Groups: e.securityGroups.map((g) => ({ GroupId: `sg-${g}` })),
      PrivateIpAddress: e.privateIps[0]!.text,
      PrivateIpAddresses: e.privateIps.map((a, n) => ({
        PrivateIpAddress: a.text,
        Primary: n === 0,
        ...(n === 0 && e.publicIp ? { Association: { PublicIp: e.publicIp.text } } : {}),
      })),
      Ipv6Addresses: e.ipv6s.map((a) => ({ Ipv6Address: a.text })),
      ...(e.publicIp ? { Association: { PublicIp: e.publicIp.text } } : {}),
      SourceDestCheck: e.sourceDestCheck,
    })),
  }));
  const nats = Object.values(world.natGateways).map((n) => ({
    NatGatewayId: `nat-${n.name}`,
    VpcId: "vpc-1",
    SubnetId: `subnet-${n.subnet}`,
    State: "available",
    Tags: tags(n.name),
    NatGatewayAddresses: [{ PrivateIp: n.privateIp.text, PublicIp: n.publicIp.text, IsPrimary: true }],
  }));
  const outputs: Record<string, unknown> = {
    Vpcs: [vpc],
    Subnets: subnets,
    NetworkAcls: acls,
    RouteTables: tables,
    SecurityGroups: groups,
    PrefixLists: lists,
    Reservations: [{ Instances: instances }],
    NatGateways: nats,
  };
  return Object.entries(outputs).map(([key, value]) => ({ name: `${key}.json`, data: { [key]: value } }));
}
