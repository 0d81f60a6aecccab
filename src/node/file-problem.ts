// A file the user named or placed that cannot be used, as a diagnostic at its first line.
import type { Diagnostic, DiagnosticCode } from "../model/diagnostic.js";

export function fileProblem(file: string, code: DiagnosticCode, message: string): Diagnostic {
  return { file, line: 1, column: 1, code, message };
}

/**
 * The code of an error the operating system gave (ENOENT, EACCES, ELOOP, ...): the user's doing.
 * Any other error is a bug of ours and is thrown on, never turned into a diagnostic.
 */
export function systemErrorCode(e: unknown): string {
  const code = e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
  if (typeof code !== "string" || !/^E[A-Z0-9]+$/.test(code)) throw e;
  return code;
}
