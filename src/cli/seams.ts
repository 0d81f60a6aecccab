// What `main` can be given in place of the real thing, so that tests can provoke what no input
// can: an internal error in one scenario's run, a folder that cannot be listed (tests run as root).
import type { FileSystem } from "../node/index.js";
import { NODE_FILE_SYSTEM } from "../node/index.js";
import type { Scenario } from "../scenario/load.js";
import type { ScenarioResult } from "../scenario/run.js";
import { runScenario } from "../scenario/run.js";

export interface Seams {
  readonly runScenario: (scenario: Scenario) => ScenarioResult;
  readonly fileSystem: FileSystem;
}

export const REAL_SEAMS: Seams = { runScenario: (scenario) => runScenario(scenario), fileSystem: NODE_FILE_SYSTEM };
