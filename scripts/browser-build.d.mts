import type { BuildOptions } from "esbuild";
/** The browser bundle's esbuild options (scripts/browser-build.mjs). */
export function browserBuildOptions(): BuildOptions & { entryPoints: string[]; outfile: string };
