// Traffic nothing filters, and the addresses AWS reserves, aws-rules §1.6: one describe per rule id.
import { describe, expect, it } from "vitest";
import { engine, pkt } from "../helpers.js";
import { hops, refusals, twoTiers } from "./worlds.js";

describe("service.unfiltered (§1.6)", () => {
  it("DNS at VPC+2, metadata and time sync are not filtered", () => {
    // db-sg allows nothing out and data-acl only TCP to the app subnet
    const e = engine(twoTiers().yaml());
    for (const dst of ["10.0.0.2:53", "169.254.169.254:80", "169.254.169.123:123"]) {
      expect(e.send(pkt(`udp 10.0.2.20:40000 > ${dst}`)).delivered).toBe(true);
    }
  });

  it.each([
    {
      name: "IPv4",
      src: "10.0.2.20:40000",
      services: ["10.0.0.2:53", "169.254.169.253:53", "169.254.169.254:80", "169.254.169.123:123", "10.0.2.1:67", "10.0.1.1:67"],
    },
    {
      name: "IPv6",
      src: "[2600:1f18:aaaa:bb02::20]:40000",
      services: [
        "[fd00:ec2::253]:53",
        "[fd00:ec2::254]:80",
        "[fd00:ec2::123]:123",
        "[2600:1f18:aaaa:bb02::1]:547",
        "[2600:1f18:aaaa:bb01::1]:547",
      ],
    },
  ])("the DNS resolver, metadata, time sync and each subnet's router are reached with no filter at all ($name)", (f) => {
    const e = engine(twoTiers().yaml());
    for (const dst of f.services) {
      const r = e.send(pkt(`udp ${f.src} > ${dst}`));
      expect(r.delivered, dst).toBe(true);
      expect(r.hops, dst).toHaveLength(1);
      expect(r.hops[0]!.component.kind, dst).toBe("amazon-service");
    }
    // the neighbouring address VPC+3 is no service: db's filters apply
    expect(e.send(pkt("udp 10.0.2.20:40000 > 10.0.0.3:53")).drop?.component).toMatchObject({
      kind: "security-groups",
      instance: "db",
      direction: "outbound",
    });
  });

  it.each([
    { name: "IPv4", answer: "udp 10.0.0.2:53 > 10.0.2.20:40000" },
    { name: "IPv6", answer: "udp [fd00:ec2::253]:53 > [2600:1f18:aaaa:bb02::20]:40000" },
  ])("their answers reach the instance with no filter either ($name)", (f) => {
    // db-sg admits only PostgreSQL from app-sg, and data-acl only TCP from the app subnet
    const r = engine(twoTiers().yaml()).send(pkt(f.answer));
    expect(r.delivered).toBe(true);
    expect(hops(r)).toEqual(["amazon-service Amazon DNS resolver: forward", "interface db: deliver"]);
  });
});

describe("service.reserved-addresses (§1.6)", () => {
  it("an instance address among the five AWS keeps in each IPv4 subnet is refused", () => {
    const at = (ip: string) => refusals(twoTiers().instance("x", { subnet: "app", "private-ip": ip }));
    for (const ip of ["10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.255"]) expect(at(ip), ip).toEqual(["address/reserved"]);
    for (const ip of ["10.0.1.4", "10.0.1.254"]) expect(at(ip), ip).toEqual([]);
  });

  it("so is a NAT gateway's, and a secondary address's", () => {
    expect(refusals(twoTiers().natGateway("nat", { subnet: "app", "private-ip": "10.0.1.3", "public-ip": "198.51.100.9" }))).toEqual([
      "address/reserved",
    ]);
    expect(refusals(twoTiers().instance("x", { subnet: "data", "private-ip": ["10.0.2.30", "10.0.2.255"] }))).toEqual(["address/reserved"]);
  });
});
