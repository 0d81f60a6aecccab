// The command line's exit codes hold whatever happens: 0 every expectation holds, 1 some fail,
// 2 invalid input, usage or unwritable output, 3 a bug of ours, told in one line. A crash in one
// file loses no other file's result, JSON stays one document, and a closed pipe is no error.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { Io, Seams } from "../../src/cli/main.js";
import { NODE_FILE_SYSTEM } from "../../src/node/index.js";
import { runScenario } from "../../src/scenario/run.js";
import { runCli } from "../cli-run.js";
import { lockedScenario } from "../helpers.js";

const cli = runCli;

const dir = mkdtempSync(join(tmpdir(), "vpcsim-exit-"));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
function folder(name: string, files: Record<string, string>): string {
  const p = mkdtempSync(join(dir, `${name}-`));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(p, f), text);
  return p;
}

const PASS = lockedScenario("denied");
const FAIL = lockedScenario("allowed");
const INVALID = "name: x\nvpc: {}\n";

/** A runScenario that crashes on crash.yaml, as a bug of ours would, and runs the others. */
const crashing: Partial<Seams> = {
  runScenario: (s) => {
    if (s.file.endsWith("crash.yaml")) throw new Error("boom in the engine");
    return runScenario(s);
  },
};

const INTERNAL = /^vpcsim: internal error: .+ — please report it with the command and file that caused it$/;
const errno = (code: string) => Object.assign(new Error(`${code}: simulated, write`), { code });

const bundle = pathToFileURL(resolve("dist/vpcsim.mjs")).href;
const library = pathToFileURL(resolve("dist/index.js")).href;

