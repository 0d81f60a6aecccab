// vpcsim/node: scenario files on disk, found and loaded safely.
import type { LoadResult } from "../scenario/load.js";
import { loadScenario } from "../scenario/load.js";
import type { FileSystem } from "./file-system.js";
import { NODE_FILE_SYSTEM } from "./file-system.js";
import { readScenarioText } from "./read-file.js";

export { collectScenarioFiles } from "./collect-files.js";
export type { FileSystem } from "./file-system.js";
export { NODE_FILE_SYSTEM } from "./file-system.js";
export { MAX_IMPORT_BYTES, parseJson, readAwsDocuments } from "./import-files.js";
export type { SourceResult } from "./load-source.js";
export { collectSources, loadSource } from "./load-source.js";
export type { ReadResult } from "./read-file.js";
export { readScenarioText } from "./read-file.js";

/** A scenario file, read (regular files only, within the size limit) and validated. */
export async function loadScenarioFile(file: string, fs: FileSystem = NODE_FILE_SYSTEM): Promise<LoadResult> {
  const read = await readScenarioText(file, fs);
  return read.ok ? loadScenario(read.text, file) : read;
}
