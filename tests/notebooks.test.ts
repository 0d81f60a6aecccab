// The example notebooks, executed headless with their kernels as a reader would run them: Deno's
// Jupyter kernel (the `deno` package ships it) and tslab, driven by Jupyter's nbclient (Debian's
// python3-nbclient, which .ci/run installs). Every cell runs without an error, and the results
// display themselves: Deno gets a MIME bundle whose HTML holds the pictures, tslab the text.
// Without nbclient the tests are skipped and say so; CI (VPCSIM_REQUIRE_NOTEBOOKS=1) never skips.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT } from "./built.js";

const PYTHON = process.env.VPCSIM_PYTHON ?? "/usr/bin/python3";
const required = process.env.VPCSIM_REQUIRE_NOTEBOOKS === "1";
const available = spawnSync(PYTHON, ["-c", "import nbclient"], { stdio: "ignore" }).status === 0;
const TSLAB = process.env.VPCSIM_TSLAB ?? join(ROOT, ".tools", "node_modules", ".bin", "tslab");
const hasTslab = existsSync(TSLAB);
const SKIPPED = "SKIPPED: Jupyter's nbclient is not installed (bash scripts/install-notebook-tools.sh); CI runs these";

interface Output {
  readonly type: string;
  readonly mime?: string[];
  readonly data?: Record<string, unknown>;
  readonly text?: string;
  readonly evalue?: string;
}
interface Executed {
  readonly error: string | null;
  readonly cells: { readonly source: string; readonly outputs: Output[] }[];
}

const kernels = mkdtempSync(join(tmpdir(), "vpcsim-kernels-"));

/** A kernelspec of our own, so that nothing is installed into the user's Jupyter. */
function kernel(name: string, argv: string[]): void {
  mkdirSync(join(kernels, "kernels", name), { recursive: true });
  writeFileSync(join(kernels, "kernels", name, "kernel.json"), JSON.stringify({ argv, display_name: name, language: "typescript" }));
}

function execute(notebook: string, cwd: string): Executed {
  const out = execFileSync(PYTHON, [join(ROOT, "scripts", "execute-notebook.py"), notebook], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, JUPYTER_PATH: kernels, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 240_000,
  });
  return JSON.parse(out) as Executed;
}

const notebooks = readdirSync(join(ROOT, "examples")).filter((f) => f.endsWith(".ipynb"));
const kernelOf = (f: string) => JSON.parse(readFileSync(join(ROOT, "examples", f), "utf8")).metadata.kernelspec.name as string;

describe.skipIf(!available && !required)(available ? "the example notebooks, executed" : SKIPPED, () => {
  beforeAll(() => {
    expect(available, `${PYTHON} has no nbclient, and VPCSIM_REQUIRE_NOTEBOOKS=1 says it must`).toBe(true);
    ensureBuilt();
    kernel("deno", [join(ROOT, "node_modules", ".bin", "deno"), "jupyter", "--kernel", "--conn", "{connection_file}"]);
    kernel("tslab", [TSLAB, "kernel", "--config-path", "{connection_file}"]);
  }, 240_000);

  it("there is a Deno notebook and a tslab notebook", () => {
    expect(notebooks.map(kernelOf).sort()).toEqual(["deno", "tslab"]);
  });

  it("stateful-vs-stateless.ipynb (Deno): every cell runs, every result displays as HTML with its picture", () => {
    const r = execute("stateful-vs-stateless.ipynb", join(ROOT, "examples"));
    expect(r.error).toBeNull();
    const results = r.cells.flatMap((c) => c.outputs.filter((o) => o.type === "execute_result"));
    expect(r.cells.flatMap((c) => c.outputs.filter((o) => o.type === "error"))).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(5);
    for (const o of results) {
      expect(o.mime).toEqual(["application/json", "text/html", "text/markdown", "text/plain"]);
      expect(String(o.data!["text/html"])).toContain("<svg");
    }
    // the lesson's story, cell by cell: the reply stopped at the ACL, then fixed; the session
    // outlives its rule, then its timeout
    const firstLine = (source: string, nth = 0) => {
      const cells = r.cells.filter((c) => c.source.includes(source));
      const o = cells[nth]?.outputs.find((x) => x.type === "execute_result");
      return String(o?.data?.["text/plain"] ?? "").split("\n")[0];
    };
    expect(firstLine('name: "https"')).toContain("reply denied at network-acl web-acl outbound (SUBNET_ACL_RESTRICTION)");
    expect(firstLine("sim.addRule")).toContain("allowed: request and reply delivered");
    expect(firstLine("sim.removeRule")).toContain("send request of ssh: delivered");
    expect(firstLine('sim.connect("admin", "web", { protocol: "tcp", port: 22 })')).toContain(
      "request denied at security-groups web inbound",
    );
    expect(firstLine('sim.wait("6d")')).toContain("send request of ssh: denied");
  }, 240_000);

  const tslabTitle = "tslab-quickstart.ipynb (tslab): imports the installed package with its types and prints results";
  it.skipIf(!hasTslab && !required)(
    hasTslab ? tslabTitle : `${tslabTitle} — SKIPPED: no tslab in .tools/ (bash scripts/install-notebook-tools.sh)`,
    () => {
      expect(hasTslab, `no tslab at ${TSLAB}`).toBe(true);
      // a folder where `vpcsim` is installed, as a reader's would be
      const dir = mkdtempSync(join(tmpdir(), "vpcsim-tslab-"));
      mkdirSync(join(dir, "node_modules"));
      symlinkSync(ROOT, join(dir, "node_modules", "vpcsim"), "dir");
      copyFileSync(join(ROOT, "examples", "tslab-quickstart.ipynb"), join(dir, "tslab-quickstart.ipynb"));
      const r = execute("tslab-quickstart.ipynb", dir);
      expect(r.error).toBeNull();
      const printed = r.cells.flatMap((c) => c.outputs.map((o) => o.text ?? String(o.data?.["text/plain"] ?? "")));
      expect(printed.join("\n")).toContain("connect app → database tcp/5432: allowed: request and reply delivered");
      expect(printed.join("\n")).toContain("connect app → database tcp/3306: request denied at security-groups database inbound");
    },
    240_000,
  );
});
