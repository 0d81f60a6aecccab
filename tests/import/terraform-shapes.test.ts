// The Terraform importer, one Terraform shape rule at a time: what `terraform show -json` writes
// for a state or a plan, and the scenario value (and warnings, errors) each becomes.
import { describe, expect, it } from "vitest";
import { loadImport } from "../../src/import/load.js";
import { importTerraform, isTerraformDocument } from "../../src/import/terraform.js";

type Values = Record<string, unknown>;
const res = (address: string, values: Values) => {
  const [type, name] = address.replace(/^(module\.[^.]+\.)+/, "").split(".");
  return { address, mode: "managed", type, name, provider_name: "registry.terraform.io/hashicorp/aws", values };
};
const VPC = res("aws_vpc.main", { id: "vpc-1", cidr_block: "10.0.0.0/16", ipv6_cidr_block: "", tags: { Name: "shop" } });
const SUBNET = res("aws_subnet.app", { id: "subnet-1", vpc_id: "vpc-1", cidr_block: "10.0.1.0/24", ipv6_cidr_block: "" });
const rule = (over: Values = {}) => ({
  protocol: "tcp",
  from_port: 443,
  to_port: 443,
  cidr_blocks: [],
  ipv6_cidr_blocks: [],
  prefix_list_ids: [],
  security_groups: [],
  self: false,
  description: "",
  ...over,
});
const group = (ingress: Values[], extra: Values = {}) =>
  res("aws_security_group.web", { id: "sg-1", vpc_id: "vpc-1", name: "web-group", ingress, egress: [], ...extra });
const acl = (ingress: Values[]) =>
  res("aws_network_acl.edge", { id: "acl-1", vpc_id: "vpc-1", subnet_ids: ["subnet-1"], ingress, egress: [] });
const entry = (over: Values = {}) => ({
  rule_no: 100,
  action: "allow",
  protocol: "6",
  from_port: 80,
  to_port: 80,
  cidr_block: "0.0.0.0/0",
  ipv6_cidr_block: "",
  icmp_type: 0,
  icmp_code: 0,
  ...over,
});
const state = (resources: unknown[], children: unknown[] = []) => ({
  format_version: "1.0",
  values: { root_module: { resources: [VPC, SUBNET, ...resources], child_modules: children } },
});
const run = (resources: unknown[], children: unknown[] = []) => importTerraform([{ name: "tf.json", data: state(resources, children) }]);
const problems = (r: { errors: readonly { path?: string; code: string }[]; warnings: readonly { path?: string; code: string }[] }) => [
  ...r.errors.map((d) => `error ${d.code} ${d.path}`),
  ...r.warnings
    .filter((d) => !/main_route_table_id|default_network_acl_id|default_security_group_id/.test(d.path ?? ""))
    .map((d) => `warning ${d.code} ${d.path}`),
];

describe("detection", () => {
  it("format_version with values (a state) or planned_values (a plan) is Terraform; AWS CLI JSON is not", () => {
    expect(isTerraformDocument({ format_version: "1.0", values: {} })).toBe(true);
    expect(isTerraformDocument({ format_version: "1.2", planned_values: {} })).toBe(true);
    expect(isTerraformDocument({ Vpcs: [] })).toBe(false);
    expect(isTerraformDocument({ format_version: "1.0" })).toBe(false);
  });
});

