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

describe("custom resource schemas", () => {
  const pool = (spec: unknown) => ({
    urn: "urn:pulumi:test::lab::kubernetes:metallb.io/v1beta1:IPAddressPool::p",
    type: "kubernetes:metallb.io/v1beta1:IPAddressPool",
    name: "p",
    custom: true,
    dependsOn: [],
    inputs: {
      apiVersion: "metallb.io/v1beta1",
      kind: "IPAddressPool",
      metadata: { name: "p", namespace: "metallb-system" },
      spec,
    },
    outputs: {},
  });
  it("accepts a MetalLB pool of first-last addresses", () => {
    expect(schemaProblems(pool({ addresses: ["192.168.56.11-192.168.56.13"] }))).toEqual([]);
  });
  it("refuses a malformed range and a misspelt field", () => {
    expect(schemaProblems(pool({ addresses: ["192.168.56.11-13"] })).join()).toContain(
      "/spec/addresses/0",
    );
    expect(schemaProblems(pool({ adresses: ["192.168.56.0/24"] })).join()).toContain("adresses");
  });
});
