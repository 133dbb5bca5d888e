/**
 * Test helpers over the mock runner: run a stack, find what it registered, compare two plans.
 */
import { expect } from "vitest";
import {
  type CapturedResource,
  lastRegistrations,
  reveal,
  runStack,
  type StackRun,
} from "../tools/mockRun";

export type { CapturedResource, StackRun };
export { lastRegistrations, reveal, runStack };

/** The one resource of this type and name; fails the test when there is none or several. */
export function find(run: StackRun, type: string, name: string): CapturedResource {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).toHaveLength(1);
  return found[0];
}

/** The resource's inputs with secrets revealed, typed loosely for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary Kubernetes object shapes.
export function inputsOf(r: CapturedResource): any {
  return reveal(r.inputs);
}

/**
 * URNs of resources added, removed, or whose inputs, parent, dependencies or provider differ between
 * two plans. With `inputsOnly`, only inputs count, as for Pulumi's own diff (a new dependency alone
 * does not update a resource).
 */
export function changed(
  a: StackRun,
  b: StackRun,
  options: { inputsOnly?: boolean } = {},
): string[] {
  const key = (r: CapturedResource) =>
    JSON.stringify(
      reveal(
        options.inputsOnly
          ? r.inputs
          : {
              parent: r.parent,
              dependsOn: [...r.dependsOn].sort(),
              provider: r.provider,
              inputs: r.inputs,
            },
      ),
    );
  const before = new Map(a.resources.map((r) => [r.urn, key(r)]));
  const after = new Map(b.resources.map((r) => [r.urn, key(r)]));
  const urns = new Set([...before.keys(), ...after.keys()]);
  return [...urns].filter((u) => before.get(u) !== after.get(u)).sort();
}

/** A short name for a URN: `<type>::<name>`. */
export function urnName(urn: string): string {
  const parts = urn.split("::");
  return `${parts[2].split("$").pop()}::${parts[3]}`;
}