describe("security groups", () => {
  it("protocol -1 (or all) with ports 0-0 is every protocol; cidr_blocks, ipv6_cidr_blocks one rule each", () => {
    const r = run([
      group([
        rule({ protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["10.0.0.0/8", "192.168.0.0/16"] }),
        rule({ protocol: "all", from_port: 0, to_port: 0, ipv6_cidr_blocks: ["::/0"] }),
      ]),
    ]);
    expect(problems(r)).toEqual([]);
    expect(r.value["security-groups"]!.web!.inbound).toEqual([
      { protocol: "all", source: "10.0.0.0/8" },
      { protocol: "all", source: "192.168.0.0/16" },
      { protocol: "all", source: "::/0" },
    ]);
  });

  it("ICMP type and code ride in from_port and to_port; -1 is every type", () => {
    const r = run([
      group([
        rule({ protocol: "icmp", from_port: 8, to_port: 0, cidr_blocks: ["0.0.0.0/0"] }),
        rule({ protocol: "icmp", from_port: -1, to_port: -1, cidr_blocks: ["10.0.0.0/8"] }),
      ]),
    ]);
    expect(r.value["security-groups"]!.web!.inbound).toEqual([
      { protocol: "icmp", "icmp-type": 8, "icmp-code": 0, source: "0.0.0.0/0" },
      { protocol: "icmp", "icmp-type": -1, source: "10.0.0.0/8" },
    ]);
  });

  it("security_groups and self reference groups by name; the Name tag, else the Terraform name, names a group", () => {
    const other = res("aws_security_group.lb", {
      id: "sg-2",
      vpc_id: "vpc-1",
      name: "lb",
      ingress: [],
      egress: [],
      tags: { Name: "balancer" },
    });
    const r = run([group([rule({ security_groups: ["sg-2"] }), rule({ self: true, from_port: 22, to_port: 22 })]), other]);
    expect(problems(r)).toEqual([]);
    expect(Object.keys(r.value["security-groups"]!)).toEqual(["web", "balancer", "default"]);
    expect(r.value["security-groups"]!.web!.inbound).toEqual([
      { protocol: "tcp", ports: 443, source: "balancer" },
      { protocol: "tcp", ports: 22, source: "web" },
    ]);
  });

  it("aws_security_group_rule and aws_vpc_security_group_*_rule add to their group, once when the state lists them inline too", () => {
    const r = run([
      group([rule({ cidr_blocks: ["0.0.0.0/0"] })], { egress: [] }),
      res("aws_security_group_rule.https", {
        type: "ingress",
        security_group_id: "sg-1",
        protocol: "tcp",
        from_port: 443,
        to_port: 443,
        cidr_blocks: ["0.0.0.0/0"],
        self: false,
      }),
      res("aws_security_group_rule.self", {
        type: "egress",
        security_group_id: "sg-1",
        protocol: "-1",
        from_port: 0,
        to_port: 0,
        self: true,
      }),
      res("aws_vpc_security_group_ingress_rule.all", { security_group_id: "sg-1", ip_protocol: "-1", cidr_ipv6: "::/0" }),
      res("aws_vpc_security_group_egress_rule.ssh", {
        security_group_id: "sg-1",
        ip_protocol: "tcp",
        from_port: 22,
        to_port: 22,
        referenced_security_group_id: "sg-1",
      }),
    ]);
    expect(problems(r)).toEqual([]);
    expect(r.value["security-groups"]!.web).toEqual({
      inbound: [
        { protocol: "tcp", ports: 443, source: "0.0.0.0/0" },
        { protocol: "all", source: "::/0" },
      ],
      outbound: [
        { protocol: "all", destination: "web" },
        { protocol: "tcp", ports: 22, destination: "web" },
      ],
    });
  });

  it("prefix_list_ids name an aws_ec2_managed_prefix_list of the import; one outside it is left out with a warning", () => {
    const list = res("aws_ec2_managed_prefix_list.office", {
      id: "pl-1",
      name: "office",
      entry: [{ cidr: "192.0.2.0/24", description: "" }],
    });
    const r = run([group([rule({ prefix_list_ids: ["pl-1", "pl-9"] })]), list]);
    expect(r.value["prefix-lists"]).toEqual({ office: ["192.0.2.0/24"] });
    expect(r.value["security-groups"]!.web!.inbound).toEqual([{ protocol: "tcp", ports: 443, source: "office" }]);
    expect(problems(r)).toEqual(["warning import/left-out aws_security_group.web.ingress[0].prefix_list_ids[1]"]);
  });

  it("a value AWS refuses names the file, the resource address and the attribute", () => {
    const r = run([
      group([
        rule({ protocol: "tcp", from_port: 500, to_port: 80, cidr_blocks: ["0.0.0.0/0"] }),
        rule({ protocol: "bogus", cidr_blocks: ["0.0.0.0/0"] }),
      ]),
    ]);
    expect(r.errors.map((d) => `${d.file} ${d.path}`)).toEqual([
      "tf.json aws_security_group.web.ingress[0].to_port",
      "tf.json aws_security_group.web.ingress[1].protocol",
    ]);
    const bad = loadImport([{ name: "tf.json", data: state([group([rule({ cidr_blocks: ["10.0.0.300/8"] })])]) }]);
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.diagnostics.map((d) => `${d.file} ${d.path}`)).toEqual(["tf.json aws_security_group.web.ingress[0].cidr_blocks[0]"]);
  });
});

