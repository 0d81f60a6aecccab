// Gateways (aws-rules §4.3-§4.5). The internet gateway maps each public IPv4 address one to one to
// a private one and keeps no state. A NAT gateway rewrites the source to its own address and a port
// it allocates from 1024, remembers the flow, and lets in only replies to a flow it remembers; an
// egress-only gateway remembers IPv6 flows going out, without translating, and lets in only their
// replies. A NAT instance (appliances.ts) remembers flows the way a NAT gateway does.
import type { Address, Cidr } from "../model/address.js";
import { parseCidr } from "../model/address.js";
import { NAT_GATEWAY_PORTS } from "../model/defaults.js";
import type { Packet } from "../model/packet.js";
import { ICMP, ICMPV6, TCP, UDP } from "../model/protocol.js";
import { blockHolds } from "./blocks.js";
import type { DropCode } from "./verdict.js";

/** aws-rules §4.4: NAT gateways take outside ports from 1024-65535 (64,512 ports). */
const FIRST_NAT_PORT = NAT_GATEWAY_PORTS.from;
const LAST_NAT_PORT = NAT_GATEWAY_PORTS.to;

/** A flow a gateway remembers: the inside end, and the outside port it goes out with. */
export interface RememberedFlow {
  readonly protocol: number;
  readonly inside: Address;
  readonly insidePort: number;
  readonly outsidePort: number;
  readonly remote: Address;
  readonly remotePort: number;
  lastSeen: number;
  /** idle timeout in seconds, fixed when the flow is first seen */
  readonly timeout: number;
}

function isIcmp(p: Packet): boolean {
  return p.protocol === ICMP || p.protocol === ICMPV6;
}

/** The remote end of a packet leaving: an ICMP echo has no port at the far end. */
function remotePortOut(p: Packet): number {
  return isIcmp(p) ? 0 : p.dstPort;
}

/**
 * The flows one gateway remembers (aws-rules §4.4, §4.5, §4.6). A flow idle for longer than its
 * timeout is forgotten: replies no longer get in, and its outside port is free again.
 */
export class FlowMemory {
  /** by inside end and remote end */
  readonly #leaving = new Map<string, RememberedFlow>();
  /** by outside port and remote end: what a reply is matched against */
  readonly #answers = new Map<string, RememberedFlow>();
  #nextPort = FIRST_NAT_PORT;

  /** `translates`: a NAT picks an outside port; an egress-only gateway keeps the inside one. */
  constructor(readonly translates: boolean) {}

  static alive(flow: RememberedFlow, now: number): boolean {
    return now - flow.lastSeen <= flow.timeout;
  }

  /**
   * A packet going out: the flow it belongs to, refreshed, or a new one with a fresh outside port;
   * undefined when every port toward this destination is taken (aws-rules §4.4 port exhaustion).
   */
  leaving(p: Packet, now: number, timeout: number): RememberedFlow | undefined {
    const remotePort = remotePortOut(p);
    const known = this.#leaving.get(`${p.protocol} ${p.src.text} ${p.srcPort} ${p.dst.text} ${remotePort}`);
    if (known && FlowMemory.alive(known, now)) {
      known.lastSeen = now;
      return known;
    }
    const outsidePort = this.translates ? this.#freePort(p.protocol, p.dst, remotePort, now) : p.srcPort;
    if (outsidePort === undefined) return undefined;
    const flow: RememberedFlow = {
      protocol: p.protocol,
      inside: p.src,
      insidePort: p.srcPort,
      outsidePort,
      remote: p.dst,
      remotePort,
      lastSeen: now,
      timeout,
    };
    this.#leaving.set(`${p.protocol} ${p.src.text} ${p.srcPort} ${p.dst.text} ${remotePort}`, flow);
    this.#answers.set(`${p.protocol} ${outsidePort} ${p.dst.text} ${remotePort}`, flow);
    return flow;
  }

