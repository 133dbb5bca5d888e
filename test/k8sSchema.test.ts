/** The schema check itself must be able to fail. */
import { describe, expect, it } from "vitest";
import type { CapturedResource } from "../tools/mockRun";
import { schemaProblems } from "./k8sSchema";

const captured = (inputs: Record<string, unknown>): CapturedResource => ({
  urn: "urn:pulumi:test::lab::kubernetes:apps/v1:Deployment::x",
  type: "kubernetes:apps/v1:Deployment",
  name: "x",
  custom: true,
  dependsOn: [],
  inputs,
  outputs: inputs,
});

const deployment = (replicas: unknown) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "x" },
  spec: {
    replicas,
    selector: { matchLabels: { app: "x" } },
    template: {
      metadata: { labels: { app: "x" } },
      spec: { containers: [{ name: "x", image: "nginx" }] },
    },
  },
});

describe("Kubernetes schema validation", () => {
  it("accepts a valid Deployment", () => {
    expect(schemaProblems(captured(deployment(3)))).toEqual([]);
  });

  it("reports a wrong type with its path", () => {
    expect(schemaProblems(captured(deployment("3")))).toEqual([
      expect.stringContaining("/spec/replicas must be integer"),
    ]);
  });

  it("reports a missing required field", () => {
    const d = deployment(3);
    const spec = { ...d.spec, template: { spec: { containers: [{ image: "nginx" }] } } };
    expect(schemaProblems(captured({ ...d, spec })).join()).toContain(
      "containers/0 must have required property name",
    );
  });

  it("reports a kind it has no schema for instead of passing it", () => {
    expect(schemaProblems(captured({ apiVersion: "example.com/v1", kind: "Widget" }))).toEqual([
      expect.stringContaining("no schema for example.com/v1 Widget"),
    ]);
  });
});
