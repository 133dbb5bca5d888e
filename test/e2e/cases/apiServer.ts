/**
 * What the real API server says of the objects the program sends: defaulting, validation and
 * admission of every stack's Kubernetes objects as the plan registers them (`kubectl apply
 * --dry-run=server`). It needs no provider plugin. Patches and charts aside: a NodePatch is not an
 * object of its own, and a chart's objects come from the provider's Helm (a release, or rendered in
 * render mode); the cases that install the stand-in charts check those.
 */
import * as path from "node:path";
import { reveal, runStack, stackFiles } from "../../../tools/mockRun";
import { kubernetesObjects } from "../../k8sSchema";
import { type Case, check } from "../runner";

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** Stand-in definitions of MetalLB's custom resources, so that the server knows the kinds. */
export const STANDIN_CRDS = path.join(__dirname, "..", "charts", "metallb", "crds", "crds.yaml");

export const apiServerCases: Case[] = [
  {
    name: "api server: every stack's objects pass kubectl apply --dry-run=server",
    async run(ctx) {
      const cp = await ctx.controlPlane();
      cp.kubectl(["apply", "-f", STANDIN_CRDS]);
      cp.kubectl(["wait", "--for=condition=Established", "crd", "--all", "--timeout=60s"]);
      let total = 0;
      const problems: string[] = [];
      const namespaces = new Set<string>();
      for (const stack of stackFiles()) {
        const run = await runStack({ stack });
        const objects = kubernetesObjects(run.resources)
          .filter((r) => !r.type.endsWith("Patch"))
          .map((r) => reveal(r.inputs) as K8sObject);
        // Namespaces exist for real first, as the provider creates them before their objects.
        for (const ns of objects.filter((o) => o.kind === "Namespace")) {
          cp.kubectl(["apply", "-f", "-"], { input: JSON.stringify(ns) });
          namespaces.add(ns.metadata.name);
        }
        for (const o of objects) {
          const r = cp.kubectlRun(
            ["apply", "--dry-run=server", "--server-side", "--field-manager=e2e", "-f", "-"],
            JSON.stringify(o),
          );
          total++;
          if (r.status !== 0) {
            problems.push(`${stack} ${o.kind}/${o.metadata.name}: ${r.stderr.trim()}`);
          }
        }
      }
      // What was made for real goes again: the later cases install these themselves.
      cp.kubectl(["delete", "namespace", "--wait=true", ...namespaces]);
      cp.kubectl(["delete", "-f", STANDIN_CRDS, "--wait=true"]);
      check(problems.length === 0, problems.join("\n"));
      return `${total} objects of ${stackFiles().length} stacks accepted`;
    },
  },
];