/** Runs the installed command (bin/vpcsim.js) with its bundle replaced by `stub`, through a module hook. */
function binWithBundle(stub: string, args: string[], env: Record<string, string> = {}) {
  const hooks = join(dir, `hooks-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(
    hooks,
    `export async function load(url, context, next) {
  if (url === ${JSON.stringify(bundle)}) return { format: "module", shortCircuit: true, source: ${JSON.stringify(stub)} };
  return next(url, context);
}\n`,
  );
  const register = `${hooks}.register.mjs`;
  writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return spawnSync(process.execPath, ["--import", pathToFileURL(register).href, "bin/vpcsim.js", ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", VPCSIM_DEBUG: "", ...env },
  });
}
const real = JSON.stringify(`${bundle}?real`);

describe("exit codes", () => {
  it("exit 0 when every expectation holds, 1 when one fails, 2 for invalid input or usage", async () => {
    expect((await cli(["run", file("pass.yaml", PASS)])).code).toBe(0);
    expect((await cli(["run", file("fail.yaml", FAIL)])).code).toBe(1);
    expect((await cli(["run", file("invalid.yaml", INVALID)])).code).toBe(2);
    expect((await cli(["run", file("pass.yaml", PASS), file("invalid.yaml", INVALID)])).code).toBe(2);
    expect((await cli(["run"])).code).toBe(2);
    expect((await cli(["run", "--format", "xml", file("pass.yaml", PASS)])).code).toBe(2);
  });

  it("exit 3 for an internal error: one line on stderr, no stack trace", async () => {
    const r = await cli(["run", file("crash.yaml", PASS)], crashing);
    expect(r.code).toBe(3);
    const lines = r.err.trimEnd().split("\n");
    expect(lines).toEqual([
      `vpcsim: internal error: ${join(dir, "crash.yaml")}: boom in the engine — please report it with the command and file that caused it`,
    ]);
  });

  it("an internal error outside any file (trace's run) is exit 3 and one line too", async () => {
    const broken: Partial<Seams> = {
      fileSystem: {
        ...NODE_FILE_SYSTEM,
        stat: () => {
          throw new TypeError("cannot read properties of undefined");
        },
      },
    };
    const r = await cli(["trace", file("pass.yaml", PASS), "--from", "x", "--to", "y", "--protocol", "icmp"], broken);
    expect(r.code).toBe(3);
    expect(r.out).toBe("");
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    expect(r.err.trimEnd()).toMatch(INTERNAL);
    expect(r.err).toContain("cannot read properties of undefined");
  });

  it("--help of the program, of run and of trace documents exit codes 0 to 3", async () => {
    for (const args of [["--help"], ["run", "--help"], ["trace", "--help"]]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.out, args.join(" ")).toMatch(
        /Exit codes:\n {2}0 {2}.+\n {2}1 {2}.+\n {2}2 {2}invalid input or usage.+\n {2}3 {2}internal error/,
      );
    }
    expect((await cli(["trace", "--help"])).out).toContain("1  a packet is dropped");
  });
});

describe("a folder run with an internal error in one file", () => {
  const files = { "a-pass.yaml": PASS, "b-crash.yaml": PASS, "c-fail.yaml": FAIL, "d-invalid.yaml": INVALID };

  it("keeps the other files' results, reports the file as failed with an internal-error line, and exits 3", async () => {
    const d = folder("crash", files);
    const r = await cli(["run", d], crashing);
    expect(r.code).toBe(3);
    expect(r.out).toContain(`${join(d, "a-pass.yaml")} — locked`);
    expect(r.out).toContain(`${join(d, "c-fail.yaml")} — locked`);
    const errLines = r.err.trimEnd().split("\n");
    expect(errLines.filter((l) => INTERNAL.test(l))).toEqual([
      `vpcsim: internal error: ${join(d, "b-crash.yaml")}: boom in the engine — please report it with the command and file that caused it`,
    ]);
    expect(r.err).toContain(`${join(d, "d-invalid.yaml")}:`);
    expect(r.err).not.toMatch(/^\s+at /m);
    // Four files: two ran (one passed, one failed), one invalid, one crashed.
    expect(r.out).toContain(" Scenarios     3 failed | 1 passed (4)");
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("1 passed, 1 failed");
  });

  it("--format json is one complete document: results, invalid files and internal errors as data", async () => {
    const d = folder("json", files);
    const r = await cli(["run", d, "--format", "json"], crashing);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.out);
    expect(doc.version).toBe(1);
    expect(doc.scenarios.map((s: { file: string }) => s.file)).toEqual([join(d, "a-pass.yaml"), join(d, "c-fail.yaml")]);
    expect(doc.invalid.map((i: { file: string }) => i.file)).toContain(join(d, "d-invalid.yaml"));
    expect(doc.internalErrors).toEqual([{ file: join(d, "b-crash.yaml"), message: "boom in the engine" }]);
    expect(doc.summary).toMatchObject({ passed: 1, failed: 1, invalidFiles: 1 });
  });

  it("--format json is one document even when finding the files crashes", async () => {
    const broken: Partial<Seams> = {
      fileSystem: {
        ...NODE_FILE_SYSTEM,
        readdir: () => {
          throw new RangeError("a bug in the walker");
        },
      },
    };
    const r = await cli(["run", folder("walk", files), "--format", "json"], broken);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.out);
    expect(doc.scenarios).toEqual([]);
    expect(doc.internalErrors).toEqual([{ file: null, message: "a bug in the walker" }]);
    expect(r.err.trimEnd()).toMatch(INTERNAL);
  });

  it("--format json is one document when a result cannot be written as JSON", async () => {
    const unwritable: Partial<Seams> = {
      runScenario: (s) => {
        const result = runScenario(s);
        return s.file.endsWith("b-crash.yaml") ? { ...result, name: 1n as unknown as string } : result;
      },
    };
    const r = await cli(["run", folder("bigint", files), "--format", "json"], unwritable);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.out);
    expect(doc.scenarios).toHaveLength(2);
    expect(doc.internalErrors).toHaveLength(1);
    expect(doc.internalErrors[0].file).toMatch(/b-crash\.yaml$/);
    expect(doc.internalErrors[0].message).toMatch(/BigInt/);
  });

  it("the installed command: exit 3, the other results, one line on stderr; VPCSIM_DEBUG=1 adds the stack", () => {
    const d = folder("bin", files);
    const stub = `import { main as realMain } from ${real};
import { runScenario } from ${JSON.stringify(library)};
export * from ${real};
export const main = (argv, io, seams) => realMain(argv, io, { ...seams, runScenario: (s) => {
  if (s.file.endsWith("crash.yaml")) throw new Error("boom in the engine");
  return runScenario(s);
} });
`;
    const r = binWithBundle(stub, ["run", d]);
    expect(r.status).toBe(3);
    expect(r.stdout).toContain(`${join(d, "a-pass.yaml")} — locked`);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("1 passed, 1 failed");
    expect(r.stderr.split("\n").filter((l) => l.startsWith("vpcsim: "))).toEqual([
      `vpcsim: internal error: ${join(d, "b-crash.yaml")}: boom in the engine — please report it with the command and file that caused it`,
    ]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const debug = binWithBundle(stub, ["run", d], { VPCSIM_DEBUG: "1" });
    expect(debug.status).toBe(3);
    expect(debug.stderr).toMatch(/^Error: boom in the engine\n\s+at /m);
  });

  it("the installed command catches a rejection of main itself, and an error thrown later: exit 3, one line", () => {
    const rejects = binWithBundle(`export * from ${real};\nexport async function main() { throw new Error("main itself failed"); }\n`, [
      "run",
      "scenarios",
    ]);
    expect(rejects.status).toBe(3);
    expect(rejects.stdout).toBe("");
    expect(rejects.stderr).toBe("vpcsim: internal error: main itself failed — please report it with the command and file that caused it\n");
    const late = binWithBundle(
      `export * from ${real};\nexport async function main() { setTimeout(() => { throw new Error("thrown from a timer"); }); return 0; }\n`,
      ["run", "scenarios"],
    );
    expect(late.status).toBe(3);
    expect(late.stderr).toBe("vpcsim: internal error: thrown from a timer — please report it with the command and file that caused it\n");
  });
});

describe("output that cannot be written", () => {
  it("a closed pipe (EPIPE) ends the output quietly, with the exit code computed so far", async () => {
    let writes = 0;
    const io: Partial<Io> = {
      out: () => {
        writes++;
        throw errno("EPIPE");
      },
    };
    const ok = await cli(["run", folder("pipe", { "a.yaml": PASS, "b.yaml": PASS })], {}, io);
    expect(ok.code).toBe(0);
    expect(ok.err).toBe("");
    expect(writes).toBe(1);
    expect((await cli(["run", file("fail.yaml", FAIL)], {}, io)).code).toBe(1);
  });

  it("a full disk (ENOSPC) is one line on stderr and exit 2; an internal error stays 3", async () => {
    const io: Partial<Io> = {
      out: () => {
        throw errno("ENOSPC");
      },
    };
    const r = await cli(["run", file("pass.yaml", PASS)], {}, io);
    expect(r.code).toBe(2);
    expect(r.err).toBe("vpcsim: cannot write the output: ENOSPC: simulated, write\n");
    expect((await cli(["run", file("crash.yaml", PASS)], crashing, io)).code).toBe(3);
  });

  it("vpcsim run scenarios | head -1: EPIPE on stdout ends quietly, exit 0, nothing on stderr", async () => {
    const child = spawn(process.execPath, ["bin/vpcsim.js", "run", "scenarios", "--verbose"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", VPCSIM_DEBUG: "" },
    });
    // The reader goes away before the command writes anything: every write meets EPIPE.
    child.stdout.destroy();
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    const status = await new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    expect(err).toBe("");
    expect(status).toBe(0);
  });

  it("vpcsim run scenarios > /dev/full: one line on stderr, exit 2", () => {
    const full = openSync("/dev/full", "w");
    try {
      const r = spawnSync(process.execPath, ["bin/vpcsim.js", "run", "scenarios"], {
        stdio: ["ignore", full, "pipe"],
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", VPCSIM_DEBUG: "" },
      });
      expect(r.stderr).toBe("vpcsim: cannot write the output: ENOSPC: no space left on device, write\n");
      expect(r.status).toBe(2);
    } finally {
      closeSync(full);
    }
  });
});