describe("network ACLs", () => {
  it("inline entries, aws_network_acl_rule, icmp_type and icmp_code, ipv6_cidr_block with cidr_block empty", () => {
    const r = run([
      acl([
        entry(),
        entry({ rule_no: 110, protocol: "1", from_port: 0, to_port: 0, icmp_type: 3, icmp_code: 4 }),
        entry({ rule_no: 120, protocol: "-1", from_port: 0, to_port: 0, cidr_block: "", ipv6_cidr_block: "::/0" }),
      ]),
      res("aws_network_acl_rule.out", {
        network_acl_id: "acl-1",
        rule_number: 100,
        egress: true,
        protocol: "icmp",
        rule_action: "deny",
        cidr_block: "0.0.0.0/0",
        icmp_type: "-1",
        icmp_code: "-1",
      }),
    ]);
    expect(problems(r)).toEqual([]);
    expect(r.value["network-acls"]!.edge).toEqual({
      inbound: [
        { rule: 100, action: "allow", protocol: "tcp", ports: 80, cidr: "0.0.0.0/0" },
        { rule: 110, action: "allow", protocol: "icmp", "icmp-type": 3, "icmp-code": 4, cidr: "0.0.0.0/0" },
        { rule: 120, action: "allow", protocol: "all", cidr: "::/0" },
      ],
      outbound: [{ rule: 100, action: "deny", protocol: "icmp", "icmp-type": -1, cidr: "0.0.0.0/0" }],
    });
    expect(r.value.subnets.app!["network-acl"]).toBe("edge");
  });

  it("aws_network_acl_association moves a subnet; aws_default_network_acl is the VPC's default", () => {
    const r = run([
      acl([]),
      res("aws_default_network_acl.default", {
        id: "acl-0",
        vpc_id: "vpc-1",
        subnet_ids: [],
        ingress: [entry({ protocol: "-1" })],
        egress: [],
      }),
      res("aws_network_acl_association.app", { network_acl_id: "acl-0", subnet_id: "subnet-1" }),
    ]);
    expect(problems(r)).toEqual([]);
    expect(r.value.subnets.app!["network-acl"]).toBe("default");
    expect(r.value["network-acls"]!.default!.inbound).toEqual([{ rule: 100, action: "allow", protocol: "all", cidr: "0.0.0.0/0" }]);
  });

  it("without aws_default_network_acl the VPC's default ACL is AWS's own (allow all), named in a warning", () => {
    const r = run([]);
    expect(r.warnings.map((w) => w.path)).toContain("aws_vpc.main.default_network_acl_id");
    expect(Object.values(r.value["network-acls"]!)).toEqual([
      {
        inbound: [{ rule: 100, action: "allow", protocol: "all", cidr: "0.0.0.0/0" }],
        outbound: [{ rule: 100, action: "allow", protocol: "all", cidr: "0.0.0.0/0" }],
      },
    ]);
  });
});

