// The `vpcsim` command line. Exit codes:
//   0  every expectation holds (trace: the request and its reply are delivered)
//   1  some expectation fails (trace: a packet is dropped)
//   2  invalid input or usage, or the output could not be written (a full disk)
//   3  internal error: a bug of ours, told in one line on stderr (the stack with VPCSIM_DEBUG=1)
// A closed pipe (`vpcsim run scenarios | head -1`) ends the output quietly with the code so far.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { IMPORT_DIALECTS } from "../import/load.js";
import { visible } from "../render/escape.js";
import { scenarioJsonSchema } from "../scenario/schema.js";
import type { DiffCommandOptions } from "./diff-command.js";
import { diffCommand } from "./diff-command.js";
import {
  DIFF_EXIT_CODES,
  EXIT,
  LINT_EXIT_CODES,
  PROGRAM_EXIT_CODES,
  REACH_EXIT_CODES,
  RUN_EXIT_CODES,
  TRACE_EXIT_CODES,
} from "./exit-codes.js";
import type { ImportCommandOptions } from "./import-command.js";
import { importCommand } from "./import-command.js";
import { debugging, errorMessage, internalErrorReport } from "./internal-error.js";
import type { Io } from "./io.js";
import { isClosedPipe, Output, processIo } from "./io.js";
import type { LintCommandOptions } from "./lint-command.js";
import { lintCommand, parsePortList } from "./lint-command.js";
import type { ReachCommandOptions } from "./reach-command.js";
import { reachCommand } from "./reach-command.js";
import type { RunOptions } from "./run-command.js";
import { run } from "./run-command.js";
import type { Seams } from "./seams.js";
import { REAL_SEAMS } from "./seams.js";
import type { TraceOptions } from "./trace-command.js";
import { TRACE_FORMATS, trace } from "./trace-command.js";

export { internalErrorReport } from "./internal-error.js";
export type { Io } from "./io.js";
export type { Seams } from "./seams.js";

/** Runs the command line and gives its exit code; it never rejects for an error of ours or the user's. */
export async function main(argv: readonly string[], io: Io = processIo(), seams: Partial<Seams> = {}): Promise<number> {
  const out = new Output(io);
  const debug = debugging();
  let code: number;
  try {
    code = await parse(argv, out, { ...REAL_SEAMS, ...seams }, debug);
  } catch (e) {
    out.err(internalErrorReport(e, debug));
    code = EXIT.internal;
  }
  const failure = await out.finish();
  if (!failure || isClosedPipe(failure.error)) return code;
  out.err(`vpcsim: cannot write the output: ${errorMessage(failure.error)}`);
  return code === EXIT.internal ? code : EXIT.invalid;
}

