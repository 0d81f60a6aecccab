// Runs the CLI in-process with its output captured, for the CLI tests.
import type { Io, Seams } from "../src/cli/main.js";
import { main } from "../src/cli/main.js";

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `vpcsim ARGS`, with test seams and io overrides (e.g. a failing `out`) if given. */
export async function runCli(args: readonly string[], seams: Partial<Seams> = {}, io: Partial<Io> = {}): Promise<CliRun> {
  let out = "";
  let err = "";
  const capture: Io = {
    out: (s) => {
      out += `${s}\n`;
    },
    err: (s) => {
      err += `${s}\n`;
    },
  };
  const code = await main(args, { ...capture, ...io }, seams);
  return { code, out, err };
}
