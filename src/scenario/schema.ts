// The shape of a scenario file, as a zod schema: the single source of the validator and of the
// committed JSON Schema (`vpcsim schema`, schema/scenario.schema.json). Meaning is checked after
// the shape, in world.ts, steps.ts and changes.ts (CIDR host bits, references, rule numbers).
import { z } from "zod";
import { ICMP_ERROR_KINDS } from "./icmp-error.js";

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "a name is letters, digits, '.', '_' or '-', starting with a letter or digit");
const protocol = z.union([z.string(), z.number().int()]).describe("tcp, udp, icmp, icmpv6, all, or an IP protocol number (50 for ESP)");
const PORT_RANGE = /^\s*\d+\s*(-\s*\d+\s*)?$/;
const ports = z
  .union([z.number().int(), z.string().regex(PORT_RANGE, "ports are a number or a range like 1024-65535")])
  .describe("a destination port or range, e.g. 443 or 1024-65535");
const icmpType = z.number().int().describe("ICMP type; -1 for all");
const icmpCode = z.number().int().describe("ICMP code; -1 for all");
const duration = z
  .union([z.number().nonnegative(), z.string().regex(/^\s*\d+(\.\d+)?\s*(ms|s|m|h|d)\s*$/, "a duration is like 30s, 5m, 2h or 6d")])
  .describe("seconds, or a number with s, m, h or d");
const endpoint = z.string().min(1).describe("an instance, NAT gateway or internet host name, or an IP address");

const matchFields = {
  protocol,
  ports: ports.optional(),
  "icmp-type": icmpType.optional(),
  "icmp-code": icmpCode.optional(),
};

export const naclRuleSchema = z.strictObject({
  rule: z.number().int().describe("rule number, 1-32766; lowest first, first match wins"),
  action: z.enum(["allow", "deny"]),
  ...matchFields,
  cidr: z.string().describe("IPv4 or IPv6 block: the source of inbound rules, the destination of outbound ones"),
});

export const sgRuleSchema = z.strictObject({
  ...matchFields,
  source: z.string().optional().describe("inbound rules: a CIDR block, a security group or a prefix list"),
  destination: z.string().optional().describe("outbound rules: a CIDR block, a security group or a prefix list"),
  description: z.string().max(255).optional(),
});

const connectionTracking = z
  .strictObject({
    "tcp-established": duration.optional(),
    udp: duration.optional(),
    "udp-stream": duration.optional(),
  })
  .describe("idle timeouts of this interface's tracked connections (aws-rules §3.4)");

const PROFILES = ["linux", "windows", "windows-2003", "nat-gateway", "elb", "lambda"] as const;
/** `ports` with a message that names the profiles too: a misspelt profile fails the range pattern. */
const clientPorts = z
  .union([z.number().int(), z.string().regex(PORT_RANGE, `client ports are a profile (${PROFILES.join(", ")}) or a range like 1024-65535`)])
  .describe("a destination port or range, e.g. 443 or 1024-65535");
const ephemeral = z
  .union([z.enum(PROFILES), clientPorts])
  .describe("the client port range: linux (32768-60999), windows (49152-65535), ... or a range");

const interfaceFields = {
  subnet: name,
  "private-ip": z.union([z.string(), z.array(z.string()).min(1)]).describe("private IPv4 address(es); the first is primary"),
  ipv6: z.union([z.string(), z.array(z.string())]).optional(),
  "public-ip": z.string().optional(),
  "security-groups": z.array(name).max(16).optional().describe("1-5 groups (16 at most); none given: the VPC's default group"),
  "source-dest-check": z.boolean().optional(),
  "ephemeral-ports": ephemeral.optional(),
  "connection-tracking": connectionTracking.optional(),
};

const instanceSchema = z.strictObject({
  ...interfaceFields,
  "nat-instance": z
    .boolean()
    .optional()
    .describe("forwards with source NAT to its own address, as a NAT instance does; needs source-dest-check: false"),
  interfaces: z.array(z.strictObject(interfaceFields)).optional().describe("further network interfaces"),
});

const expectValue = z.enum(["allowed", "denied"]);
export const expectSchema = z.union([
  expectValue,
  z.strictObject({
    request: expectValue.optional(),
    reply: expectValue.optional(),
    "blocked-by": z
      .string()
      .optional()
      .describe(
        "network-acl NAME inbound|outbound, security-groups INSTANCE inbound|outbound, route-table NAME, nat-gateway NAME, internet-gateway",
      ),
    tracked: z.boolean().optional().describe("whether the destination's security groups track the connection"),
    code: z.string().optional().describe("the drop code, e.g. SUBNET_ACL_RESTRICTION"),
  }),
]);

const flowFields = {
  from: endpoint,
  to: endpoint,
  protocol,
  port: z.number().int().optional(),
  "source-port": z.number().int().optional(),
  "icmp-type": icmpType.optional(),
  "icmp-code": icmpCode.optional(),
  "ip-version": z
    .union([z.literal(4), z.literal(6)])
    .optional()
    .describe("between two instances: which addresses to use"),
};

const ruleChange = z.strictObject({
  "network-acl": name.optional(),
  "security-group": name.optional(),
  inbound: z.record(z.string(), z.unknown()).optional(),
  outbound: z.record(z.string(), z.unknown()).optional(),
  with: z.record(z.string(), z.unknown()).optional().describe("replace-rule on a security group: the new rule"),
});

const groupChange = z.strictObject({ instance: name, "security-group": name, interface: z.number().int().optional() });