describe("routes", () => {
  const table = (route: Values[]) => res("aws_route_table.rt", { id: "rtb-1", vpc_id: "vpc-1", route });
  const targets = {
    cidr_block: "",
    ipv6_cidr_block: "",
    gateway_id: "",
    nat_gateway_id: "",
    transit_gateway_id: "",
    vpc_peering_connection_id: "",
    vpc_endpoint_id: "",
    network_interface_id: "",
    egress_only_gateway_id: "",
  };
  it("inline routes, aws_route, associations; unmodelled targets become stand-ins with a warning", () => {
    const r = run([
      table([
        { ...targets, cidr_block: "0.0.0.0/0", gateway_id: "igw-1" },
        { ...targets, cidr_block: "172.16.0.0/12", transit_gateway_id: "tgw-1" },
        { ...targets, cidr_block: "192.168.0.0/16", vpc_peering_connection_id: "pcx-1" },
        { ...targets, ipv6_cidr_block: "::/0", egress_only_gateway_id: "eigw-1" },
      ]),
      res("aws_route.vpn", { route_table_id: "rtb-1", destination_cidr_block: "10.9.0.0/16", gateway_id: "vgw-1" }),
      res("aws_route.endpoint", { route_table_id: "rtb-1", destination_cidr_block: "10.8.0.0/16", vpc_endpoint_id: "vpce-1" }),
      res("aws_route.eni", { route_table_id: "rtb-1", destination_cidr_block: "10.7.0.0/16", network_interface_id: "eni-9" }),
      res("aws_route_table_association.app", { route_table_id: "rtb-1", subnet_id: "subnet-1", gateway_id: "" }),
    ]);
    expect(r.errors).toEqual([]);
    expect(r.value["route-tables"]!.rt!.routes).toEqual([
      { destination: "0.0.0.0/0", target: "internet-gateway" },
      { destination: "172.16.0.0/12", target: { unmodelled: "tgw-1" } },
      { destination: "192.168.0.0/16", target: { unmodelled: "pcx-1" } },
      { destination: "::/0", target: "egress-only-internet-gateway" },
      { destination: "10.9.0.0/16", target: { unmodelled: "vgw-1" } },
      { destination: "10.8.0.0/16", target: { unmodelled: "vpce-1" } },
      { destination: "10.7.0.0/16", target: { unmodelled: "eni-9" } },
    ]);
    expect(r.value.subnets.app!["route-table"]).toBe("rt");
    expect(r.warnings.filter((w) => w.code === "import/unmodelled").map((w) => w.path)).toEqual([
      "aws_route_table.rt.route[1]",
      "aws_route_table.rt.route[2]",
      "aws_route.vpn",
      "aws_route.endpoint",
      "aws_route.eni",
    ]);
  });

  it("aws_main_route_table_association makes a table main; without one, the VPC's main table holds the local routes", () => {
    const main = run([table([]), res("aws_main_route_table_association.m", { vpc_id: "vpc-1", route_table_id: "rtb-1" })]);
    expect(main.value["route-tables"]).toEqual({ rt: { main: true, routes: [] } });
    const none = run([table([])]);
    expect(Object.values(none.value["route-tables"]!)).toContainEqual({ main: true, routes: [] });
  });

  it("a route to a table outside the import is an error naming the attribute", () => {
    const r = run([res("aws_route.lost", { route_table_id: "rtb-9", destination_cidr_block: "10.9.0.0/16", gateway_id: "igw-1" })]);
    expect(r.errors.map((d) => `${d.code} ${d.path}`)).toEqual(["import/missing aws_route.lost.route_table_id"]);
  });
});

