/**
 * What `npm run lab -- <stack> destroy` does before Pulumi's destroy, which does not run the
 * program and so cannot start a VM: the steps that run on the lab's VMs (NFS exports, kubeadm,
 * Docker) undo themselves over SSH, so halted VMs (a machine that rebooted) are started first; and
 * when the VMs are gone (destroyed by hand, or in VirtualBox), what lived on them went with them,
 * so it is dropped from the state instead of waiting on a machine that no longer exists.
 */

import { messages } from "../lib/messages";

/** One resource of an exported state (`pulumi stack export`), with the fields this reads. */
export interface StateResource {
  urn: string;
  type: string;
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  deletedWith?: string;
  [key: string]: unknown;
}

/**
 * Resources that exist only on the VMs or in the cluster they run: commands run over SSH, Docker
 * objects on a node, Kubernetes objects. Providers and what runs on this machine stay.
 */
export function livesOnVms(type: string): boolean {
  return (
    type.startsWith("command:remote:") ||
    type.startsWith("docker:") ||
    type.startsWith("kubernetes:")
  );
}

/**
 * The state without the resources that lived on gone VMs (and their children), the references of
 * the others to them removed. Returns the new resource list and the URNs dropped.
 */
export function forgetGoneVms(resources: readonly StateResource[]): {
  resources: StateResource[];
  dropped: string[];
} {
  const dropped = new Set(resources.filter((r) => livesOnVms(r.type)).map((r) => r.urn));
  // Children of a dropped resource (a chart's objects) go with it.
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of resources) {
      if (r.parent && dropped.has(r.parent) && !dropped.has(r.urn)) {
        dropped.add(r.urn);
        grew = true;
      }
    }
  }
  const kept = resources
    .filter((r) => !dropped.has(r.urn))
    .map((r) => {
      const out: StateResource = { ...r };
      if (r.dependencies) out.dependencies = r.dependencies.filter((d) => !dropped.has(d));
      if (r.propertyDependencies) {
        out.propertyDependencies = Object.fromEntries(
          Object.entries(r.propertyDependencies).map(([k, v]) => [
            k,
            v.filter((d) => !dropped.has(d)),
          ]),
        );
      }
      if (r.deletedWith && dropped.has(r.deletedWith)) delete out.deletedWith;
      return out;
    });
  return { resources: kept, dropped: [...dropped] };
}

/** What to do before destroy, from the VMs' states (`vm.js states`) and the stack's state. */
export type BeforeDestroy =
  | { readonly action: "nothing" }
  | { readonly action: "start"; readonly stopped: readonly string[] }
  | { readonly action: "forget"; readonly count: number };

export function beforeDestroy(
  vmStates: Readonly<Record<string, string>>,
  resources: readonly StateResource[],
): BeforeDestroy {
  const onVms = resources.filter((r) => livesOnVms(r.type)).length;
  if (onVms === 0) return { action: "nothing" };
  const states = Object.entries(vmStates);
  const stopped = states
    .filter(([, s]) => s !== "running" && s !== "not_created")
    .map(([vm, s]) => `${vm}: ${s}`);
  if (stopped.length > 0) return { action: "start", stopped };
  if (states.every(([, s]) => s === "not_created")) return { action: "forget", count: onVms };
  return { action: "nothing" };
}

/** What the reader is told when the VMs are gone. */
export function goneNote(stack: string, owner: string, count: number): string {
  return messages().vmsGone(stack, owner, count);
}
