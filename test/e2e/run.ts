/**
 * The end-to-end test: the real Pulumi CLI and language host, the real provider plugins, a real
 * Kubernetes API server and a real SSH server, driven the way a reader drives them
 * (`npm run lab -- <stack> ...`) in a copy of the project with a state, passphrase and Pulumi home
 * of its own.
 *
 *   npm run toolchain && npm run e2e                 every case
 *   npm run e2e -- preview                           the cases whose name contains "preview"
 *   npm run e2e -- --require-plugins                 a case blocked by a missing plugin fails
 *
 * Everything it starts listens on loopback and is stopped at the end, also when a case fails.
 */
import * as path from "node:path";
import { duration } from "../../tools/toolchain";
import { apiServerCases } from "./cases/apiServer";
import { ch3Cases } from "./cases/ch3";
import { clusterCases } from "./cases/cluster";
import { convergenceCases } from "./cases/convergence";
import { cycleCases } from "./cases/cycles";
import { firstRunCases } from "./cases/firstRun";
import { nodeCases } from "./cases/node";
import { onClusterCases } from "./cases/onCluster";
import { practiceCases } from "./cases/practice";
import { previewCases, previewOnClusterCases } from "./cases/previews";
import { resizeCases } from "./cases/resize";
import { packStandinCharts } from "./charts";
import { type ControlPlane, startControlPlane } from "./controlPlane";
import { stopAll } from "./processes";
import { type Case, type Context, runCases } from "./runner";
import { type SshNode, startSshNode } from "./sshNode";
import { createWorkspace } from "./workspace";

// In the order a reader meets them: the first commands, previews and the stacks without a lab cluster first (ch2 takes
// the lab cluster's addresses, so it comes and goes before the cluster), then the cluster and the
// chapters on it; the control-plane cycles last.
const ALL: readonly Case[] = [
  // First of all: a reader's first commands, on stacks that have no state yet.
  ...firstRunCases,
  ...previewCases,
  ...cycleCases,
  ...clusterCases,
  ...previewOnClusterCases,
  ...onClusterCases,
  ...nodeCases,
  ...apiServerCases,
  ...practiceCases,
  ...ch3Cases,
  // Last: these halt, rebuild and finally destroy the lab cluster.
  ...convergenceCases,
  // A master of its own work folder, resized; gone again at its end.
  ...resizeCases,
];

async function main(argv: string[]): Promise<number> {
  const started = Date.now();
  const requirePlugins = argv.includes("--require-plugins");
  const filters = argv.filter((a) => !a.startsWith("--"));
  const cases = ALL.filter((c) => filters.length === 0 || filters.some((f) => c.name.includes(f)));
  const out = (line: string) => process.stdout.write(`${line}\n`);

  const ws = createWorkspace();
  out(`e2e: workspace ${ws.dir}`);
  out(`e2e: toolchain ${ws.layout.bin}`);
  for (const [name, note] of Object.entries(ws.layout.notes)) out(`e2e: ${name}: ${note}`);
  for (const [name, file] of Object.entries(ws.plugins)) out(`e2e: plugin ${name}: ${file}`);
  for (const why of Object.values(ws.missingPlugins)) out(`e2e: ${why}`);
  const charts = path.join(ws.runDir, "charts");
  const packed = packStandinCharts(charts);
  out(`e2e: stand-in charts (not the real charts) in ${charts}: ${packed.join(", ")}`);

  let controlPlane: Promise<ControlPlane> | undefined;
  let sshNode: Promise<SshNode> | undefined;
  const ctx: Context = {
    ws,
    charts,
    controlPlane() {
      controlPlane ??= startControlPlane(ws.runDir, ws.layout.bin, ws.layout.kwokStages).then(
        (cp) => {
          out(`e2e: control plane at ${cp.server} (kubeconfig ${cp.kubeconfig})`);
          return cp;
        },
      );
      return controlPlane;
    },
    sshNode() {
      sshNode ??= startSshNode(path.join(ws.runDir, "node"), "").then((n) => {
        out(`e2e: SSH node at ${n.host}:${n.port} (root folder ${n.root})`);
        return n;
      });
      return sshNode;
    },
    note: (text) => out(`          ${text}`),
  };

  try {
    const tally = await runCases(cases, ctx, out);
    const failed = tally.failed.length + (requirePlugins ? tally.blocked.length : 0);
    out(
      `e2e: ${tally.ok} ok, ${tally.failed.length} failed, ${tally.blocked.length} blocked, in ${duration((Date.now() - started) / 1000)}`,
    );
    return failed > 0 ? 1 : 0;
  } finally {
    await stopAll();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (err) => {
    process.stderr.write(`e2e: ${err instanceof Error ? (err.stack ?? err.message) : err}\n`);
    await stopAll();
    process.exit(1);
  },
);
