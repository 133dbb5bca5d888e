/**
 * Validates Kubernetes objects against the Kubernetes OpenAPI schema, as compiled by the
 * `kubernetes-models` package (one validator per apiVersion and kind).
 */
import { createRequire } from "node:module";
import { type CapturedResource, reveal } from "../tools/mockRun";
import { CUSTOM_RESOURCE_SCHEMAS } from "./crdSchemas";

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

/**
 * Kubernetes objects among captured resources: everything the Kubernetes provider creates except
 * Helm charts, which are rendered by the provider (their values are checked by the tests).
 * Patches (a NodePatch for cordon) are checked against their kind's schema too.
 */
export function kubernetesObjects(resources: readonly CapturedResource[]): CapturedResource[] {
  return resources.filter(
    (r) =>
      r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/"),
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
  const custom = CUSTOM_RESOURCE_SCHEMAS[`${obj.apiVersion}/${obj.kind}`];
  if (custom) {
    const result = custom.safeParse(obj);
    return result.success
      ? []
      : result.error.issues.map((i) => `${where}: /${i.path.join("/")} ${i.message}`);
  }
  const Model = modelFor(obj.apiVersion, obj.kind);
  if (!Model) return [`${where}: no schema for ${obj.apiVersion} ${obj.kind}`];
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    return [`${where}: ${(e as Error).message}`];
  }
}
