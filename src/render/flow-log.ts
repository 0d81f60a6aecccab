// VPC Flow Logs as AWS would write them for the packets of a run: one record a flow, an interface
// and an aggregation window, in the default (version 2) format (aws-rules §6.1). A packet crosses
// an interface on its way out (its security groups' outbound side, then its subnet's ACL outbound)
// and on its way in (the ACL inbound, then the groups' inbound); each crossing is ACCEPT, or REJECT
// when the packet was dropped there. So a request accepted and its reply stopped by an ACL give the
// ACCEPT and REJECT pair of the flow-log examples. Addresses are as the interface sees them
// (private after the internet gateway's translation). Not logged, as on AWS: traffic to Amazon's
// services (DNS, metadata). Not modelled: the records of NAT gateways' own interfaces.
import type { Hop, PacketView } from "../explain/trace.js";
import type { World } from "../model/model.js";
import { protocolNumber } from "../model/protocol.js";
import type { PacketRecord, ScenarioResult } from "../scenario/run.js";

export interface FlowLogOptions {
  /** the account-id field; default 123456789012 */
  readonly accountId?: string;
  /** Unix seconds of the scenario's t=0; default 1700000000 (records are stable run to run) */
  readonly epoch?: number;
  /** aggregation interval in seconds, 60 (Nitro, the default) or 600 */
  readonly interval?: 60 | 600;
}

/** The header line of a flow-log file delivered to S3, naming the default format's fields. */
export const FLOW_LOG_HEADER =
  "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

/** One interface's view of one packet: which interface, the addresses it saw, and whether it let the packet pass. */
interface Crossing {
  readonly iface: string;
  readonly src: string;
  readonly dst: string;
  readonly rejected: boolean;
}

interface Record_ {
  readonly key: string;
  readonly iface: string;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly protocol: number;
  readonly action: "ACCEPT" | "REJECT";
  readonly window: number;
  first: number;
  packets: number;
  bytes: number;
}

/** The records of a scenario's packets, oldest first, without the header. */
export function flowLogRecords(result: ScenarioResult, world: World, options: FlowLogOptions = {}): string[] {
  const account = options.accountId ?? "123456789012";
  const epoch = options.epoch ?? 1_700_000_000;
  const interval = options.interval ?? 60;
  const owners = interfaceOwners(world);
  const records = new Map<string, Record_>();
  for (const step of result.steps) {
    for (const p of step.packets) {
      const time = Math.floor(p.result.time);
      const window = Math.floor(time / interval);
      for (const c of crossings(p, owners)) {
        const view = p.result.packet;
        const action = c.rejected ? "REJECT" : "ACCEPT";
        const protocol = protocolNumber(view.protocol) ?? 0;
        const srcPort = view.sourcePort ?? 0;
        const dstPort = view.destinationPort ?? 0;
        const key = [c.iface, c.src, c.dst, srcPort, dstPort, protocol, action, window].join(" ");
        let r = records.get(key);
        if (!r) {
          r = {
            key,
            iface: c.iface,
            src: c.src,
            dst: c.dst,
            srcPort,
            dstPort,
            protocol,
            action,
            window,
            first: time,
            packets: 0,
            bytes: 0,
          };
          records.set(key, r);
        }
        r.packets += 1;
        r.bytes += headerBytes(view);
      }
    }
  }
  return [...records.values()].map(
    (r) =>
      `2 ${account} ${eniId(r.iface)} ${r.src} ${r.dst} ${r.srcPort} ${r.dstPort} ${r.protocol} ${r.packets} ${r.bytes} ${epoch + r.first} ${epoch + (r.window + 1) * interval} ${r.action} OK`,
  );
}

/** The interface id a record names: `eni-` and the interface's name (`web#1` → `eni-web-1`). */
export function eniId(name: string): string {
  return `eni-${name.replace(/[^A-Za-z0-9_.-]/g, "-")}`;
}

/** Each interface by subnet and address, to name the one an ACL dropped a packet in front of. */
function interfaceOwners(world: World): Map<string, string> {
  const owners = new Map<string, string>();
  for (const instance of Object.values(world.instances)) {
    for (const i of instance.interfaces) for (const a of [...i.privateIps, ...i.ipv6s]) owners.set(`${i.subnet} ${a.text}`, i.name);
  }
  return owners;
}

/** The interfaces a packet crossed, in order, each with the addresses it saw and its verdict. */
function crossings(p: PacketRecord, owners: ReadonlyMap<string, string>): Crossing[] {
  const out: Crossing[] = [];
  const { hops, drop } = p.result;
  let src = p.result.packet.source;
  let dst = p.result.packet.destination;
  let egress: { iface: string; src: string; dst: string } | undefined;
  const dropped = (h: Hop) => drop !== undefined && h.action === "deny" && sameComponent(h, drop.component);
  const close = (rejected: boolean) => {
    if (egress) out.push({ ...egress, rejected });
    egress = undefined;
  };
  for (const h of hops) {
    const c = h.component;
    if (h.translation) {
      close(false);
      if (h.translation.field === "source") src = h.translation.to;
      else dst = h.translation.to;
      continue;
    }
    if (c.kind === "security-groups" && c.direction === "outbound") {
      close(false);
      egress = { iface: c.interface, src, dst };
      if (dropped(h)) close(true);
    } else if (c.kind === "network-acl" && c.direction === "outbound") {
      if (dropped(h)) close(true);
    } else if (c.kind === "network-acl" && c.direction === "inbound") {
      close(false);
      if (dropped(h)) {
        const iface = owners.get(`${c.subnet} ${dst}`);
        if (iface) out.push({ iface, src, dst, rejected: true });
      }
    } else if (c.kind === "security-groups" && c.direction === "inbound") {
      close(false);
      out.push({ iface: c.interface, src, dst, rejected: dropped(h) });
    } else if (c.kind === "amazon-service") {
      // traffic to Amazon's DNS, metadata and time services is not logged (aws-rules §6.1)
      return [];
    } else if (c.kind !== "network-acl") {
      close(false);
    }
  }
  close(false);
  return out;
}

function sameComponent(h: Hop, c: Hop["component"]): boolean {
  return JSON.stringify(h.component) === JSON.stringify(c);
}

/** A packet's size as the headers alone (vpcsim models no payload): IP, then TCP, UDP or ICMP. */
function headerBytes(v: PacketView): number {
  const ip = v.source.includes(":") ? 40 : 20;
  return ip + (v.protocol === "tcp" ? 20 : 8);
}
