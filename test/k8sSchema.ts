/**
 * Validates Kubernetes objects against the Kubernetes OpenAPI schema, as compiled by the
 * `kubernetes-models` package (one validator per apiVersion and kind).
 */
import { createRequire } from "node:module";
import { type CapturedResource, reveal } from "../tools/mockRun";

const load = createRequire(__filename);

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** The schema class for an apiVersion and kind, or undefined when the package has none. */
export function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  try {
    const mod = load(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, ModelClass>;
    return mod[kind];
  } catch {
    return undefined;
  }
}

/** Kubernetes objects among captured resources (providers, components and patches excluded). */
export function kubernetesObjects(resources: readonly CapturedResource[]): CapturedResource[] {
  return resources.filter(
    (r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.endsWith("Patch"),
  );
}

/**
 * Problems of one captured object: its schema errors, or that no schema is known for its kind.
 * Secret values are revealed first, since the API server sees them.
 */
export function schemaProblems(r: CapturedResource): string[] {
  const obj = reveal(r.inputs) as { apiVersion?: string; kind?: string };
  const where = `${r.type} ${r.name}`;
  if (!obj.apiVersion || !obj.kind) return [`${where}: no apiVersion/kind`];
  const Model = modelFor(obj.apiVersion, obj.kind);
  if (!Model) return [`${where}: no schema for ${obj.apiVersion} ${obj.kind}`];
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    return [`${where}: ${(e as Error).message}`];
  }
}