describe("hosts and modules", () => {
  const instance = (values: Values) =>
    res("module.app.aws_instance.web", {
      id: "i-1",
      subnet_id: "subnet-1",
      private_ip: "10.0.1.10",
      public_ip: "",
      vpc_security_group_ids: ["sg-1"],
      instance_state: "running",
      ...values,
    });
  it("an instance of a child module, its extra interface from aws_network_interface; a NAT gateway; an unattached interface left out", () => {
    const r = run(
      [
        group([]),
        res("aws_network_interface.extra", {
          id: "eni-2",
          subnet_id: "subnet-1",
          private_ip: "10.0.1.11",
          private_ips: ["10.0.1.11"],
          security_groups: ["sg-1"],
          attachment: [{ instance: "i-1", device_index: 1 }],
        }),
        res("aws_network_interface.spare", {
          id: "eni-3",
          subnet_id: "subnet-1",
          private_ip: "10.0.1.12",
          private_ips: ["10.0.1.12"],
          security_groups: ["sg-1"],
          attachment: [],
        }),
        res("aws_nat_gateway.nat", {
          id: "nat-1",
          subnet_id: "subnet-1",
          private_ip: "10.0.1.5",
          public_ip: "198.51.100.5",
          connectivity_type: "public",
        }),
      ],
      [{ address: "module.app", resources: [instance({ public_ip: "203.0.113.1", secondary_private_ips: ["10.0.1.20"] })] }],
    );
    expect(problems(r)).toEqual(["warning import/left-out aws_network_interface.spare.interface_type"]);
    expect(r.value.instances).toEqual({
      web: {
        subnet: "app",
        "private-ip": ["10.0.1.10", "10.0.1.20"],
        "public-ip": "203.0.113.1",
        "security-groups": ["web"],
        interfaces: [{ subnet: "app", "private-ip": "10.0.1.11", "security-groups": ["web"] }],
      },
    });
    expect(r.value["nat-gateways"]).toEqual({ nat: { subnet: "app", "private-ip": "10.0.1.5", "public-ip": "198.51.100.5" } });
  });

  it("a group the instance names outside the import is an error at vpc_security_group_ids", () => {
    const r = run([], [{ address: "module.app", resources: [instance({ vpc_security_group_ids: ["sg-9"] })] }]);
    expect(r.errors.map((d) => `${d.code} ${d.path}`)).toEqual(["import/missing module.app.aws_instance.web.vpc_security_group_ids[0]"]);
  });
});

