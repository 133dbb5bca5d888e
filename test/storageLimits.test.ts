/**
 * 3.4.3's storage limits on the lab cluster that chapters share: a LimitRange or ResourceQuota
 * refuses claims in its own namespace only, so no chapter's claim may share a namespace with one
 * that refuses it, in whichever order the chapters come; and the book's demonstration still works
 * where the limits are.
 */
import { describe, expect, it } from "vitest";
import { CH3 } from "../lib/book";
import { type CapturedResource, inputsOf, runStack } from "./harness";

const PVC = "kubernetes:core/v1:PersistentVolumeClaim";
const LIMIT_RANGE = "kubernetes:core/v1:LimitRange";
const QUOTA = "kubernetes:core/v1:ResourceQuota";
const NAMESPACE = "kubernetes:core/v1:Namespace";

/** The suffixes of a Kubernetes quantity, decimal and binary. */
const UNITS: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** Bytes of a Kubernetes quantity such as 10Mi, 10Gi or 500M. */
function bytes(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(quantity);
  const unit = m ? UNITS[m[2]] : undefined;
  if (!m || unit === undefined) throw new Error(`not a quantity: ${quantity}`);
  return Number(m[1]) * unit;
}

interface Claim {
  readonly owner: string;
  readonly name: string;
  readonly namespace: string;
  readonly request: string;
}

const namespaceOf = (r: CapturedResource) => inputsOf(r).metadata?.namespace ?? "default";

function claimsOf(owner: string, resources: readonly CapturedResource[]): Claim[] {
  return resources
    .filter((r) => r.type === PVC)
    .map((r) => ({
      owner,
      name: inputsOf(r).metadata.name,
      namespace: namespaceOf(r),
      request: inputsOf(r).spec.resources.requests.storage,
    }));
}

/**
 * Why the API server refuses `claim` given these LimitRanges and ResourceQuotas and the other
 * claims, as its admission does on create and update:
 *   - LimitRanger, for type PersistentVolumeClaim, holds spec.resources.requests.storage between
 *     min and max (kubernetes/kubernetes v1.36.0 plugin/pkg/admission/limitranger/admission.go:
 *     PersistentVolumeClaimValidateLimitFunc, lines 447-470, maxRequestConstraint 328-339; the
 *     handler is for Create and Update, line 206);
 *   - a ResourceQuota counts every claim of its namespace, one each for `persistentvolumeclaims`
 *     and its request for `requests.storage` (pkg/quota/v1/evaluator/core/persistent_volume_claims.go,
 *     pvcEvaluator.Usage, lines 189-215).
 */
function refusals(
  claim: Claim,
  claims: readonly Claim[],
  limits: readonly CapturedResource[],
): string[] {
  const why: string[] = [];
  const same = (r: CapturedResource) => namespaceOf(r) === claim.namespace;
  for (const range of limits.filter((r) => r.type === LIMIT_RANGE && same(r))) {
    for (const l of inputsOf(range).spec.limits) {
      if (l.type !== "PersistentVolumeClaim") continue;
      if (l.max?.storage && bytes(claim.request) > bytes(l.max.storage)) {
        why.push(`${inputsOf(range).metadata.name}: max ${l.max.storage} per claim`);
      }
      if (l.min?.storage && bytes(claim.request) < bytes(l.min.storage)) {
        why.push(`${inputsOf(range).metadata.name}: min ${l.min.storage} per claim`);
      }
    }
  }
  const neighbours = claims.filter((c) => c.namespace === claim.namespace);
  const total = neighbours.reduce((sum, c) => sum + bytes(c.request), 0);
  for (const quota of limits.filter((r) => r.type === QUOTA && same(r))) {
    const hard = inputsOf(quota).spec.hard;
    const name = inputsOf(quota).metadata.name;
    if (hard.persistentvolumeclaims && neighbours.length > Number(hard.persistentvolumeclaims)) {
      why.push(`${name}: ${neighbours.length} claims, ${hard.persistentvolumeclaims} allowed`);
    }
    if (hard["requests.storage"] && total > bytes(hard["requests.storage"])) {
      why.push(`${name}: requests.storage ${hard["requests.storage"]} for the namespace`);
    }
  }
  return why;
}

