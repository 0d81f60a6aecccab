#!/usr/bin/env bash
# What tests/notebooks.test.ts needs beyond npm's devDependencies, installed when missing:
# Jupyter's nbclient from Debian's packages (python3-nbclient), and tslab (pinned) in .tools/,
# apart from the project's own node_modules because its TypeScript fork takes over the `tsc` command.
# Deno's kernel comes with the `deno` devDependency.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c "import nbclient" 2>/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y --no-install-recommends python3-nbclient >/dev/null 2>&1 ||
    { $sudo apt-get update >/dev/null 2>&1 && $sudo apt-get install -y --no-install-recommends python3-nbclient >/dev/null; }
fi
if [ ! -x .tools/node_modules/.bin/tslab ]; then
  npm install --prefix .tools --no-audit --no-fund --no-save tslab@1.0.22 >/dev/null
fi
