// The few file-system calls the loader makes, behind an interface: tests run as root, which no
// chmod stops, so they make a folder unreadable by passing a file system whose readdir fails.
import type { BigIntStats, Dirent } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { open, readdir, stat } from "node:fs/promises";

export interface FileSystem {
  /** Follows symbolic links. Bigint, so that inode numbers stay exact for loop detection. */
  stat(path: string): Promise<BigIntStats>;
  readdir(path: string): Promise<Dirent[]>;
  open(path: string, flags: number): Promise<FileHandle>;
}

export const NODE_FILE_SYSTEM: FileSystem = {
  stat: (path) => stat(path, { bigint: true }),
  readdir: (path) => readdir(path, { withFileTypes: true }),
  open: (path, flags) => open(path, flags),
};
