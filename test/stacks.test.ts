/**
 * The stacks of the project as Pulumi runs them: index.ts, the stack files, the embedded default.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { REDACTED } from "../lib/cluster";
import { CHAPTER_KIND, type ChapterName, parseLabConfig, type RawSetting } from "../lib/config";
import { sdkInternals } from "../lib/sdk";
import { stackConfig, stackFiles } from "../tools/mockRun";
import { planDocument } from "../tools/plan";
import { find, inputsOf, runStack } from "./harness";
import { kubernetesObjects, schemaProblems } from "./k8sSchema";

describe("index.ts", () => {
  it("builds the chapter named by lab:chapter and exports its outputs", async () => {
    await pulumi.runtime.setMocks(
      { newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: () => ({}) },
      "lab",
      "dev",
      false,
    );
    pulumi.runtime.setAllConfig({ "lab:chapter": "practice", "lab:cluster.mode": "render" });
    // A promise of the outputs, which Pulumi awaits (stack mode reads another stack first).
    const program = (await (await import("../index.js")).default) as Record<string, unknown>;
    await sdkInternals.waitForRPCs();
    expect(program.chapter).toBe("practice");
    expect(program.replicaSet).toMatchObject({ replicas: 3 });
    expect(program.rollout).toMatchObject({ image: "nginx:1.10" });
  });
});

describe("the stack files", () => {
  it("there is the embedded default dev, ch2 and the practice stack", () => {
    expect(stackFiles()).toEqual(expect.arrayContaining(["ch2", "dev", "practice"]));
  });

  for (const stack of stackFiles()) {
    it(`Pulumi.${stack}.yaml plans, and every Kubernetes object passes the schema`, async () => {
      const run = await runStack({ stack });
      const objects = kubernetesObjects(run.resources);
      // Chapter 2 builds VMs only, the cluster stack the lab cluster; every other chapter builds
      // Kubernetes objects.
      const kind = CHAPTER_KIND[run.outputs.chapter as ChapterName];
      expect(objects.length > 0).toBe(kind !== "vms" && kind !== "cluster");
      expect(objects.flatMap(schemaProblems)).toEqual([]);
    });

    it(`Pulumi.${stack}.yaml holds only what differs from the defaults`, () => {
      const { config } = stackConfig(stack);
      const raw = (c: Record<string, string>) =>
        Object.fromEntries(
          Object.entries(c).map(([k, value]): [string, RawSetting] => [
            k,
            { value, secret: false },
          ]),
        );
      const full = JSON.stringify(parseLabConfig(stack, raw(config)));
      for (const key of Object.keys(config)) {
        const without = { ...config };
        delete without[key];
        let rest: string | undefined;
        try {
          rest = JSON.stringify(parseLabConfig(stack, raw(without)));
        } catch {
          rest = undefined; // the key is needed for the stack to be valid at all
        }
        expect(rest, `${key} repeats its default`).not.toBe(full);
      }
    });
  }
});

describe("dev, the embedded default", () => {
  it("needs no VM and no cluster: the provider only writes chapter 3's manifests to rendered/dev", async () => {
    // On a machine without $KUBECONFIG (the SDK would hand it to the provider).
    vi.stubEnv("KUBECONFIG", "");
    const run = await runStack({ stack: "dev" }).finally(() => vi.unstubAllEnvs());
    expect(run.outputs.chapter).toBe("ch3");
    const providers = run.resources.filter((r) => r.type.startsWith("pulumi:providers:"));
    expect(providers.map((p) => p.type)).toEqual(["pulumi:providers:kubernetes"]);
    expect(providers[0].inputs.renderYamlToDirectory).toBe("rendered/dev");
    expect(providers[0].inputs.kubeconfig).toBeUndefined();
    expect(run.resources.filter((r) => /^(command|docker):/.test(r.type))).toEqual([]);
    expect(run.outputs.cluster).toContain("rendered/dev");
  });

  it("rendered files carry no secret: the Secret's values are replaced in render mode", async () => {
    const secrets = {
      "lab:practice.apiKeyId": "asa-id-value",
      "lab:practice.apiKey": "aBcD123-key-value",
    };
    // The practice chapter is the one with a Secret; rendered the same way as dev's own chapter.
    const run = await runStack({ stack: "dev", config: { "lab:chapter": "practice" }, secrets });
    expect(inputsOf(find(run, "kubernetes:core/v1:Secret", "apikey")).stringData).toEqual({
      id: REDACTED,
      key: REDACTED,
    });
    const everything = JSON.stringify(planDocument(run));
    for (const value of Object.values(secrets)) expect(everything).not.toContain(value);
  });
});
