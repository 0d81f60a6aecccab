// The command line under random options: any mix of real and hostile arguments ends with exit 0, 1
// or 2 and a message, never an internal error (3), a stack trace or an escape sequence of the
// user's on the terminal; and the same arguments give byte-identical output twice.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli-run.js";

const SEED = Number(process.env.VPCSIM_FUZZ_SEED ?? 20_261_129);
const RUNS = Number(process.env.VPCSIM_FUZZ_RUNS ?? 1);

const LESSON = "scenarios/ephemeral-ports.yaml";
const WORDS = [
  "run",
  "trace",
  "schema",
  LESSON,
  "scenarios",
  "scenarios/nat-gateway.yaml",
  "--from",
  "--to",
  "--protocol",
  "--port",
  "--source-port",
  "--icmp-type",
  "--icmp-code",
  "--after-step",
  "--format",
  "-f",
  "--verbose",
  "--no-color",
  "--help",
  "laptop",
  "web",
  "tcp",
  "udp",
  "icmp",
  "all",
  "json",
  "markdown",
  "text",
  "443",
  "0",
  "-1",
  "65536",
  "1e3",
  "0x10",
  "",
  "--",
  "constructor",
  "__proto__",
  "\u001b[31mred",
  "\u202Eevil",
  "a\nb",
  "10.0.1.10",
  "2001:db8::1",
];

const argument = fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 12 }), fc.string({ unit: "binary", maxLength: 8 }));
const argv = fc.oneof(
  fc.array(argument, { maxLength: 10 }),
  // a trace that is nearly right, with one or two options wrong
  fc
    .tuple(fc.array(argument, { maxLength: 3 }), fc.array(argument, { maxLength: 3 }))
    .map(([a, b]) => ["trace", LESSON, "--from", "laptop", "--to", "web", ...a, "--protocol", "tcp", ...b]),
);

describe("vpcsim under random arguments", () => {
  it("exits 0, 1 or 2 with no stack trace and no raw escape of the user's, the same way twice", async () => {
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const first = await runCli(args);
        expect([0, 1, 2]).toContain(first.code);
        const text = first.out + first.err;
        expect(text).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
        expect(text).not.toContain("vpcsim: internal error");
        // the user's escape sequences and bidi overrides never reach the terminal as they are
        expect(text.includes("\u001b[31m") || text.includes("\u202E")).toBe(false);
        if (first.code === 2 && !args.includes("--help")) expect(first.err.length).toBeGreaterThan(0);
        const second = await runCli(args);
        expect(second).toEqual(first);
      }),
      {
        seed: SEED,
        numRuns: Math.round(150 * RUNS),
        endOnFailure: true,
        // commander's own errors quote an unknown command or option as typed
        examples: [[["\u001b[31mred"]], [["run", "--\u001b[31mred"]], [["trace", "\u202Eevil"]], [["run", LESSON, "-f", "\u001b[31mred"]]],
      },
    );
  }, 120_000);
});
