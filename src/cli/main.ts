// The `vpcsim` command line. Exit codes: 0 every expectation holds, 1 some fail, 2 invalid input
// or usage.
import { Command, CommanderError, Option } from "commander";
import type { Diagnostic } from "../model/diagnostic.js";
import { collectScenarioFiles, loadScenarioFile } from "../node/index.js";
import { diagnosticsText } from "../render/diagnostics-text.js";
import { traceText } from "../render/packet-text.js";
import { resultsJson } from "../render/results-json.js";
import { scenarioMarkdown } from "../render/scenario-markdown.js";
import { scenarioText, summaryText } from "../render/scenario-text.js";
import type { Style } from "../render/style.js";
import { PLAIN } from "../render/style.js";
import type { FlowOptions, OptionProblem } from "../scenario/flow.js";
import { flowFromOptions } from "../scenario/flow.js";
import type { ScenarioResult } from "../scenario/run.js";
import { runConnection, runScenario } from "../scenario/run.js";
import { scenarioJsonSchema } from "../scenario/schema.js";

const ANSI: Style = {
  pass: (s) => `\x1b[32m${s}\x1b[39m`,
  fail: (s) => `\x1b[31m${s}\x1b[39m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
};

/** Colour only on a terminal, never with NO_COLOR (no-color.org) or --no-color. */
function styleFor(color: boolean): Style {
  return color && process.stdout.isTTY && !("NO_COLOR" in process.env && process.env.NO_COLOR !== "") ? ANSI : PLAIN;
}

interface Io {
  out(s: string): void;
  err(s: string): void;
}

const processIo: Io = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = new Command("vpcsim")
    .description("Simulate AWS VPC traffic through security groups, network ACLs and routes, packet by packet.")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      "\nExamples:\n  vpcsim run scenarios\n  vpcsim trace scenarios/nat-gateway.yaml --from worker --to api --protocol tcp --port 443\n" +
        "  vpcsim schema > scenario.schema.json\n\nThe scenario format: docs/scenario-format.md",
    );

  program
    .command("run")
    .description("run scenario files and check their expectations")
    .argument("<paths...>", "scenario files (.yaml) or folders of them")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
    .option("-v, --verbose", "show every hop of every packet")
    .option("--no-color", "never colour the output")
    .addHelpText(
      "after",
      "\nExamples:\n  vpcsim run scenarios\n  vpcsim run scenarios/ephemeral-ports.yaml --verbose\n  vpcsim run scenarios --format json > results.json",
    )
    .action(async (paths: string[], opts: { format: string; verbose?: boolean; color: boolean }) => {
      code = await run(paths, opts, io);
    });

  program
    .command("trace")
    .description("trace one connection through a scenario's world (before its steps)")
    .argument("<scenario>", "a scenario file")
    .requiredOption("--from <endpoint>", "instance, internet host or IP address")
    .requiredOption("--to <endpoint>", "instance, internet host or IP address")
    .requiredOption("--protocol <protocol>", "tcp, udp, icmp, icmpv6 or a number")
    .option("--port <port>", "destination port (tcp, udp)", integer)
    .option("--source-port <port>", "source port; default: the client's next ephemeral port", integer)
    .option("--icmp-type <type>", "ICMP type (default: echo request)", integer)
    .option("--icmp-code <code>", "ICMP code", integer)
    .option("--no-color", "never colour the output")
    .addHelpText("after", "\nExample:\n  vpcsim trace scenarios/ephemeral-ports.yaml --from laptop --to web --protocol tcp --port 443")
    .action(async (file: string, opts: TraceOptions) => {
      code = await trace(file, opts, io);
    });

  program
    .command("schema")
    .description("print the JSON Schema of scenario files (draft-07)")
    .addHelpText(
      "after",
      "\nExample:\n  vpcsim schema > scenario.schema.json\n  then put # yaml-language-server: $schema=scenario.schema.json on a scenario's first line",
    )
    .action(() => io.out(JSON.stringify(scenarioJsonSchema(), null, 2)));

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help" ? 0 : 2;
    }
    throw e;
  }
  return code;
}

function integer(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new CommanderError(2, "vpcsim.integer", `error: "${v}" is not a whole number`);
  return n;
}

async function run(paths: string[], opts: { format: string; verbose?: boolean; color: boolean }, io: Io): Promise<number> {
  const style = opts.format === "text" ? styleFor(opts.color) : PLAIN;
  const { files, problems } = await collectScenarioFiles(paths);
  const invalid: Diagnostic[] = [...problems];
  const results: ScenarioResult[] = [];
  for (const file of files) {
    const loaded = await loadScenarioFile(file);
    if (!loaded.ok) {
      invalid.push(...loaded.diagnostics);
      continue;
    }
    results.push(runScenario(loaded.scenario));
  }
  if (files.length === 0 && problems.length === 0) {
    invalid.push({ file: paths.join(" "), line: 1, column: 1, code: "input/no-scenarios", message: "no .yaml scenario files found" });
  }
  const invalidFiles = new Set(invalid.map((d) => d.file)).size;
  if (opts.format === "json") {
    io.out(JSON.stringify(resultsJson(results, invalid), null, 2));
  } else if (opts.format === "markdown") {
    io.out(results.map(scenarioMarkdown).join("\n\n"));
    if (invalid.length) io.out(["", "```", diagnosticsText(invalid), "```"].join("\n"));
    io.out(`\n${summaryText(results, invalidFiles)}`);
  } else {
    for (const r of results) io.out(`${scenarioText(r, { verbose: opts.verbose ?? false, style })}\n`);
    if (invalid.length) io.err(`${diagnosticsText(invalid, style)}\n`);
    io.out(summaryText(results, invalidFiles, style));
  }
  if (invalid.length > 0) return 2;
  return results.some((r) => r.failed > 0) ? 1 : 0;
}

interface TraceOptions extends FlowOptions {
  color: boolean;
}

/** One connection, built from the options and checked as a connect step is, against the scenario's world. */
async function trace(file: string, opts: TraceOptions, io: Io): Promise<number> {
  const style = styleFor(opts.color);
  const loaded = await loadScenarioFile(file);
  if (!loaded.ok) {
    io.err(diagnosticsText(loaded.diagnostics, style));
    return 2;
  }
  const flow = flowFromOptions(loaded.scenario.world, opts);
  if (!flow.ok) {
    for (const p of flow.problems) io.err(`vpcsim trace: ${optionProblemText(p)}`);
    return 2;
  }
  const step = runConnection(loaded.scenario.world, flow.flow);
  io.out(`${style.bold(step.title)}: ${step.outcome}`);
  for (const p of step.packets) io.out(traceText(p.result, style, "", `${p.role}: `));
  return step.packets.every((p) => p.result.delivered) ? 0 : 1;
}

/** `--from "x": "x" is neither ...`: the option as typed, then what is wrong with it. */
function optionProblemText(p: OptionProblem): string {
  const value = p.value === undefined ? "" : typeof p.value === "string" ? ` "${p.value}"` : ` ${String(p.value)}`;
  return `--${p.option}${value}: ${p.message}`;
}
