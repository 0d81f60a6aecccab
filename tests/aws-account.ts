// A small AWS account as describe-* outputs, for the importer's tests: one VPC 10.0.0.0/16, subnet
// `subnet-a` 10.0.1.0/24 on the default ACL (allow all, and AWS's `*` entries) and the main table,
// the default group `sg-default`, group `sg-web` (tcp/443 in), instance `i-web` at 10.0.1.10.
import type { SourceDocument } from "../src/import/documents.js";

export const VPC = { VpcId: "vpc-1", CidrBlock: "10.0.0.0/16", Tags: [{ Key: "Name", Value: "shop" }] };
export const SUBNET = { SubnetId: "subnet-a", VpcId: "vpc-1", CidrBlock: "10.0.1.0/24", Tags: [{ Key: "Name", Value: "app" }] };

export const allowAll = (egress: boolean) => [
  { RuleNumber: 100, Egress: egress, Protocol: "-1", RuleAction: "allow", CidrBlock: "0.0.0.0/0" },
  { RuleNumber: 32767, Egress: egress, Protocol: "-1", RuleAction: "deny", CidrBlock: "0.0.0.0/0" },
];

export const DEFAULT_ACL = {
  NetworkAclId: "acl-default",
  VpcId: "vpc-1",
  IsDefault: true,
  Associations: [{ NetworkAclId: "acl-default", SubnetId: "subnet-a" }],
  Entries: [...allowAll(true), ...allowAll(false)],
};

export const MAIN_TABLE = {
  RouteTableId: "rtb-main",
  VpcId: "vpc-1",
  Associations: [{ Main: true, RouteTableId: "rtb-main" }],
  Routes: [{ DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", State: "active" }],
};

const egressAll = [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }];

export const GROUPS = [
  {
    GroupId: "sg-default",
    GroupName: "default",
    VpcId: "vpc-1",
    IpPermissions: [{ IpProtocol: "-1", IpRanges: [], UserIdGroupPairs: [{ GroupId: "sg-default", UserId: "111" }] }],
    IpPermissionsEgress: egressAll,
  },
  {
    GroupId: "sg-web",
    GroupName: "web",
    VpcId: "vpc-1",
    IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
    IpPermissionsEgress: egressAll,
  },
];

export const INSTANCE = {
  InstanceId: "i-web",
  VpcId: "vpc-1",
  State: { Name: "running" },
  Tags: [{ Key: "Name", Value: "web" }],
  NetworkInterfaces: [
    {
      NetworkInterfaceId: "eni-web",
      SubnetId: "subnet-a",
      VpcId: "vpc-1",
      Attachment: { DeviceIndex: 0 },
      Groups: [{ GroupId: "sg-web" }],
      PrivateIpAddress: "10.0.1.10",
      PrivateIpAddresses: [{ PrivateIpAddress: "10.0.1.10", Primary: true }],
      Ipv6Addresses: [],
      SourceDestCheck: true,
    },
  ],
};

/** The account as one document per describe-* call; `changes` replaces or adds whole outputs by key. */
export function awsAccount(changes: Record<string, unknown> = {}): SourceDocument[] {
  const outputs: Record<string, unknown> = {
    Vpcs: [VPC],
    Subnets: [SUBNET],
    NetworkAcls: [DEFAULT_ACL],
    RouteTables: [MAIN_TABLE],
    SecurityGroups: GROUPS,
    Reservations: [{ Instances: [INSTANCE] }],
    ...changes,
  };
  return Object.entries(outputs).map(([key, value]) => ({ name: `${key}.json`, data: { [key]: value } }));
}
