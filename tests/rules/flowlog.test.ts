// VPC Flow Logs, aws-rules §6.1. vpcsim writes no records yet (flowlog.default-format is listed as
// untested in coverage.test.ts); its packets carry TCP flags with the values records use.
import { describe, expect, it } from "vitest";
import { ACK, FIN, flagText, PSH, RST, SYN } from "../../src/index.js";
import { engine, pkt } from "../helpers.js";
import { twoTiers } from "./worlds.js";

describe("flowlog.tcp-flags (§6.1)", () => {
  it("FIN 1, SYN 2, RST 4, PSH 8, ACK 16; a SYN-ACK is 18, a SYN then a FIN ORed is 3", () => {
    expect({ FIN, SYN, RST, PSH, ACK }).toEqual({ FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 });
    expect(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN,ACK").flags).toBe(18);
    expect(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN").flags | pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 FIN").flags).toBe(3);
    expect(flagText(18)).toBe("SYN,ACK");
  });

  it("a trace shows a packet's flags; packets other than TCP carry none", () => {
    const e = engine(twoTiers().yaml());
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).packet.flags).toBe("SYN");
    expect(e.send(pkt("tcp 10.0.2.20:5432 > 10.0.1.10:40000 SYN,ACK")).packet.flags).toBe("SYN,ACK");
    expect(e.send(pkt("udp 10.0.1.10:40000 > 10.0.2.20:53")).packet.flags).toBeUndefined();
  });
});
