#!/usr/bin/env node
// Runs the CLI, bundled into one file for a quick start; `npm install` builds it (`prepare`).
import { main } from "../dist/vpcsim.mjs";

process.exitCode = await main(process.argv.slice(2));
