/**
 * Pulumi against kubectl on the same API server and the same objects: chapter 3 in `kubeconfig`
 * mode, and the files `dev` renders of chapter 3 for kubectl. Part of `npm run bench` once the
 * toolchain is built; it prints each measure and one `ratio <what>: N.NNx` line per pair.
 *
 * What each side does differs, and the lines say so: `pulumi up` waits until every Deployment is
 * ready, `kubectl apply` returns once the server stored the objects.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { listFiles } from "./cases/cycles";
import { packStandinCharts } from "./charts";
import { startControlPlane } from "./controlPlane";
import { stopAll } from "./processes";
import { createWorkspace, lab } from "./workspace";

function timed<T>(what: string, f: () => T): { value: T; seconds: number } {
  const started = process.hrtime.bigint();
  const value = f();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`  ${what}: ${seconds.toFixed(2)}s\n`);
  return { value, seconds };
}

async function main(): Promise<number> {
  const ws = createWorkspace();
  const missing = ["kubernetes", "command"].filter((p) => !ws.plugins[p]);
  if (missing.length > 0) {
    process.stdout.write(
      `bench against an API server: left out, ${missing.map((p) => ws.missingPlugins[p]).join("; ")}\n`,
    );
    return 0;
  }
  try {
    const charts = packStandinCharts(path.join(ws.runDir, "charts"));
    const chartDir = path.join(ws.runDir, "charts");
    const cp = await startControlPlane(ws.runDir, ws.layout.bin, ws.layout.kwokStages);
    const set = (stack: string, values: Record<string, string>) => {
      for (const [k, v] of Object.entries(values)) lab(ws, stack, ["config", "set", k, v]);
    };
    // The same objects on both sides: chapter 3 with every section, the NFS ones included.
    const nfs = cp.nodes[0].ip;
    set("dev", { "lab:charts.dir": chartDir, "lab:ch3.nfsServer": nfs });
    set("ch3", {
      "lab:cluster.mode": "kubeconfig",
      "lab:cluster.kubeconfig": cp.kubeconfig,
      "lab:charts.dir": chartDir,
      "lab:ch3.nfsServer": nfs,
    });
    lab(ws, "dev", ["up", "--yes", "--skip-preview"]);
    const rendered = path.join(ws.dir, "rendered", "dev");
    // Definitions and namespaces first, as kubectl applies files in the order it is given them.
    const files = listFiles(rendered)
      .map((f) => path.join(rendered, f))
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const fileArgs = files.flatMap((f) => ["-f", f]);
    process.stdout.write(
      `bench: chapter 3, ${files.length} rendered objects (stand-in charts: ${charts.join(", ")}), API server ${cp.server}\n`,
    );

    // Definitions first, in a call of their own: kubectl maps every file's kind before it applies.
    const crdArgs = files.filter((f) => rank(f) === 0).flatMap((f) => ["-f", f]);
    const restArgs = files.filter((f) => rank(f) > 0).flatMap((f) => ["-f", f]);
    const kApply = timed("kubectl apply -f (definitions, wait for them, then the rest)", () => {
      cp.kubectl(["apply", "--server-side", "--field-manager=bench", ...crdArgs]);
      cp.kubectl(["wait", "--for=condition=Established", ...crdArgs]);
      return cp.kubectl(["apply", "--server-side", "--field-manager=bench", ...restArgs]);
    });
    const kDiff = timed("kubectl diff -f (no change)", () =>
      cp.kubectlRun(["diff", "--server-side", "--field-manager=bench", ...fileArgs]),
    );
    if (kDiff.value.status !== 0) process.stdout.write(`  (kubectl diff found changes)\n`);
    const kDelete = timed("kubectl delete -f", () =>
      cp.kubectl(["delete", "--wait=true", ...[...files].reverse().flatMap((f) => ["-f", f])]),
    );

    const pUp = timed("pulumi up from empty (waits for readiness)", () =>
      lab(ws, "ch3", ["up", "--yes", "--skip-preview"]),
    );
    const pPreview = timed("pulumi preview (no change)", () =>
      lab(ws, "ch3", ["preview", "--expect-no-changes"]),
    );
    const pDestroy = timed("pulumi destroy", () =>
      lab(ws, "ch3", ["destroy", "--yes", "--skip-preview"]),
    );
    const ratio = (what: string, a: number, b: number) =>
      process.stdout.write(`ratio ${what}: ${(a / b).toFixed(2)}x\n`);
    ratio("no-change preview / kubectl diff", pPreview.seconds, kDiff.seconds);
    ratio("up from empty / kubectl apply", pUp.seconds, kApply.seconds);
    ratio("destroy / kubectl delete", pDestroy.seconds, kDelete.seconds);
    fs.rmSync(rendered, { recursive: true, force: true });
    return 0;
  } finally {
    await stopAll();
  }
}

/** Custom resource definitions, then namespaces, then everything else. */
function rank(file: string): number {
  if (file.includes(`${path.sep}0-crd${path.sep}`)) return 0;
  if (/-namespace-/.test(path.basename(file))) return 1;
  return 2;
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : err}\n`);
    await stopAll();
    process.exit(1);
  },
);
