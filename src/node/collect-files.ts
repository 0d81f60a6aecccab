// Finds scenario files: the paths named, and the .yaml files of folders, recursively.
import type { BigIntStats, Dirent } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../model/diagnostic.js";
import { fileProblem, systemErrorCode } from "./file-problem.js";
import type { FileSystem } from "./file-system.js";
import { NODE_FILE_SYSTEM } from "./file-system.js";

const SCENARIO = /\.ya?ml$/i;

/** By code unit, not locale, so that the order and the output are the same under every LANG. */
const byName = (a: Dirent, b: Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Scenario files named directly or found in folders, each folder's entries in name order. A path
 * that is missing or a folder that cannot be listed is a problem; the other paths are still
 * collected (`pattern`: the names sought in folders, .yaml by default). Symbolic links to folders are followed, but each folder is walked once, so a link
 * back up the tree ends. Files are not opened here: the loader refuses what is not a regular file.
 */
export async function collectScenarioFiles(
  paths: readonly string[],
  fs: FileSystem = NODE_FILE_SYSTEM,
  pattern: RegExp = SCENARIO,
): Promise<{ files: string[]; problems: Diagnostic[] }> {
  const files: string[] = [];
  const problems: Diagnostic[] = [];
  const walked = new Set<string>();
  const unreadable = (path: string, e: unknown) => {
    systemErrorCode(e);
    problems.push(fileProblem(path, "input/unreadable", (e as Error).message));
  };

  const walk = async (dir: string, s: BigIntStats): Promise<void> => {
    const id = `${s.dev}:${s.ino}`;
    if (walked.has(id)) return;
    walked.add(id);
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir);
    } catch (e) {
      return unreadable(dir, e);
    }
    for (const entry of entries.sort(byName)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() || entry.isSymbolicLink()) {
        let target: BigIntStats;
        try {
          target = await fs.stat(path);
        } catch (e) {
          systemErrorCode(e);
          // A dangling or looping link named .yaml is left to the loader to report, in its place.
          if (entry.isDirectory()) unreadable(path, e);
          else if (pattern.test(entry.name)) files.push(path);
          continue;
        }
        if (target.isDirectory()) {
          await walk(path, target);
          continue;
        }
      }
      if (pattern.test(entry.name)) files.push(path);
    }
  };

  for (const path of paths) {
    let s: BigIntStats;
    try {
      s = await fs.stat(path);
    } catch (e) {
      const code = systemErrorCode(e);
      if (code === "ENOENT" || code === "ENOTDIR") problems.push(fileProblem(path, "input/not-found", `no such file or folder: ${path}`));
      else unreadable(path, e);
      continue;
    }
    if (s.isDirectory()) await walk(path, s);
    else files.push(path);
  }
  return { files, problems };
}
