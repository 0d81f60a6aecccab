// vpcsim's pure core: runs in Node, browsers and notebooks (no node: modules, no process).
export * from "./address.js";
export * from "./model.js";
export * from "./packet.js";
export * from "./protocol.js";
export * from "./trace.js";
export { Engine, packetView } from "./engine.js";
export type { SendOptions } from "./engine.js";
export { applyChange, changeText } from "./changes.js";
export type { WorldChange, ChangeResult } from "./changes.js";
export { loadScenario, parseDuration } from "./scenario/load.js";
export type { Diagnostic, Scenario, Step, Flow, Endpoint, Expectation, LoadResult } from "./scenario/load.js";
export { runScenario } from "./scenario/run.js";
export type { ScenarioResult, StepResult, PacketRecord, ExpectationCheck } from "./scenario/run.js";
export { scenarioJsonSchema } from "./scenario/schema.js";
export * from "./render.js";
