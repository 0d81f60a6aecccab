// The package as a user gets it: `npm pack`, installed into an empty folder, gives the `vpcsim`
// command, `import` from ESM, `require` from CommonJS (Node ≥ 20.19 loads an ES module from
// require), and types under modern and old (`node10`, as tslab uses) TypeScript resolution. The
// browser bundle holds the core and no Node built-in.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { browserBuildOptions } from "../scripts/browser-build.mjs";
import { ensureBuilt, ROOT } from "./built.js";

const root = ROOT;
const app = mkdtempSync(join(tmpdir(), "vpcsim-package-"));
const sh = (cmd: string, args: string[], cwd = app) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

beforeAll(() => {
  ensureBuilt();
  const tarball = sh("npm", ["pack", "--ignore-scripts", "--pack-destination", app, "--silent"], root).trim().split("\n").at(-1)!;
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  sh("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", join(app, tarball)]);
}, 240_000);

describe("the packed package, installed into an empty folder", () => {
  it("runs the vpcsim command on the lessons it ships", () => {
    const out = sh("npx", ["--no-install", "vpcsim", "run", "node_modules/vpcsim/scenarios/ephemeral-ports.yaml", "--no-color"]);
    expect(out.trimEnd().split("\n").at(-1)).toMatch(/^\d+ passed, 0 failed$/);
  });

  it("is imported from ESM and required from CommonJS, the core and vpcsim/node", () => {
    const esm = `import { loadScenario, runScenario } from "vpcsim"; import { loadScenarioFile } from "vpcsim/node";
      const r = await loadScenarioFile("node_modules/vpcsim/scenarios/same-subnet.yaml");
      console.log(typeof loadScenario, r.ok && runScenario(r.scenario).failed);`;
    expect(sh("node", ["--input-type=module", "-e", esm]).trim()).toBe("function 0");
    const cjs = `const v = require("vpcsim"); const n = require("vpcsim/node"); console.log(typeof v.runScenario, typeof n.loadScenarioFile);`;
    expect(sh("node", ["--no-warnings", "-e", cjs]).trim()).toBe("function function");
  });

  it("has types under nodenext, bundler and node10 resolution", () => {
    mkdirSync(join(app, "types"), { recursive: true });
    const source = `import { loadScenario, type ScenarioResult } from "vpcsim";
import { loadScenarioFile } from "vpcsim/node";
const r = loadScenario("name: x", "x.yaml");
const n: number = r.ok ? r.scenario.steps.length : r.diagnostics.length;
export const results: ScenarioResult[] = [];
export const f: typeof loadScenarioFile = loadScenarioFile;
export default n;
`;
    writeFileSync(join(app, "types", "use.ts"), source);
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const settings: [module: string, resolution: string][] = [
      ["nodenext", "nodenext"],
      ["esnext", "bundler"],
      ["commonjs", "node10"],
    ];
    for (const [module, resolution] of settings) {
      const args = ["--noEmit", "--strict", "--skipLibCheck", "--module", module, "--moduleResolution", resolution, "--target", "es2022"];
      // node10 is deprecated in TypeScript 5.9 (tslab still resolves so): silence only that
      if (resolution === "node10") args.push("--ignoreDeprecations", "5.0");
      expect(() => sh(process.execPath, [tsc, ...args, "types/use.ts"]), `${module}/${resolution}`).not.toThrow();
    }
  });
});

describe("the browser bundle", () => {
  it("bundles the core with its dependencies and no Node built-in", async () => {
    const r = await build({ ...browserBuildOptions(), absWorkingDir: root, write: false, metafile: true, logLevel: "silent" });
    expect(r.errors).toEqual([]);
    const inputs = Object.keys(r.metafile!.inputs);
    expect(inputs.filter((i) => i.startsWith("node:") || i.includes("src/node/") || i.includes("src/cli/"))).toEqual([]);
    expect(inputs.some((i) => i.includes("node_modules/zod/"))).toBe(true);
    const text = r.outputFiles![0]!.text;
    expect(text).not.toMatch(/\bprocess\.(env|argv|exit)\b/);
  });

  it("fails to build when the core imports a Node built-in", async () => {
    const entry = join(app, "leak.ts");
    writeFileSync(entry, `import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n`);
    const r = build({ ...browserBuildOptions(), entryPoints: [entry], absWorkingDir: root, write: false, logLevel: "silent" });
    await expect(r).rejects.toThrow(/node:fs/);
  });
});
