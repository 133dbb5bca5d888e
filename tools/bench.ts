/**
 * How long the offline plan of a lab cluster takes to build as the number of workers grows, and
 * whether the graph gets deeper (it must not: the workers are created and joined in parallel).
 *
 *   npm run bench
 *
 * A benchmark, not a test: it prints a table and checks nothing.
 */
import { graphDepth } from "./graph";
import { runStack } from "./mockRun";

async function main() {
  const plan = (workers: number) =>
    runStack({
      stack: "practice",
      config: { "lab:cluster.mode": "vagrant", "lab:cluster.workers": String(workers) },
    });
  await plan(3); // loads the program once, as every later plan in this process reuses it

  const rows: string[][] = [["workers", "resources", "graph depth", "plan build (ms)"]];
  for (const workers of [3, 10, 50, 100]) {
    const times: number[] = [];
    let last = await plan(workers);
    for (let i = 0; i < 3; i++) {
      last = await plan(workers);
      times.push(last.elapsedMs);
    }
    const median = times.sort((a, b) => a - b)[1];
    rows.push([
      String(workers),
      String(last.resources.length),
      String(graphDepth(last)),
      median.toFixed(0),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((v, c) => v.padStart(widths[c])).join(" | ")} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows.slice(1)) console.log(line(r));
  console.log(
    `\nstack practice on the lab cluster (lab:cluster.mode vagrant), median of 3 runs, Node ${process.version}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
