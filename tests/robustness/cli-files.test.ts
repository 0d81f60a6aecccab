// The command line and the file system: only regular files are read (a FIFO would block, a device
// never ends), the size limit holds on what is read, folder links cannot loop, a folder that
// cannot be listed spoils only itself, and folder order is the same under every locale.
import { execFileSync, spawnSync } from "node:child_process";
import type { BigIntStats } from "node:fs";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Seams } from "../../src/cli/main.js";
import type { FileSystem } from "../../src/node/index.js";
import { collectScenarioFiles, NODE_FILE_SYSTEM, readScenarioText } from "../../src/node/index.js";
import { MAX_SCENARIO_BYTES } from "../../src/scenario/load.js";
import { runCli } from "../cli-run.js";
import { lockedScenario } from "../helpers.js";

const cli = (args: string[], seams: Partial<Seams> = {}) => runCli(args, seams);

const PASS = lockedScenario("denied");

const root = mkdtempSync(join(tmpdir(), "vpcsim-files-"));
function folder(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(root, "d-"));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
  return d;
}
const NOT_REGULAR = "not a regular file: only regular files are read as scenarios  input/not-regular";

describe("only regular files are read", () => {
  it("a FIFO named .yaml is refused before reading, in a folder or named, without blocking; the other files run", async () => {
    const d = folder({ "a.yaml": PASS });
    const fifo = join(d, "b.yaml");
    execFileSync("mkfifo", [fifo]);
    const r = await cli(["run", d]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`${join(d, "a.yaml")} — locked`);
    expect(r.err).toContain(`${fifo}:1:1  error  a FIFO (named pipe), ${NOT_REGULAR}`);
    const named = await cli(["run", fifo]);
    expect(named.code).toBe(2);
    expect(named.err).toContain(`${fifo}:1:1  error  a FIFO (named pipe), ${NOT_REGULAR}`);
    const traced = await cli(["trace", fifo, "--from", "x", "--to", "y", "--protocol", "icmp"]);
    expect(traced.code).toBe(2);
    expect(traced.err).toContain("a FIFO (named pipe)");
  });

  it("a device (/dev/zero, named or linked as zero.yaml) is refused before reading", async () => {
    const d = folder({ "a.yaml": PASS });
    symlinkSync("/dev/zero", join(d, "zero.yaml"));
    const r = await cli(["run", "/dev/zero", d]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`/dev/zero:1:1  error  a character device, ${NOT_REGULAR}`);
    expect(r.err).toContain(`${join(d, "zero.yaml")}:1:1  error  a character device, ${NOT_REGULAR}`);
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("1 passed, 0 failed");
  });

  it("a socket named .yaml is refused", async () => {
    const d = folder();
    const socket = join(d, "s.yaml");
    const server = createServer();
    await new Promise<void>((done) => server.listen(socket, done));
    try {
      const r = await cli(["run", d]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`${socket}:1:1  error  a socket, ${NOT_REGULAR}`);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it("the size limit holds on what is read, not on what stat says", async () => {
    // A file system whose sizes lie, as a growing file's or /proc's do: every file says 10 bytes.
    const small = (s: BigIntStats): BigIntStats => Object.create(s, { size: { value: 10n } });
    const lying: FileSystem = {
      ...NODE_FILE_SYSTEM,
      stat: async (p) => small(await NODE_FILE_SYSTEM.stat(p)),
      open: async (p, flags) => {
        const handle = await NODE_FILE_SYSTEM.open(p, flags);
        return new Proxy(handle, {
          get: (h, key) => {
            if (key === "stat") return async () => small(await h.stat({ bigint: true }));
            const value = Reflect.get(h, key, h);
            return typeof value === "function" ? value.bind(h) : value;
          },
        });
      },
    };
    const d = folder({
      "at-limit.yaml": `#${"x".repeat(MAX_SCENARIO_BYTES - 2)}\n`,
      "over-limit.yaml": `#${"x".repeat(MAX_SCENARIO_BYTES - 1)}\n`,
    });
    const at = await readScenarioText(join(d, "at-limit.yaml"), lying);
    expect(at.ok && at.text.length).toBe(MAX_SCENARIO_BYTES);
    const over = await readScenarioText(join(d, "over-limit.yaml"), lying);
    expect(over.ok ? [] : over.diagnostics).toEqual([
      {
        file: join(d, "over-limit.yaml"),
        line: 1,
        column: 1,
        code: "input/too-large",
        message: `the file holds more than ${MAX_SCENARIO_BYTES} bytes; scenarios are limited to ${MAX_SCENARIO_BYTES}`,
      },
    ]);
    const r = await cli(["run", join(d, "over-limit.yaml")], { fileSystem: lying });
    expect(r.code).toBe(2);
    expect(r.err).toContain("input/too-large");
  });
});

describe("folders", () => {
  it("a symlink loop ends: a link back up the tree is walked once, each file runs once, a self-link is an error", async () => {
    const d = folder({ "a.yaml": PASS });
    mkdirSync(join(d, "sub"));
    writeFileSync(join(d, "sub", "b.yaml"), PASS);
    symlinkSync("..", join(d, "sub", "up"));
    symlinkSync(".", join(d, "here"));
    symlinkSync(join(d, "sub"), join(d, "sub-again"));
    symlinkSync("self.yaml", join(d, "self.yaml"));
    symlinkSync("loop", join(d, "loop"));
    const { files, problems } = await collectScenarioFiles([d]);
    expect(files).toEqual([join(d, "a.yaml"), join(d, "self.yaml"), join(d, "sub", "b.yaml")]);
    expect(problems).toEqual([]);
    const r = await cli(["run", d]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`${join(d, "self.yaml")}:1:1 {2}error {2}ELOOP: .* {2}input/unreadable`));
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("2 passed, 0 failed");
  });

  it("a folder that cannot be listed (EACCES) is input/unreadable, exit 2, and the other paths still run", async () => {
    // Tests run as root, which chmod does not stop: the file system refuses instead.
    const locked = folder({ "hidden.yaml": PASS });
    const open = folder({ "a.yaml": PASS });
    const denying: FileSystem = {
      ...NODE_FILE_SYSTEM,
      readdir: async (p) => {
        if (p === locked) throw Object.assign(new Error(`EACCES: permission denied, scandir '${p}'`), { code: "EACCES", errno: -13 });
        return NODE_FILE_SYSTEM.readdir(p);
      },
    };
    const r = await cli(["run", locked, open], { fileSystem: denying });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${locked}:1:1  error  EACCES: permission denied, scandir '${locked}'  input/unreadable`);
    expect(r.out).toContain(`${join(open, "a.yaml")} — locked`);
    expect(r.out).not.toContain("hidden.yaml");
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("1 passed, 0 failed");
  });

  it("folder order is by code unit, not locale: byte-identical text, JSON and Markdown under every LANG and time zone, run after run", async () => {
    const names = ["b.yaml", "B.yaml", "a.yaml", "Z.yaml", "_.yaml", "é.yaml", "e.yaml", "10.yaml", "9.yaml"];
    const d = folder(Object.fromEntries(names.map((n) => [n, PASS])));
    const { files } = await collectScenarioFiles([d]);
    expect(files).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((n) => join(d, n)));
    expect(files.map((f) => f.slice(d.length + 1))).toEqual([
      "10.yaml",
      "9.yaml",
      "B.yaml",
      "Z.yaml",
      "_.yaml",
      "a.yaml",
      "b.yaml",
      "e.yaml",
      "é.yaml",
    ]);
    for (const format of ["text", "json", "markdown"]) {
      // the lessons beside the folder: numbers, dates and names in every format, not only this folder's
      const outputs = ["C", "C.UTF-8", "en_US.UTF-8", "sv_SE.UTF-8", "tr_TR.UTF-8", "C", "de_DE.UTF-8"].map((lang) => {
        const r = spawnSync(process.execPath, ["bin/vpcsim.js", "run", d, "scenarios", "--format", format], {
          encoding: "buffer",
          env: { ...process.env, NO_COLOR: "1", LANG: lang, LC_ALL: lang, TZ: lang === "C" ? "UTC" : "Pacific/Chatham" },
        });
        expect(r.status, `${format} ${lang}`).toBe(0);
        return r.stdout;
      });
      for (const o of outputs) expect(o.equals(outputs[0]!), format).toBe(true);
    }
  }, 120_000);
});
