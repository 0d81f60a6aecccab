// vpcsim's exit codes, in one place for the code and the help. A full disk is 2, not 3: it is the
// machine's problem, not a bug of vpcsim to report.
export const EXIT = { ok: 0, failed: 1, invalid: 2, internal: 3 } as const;

const common = `  2  invalid input or usage, or the output could not be written (a full disk)
  3  internal error: a bug of vpcsim, to report with the command and the file`;

export const RUN_EXIT_CODES = `Exit codes:
  0  every expectation holds
  1  some expectation fails
${common}`;

export const TRACE_EXIT_CODES = `Exit codes:
  0  the request and its reply are delivered
  1  a packet is dropped
${common}`;

export const PROGRAM_EXIT_CODES = `Exit codes:
  0  every expectation holds (trace: the request and its reply are delivered)
  1  some expectation fails (trace: a packet is dropped)
${common}`;

export const LINT_EXIT_CODES = `Exit codes:
  0  no finding at or above --fail-on
  1  a finding at or above --fail-on
${common}`;

export const REACH_EXIT_CODES = `Exit codes:
  0  some port gets through and its reply gets back
  1  nothing does
${common}`;

export const DIFF_EXIT_CODES = `Exit codes:
  0  nothing changes outcome
  1  some traffic changes outcome
${common}`;
