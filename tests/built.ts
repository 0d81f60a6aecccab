// Tests that use the built package (dist/) build it first when src/ is newer, so that they never
// test yesterday's build.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..");

/** The newest modification time under a folder. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Runs `npm run build` unless every file it makes is newer than every file of src/. */
export function ensureBuilt(): void {
  const outputs = ["index.js", "vpcsim.mjs", "vpcsim.browser.js"].map((f) => join(ROOT, "dist", f));
  const source = newest(join(ROOT, "src"));
  if (outputs.every((f) => existsSync(f) && statSync(f).mtimeMs >= source)) return;
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
}