/** One schema per step kind, chosen by the step's key, so errors speak of that kind only. */
export const stepSchemas = {
  connect: z.strictObject({ connect: z.strictObject({ ...flowFields, name: name.optional() }), expect: expectSchema.optional() }),
  send: z.strictObject({
    send: z.union([
      z.strictObject({ ...flowFields, flags: z.string().optional().describe("TCP flags, e.g. SYN or ACK,PSH") }),
      z.strictObject({
        connection: name,
        direction: z.enum(["request", "reply"]),
        flags: z.string().optional(),
        "icmp-error": z
          .enum(ICMP_ERROR_KINDS)
          .optional()
          .describe("instead of the packet, this ICMP error about it, from its destination back to its source (aws-rules §3.6)"),
      }),
    ]),
    expect: expectSchema.optional(),
  }),
  close: z.strictObject({ close: name, expect: expectSchema.optional() }),
  wait: z.strictObject({ wait: duration }),
  "add-rule": z.strictObject({ "add-rule": ruleChange }),
  "remove-rule": z.strictObject({ "remove-rule": ruleChange }),
  "replace-rule": z.strictObject({ "replace-rule": ruleChange }),
  "attach-security-group": z.strictObject({ "attach-security-group": groupChange }),
  "detach-security-group": z.strictObject({ "detach-security-group": groupChange }),
  "associate-network-acl": z.strictObject({ "associate-network-acl": z.strictObject({ subnet: name, "network-acl": name }) }),
  "set-source-dest-check": z.strictObject({
    "set-source-dest-check": z.strictObject({ instance: name, interface: z.number().int().optional(), enabled: z.boolean() }),
  }),
} as const;

export type StepKind = keyof typeof stepSchemas;
export const stepSchema = z.union(Object.values(stepSchemas) as unknown as [z.ZodTypeAny, ...z.ZodTypeAny[]]);

export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1).max(200),
  description: z.string().optional(),
  settings: z
    .strictObject({
      "untracked-flows": z.boolean().optional(),
      "ipv6-default-egress": z.boolean().optional(),
      "icmp-timeout": duration.optional(),
      "related-icmp": z.boolean().optional().describe("ICMP errors about a tracked connection pass its security groups (aws-rules §3.6)"),
      "tcp-closing-timeout": duration.optional(),
      "other-protocol-timeout": duration.optional(),
      "nat-idle-timeout": duration.optional(),
    })
    .optional()
    .describe("choices where AWS documents nothing; see the README's assumptions"),
  vpc: z.strictObject({
    name: name.optional(),
    // 50 is the most AWS's quota can be raised to; over its default of 5 is a warning (aws-rules §4.8)
    cidr: z.union([z.string(), z.array(z.string()).min(1).max(50)]),
    "ipv6-cidr": z.string().optional(),
  }),
  subnets: z.record(
    name,
    z.strictObject({
      cidr: z.string(),
      "ipv6-cidr": z.string().optional(),
      "network-acl": name.optional().describe("none given: the VPC's default network ACL"),
      "route-table": name.optional().describe("none given: the main route table"),
    }),
  ),
  "route-tables": z
    .record(
      name,
      z.strictObject({
        main: z.boolean().optional(),
        routes: z
          .array(
            z.strictObject({
              destination: z.string(),
              target: z.union([
                z
                  .string()
                  .describe(
                    "internet-gateway, egress-only-internet-gateway, blackhole, a NAT gateway's name, or an instance's name (an appliance)",
                  ),
                z
                  .strictObject({ unmodelled: name })
                  .describe(
                    "a resource vpcsim does not model, by its AWS ID (tgw-0abc...): packets routed there stop with UNMODELLED_TARGET",
                  ),
              ]),
            }),
          )
          .default([]),
      }),
    )
    .optional(),
  "network-acls": z
    .record(
      name,
      z.strictObject({
        inbound: z.array(naclRuleSchema).optional(),
        outbound: z.array(naclRuleSchema).optional(),
      }),
    )
    .optional(),
  "security-groups": z
    .record(
      name,
      z.strictObject({
        inbound: z.array(sgRuleSchema).optional(),
        outbound: z.array(sgRuleSchema).optional().describe("none given: all traffic out, as AWS creates a group"),
      }),
    )
    .optional(),
  "prefix-lists": z
    .record(
      name,
      z.union([
        z.array(z.string()),
        z.strictObject({
          entries: z.array(z.string()),
          "max-entries": z
            .number()
            .int()
            .min(1)
            .describe("the most entries the list may hold; a group rule naming the list counts as this many rules"),
        }),
      ]),
    )
    .optional()
    .describe("customer-managed prefix lists: a list of blocks of one family, or { entries, max-entries }"),
  instances: z.record(name, instanceSchema).optional(),
  "nat-gateways": z.record(name, z.strictObject({ subnet: name, "private-ip": z.string(), "public-ip": z.string() })).optional(),
  "internet-hosts": z.record(name, z.strictObject({ ip: z.string(), "ephemeral-ports": ephemeral.optional() })).optional(),
  steps: z.array(stepSchema).optional(),
});

export type ScenarioInput = z.infer<typeof scenarioSchema>;
export type ExpectInput = z.infer<typeof expectSchema>;
export type NaclRuleInput = z.infer<typeof naclRuleSchema>;
export type SgRuleInput = z.infer<typeof sgRuleSchema>;

/** The JSON Schema editors read (draft-07: yaml-language-server supports 7 and below). */
export function scenarioJsonSchema(): unknown {
  return z.toJSONSchema(scenarioSchema, { target: "draft-7", io: "input" });
}
