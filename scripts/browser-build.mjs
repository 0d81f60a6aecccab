// The browser bundle's options, shared by the build (scripts/bundle.mjs) and the test that checks
// the core stays free of Node built-ins (tests/package.test.ts).
export function browserBuildOptions() {
  return {
    entryPoints: ["src/index.ts"],
    outfile: "dist/vpcsim.browser.js",
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    minify: true,
    legalComments: "eof",
    logLevel: "warning",
  };
}
