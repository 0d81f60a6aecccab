// Two bundles beside the tsc output of the library:
// - dist/vpcsim.mjs, the CLI in one file: Node loads one module instead of a hundred, which takes
//   about a third off `vpcsim run`'s cold start (issue 4, W4). The banner gives the bundled
//   CommonJS dependencies the `require` they call.
// - dist/vpcsim.browser.js, the pure core with its dependencies in one ES module, for a page,
//   Observable or a notebook to import by URL. Built for the browser platform, so that a Node
//   built-in reaching the core fails the build.
import { build } from "esbuild";
import { browserBuildOptions } from "./browser-build.mjs";

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/vpcsim.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: "warning",
});

await build(browserBuildOptions());
