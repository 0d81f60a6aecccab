// Where the command line writes, and what happens when it cannot: a closed pipe (`| head -1`) ends
// the output quietly, a full disk is one line on stderr. Writing never throws into the run.

export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** Resolves once every line given to `out` has been written; rejects with the write's error. */
  flush?(): Promise<void>;
}

/** stdout and stderr. Their write errors arrive as events, after the write returned. */
export function processIo(): Io {
  let failure: Error | undefined;
  process.stdout.on("error", (e) => {
    failure ??= e;
  });
  // A stderr that cannot be written leaves nowhere to say so; the exit code still tells.
  process.stderr.on("error", () => undefined);
  return {
    out: (s) => {
      if (failure) throw failure;
      process.stdout.write(`${s}\n`);
    },
    err: (s) => {
      process.stderr.write(`${s}\n`);
    },
    flush: () => new Promise((resolve, reject) => process.stdout.write("", (e) => (failure || e ? reject(failure ?? e) : resolve()))),
  };
}

/** Guards an Io: the first failed write on `out` stops the output and is kept for the exit code. */
export class Output {
  #failure: unknown;
  #failed = false;
  constructor(private readonly io: Io) {}

  out(s: string): void {
    if (this.#failed) return;
    try {
      this.io.out(s);
    } catch (e) {
      this.#fail(e);
    }
  }

  err(s: string): void {
    try {
      this.io.err(s);
    } catch {
      // Nowhere left to report it.
    }
  }

  /** Waits for the output to be written; the first write error, if any. */
  async finish(): Promise<{ error: unknown } | undefined> {
    if (!this.#failed && this.io.flush) {
      try {
        await this.io.flush();
      } catch (e) {
        this.#fail(e);
      }
    }
    return this.#failed ? { error: this.#failure } : undefined;
  }

  #fail(e: unknown): void {
    this.#failed = true;
    this.#failure = e;
  }
}

/** The reader went away (`| head -1`): nobody is left to tell, and that is no error. */
export function isClosedPipe(e: unknown): boolean {
  return e instanceof Error && (e as NodeJS.ErrnoException).code === "EPIPE";
}
