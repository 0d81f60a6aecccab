// Waiting does not rebuild the connection table: `expire` removes idle entries in place, and
// before the earliest expiry it visits nothing, so a wait costs the same whatever the table holds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConnectionTable } from "../../src/engine/connection-table.js";
import { addressFromV4 } from "../../src/index.js";
import { medianMs } from "./timing.js";

const server = addressFromV4(0x0a000214);
const hosts = Array.from({ length: 256 }, (_, i) => addressFromV4(0x0a000100 + i));

function filled(entries: number, timeout = (i: number) => 1000 + i): ConnectionTable {
  const t = new ConnectionTable(16);
  for (let i = 0; i < entries; i++) t.insert(i % 7, 6, hosts[i % 256]!, 1024 + Math.floor(i / 256), server, 443, 0, timeout(i), 0);
  return t;
}

describe("connection table expiry (aws-rules §3.4)", () => {
  it("removes exactly the idle entries, in place, and finds every other one after", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("insert" as const), port: fc.integer({ min: 0, max: 300 }), timeout: fc.integer({ min: 1, max: 50 }) }),
      fc.record({ kind: fc.constant("wait" as const), seconds: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant("touch" as const), port: fc.integer({ min: 0, max: 300 }), timeout: fc.integer({ min: 1, max: 50 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const t = new ConnectionTable(4);
        const model = new Map<number, number>(); // port → expires
        let now = 0;
        const a = hosts[0]!;
        for (const o of ops) {
          if (o.kind === "wait") {
            now += o.seconds;
            const idle = [...model].filter(([, expires]) => now > expires).map(([port]) => port);
            expect(t.expire(now)).toBe(idle.length);
            for (const port of idle) model.delete(port);
            expect(t.size).toBe(model.size);
          } else {
            // look up without expiring: the model says whether it is live
            const live = model.has(o.port) && !(now > model.get(o.port)!);
            const e = t.findLive(1, 6, a, o.port, server, 443, now);
            expect(e !== undefined).toBe(live);
            if (!live) model.delete(o.port);
            if (o.kind === "insert" && e === undefined) {
              t.insert(1, 6, a, o.port, server, 443, now, o.timeout, 0);
              model.set(o.port, now + o.timeout);
            } else if (o.kind === "touch" && e !== undefined) {
              t.touch(e, now, o.timeout, 0);
              model.set(o.port, now + o.timeout);
            }
          }
        }
        for (const [port, expires] of model) expect(t.findLive(1, 6, a, port, server, 443, Math.min(now, expires))).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  it("expires half of a large table in one sweep and keeps the other half findable", () => {
    const t = filled(20000, (i) => (i % 2 === 0 ? 10 : 1000));
    expect(t.expire(11)).toBe(10000);
    expect(t.size).toBe(10000);
    for (let i = 1; i < 20000; i += 2) {
      expect(t.findLive(i % 7, 6, hosts[i % 256]!, 1024 + Math.floor(i / 256), server, 443, 11)).toBeDefined();
    }
  });

  it("a wait before anything expires costs the same in a table a hundred times fuller", () => {
    const waits = (t: ConnectionTable) => {
      for (let s = 1; s <= 2000; s++) t.expire(s / 10);
    };
    medianMs(() => filled(1000), waits); // warm up
    const small = medianMs(() => filled(1000), waits);
    const large = medianMs(() => filled(100_000), waits);
    // rebuilding the table at every wait made this about 100
    expect(large / Math.max(small, 0.05)).toBeLessThan(10);
  });
});
