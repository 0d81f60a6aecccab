// How renderers mark pass, fail and emphasis: plain here; the CLI passes ANSI colours, and other
// hosts may pass their own. Renderers are pure functions returning strings.
export interface Style {
  pass(s: string): string;
  fail(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export const PLAIN: Style = { pass: (s) => s, fail: (s) => s, dim: (s) => s, bold: (s) => s };
