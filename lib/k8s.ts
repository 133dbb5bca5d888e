import type * as k8s from "@pulumi/kubernetes";
import { BOOK_NAMESPACE } from "./book";

type Meta = k8s.types.input.meta.v1.ObjectMeta;

/** Metadata with the book's exact name in the book's namespace, so `kubectl` sees what the book shows. */
export function bookMeta(name: string, extra: Omit<Meta, "name" | "namespace"> = {}): Meta {
  return { name, namespace: BOOK_NAMESPACE, ...extra };
}

/** Annotation that stops `pulumi up` from waiting on an object's readiness. */
export const SKIP_AWAIT = { "pulumi.com/skipAwait": "true" } as const;

/**
 * The annotation `kubectl ... --record` wrote; the Deployment controller copies it to each new
 * ReplicaSet, which is what `kubectl rollout history` prints as CHANGE-CAUSE.
 */
export const CHANGE_CAUSE = "kubernetes.io/change-cause";
