/** Shape of a planned dependency graph: what a resource waits for, and how long the longest chain is. */
import type { CapturedResource, StackRun } from "./mockRun";

/** What a resource waits for directly: its dependencies and its provider. */
const waitsFor = (r: CapturedResource | undefined): string[] =>
  r ? [...r.dependsOn, ...(r.provider ? [r.provider] : [])] : [];

/** Every resource that `urn` waits for, directly or through others. */
export function ancestors(run: StackRun, urn: string): Set<string> {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const seen = new Set<string>();
  const visit = (u: string) => {
    for (const d of waitsFor(byUrn.get(u))) {
      if (!seen.has(d)) {
        seen.add(d);
        visit(d);
      }
    }
  };
  visit(urn);
  return seen;
}

/**
 * Number of resources on the longest chain of dependencies: the steps `pulumi up` must take one
 * after another however many it runs in parallel.
 */
export function graphDepth(run: StackRun): number {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const memo = new Map<string, number>();
  const depth = (u: string): number => {
    const known = memo.get(u);
    if (known !== undefined) return known;
    const deps = waitsFor(byUrn.get(u)).filter((d) => byUrn.has(d));
    const value = 1 + Math.max(0, ...deps.map(depth));
    memo.set(u, value);
    return value;
  };
  return Math.max(0, ...run.resources.map((r) => depth(r.urn)));
}