async function parse(argv: readonly string[], out: Output, seams: Seams, debug: boolean): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command("vpcsim")
    .description("Simulate AWS VPC traffic through security groups, network ACLs and routes, packet by packet.")
    .version("0.1.0")
    .exitOverride()
    // commander's errors quote the user's arguments as typed: escaped like every line we print
    .configureOutput({ writeOut: (s) => out.out(s.trimEnd()), writeErr: (s) => out.err(visible(s.trimEnd())) })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      "\nExamples:\n  vpcsim run scenarios\n  vpcsim trace scenarios/nat-gateway.yaml --from worker --to api --protocol tcp --port 443\n" +
        `  vpcsim schema > scenario.schema.json\n\n${PROGRAM_EXIT_CODES}\n\nThe scenario format: docs/scenario-format.md`,
    );

  program
    .command("run")
    .description("run scenario files and check their expectations")
    .argument("<paths...>", "scenario files (.yaml) or folders of them; AWS exports (a .json file, or a folder of .json and no .yaml)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json", "markdown", "html"]).default("text"))
    .option("-v, --verbose", "show every hop of every packet")
    .option("--flow-logs <file>", "also write every packet as VPC Flow Logs records (default format, version 2) to this file")
    .option("--vpc <id>", "an AWS export's VPC, when it holds several")
    .option("--no-color", "never colour the output")
    .addHelpText(
      "after",
      "\nExamples:\n  vpcsim run scenarios\n  vpcsim run scenarios/ephemeral-ports.yaml --verbose\n  vpcsim run scenarios --format json > results.json" +
        `\n\n${RUN_EXIT_CODES}`,
    )
    .action(async (paths: string[], opts: RunOptions) => {
      code = await run(paths, opts, out, seams, debug);
    });

  program
    .command("trace")
    .description("trace one connection through a scenario's world, before its steps or after some of them")
    .argument("<scenario>", "a scenario file, or an AWS export to import (a folder of describe-* JSON, or a .json file)")
    .requiredOption("--from <endpoint>", "instance, internet host or IP address")
    .requiredOption("--to <endpoint>", "instance, internet host or IP address")
    .requiredOption("--protocol <protocol>", "tcp, udp, icmp, icmpv6 or a number")
    .option("--port <port>", "destination port (tcp, udp)", integer)
    .option("--source-port <port>", "source port; default: the client's next ephemeral port", integer)
    .option("--icmp-type <type>", "ICMP type (default: echo request)", integer)
    .option("--icmp-code <code>", "ICMP code", integer)
    .option("--after-step <n>", "trace after the first n steps have run (their changes, waits and connections); default 0", integer)
    .addOption(new Option("-f, --format <format>", "output format").choices(TRACE_FORMATS).default("text"))
    .option("--vpc <id>", "an AWS export's VPC to trace in, when it holds several")
    .option("--no-color", "never colour the output")
    .addHelpText(
      "after",
      "\nExamples:\n  vpcsim trace scenarios/ephemeral-ports.yaml --from laptop --to web --protocol tcp --port 443" +
        "\n  vpcsim trace scenarios/untracked-flow-cut.yaml --after-step 4 --from admin --to server --protocol tcp --port 22 --format json" +
        `\n\n${TRACE_EXIT_CODES}`,
    )
    .action(async (file: string, opts: TraceOptions) => {
      code = await trace(file, opts, out, seams);
    });

  program
    .command("import")
    .description("import an AWS account's describe-* JSON (a folder or one file) as a scenario YAML, on stdout")
    .argument("<path>", "a folder of aws ec2 describe-* outputs (any file names), or one combined .json file")
    .option("--vpc <id>", "the VPC to import when the export holds several")
    .option("--name <name>", "the scenario's name (default: the VPC's Name tag or ID)")
    .addOption(new Option("--from <dialect>", "the input's dialect (default: detected)").choices(IMPORT_DIALECTS))
    .option("--no-color", "never colour the output")
    .addHelpText(
      "after",
      "\nExample:\n  vpcsim import aws_configs > account.yaml\n\nExit codes:\n  0  imported (warnings, if any, on stderr)\n  2  invalid input: each problem names the file, the resource ID and the field",
    )
    .action(async (path: string, opts: ImportCommandOptions) => {
      code = await importCommand(path, opts, out, seams);
    });

  program
    .command("schema")
    .description("print the JSON Schema of scenario files (draft-07)")
    .addHelpText(
      "after",
      "\nExample:\n  vpcsim schema > scenario.schema.json\n  then put # yaml-language-server: $schema=scenario.schema.json on a scenario's first line",
    )
    .action(() => out.out(JSON.stringify(scenarioJsonSchema(), null, 2)));

  program
    .command("lint")
    .description("check scenario files' worlds for risky, stateless-trap and dead rules (Trusted Advisor, AWS Config, AWS's rules)")
    .argument("<paths...>", "scenario files (.yaml) or folders of them")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json", "sarif"]).default("text"))
    .addOption(
      new Option("--fail-on <severity>", "exit 1 when a finding at or above this exists")
        .choices(["error", "warning", "note"])
        .default("error"),
    )
    .option("--authorized-tcp-ports <ports>", "TCP ports allowed open to everyone, as 80,443,1020-1025 (default 80,443)", portList)
    .option("--authorized-udp-ports <ports>", "UDP ports allowed open to everyone (default none)", portList)
    .option("--no-color", "never colour the output")
    .addHelpText(
      "after",
      `\nExamples:\n  vpcsim lint scenarios\n  vpcsim lint scenarios --format sarif > vpcsim.sarif\n  vpcsim lint scenarios --fail-on warning\n\n${LINT_EXIT_CODES}`,
    )
    .action(async (paths: string[], opts: LintCommandOptions) => {
      code = await lintCommand(paths, opts, out, seams, program.version() ?? "0.0.0");
    });

  program
    .command("reach")
    .description("every tcp and udp port (and icmp echo) that gets from one endpoint to another and back, as intervals")
    .argument("<scenario>", "a scenario file")
    .argument("<from>", "instance, internet host or IP address")
    .argument("<to>", "instance, internet host or IP address")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--no-color", "never colour the output")
    .addHelpText("after", `\nExample:\n  vpcsim reach scenarios/ephemeral-ports.yaml laptop web\n\n${REACH_EXIT_CODES}`)
    .action(async (file: string, from: string, to: string, opts: ReachCommandOptions) => {
      code = await reachCommand(file, from, to, opts, out, seams);
    });

  program
    .command("diff")
    .description("the traffic between instances and internet hosts whose outcome changes from one world to another, and the rules why")
    .argument("<before>", "a scenario file, or an AWS export (a folder of describe-* JSON, or a .json file)")
    .argument("[after]", "the changed world, as <before>; without it, --after-steps")
    .option("--after-steps", "compare <before>'s world before its steps with the world its steps leave")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--vpc <id>", "an AWS export's VPC, when it holds several")
    .option("--no-color", "never colour the output")
    .addHelpText(
      "after",
      `\nExamples:\n  vpcsim diff before.yaml after.yaml\n  vpcsim diff scenarios/untracked-flow-cut.yaml --after-steps\n\n${DIFF_EXIT_CODES}`,
    )
    .action(async (before: string, after: string | undefined, opts: DiffCommandOptions) => {
      code = await diffCommand(before, after, opts, out, seams);
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help" ? EXIT.ok : EXIT.invalid;
    }
    throw e;
  }
  return code;
}

function portList(v: string): readonly [number, number][] {
  const list = parsePortList(v);
  // commander reports an InvalidArgumentError with the option's name; another error it rethrows unsaid
  if (!list) throw new InvalidArgumentError("write ports and ranges from 0-65535 such as 80,443,1020-1025");
  return list as [number, number][];
}

function integer(v: string): number {
  const n = Number(v);
  // commander reports this as an error about the option, with its name and the value
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${v}" is not a whole number.`);
  return n;
}
