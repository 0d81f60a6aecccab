// A problem in a user's input, as data: where it is and what is wrong, never a stack trace.
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly code: string;
}
