// File-system helpers for Node: find scenario files and load them.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Diagnostic } from "../model/diagnostic.js";
import type { LoadResult } from "../scenario/load.js";
import { loadScenario, MAX_SCENARIO_BYTES } from "../scenario/load.js";

const SCENARIO = /\.ya?ml$/i;

/** Scenario files named directly or found in folders (recursively), sorted; missing paths are problems. */
export async function collectScenarioFiles(paths: readonly string[]): Promise<{ files: string[]; problems: Diagnostic[] }> {
  const files: string[] = [];
  const problems: Diagnostic[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) await walk(p);
      else if (SCENARIO.test(entry.name)) files.push(p);
    }
  };
  for (const p of paths) {
    const s = await stat(p).catch(() => undefined);
    if (!s) problems.push({ file: p, line: 1, column: 1, code: "input/not-found", message: `no such file or folder: ${p}` });
    else if (s.isDirectory()) await walk(p);
    else files.push(p);
  }
  return { files, problems };
}

export async function loadScenarioFile(file: string): Promise<LoadResult> {
  const s = await stat(file).catch(() => undefined);
  if (s && s.size > MAX_SCENARIO_BYTES) {
    return {
      ok: false,
      diagnostics: [
        {
          file,
          line: 1,
          column: 1,
          code: "input/too-large",
          message: `the file is ${s.size} bytes; scenarios are limited to ${MAX_SCENARIO_BYTES}`,
        },
      ],
    };
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    return { ok: false, diagnostics: [{ file, line: 1, column: 1, code: "input/unreadable", message: (e as Error).message }] };
  }
  return loadScenario(text, file);
}
