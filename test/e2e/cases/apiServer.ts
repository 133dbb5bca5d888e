/**
 * What the real API server says of the objects the program sends: defaulting, validation and
 * admission of every stack's Kubernetes objects as the plan registers them (`kubectl apply
 * --dry-run=server`). It needs no provider plugin. Patches and charts aside: a NodePatch is not an
 * object of its own, and a chart's objects come from the provider's Helm (a release, or rendered in
 * render mode); the cases that install the stand-in charts check those.
 */
import * as path from "node:path";
import { CH3 } from "../../../lib/book";
import { reveal, runStack, stackFiles } from "../../../tools/mockRun";
import { kubernetesObjects } from "../../k8sSchema";
import { type Case, check } from "../runner";

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
}

/** The Kubernetes objects of a stack's plan, as the provider sends them. */
async function planObjects(stack: string, config?: Record<string, string>): Promise<K8sObject[]> {
  const run = await runStack({ stack, config });
  return kubernetesObjects(run.resources)
    .filter((r) => !r.type.endsWith("Patch"))
    .map((r) => reveal(r.inputs) as K8sObject);
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
  {
    name: "api server: ch3's storage limits beside chapter 5's and 6's claims on one cluster, in either order",
    async run(ctx) {
      const cp = await ctx.controlPlane();
      const apply = (o: K8sObject, dryRun = false) =>
        cp.kubectlRun(
          ["apply", ...(dryRun ? ["--dry-run=server"] : []), "--server-side", "-f", "-"],
          JSON.stringify(o),
        );
      const ch3 = await planObjects("ch3", { "lab:ch3.storageLimits": "true" });
      const limits = ch3.filter((o) => ["LimitRange", "ResourceQuota"].includes(o.kind));
      check(limits.length === 2, `ch3 with storageLimits plans ${limits.length} limits`);
      const namespaces = ch3.filter(
        (o) =>
          o.kind === "Namespace" && limits.some((l) => l.metadata.namespace === o.metadata.name),
      );
      const claims = [...(await planObjects("ch5")), ...(await planObjects("ch6"))].filter(
        (o) => o.kind === "PersistentVolumeClaim",
      );
      check(claims.length > 0, "chapters 5 and 6 plan no claims");
      const refused = (r: { status: number | null; stderr: string }, o: K8sObject) =>
        r.status === 0
          ? []
          : [`${o.metadata.namespace ?? "default"}/${o.metadata.name}: ${r.stderr.trim()}`];
      const made: K8sObject[] = [];
      try {
        // Chapters 5 and 6 first, for real; then ch3 puts its limits; then the chapters' next up.
        const first = claims.flatMap((o) => {
          made.push(o);
          return refused(apply(o), o);
        });
        check(first.length === 0, `claims refused before the limits:\n${first.join("\n")}`);
        for (const o of [...namespaces, ...limits]) {
          made.push(o);
          const r = apply(o);
          check(r.status === 0, `${o.kind}/${o.metadata.name}: ${r.stderr.trim()}`);
        }
        const again = claims.flatMap((o) => refused(apply(o, true), o));
        check(again.length === 0, `claims refused once ch3's limits stand:\n${again.join("\n")}`);
        // The other order: a chapter's claim made anew while the limits stand.
        const anew = claims.flatMap((o) => {
          const renamed = { ...o, metadata: { ...o.metadata, name: `${o.metadata.name}-anew` } };
          return refused(apply(renamed, true), renamed);
        });
        check(
          anew.length === 0,
          `new claims refused while ch3's limits stand:\n${anew.join("\n")}`,
        );
        // The book's own claim (nfs-pvc, 10Mi) where the limits stand is refused, as 3.4.3 shows.
        const bookClaim = ch3.find(
          (o) => o.kind === "PersistentVolumeClaim" && o.metadata.name === CH3.nfs.pvc.name,
        );
        check(bookClaim, `ch3 plans no ${CH3.nfs.pvc.name}`);
        const there = {
          ...bookClaim,
          metadata: { ...bookClaim.metadata, namespace: limits[0].metadata.namespace },
        };
        const r = apply(there, true);
        check(r.status !== 0, `${CH3.nfs.pvc.name} was accepted beside ${CH3.nfs.limitRange.name}`);
        check(
          /maximum storage usage per PersistentVolumeClaim is 5Mi, but request is 10Mi/.test(
            r.stderr,
          ),
          `${CH3.nfs.pvc.name} refused for another reason: ${r.stderr.trim()}`,
        );
        return `${claims.length} claims of chapters 5 and 6 accepted before and after ${limits
          .map((l) => `${l.kind}/${l.metadata.name}`)
          .join(" and ")} in ${limits[0].metadata.namespace}; the book's 10Mi claim there refused`;
      } finally {
        for (const o of made.reverse()) {
          cp.kubectlRun(
            ["delete", "--ignore-not-found", "--wait=false", "-f", "-"],
            JSON.stringify(o),
          );
        }
      }
    },
  },
];
