// Reads a scenario file's text, refusing what is not a plain, small file before reading it: a FIFO
// would block for ever, /dev/zero never ends, and a file's size can change after it was checked.

import type { BigIntStats } from "node:fs";
import { constants } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import type { Diagnostic } from "../model/diagnostic.js";
import { MAX_SCENARIO_BYTES } from "../scenario/load.js";
import { fileProblem, systemErrorCode } from "./file-problem.js";
import type { FileSystem } from "./file-system.js";
import { NODE_FILE_SYSTEM } from "./file-system.js";

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

/** Non-blocking, so that a file swapped for a FIFO after the check cannot stall the open. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export async function readScenarioText(file: string, fs: FileSystem = NODE_FILE_SYSTEM): Promise<ReadResult> {
  return readTextFile(file, MAX_SCENARIO_BYTES, "scenarios", fs);
}

/** A regular file's text, refused over `limit` bytes; `what` names the files in messages ("scenarios"). */
export async function readTextFile(file: string, limit: number, what: string, fs: FileSystem = NODE_FILE_SYSTEM): Promise<ReadResult> {
  const tooLarge = (file: string, size: string): ReadResult => ({
    ok: false,
    diagnostics: [fileProblem(file, "input/too-large", `${size}; ${what} are limited to ${limit}`)],
  });
  try {
    const s = await fs.stat(file);
    if (!s.isFile()) return refused(file, notRegular(s, what), "input/not-regular");
    if (s.size > BigInt(limit)) return tooLarge(file, `the file is ${s.size} bytes`);
    const handle = await fs.open(file, OPEN_FLAGS);
    try {
      // Checked again on what was opened: the path may now name something else.
      const opened = await handle.stat({ bigint: true });
      if (!opened.isFile()) return refused(file, notRegular(opened, what), "input/not-regular");
      const bytes = await readAtMost(handle, Number(opened.size), limit + 1);
      if (bytes.length > limit) return tooLarge(file, `the file holds more than ${limit} bytes`);
      return { ok: true, text: bytes.toString("utf8") };
    } finally {
      await handle.close().catch(() => undefined);
    }
  } catch (e) {
    systemErrorCode(e);
    return refused(file, (e as Error).message);
  }
}

/** Reads until the end or `limit` bytes, whatever the size said: files grow, and /proc's say 0. */
async function readAtMost(handle: FileHandle, size: number, limit: number): Promise<Buffer> {
  let buffer = Buffer.allocUnsafe(Math.min(Math.max(size + 1, 4096), limit));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length >= limit) break;
      const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit));
      buffer.copy(bigger, 0, 0, length);
      buffer = bigger;
    }
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return buffer.subarray(0, length);
}

function notRegular(s: BigIntStats, what: string): string {
  const kind = s.isDirectory()
    ? "a folder"
    : s.isFIFO()
      ? "a FIFO (named pipe)"
      : s.isSocket()
        ? "a socket"
        : s.isCharacterDevice()
          ? "a character device"
          : s.isBlockDevice()
            ? "a block device"
            : "a special file";
  return `${kind}, not a regular file: only regular files are read as ${what}`;
}

function refused(file: string, message: string, code: "input/unreadable" | "input/not-regular" = "input/unreadable"): ReadResult {
  return { ok: false, diagnostics: [fileProblem(file, code, message)] };
}