  /** Whether the gateway remembers the flow a packet going out belongs to, alive at `now`. */
  remembers(p: Packet, now: number): boolean {
    const known = this.#leaving.get(`${p.protocol} ${p.src.text} ${p.srcPort} ${p.dst.text} ${remotePortOut(p)}`);
    return known !== undefined && FlowMemory.alive(known, now);
  }

  /** aws-rules §4.4: forgets the flow a packet going out belongs to (a NAT gateway's reset). */
  forget(p: Packet): void {
    const key = `${p.protocol} ${p.src.text} ${p.srcPort} ${p.dst.text} ${remotePortOut(p)}`;
    const flow = this.#leaving.get(key);
    if (!flow) return;
    this.#leaving.delete(key);
    const answer = `${p.protocol} ${flow.outsidePort} ${flow.remote.text} ${flow.remotePort}`;
    if (this.#answers.get(answer) === flow) this.#answers.delete(answer);
  }

  /**
   * A packet coming in from outside: the live flow it answers, refreshed, if any. Its destination
   * port (an ICMP message: its identifier) must be the flow's outside port, and it must come from
   * the flow's remote end.
   */
  answering(p: Packet, now: number): RememberedFlow | undefined {
    const outsidePort = isIcmp(p) ? p.srcPort : p.dstPort;
    const remotePort = isIcmp(p) ? 0 : p.srcPort;
    const flow = this.#answers.get(`${p.protocol} ${outsidePort} ${p.src.text} ${remotePort}`);
    if (!flow || !FlowMemory.alive(flow, now)) return undefined;
    flow.lastSeen = now;
    return flow;
  }

  /**
   * vpcsim's choice (aws-rules §4.4): ports are handed out in turn from 1024, wrapping after 65535,
   * skipping a port that a live flow to the same destination (protocol, address, port) holds.
   */
  #freePort(protocol: number, remote: Address, remotePort: number, now: number): number | undefined {
    const count = LAST_NAT_PORT - FIRST_NAT_PORT + 1;
    for (let tries = 0; tries < count; tries++) {
      const port = this.#nextPort;
      this.#nextPort = port === LAST_NAT_PORT ? FIRST_NAT_PORT : port + 1;
      const holder = this.#answers.get(`${protocol} ${port} ${remote.text} ${remotePort}`);
      if (!holder || !FlowMemory.alive(holder, now)) return port;
    }
    return undefined;
  }
}

/** aws-rules §4.4: a NAT gateway carries TCP, UDP and ICMP only. */
export function natGatewayCarries(protocol: number): boolean {
  return protocol === TCP || protocol === UDP || protocol === ICMP;
}

/** The packet with a new source (a NAT's address and port, or the internet gateway's public IPv4). */
export function withSource(p: Packet, src: Address, srcPort: number): Packet {
  return { ...p, src, srcPort };
}

/** aws-rules §4.3: the internet gateway maps a public destination to the private address. */
export function withDestination(p: Packet, dst: Address): Packet {
  return { ...p, dst };
}

/**
 * A reply translated back to the inside end of its flow: the destination becomes the inside
 * address and port (an ICMP message's identifier becomes the inside identifier).
 */
export function backToInside(p: Packet, flow: RememberedFlow): Packet {
  if (isIcmp(p)) return { ...p, srcPort: flow.insidePort, dst: flow.inside };
  return { ...p, dst: flow.inside, dstPort: flow.insidePort };
}

function block(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.message}`);
  return parsed.value;
}

/** aws-rules §4.3: RFC 1918's private blocks and RFC 6598's shared block. */
const PRIVATE_BLOCKS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(block);
const SHARED_BLOCKS = ["100.64.0.0/10"].map(block);

/**
 * aws-rules §4.3: the internet gateway drops a packet leaving for a private or shared IPv4
 * address, and one arriving from such an address.
 */
export function internetGatewayRefuses(address: Address, leaving: boolean): DropCode | undefined {
  if (PRIVATE_BLOCKS.some((b) => blockHolds(b, address))) {
    return leaving ? "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS" : "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS";
  }
  if (SHARED_BLOCKS.some((b) => blockHolds(b, address))) {
    return leaving ? "IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS" : "IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS";
  }
  return undefined;
}
