#!/usr/bin/env node
// Runs the CLI, bundled into one file for a quick start; `npm install` builds it (`prepare`).
// Exit codes (src/cli/main.ts): 0 every expectation holds, 1 some fail, 2 invalid input or usage
// or unwritable output, 3 internal error.
import { internalErrorReport, main } from "../dist/vpcsim.mjs";

// main turns every error into an exit code; what escapes it anyway is still a bug of ours: one
// line on stderr and exit 3, never a stack trace (unless VPCSIM_DEBUG=1).
function crash(e) {
  try {
    process.stderr.write(`${internalErrorReport(e, process.env.VPCSIM_DEBUG === "1")}\n`);
  } catch {
    // Nowhere left to report it; the exit code still tells.
  }
  process.exit(3);
}
process.on("uncaughtException", crash);
process.on("unhandledRejection", crash);

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  crash(e);
}
