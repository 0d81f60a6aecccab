// vpcsim's pure core: runs in Node, browsers and notebooks (no node: modules, no process, no
// top-level await). File loading lives in `vpcsim/node`. The layers, bottom up, are model →
// compile → explain → engine → scenario → render (see src/README.md).

/** `vpcsim lint`: findings about a world (Trusted Advisor, AWS Config, stateless traps, dead rules), and `--fail-on`. */
export type { Basis, Finding, ResourcePath, Severity as FindingSeverity, Source } from "./analysis/finding.js";
export type { LintOptions } from "./analysis/lint.js";
export { failsAt, lint } from "./analysis/lint.js";
/** `vpcsim reach`: the ports that get from one endpoint to another and back, as intervals, and its table. */
export type { Blocker, ReachOptions, ReachOutcome, ReachRow, ReachTable } from "./analysis/reach.js";
export { reach } from "./analysis/reach.js";
/** What a displayed result gives a notebook: a MIME bundle, and a DOM node where a page has one. */
export type { DisplayElement, MimeBundle } from "./api/display.js";
/** The base of results that display themselves (Jupyter, the Node REPL, tslab, pages with a DOM). */
export { Displayable } from "./api/display.js";
/** What the code API returns: results that print, display in notebooks and give back their data. */
export { ConnectionOutcome, PacketOutcome, ScenarioOutcome, StepOutcome } from "./api/results.js";
/** The code API's arguments: a world in a file's words, flows, rule changes, expectations. */
export type {
  ConnectionPacket,
  ConnectOptions,
  ExpectInput,
  FlowOptions,
  InterfaceOption,
  PacketOptions,
  RuleChange,
  WorldInput,
} from "./api/simulation.js";
/** The code API: a simulation driven one step a call (`connect`, `send`, `wait`, `addRule`, ...), and whole scenarios. */
export { run, Simulation, simulate } from "./api/simulation.js";
/** Options of `Engine.send`, what `Engine.deliver` returns, and what `Engine.verdict` returns. */
export type { Delivery, SendOptions, Verdict } from "./engine/engine.js";
/** The packet-flow engine: a world, a clock, `send` for traces and `verdict` for bulk traffic. */
export { Engine } from "./engine/engine.js";
/** A world change in the console's words. */
export { changeText } from "./explain/change-text.js";
/** A packet's trace: its verdict, each hop, and for a drop the code, the reason and a fix. */
export type { Action, Drop, DropCode, Hop, PacketResult, PacketView } from "./explain/trace.js";
/** A packet as plain data, as a trace shows it. */
export { packetView } from "./explain/trace.js";
/** An AWS export's documents, the import's options, result and origins (where each part came from). */
export type { ImportOptions, ImportResult, Origin } from "./import/aws.js";
/** AWS CLI / API JSON (describe-* outputs) → a scenario value with its warnings and errors; pure. */
export { importAws } from "./import/aws.js";
export type { SourceDocument } from "./import/documents.js";
/** Documents in a dialect (detected when not given: AWS CLI JSON or `terraform show -json`) → a loaded scenario. */
export type { ImportDialect, ImportLoadResult } from "./import/load.js";
/** An import checked as a scenario file is, its problems placed on the AWS resources. */
export { dialectOf, loadAwsImport, loadImport } from "./import/load.js";
/** `terraform show -json` of a state or a plan → a scenario value with its warnings and errors; pure. */
export { importTerraform, isTerraformDocument } from "./import/terraform.js";
/** An imported scenario as YAML text, IDs in comments: what `vpcsim import` writes. */
export { scenarioYaml } from "./import/yaml-text.js";
/** An address or CIDR block as integers, and the result of parsing one. */
export type { Address, Cidr, Family, Parsed } from "./model/address.js";
/** Addresses and CIDR blocks: parse once with `parseAddress`/`parseCidr`, then compare as integers. */
export {
  ANY_V4,
  ANY_V6,
  addressFromV4,
  addressFromV6,
  cidrContains,
  cidrWithin,
  formatV4,
  formatV6,
  parseAddress,
  parseCidr,
} from "./model/address.js";
/** A part of the VPC on a packet's path. */
export type { Component } from "./model/component.js";
/** The part of the VPC a hop names or a drop blames, and its words in `blocked-by`. */
export { componentLabel } from "./model/component.js";
/** What AWS does when you say nothing: default settings, tracking timeouts and client port ranges. */
export { DEFAULT_SETTINGS, DEFAULT_TIMEOUTS, EPHEMERAL_PROFILES } from "./model/defaults.js";
/** A problem in an input file, with its position and code. */
/** Warnings (`severity: "warning"`) do not stop a file from loading; isError tells the others. */
export type { Diagnostic, DiagnosticCode, Severity } from "./model/diagnostic.js";
/** Every diagnostic code with its meaning, and the open families (`yaml/…`, `schema/…`). */
export { DIAGNOSTIC_CODE_FAMILIES, DIAGNOSTIC_CODES, isError } from "./model/diagnostic.js";
/** The codes of VpcsimError: `argument/port`, `argument/world`, ... */
export type { VpcsimErrorCode } from "./model/errors.js";
/** The one error the code API throws, for an argument it cannot take (a port of 105536, a world that is not one). */
export { VpcsimError } from "./model/errors.js";
/** The VPC a scenario describes: subnets, groups, ACLs, route tables, instances, gateways, settings. */
export type {
  ConntrackTimeouts,
  Direction,
  IcmpMatch,
  Instance,
  InternetHost,
  NatGateway,
  NetworkAcl,
  NetworkAclRule,
  NetworkInterface,
  Peer,
  PortRange,
  PrefixList,
  Route,
  RouteTable,
  RouteTarget,
  SecurityGroup,
  SecurityGroupRule,
  Settings,
  Subnet,
  Vpc,
  World,
} from "./model/model.js";
/** The fields `makePacket` takes, and the packet it builds. */
export type { Packet, PacketSpec } from "./model/packet.js";
/** A packet, built with `makePacket`, and the TCP flag bits. */
export { ACK, FIN, flagText, makePacket, PSH, RST, SYN } from "./model/packet.js";
/** IP protocol numbers and their names (`tcp` is 6). */
export { ALL, ICMP, ICMPV6, protocolName, protocolNumber, TCP, UDP } from "./model/protocol.js";
/** A change to the world, and whether AWS would accept it. */
export type { ChangeResult, WorldChange } from "./model/world-change.js";
/** Changes to the world between packets (add a rule, attach a group, ...), as AWS would accept them. */
export { applyChange } from "./model/world-change.js";
/** The rule book (docs/aws-rules.md) as plain, slow code: the oracle the engine is held to. */
export { ReferenceEvaluator } from "./reference/index.js";
/** Diagnostics, compiler-style. */
export { diagnosticsText } from "./render/diagnostics-text.js";
/** Findings as compiler-style text, a JSON document, and SARIF 2.1.0. */
export { findingsJson } from "./render/findings-json.js";
export { findingsSarif } from "./render/findings-sarif.js";
export { findingsSummary, findingsText } from "./render/findings-text.js";
/** A packet's trace as self-contained HTML, and any HTML body as a styled fragment. */
export { htmlFragment, packetHtml } from "./render/packet-html.js";
/** A packet's trace as Markdown. */
export { packetMarkdown } from "./render/packet-markdown.js";
/** Renderers: pure functions from results to strings, shared by the CLI and notebooks. */
export { hopText, packetText, traceText } from "./render/packet-text.js";
/** The path of a step's packets (a request and its reply) as an SVG picture. */
export { pathSvg } from "./render/path-svg.js";
export { reachText } from "./render/reach-text.js";
/** The page of `vpcsim run --format html`. */
export { reportPage } from "./render/report-html.js";
/** The versioned JSON document of a run. */
export { resultsJson } from "./render/results-json.js";
/** A step's and a scenario's result as self-contained HTML with pictures. */
export { scenarioHtml, stepHtml } from "./render/scenario-html.js";
/** A scenario's result as Markdown. */
/** A step's result as Markdown, and the closing summary as Markdown. */
export { scenarioMarkdown, stepMarkdown, summaryMarkdown } from "./render/scenario-markdown.js";
/** Options of the text renderers. */
export type { RenderOptions } from "./render/scenario-text.js";
/** A scenario's result as text, and the closing `N passed, N failed` summary. */
export { scenarioText, summaryText } from "./render/scenario-text.js";
/** A connection as a Mermaid `sequenceDiagram`. */
export { sequenceMermaid } from "./render/sequence-mermaid.js";
/** A set of markers for renderers. */
export type { Style } from "./render/style.js";
/** How renderers mark pass, fail and emphasis. */
export { PLAIN } from "./render/style.js";
/** A world's topology as an SVG picture. */
export { topologySvg } from "./render/topology-svg.js";
/** Durations as scenario files write them (`30s`, `5m`, `6d`) in seconds. */
export { parseDuration } from "./scenario/fields.js";
/** A loaded scenario, its steps, flows and expectations. */
export type { Endpoint, Expectation, Flow, LoadResult, Scenario, Step } from "./scenario/load.js";
/** Scenario files: load (with diagnostics), run, and the JSON Schema of the format. */
export { loadScenario, loadScenarioValue } from "./scenario/load.js";
/** A scenario's result, step by step, packet by packet. */
export type { ExpectationCheck, PacketRecord, ScenarioResult, StepResult } from "./scenario/run.js";
/** Runs a loaded scenario and checks its expectations. */
export { runScenario } from "./scenario/run.js";
/** The JSON Schema (draft-07) of scenario files, for editors. */
export { scenarioJsonSchema } from "./scenario/schema.js";
