// A problem in a user's input, as data: where it is and what is wrong, never a stack trace.
export interface Diagnostic {
  readonly file: string;
  /** 1-based; 0 for a value built in code, which has no lines: `path` says where instead. */
  readonly line: number;
  readonly column: number;
  /** For a value built in code: where in it, as in `security-groups.web.inbound[0].ports`. */
  readonly path?: string;
  readonly message: string;
  readonly code: DiagnosticCode;
  /** An error (the default, when absent) stops the file from loading; a warning does not. */
  readonly severity?: Severity;
}

export type Severity = "error" | "warning";

/** Whether a diagnostic stops its file from loading: every one but a warning. */
export function isError(d: Diagnostic): boolean {
  return d.severity !== "warning";
}

/** Every code the loader and the command line give, with what it means. */
export const DIAGNOSTIC_CODES = {
  "input/too-large": "the file is over the size limit (2 MB); scenarios are hand-written",
  "input/not-found": "a path given on the command line does not exist",
  "input/unreadable": "the file could not be read (missing, no permission)",
  "input/not-regular": "the path names a folder, a FIFO, a socket or a device, not a regular file: only regular files are read",
  "input/no-scenarios": "the paths given hold no .yaml scenario file",
  "input/empty": "the file holds no YAML data: it is empty, or only comments",
  "input/not-utf8": "the file has bytes that are not UTF-8 (decoded as U+FFFD), as Latin-1 or Windows-1252 text has",
  "input/utf16": "the file is UTF-16: it starts with a UTF-16 byte order mark (FF FE or FE FF) or holds NUL bytes",
  "value/not-plain-data":
    "a scenario built in code holds something a file cannot: a function, a Date, a class instance, a cycle, NaN or a value nested too deep",
  "yaml/resolve": "the YAML could not become data: an alias expands more than 100 times (an alias bomb)",
  "yaml/multiple-documents": "the file holds more than one YAML document (a second `---`); a scenario is one document",
  "yaml/unsupported-tag": "a YAML tag that is not plain data (!!binary, !!set, !!timestamp, !custom), or a value its tag cannot read",
  "yaml/collection-key": "a map key is itself a list or a map (`? [a, b]: 1`); keys are names",
  "yaml/non-string-key": "a map key is a number, a boolean or null (`0x10:` would be read as 16); keys are names, quote them",
  "yaml/reserved-key": "a map key is __proto__, which every JavaScript object reserves",
  "schema/unknown-step": "a step names no known kind of step (connect, send, close, wait, add-rule, ...)",
  "cidr/invalid": "not a CIDR block: no prefix length, a bad prefix length or a bad address",
  "cidr/host-bits": "a CIDR block has host bits set; the message names the block that was meant (aws-rules §1.1)",
  "cidr/family": "an IPv6 block where an IPv4 block belongs, or the reverse",
  "address/invalid": "not an IPv4 or IPv6 address",
  "address/family": "an IPv6 address where an IPv4 address belongs, or the reverse",
  "address/outside-subnet": "an interface's address lies outside its subnet's block",
  "address/reserved": "an address is one AWS reserves in its subnet: the first four or the last of its IPv4 or IPv6 block (aws-rules §1.6)",
  "address/zone-id": "an IPv6 address or block has a zone id (`fe80::1%eth0`), which names a link of one host and means nothing in a VPC",
  "address/ipv4-mapped": "an IPv4-mapped IPv6 address or block (`::ffff:10.0.0.1`): AWS keeps IPv4 and IPv6 apart, write the IPv4 form",
  "address/inside-vpc": "a public IP or internet host address lies inside the VPC",
  "address/duplicate": "two interfaces, gateways or hosts claim the same address",
  "port/range": "a port is outside 0-65535",
  "port/order": "a port range ends before it starts",
  "protocol/unknown": "not tcp, udp, icmp, icmpv6, all or a number 0-255",
  "rule/ports-without-tcp-udp": "a rule gives ports for a protocol other than tcp or udp (aws-rules §1.3)",
  "rule/icmp-without-icmp": "a rule gives an ICMP type or code for a protocol other than icmp or icmpv6",
  "rule/peer": "a security group rule names a destination inbound or a source outbound, or neither (aws-rules §2.2)",
  "icmp/range": "an ICMP type or code is out of range (-1..255 on rules, 0..255 on packets)",
  "icmp/code-without-type": "an ICMP code without a type, or a code other than -1 with type -1 (aws-rules §2.2)",
  "nacl/rule-number-range": "a network ACL rule number is outside 1-32766 (aws-rules §1.1)",
  "nacl/duplicate-rule-number": "a network ACL direction uses a rule number twice",
  "ref/unknown": "a rule's source or destination is neither a CIDR block, a security group nor a prefix list",
  "ref/unknown-subnet": "no subnet of that name",
  "ref/unknown-security-group": "no security group of that name",
  "ref/unknown-network-acl": "no network ACL of that name",
  "ref/unknown-route-table": "no route table of that name",
  "ref/unknown-instance": "no instance of that name",
  "ref/unknown-target": "a route target is no gateway, blackhole, NAT gateway or instance of the scenario",
  "ref/unknown-endpoint": "a from or to is neither an instance, a NAT gateway, an internet host nor an IP address",
  "ref/unknown-connection": "a step uses a connection no earlier connect step named",
  "name/duplicate": "one name is given to two of instance, NAT gateway and internet host",
  "name/keyword":
    "an instance, NAT gateway or internet host is named internet-gateway, egress-only-internet-gateway or blackhole, the route target words",
  "name/address": "an instance, NAT gateway or internet host is named like an IP address, which from and to would read as the name",
  "name/duplicate-connection": "two connect steps give their connection the same name",
  "route/family": "a route sends IPv4 to an egress-only gateway or IPv6 to a NAT gateway",
  "route/local": "a route inside the VPC that is not a whole subnet's block sent to a middlebox (aws-rules §4.1)",
  "subnet/outside-vpc": "a subnet's block is not inside the VPC's blocks",
  "subnet/no-vpc-ipv6": "a subnet has an IPv6 block but the VPC has none",
  "subnet/overlap": "two subnets' IPv4 blocks overlap",
  "instance/no-security-group": "an interface is given an empty list of security groups",
  "duration/too-long": "a duration with no finite number of seconds (hundreds of digits)",
  "tcp/flags": "a TCP flag other than SYN, ACK, FIN, RST or PSH, or flags on an ICMP error",
  "flow/protocol-all": "a packet's protocol is all (-1); a packet has one protocol",
  "flow/port": "a tcp or udp packet without a destination port, or a port on another protocol",
  "flow/family": "from, to and ip-version name different IP versions (an IPv6 address and an IPv4 host, or a NAT gateway with IPv6)",
  "flow/icmp": "an ICMP type or code on a packet that is not icmp or icmpv6",
  "change/direction": "a rule change names both inbound and outbound, or neither",
  "change/target": "a rule change names both a network ACL and a security group, or neither",
  "change/rule-number": "removing a network ACL rule without its number",
  "change/with": "replace-rule on a security group without the new rule under `with`",
  "change/refused": "the change cannot apply to the world at that step (a missing rule, a duplicate number, ...)",
  "rule/ports-required": "a tcp or udp rule gives no ports, which AWS requires (aws-rules §1.7)",
  "rule/icmp-type-required":
    "a network ACL rule for icmp, or for icmpv6 with an IPv6 block, gives no icmp-type, which AWS requires (aws-rules §1.7)",
  "rule/icmp-family":
    "warning: an icmp rule with an IPv6 block or an icmpv6 rule with an IPv4 block; AWS accepts it, but no packet carries that pair (aws-rules §1.7)",
  "rule/duplicate": "a security group lists one rule twice, which AWS refuses (aws-rules §2.6)",
  "prefix-list/family": "a prefix list mixes IPv4 and IPv6 blocks; a list has one address family (aws-rules §2.6)",
  "prefix-list/max-entries": "a prefix list has more entries than its max-entries (aws-rules §2.6)",
  "instance/duplicate-security-group": "an interface lists one security group twice (aws-rules §2.6)",
  "conntrack/range": "a connection-tracking timeout is outside what AWS accepts (aws-rules §3.7)",
  "address/not-public":
    "a public IP is private, shared, loopback, link-local, multicast or otherwise not reachable from the internet (aws-rules §4.8)",
  "cidr/size": "a VPC or subnet block is larger or smaller than AWS allows (aws-rules §4.8)",
  "route/duplicate": "a route table has two routes to one destination (aws-rules §4.8)",
  "route/main": "two route tables are marked main; a VPC has one (aws-rules §4.8)",
  "quota/acl-rules": "warning: a network ACL direction holds more rules of one family than AWS's default quota of 20 (aws-rules §1.5)",
  "quota/group-rules": "warning: a security group direction holds more rules of one family than AWS's default quota of 60 (aws-rules §2.5)",
  "quota/groups-per-interface": "warning: an interface has more security groups than AWS's default quota of 5 (aws-rules §2.5)",
  "quota/prefix-list-entries":
    "warning: a prefix list holds, or may hold (max-entries), more entries than AWS's quota of 1,000 (aws-rules §2.5)",
  "quota/vpc-blocks": "warning: a VPC has more IPv4 blocks than AWS's default quota of 5 (50 at most) (aws-rules §4.8)",
  "scenario/no-steps": "warning: the file has no steps, so running it checks nothing",
  "expect/not-applicable": "an expectation key that its step cannot check (a reply on a send, a request on a connection's reply)",
  "expect/blocked-by": "a blocked-by that names no part of the world (a typo, an unknown name or direction); the message suggests one",
  "import/not-json": "an imported file is not JSON; the position is where parsing stopped",
  "import/unrecognised": "warning: an imported document has no key of an AWS CLI output vpcsim reads (Vpcs, Subnets, ...); it is left out",
  "import/bad-field":
    "an AWS resource's field has the wrong type, or a value AWS would refuse (an unknown protocol, an ICMP code with type -1)",
  "import/duplicate-id": "one AWS ID names two resources with different contents",
  "import/no-vpc": "the import holds no VPC (no describe-vpcs output)",
  "import/several-vpcs": "the import holds several VPCs and --vpc names none of them (one VPC at a time, for now)",
  "import/missing": "an AWS resource refers to one the import does not hold (a subnet's ACL, an interface's group or subnet)",
  "import/other-vpc": "warning: --vpc chose one VPC; the others and their resources are left out",
  "import/unmodelled": "warning: a resource vpcsim does not model becomes a named stand-in (UNMODELLED_TARGET) or a host",
  "import/left-out":
    "warning: something that matches nothing vpcsim can see is left out (a rule naming another account's group, a stopped instance's state)",
} as const;

/** Open families of codes: the rest of the code is the YAML parser's or the shape check's own. */
export const DIAGNOSTIC_CODE_FAMILIES = {
  "yaml/": "malformed YAML: the parser's error code, lower-cased (yaml/duplicate_key, yaml/bad_indent, ...)",
  "schema/": "the file's shape is wrong: zod's issue code (schema/invalid_type, schema/unrecognized_keys, ...)",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES | `${keyof typeof DIAGNOSTIC_CODE_FAMILIES}${string}`;