describe("plans", () => {
  const plan = {
    format_version: "1.2",
    planned_values: {
      root_module: {
        resources: [
          res("aws_vpc.main", { cidr_block: "10.0.0.0/16", tags: { Name: "planned" } }),
          res("aws_subnet.app", { cidr_block: "10.0.1.0/24" }),
          res("aws_security_group.web", { name: "web", ingress: [rule({ cidr_blocks: ["0.0.0.0/0"] })], egress: [] }),
          res("aws_instance.web", { private_ip: "10.0.1.10" }),
          res("aws_instance.later", {}),
          res("aws_route_table.rt", { route: [] }),
          res("aws_internet_gateway.gw", {}),
          res("aws_route.out", { destination_cidr_block: "0.0.0.0/0" }),
          res("aws_route.unknown", { destination_cidr_block: "10.9.0.0/16" }),
        ],
      },
    },
    configuration: {
      root_module: {
        resources: [
          { address: "aws_subnet.app", expressions: { vpc_id: { references: ["aws_vpc.main.id", "aws_vpc.main"] } } },
          { address: "aws_security_group.web", expressions: { vpc_id: { references: ["aws_vpc.main.id", "aws_vpc.main"] } } },
          {
            address: "aws_instance.web",
            expressions: {
              subnet_id: { references: ["aws_subnet.app.id", "aws_subnet.app"] },
              vpc_security_group_ids: { references: ["aws_security_group.web.id", "aws_security_group.web"] },
            },
          },
          { address: "aws_instance.later", expressions: { subnet_id: { references: ["aws_subnet.app.id", "aws_subnet.app"] } } },
          { address: "aws_route_table.rt", expressions: { vpc_id: { references: ["aws_vpc.main.id", "aws_vpc.main"] } } },
          { address: "aws_internet_gateway.gw", expressions: { vpc_id: { references: ["aws_vpc.main.id", "aws_vpc.main"] } } },
          {
            address: "aws_route.out",
            expressions: {
              route_table_id: { references: ["aws_route_table.rt.id", "aws_route_table.rt"] },
              gateway_id: { references: ["aws_internet_gateway.gw.id", "aws_internet_gateway.gw"] },
            },
          },
          {
            address: "aws_route.unknown",
            expressions: {
              route_table_id: { references: ["aws_route_table.rt.id", "aws_route_table.rt"] },
              gateway_id: { references: ["var.gateway"] },
            },
          },
        ],
      },
    },
  };

  it("unknown IDs resolve through the configuration's references; what cannot is named in a warning and left out", () => {
    const r = loadImport([{ name: "plan.json", data: plan }]);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.value.subnets).toEqual({ app: { cidr: "10.0.1.0/24", "network-acl": "vpc-aws_vpc.main-default-acl" } });
    expect(r.value.instances).toEqual({ web: { subnet: "app", "private-ip": "10.0.1.10", "security-groups": ["web"] } });
    expect(r.value["route-tables"]!.rt).toEqual({ routes: [{ destination: "0.0.0.0/0", target: "internet-gateway" }] });
    expect(r.warnings.filter((w) => !/default|main_route/.test(w.path ?? "")).map((w) => `${w.path} ${w.message}`)).toEqual([
      "aws_instance.later.private_ip aws_instance.later: the instance's private address is unknown until apply: the instance is left out",
      "aws_route.unknown aws_route.unknown: the route's target is unknown until apply: the route is left out",
    ]);
  });
});

describe("importTerraform's arguments", () => {
  it("throws VpcsimError naming itself for arguments that are not documents", () => {
    expect(() => importTerraform(null as never)).toThrow("importTerraform: documents are a list of { name, data }, not null");
    expect(() => importTerraform([], { vpc: 1 } as never)).toThrow("importTerraform: options.vpc is a string, not 1");
  });

  it("a format_version of another major version is refused, as the format asks", () => {
    const r = importTerraform([{ name: "a.json", data: { ...state([]), format_version: "2.0" } }]);
    expect(r.errors.map((e) => `${e.path} ${e.message}`)[0]).toBe(
      "format_version format_version 2.0: vpcsim reads format 1.x of terraform show -json",
    );
  });

  it("a document that is not Terraform's is left out with a warning", () => {
    const r = importTerraform([{ name: "a.json", data: { Vpcs: [] } }]);
    expect(r.warnings.map((w) => `${w.file} ${w.code}`)).toEqual(["a.json import/unrecognised"]);
    expect(r.errors.map((e) => e.code)).toEqual(["import/no-vpc"]);
  });
});

describe("plans: inline blocks unknown until apply", () => {
  it("a group whose ingress waits for apply keeps no rule from it, and says so; no aws_vpc is an error saying that", () => {
    const plan = {
      format_version: "1.2",
      planned_values: {
        root_module: {
          resources: [VPC, SUBNET, res("aws_security_group.web", { id: "sg-1", vpc_id: "vpc-1", name: "web", egress: [] })],
        },
      },
      configuration: { root_module: { resources: [] } },
    };
    const r = importTerraform([{ name: "plan.json", data: plan }]);
    expect(r.value["security-groups"]!.web).toEqual({ inbound: [], outbound: [] });
    expect(problems(r)).toEqual(["warning import/left-out aws_security_group.web.ingress"]);
    const none = importTerraform([{ name: "plan.json", data: { ...plan, planned_values: { root_module: {} } } }]);
    expect(none.errors.map((e) => e.message)).toEqual(["the state or plan holds no aws_vpc resource"]);
  });
});