describe("3.4.3 storage limits on the shared lab cluster", () => {
  it("quantities read as the API server reads them", () => {
    expect(bytes("5Mi")).toBe(5 * 1024 * 1024);
    expect(bytes("10Gi")).toBe(10 * 1024 ** 3);
    expect(bytes("25Mi")).toBeLessThan(bytes("10Gi"));
    expect(bytes("500M")).toBe(500e6);
  });

  it("no chapter's claim shares a namespace with a LimitRange or ResourceQuota that refuses it", async () => {
    const ch3 = await runStack({ stack: "ch3", config: { "lab:ch3.storageLimits": "true" } });
    const limits = ch3.resources.filter((r) => r.type === LIMIT_RANGE || r.type === QUOTA);
    // The book's two objects are there at all (limits-pvc.yaml, quota-pvc.yaml).
    expect(limits.map((r) => r.type).sort()).toEqual([LIMIT_RANGE, QUOTA]);
    const claims = [...claimsOf("ch3", ch3.resources)];
    for (const stack of ["ch4", "ch5", "ch6", "kia", "practice"]) {
      claims.push(...claimsOf(stack, (await runStack({ stack })).resources));
    }
    // Chapter 5's Jenkins claim and chapter 6's claims are among them (10Gi each).
    expect(claims.filter((c) => c.owner === "ch5" || c.owner === "ch6").length).toBeGreaterThan(1);
    const refused = claims.flatMap((c) =>
      refusals(c, claims, limits).map((why) => `${c.owner} ${c.namespace}/${c.name}: ${why}`),
    );
    expect(refused).toEqual([]);
  });

  it("the limits keep the book's names and values in a namespace of their own, where the book's 10Mi claim is refused", async () => {
    const ch3 = await runStack({ stack: "ch3", config: { "lab:ch3.storageLimits": "true" } });
    const range = ch3.resources.find((r) => r.type === LIMIT_RANGE) as CapturedResource;
    const quota = ch3.resources.find((r) => r.type === QUOTA) as CapturedResource;
    // sysnet4admin/_Book_k8sInfra ch3/3.4.3/limits-pvc.yaml and quota-pvc.yaml.
    expect(inputsOf(range).metadata.name).toBe("storagelimits");
    expect(inputsOf(range).spec.limits).toEqual([
      { type: "PersistentVolumeClaim", max: { storage: "5Mi" }, min: { storage: "1Mi" } },
    ]);
    expect(inputsOf(quota).metadata.name).toBe("storagequota");
    expect(inputsOf(quota).spec.hard).toEqual({
      persistentvolumeclaims: "5",
      "requests.storage": "25Mi",
    });
    const namespace = namespaceOf(range);
    expect(namespace).not.toBe("default");
    expect(namespaceOf(quota)).toBe(namespace);
    const made = ch3.resources.filter((r) => r.type === NAMESPACE).map((r) => r.name);
    expect(made).toContain(namespace);
    const ns = ch3.resources.find((r) => r.type === NAMESPACE && r.name === namespace);
    expect(range.dependsOn).toContain(ns?.urn);
    // The book's nfs-pvc.yaml (10Mi, ch3/3.4.3/nfs-pvc.yaml) applied there: refused by the range.
    const demo: Claim = { owner: "reader", name: "nfs-pvc", namespace, request: "10Mi" };
    expect(refusals(demo, [demo], [range, quota])).toEqual(["storagelimits: max 5Mi per claim"]);
    // And ch3's own nfs-pvc stays where the book made it.
    expect(claimsOf("ch3", ch3.resources).map((c) => c.namespace)).toEqual(["default"]);
  });

  it("without lab:ch3.storageLimits there is neither the namespace nor the limits", async () => {
    const ch3 = await runStack({ stack: "ch3" });
    expect(ch3.resources.filter((r) => r.type === LIMIT_RANGE || r.type === QUOTA)).toEqual([]);
    const names = ch3.resources.filter((r) => r.type === NAMESPACE).map((r) => r.name);
    expect(names).not.toContain(CH3.nfs.limitsNamespace);
  });
});
