// A bug of ours, told in one line that asks for a report: a stack trace is noise to a user, and
// is printed only with VPCSIM_DEBUG=1. The message may quote a file name or a value of the user's:
// it is escaped like every other line we print (no terminal escapes, no bidi overrides).
import { oneLine } from "../render/escape.js";

export function internalErrorLine(message: string): string {
  return `vpcsim: internal error: ${oneLine(message)} — please report it with the command and file that caused it`;
}

/** The error's message on one line; whatever was thrown, describing it never throws. */
export function errorMessage(e: unknown): string {
  try {
    const message = e instanceof Error ? e.message || e.name : String(e);
    return message.replace(/\s*\n\s*/g, " ");
  } catch {
    return "an error that cannot be described";
  }
}

/** The line, and with `debug` the stack after it. */
export function internalErrorReport(e: unknown, debug: boolean, file?: string): string {
  const line = internalErrorLine(file === undefined ? errorMessage(e) : `${file}: ${errorMessage(e)}`);
  const stack = debug && e instanceof Error ? e.stack : undefined;
  return stack ? `${line}\n${stack}` : line;
}

export function debugging(): boolean {
  return process.env.VPCSIM_DEBUG === "1";
}
