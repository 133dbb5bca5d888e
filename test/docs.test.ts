/**
 * The graphs in docs/: current with the stacks' offline plans (`npm run docs` updates them), small
 * enough to read, and a chapter's cluster folded into one box with an arrow to what is made through
 * it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  documents,
  fullGraphFile,
  generatedFiles,
  graphBlocks,
  learnerGraph,
  staleGraphPages,
} from "../tools/docs";
import { CLUSTER_NODE, fullGraph, readMermaid, toMermaid } from "../tools/graph";
import { PROJECT_DIR } from "../tools/mockRun";
import { runStack } from "./harness";

/** What a reader can take in on one page. */
const MAX_BOXES = 40;

/** The stacks whose page shows a chapter built on a cluster (the others build the VMs themselves). */
const CHAPTERS = ["ch3", "ch4", "ch5", "ch6", "kia", "practice"];

/** Each document's graphs, by stack. */
const graphs = new Map<string, string>();
beforeAll(() => {
  for (const file of documents()) {
    for (const [stack, mermaid] of graphBlocks(fs.readFileSync(file, "utf8"))) {
      graphs.set(stack, mermaid);
    }
  }
});

/** The boxes reachable from a box along the arrows. */
function reachable(mermaid: string, from: string): Set<string> {
  const { edges } = readMermaid(mermaid);
  const seen = new Set<string>([from]);
  const next = [from];
  while (next.length > 0) {
    const n = next.pop() as string;
    for (const e of edges.filter((x) => x.from === n && !seen.has(x.to))) {
      seen.add(e.to);
      next.push(e.to);
    }
  }
  return seen;
}

describe("docs/", () => {
  it("every generated part is current: run npm run docs after changing a stack", async () => {
    const expected = await generatedFiles();
    for (const [file, text] of expected) {
      const name = path.relative(PROJECT_DIR, file);
      expect(fs.existsSync(file), `${name} is missing: run npm run docs`).toBe(true);
      expect(fs.readFileSync(file, "utf8"), `${name}: run npm run docs`).toBe(text);
    }
    expect(staleGraphPages(expected), "pages no document links: run npm run docs").toEqual([]);
  }, 60_000);

  it("shows every chapter's graph and links its whole graph", () => {
    expect([...graphs.keys()].sort()).toEqual(
      ["ch2", "ch3", "ch4", "ch5", "ch6", "cluster", "kia", "practice"].sort(),
    );
    for (const file of documents()) {
      const text = fs.readFileSync(file, "utf8");
      for (const stack of graphBlocks(text).keys()) {
        expect(text, path.basename(file)).toContain(`](graphs/${stack}.full.md)`);
        expect(fs.existsSync(path.join(PROJECT_DIR, fullGraphFile(stack)))).toBe(true);
      }
    }
  });

  it.each([...CHAPTERS, "cluster", "ch2"])(
    `%s: the graph on its page has at most ${MAX_BOXES} boxes`,
    (stack) => {
      const { nodes } = readMermaid(graphs.get(stack) ?? "");
      expect(nodes.length).toBeGreaterThan(0);
      expect(nodes.length).toBeLessThanOrEqual(MAX_BOXES);
    },
  );

  it.each(CHAPTERS)(
    "%s: the cluster is one box, and everything the chapter makes comes from it",
    (stack) => {
      const mermaid = graphs.get(stack) ?? "";
      const { nodes } = readMermaid(mermaid);
      expect(nodes.filter((n) => n === CLUSTER_NODE)).toHaveLength(1);
      // Nothing of the cluster's own plumbing is drawn: no provider, no VM, no kubeadm step.
      expect(
        nodes.filter((n) => /^kubernetes_|^docker_lab|VagrantCluster|KubeadmCluster/.test(n)),
      ).toEqual([]);
      const fromCluster = reachable(mermaid, CLUSTER_NODE);
      // Passwords and keys are made on this machine, before and apart from any cluster.
      const local = /^(Random|PrivateKey_|SelfSignedCert_|CertRequest_|LocallySignedCert_)/;
      const floating = nodes.filter((n) => !fromCluster.has(n) && !local.test(n));
      expect(floating, "boxes with no path from the cluster").toEqual([]);
    },
  );
});

describe("a chapter's graph", () => {
  it("folds the VMs, kubeadm and the provider into the cluster box when the chapter builds them", async () => {
    const onCluster = learnerGraph(await runStack({ stack: "ch3" }));
    const own = await runStack({ stack: "ch3", config: { "lab:cluster.mode": "vagrant" } });
    const folded = learnerGraph(own);
    // The chapter's own VMs add dozens of resources, and not one box.
    expect(own.resources.length).toBeGreaterThan(90);
    expect(folded.nodes.map((n) => n.id).sort()).toEqual(onCluster.nodes.map((n) => n.id).sort());
    const text = toMermaid(folded);
    for (const plumbing of ["lab-control-plane", "lab-m-k8s", "lab-join-w1-k8s", "lab-vagrant"]) {
      expect(text).not.toContain(plumbing);
    }
    expect(folded.nodes.find((n) => n.id === CLUSTER_NODE)?.label).toEqual([
      "the lab cluster",
      "VMs and kubeadm of this stack",
    ]);
  });

  it("draws the provider: each Kubernetes object is made through the cluster", async () => {
    const run = await runStack({ stack: "ch3" });
    const { edges } = readMermaid(toMermaid(learnerGraph(run)));
    for (const object of ["Pod_nginx_pod", "Deployment_dpy_nginx", "StatefulSet_nfs_pvc_sts"]) {
      expect(edges).toContainEqual({ from: CLUSTER_NODE, to: object, kind: "provider" });
    }
    // The whole graph too: every object that names the provider has an arrow from it.
    const whole = readMermaid(toMermaid(fullGraph(run)));
    const provider = "kubernetes_lab_stack_cluster";
    const made = run.resources.filter((r) => r.provider?.endsWith("::lab-stack-cluster"));
    expect(made.length).toBeGreaterThan(20);
    expect(whole.edges.filter((e) => e.from === provider && e.kind === "provider")).toHaveLength(
      made.length,
    );
  });

  it("keeps every resource in the whole graph", async () => {
    const run = await runStack({ stack: "ch5" });
    const whole = fullGraph(run);
    expect(whole.nodes.length + whole.groups.length).toBe(run.resources.length);
  });
});
