import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parseLabConfig, type RawSetting } from "../lib/config";
import { ConfigError } from "../lib/errors";
import { lastRegistrations, runStack } from "./harness";

const plain = (value: string): RawSetting => ({ value, secret: false });
const secret = (value: string): RawSetting => ({ value, secret: true });

function problemsOf(stack: string, raw: Record<string, RawSetting>): string[] {
  try {
    parseLabConfig(stack, raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect(pulumi.RunError.isInstance(e), "printed without a stack trace").toBe(true);
    return [...(e as ConfigError).problems];
  }
  throw new Error("the configuration was accepted");
}

const resolved = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("settings default to the book's values", () => {
  it("practice: replicaset-nginx 3, nginx:1.10, project.id hello-docker, Service on green (seed 004)", () => {
    expect(parseLabConfig("practice", {}).settings).toMatchObject({
      replicaSetReplicas: 3,
      nginxTag: "1.10",
      projectId: "hello-docker",
      activeColor: "green",
    });
  });

  it("host-only prefix 192.168.56 by default, the book's 192.168.1 one value away (catalog.md)", () => {
    expect(parseLabConfig("practice", {}).network.prefix).toBe("192.168.56");
    expect(
      parseLabConfig("practice", { "lab:network.prefix": plain("192.168.1") }).network.prefix,
    ).toBe("192.168.1");
  });

  it("chapter stacks default to the vagrant lab cluster; render mode writes to rendered/<stack>", () => {
    const c = parseLabConfig("practice", {});
    expect(c.chapter).toBe("practice");
    expect(c.cluster.mode).toBe("vagrant");
    expect(c.cluster.renderDir).toBe("rendered/practice");
  });

  it("a stack named otherwise picks its chapter with lab:chapter", () => {
    expect(parseLabConfig("dev", { "lab:chapter": plain("practice") }).chapter).toBe("practice");
  });
});

describe("settings can be written as flat keys or with --path", () => {
  it("replicaset-nginx-4pods.yaml: lab:practice.replicaSetReplicas 4 arrives as the number 4", () => {
    const c = parseLabConfig("practice", { "lab:practice.replicaSetReplicas": plain("4") });
    expect(c.settings).toMatchObject({ replicaSetReplicas: 4 });
  });

  it("an object set with --path is read the same", () => {
    const c = parseLabConfig("practice", {
      "lab:practice": plain(JSON.stringify({ activeColor: "blue", replicaSetReplicas: 4 })),
    });
    expect(c.settings).toMatchObject({ activeColor: "blue", replicaSetReplicas: 4 });
  });

  it("secret.yaml: lab:practice.apiKey set with --secret becomes a secret Output", async () => {
    const c = parseLabConfig("practice", { "lab:practice.apiKey": secret("aBcD123") });
    const apiKey = (c.settings as { apiKey?: pulumi.Output<string> }).apiKey;
    expect(apiKey).toBeDefined();
    expect(await pulumi.isSecret(apiKey as pulumi.Output<string>)).toBe(true);
    expect(await resolved(apiKey as pulumi.Output<string>)).toBe("aBcD123");
  });

  it("a kubeconfig is a plain path, or its contents as a secret", async () => {
    const kubeconfigMode = { "lab:cluster.mode": plain("kubeconfig") };
    const path = parseLabConfig("practice", {
      ...kubeconfigMode,
      "lab:cluster.kubeconfig": plain("/home/me/.kube/kind"),
    });
    expect(path.cluster.kubeconfig).toBe("/home/me/.kube/kind");
    const contents = parseLabConfig("practice", {
      ...kubeconfigMode,
      "lab:cluster.kubeconfig": secret("apiVersion: v1\n"),
    });
    expect(await pulumi.isSecret(contents.cluster.kubeconfig as pulumi.Output<string>)).toBe(true);
  });

  it("--path --secret marks the whole object secret; plain siblings are still read", () => {
    const c = parseLabConfig("practice", {
      "lab:practice": secret(JSON.stringify({ apiKey: "aBcD123", activeColor: "blue" })),
    });
    expect(c.settings).toMatchObject({ activeColor: "blue" });
  });
});

describe("bad configuration stops with the key, the value and what is allowed", () => {
  it("a setting of another cluster mode is refused, not ignored; in stack mode it goes to the cluster's stack", () => {
    const [workers] = problemsOf("ch3", {
      "lab:cluster.mode": plain("stack"),
      "lab:cluster.workers": plain("4"),
    });
    expect(workers).toBe(
      "lab:cluster.workers: the lab cluster of stack cluster decides this; set it there (npm run lab -- cluster config set lab:cluster.workers ...), or remove it here",
    );
    const [path] = problemsOf("practice", {
      "lab:cluster.mode": plain("vagrant"),
      "lab:cluster.kubeconfig": plain("/home/me/.kube/kind"),
    });
    expect(path).toBe(
      "lab:cluster.kubeconfig: used only in kubeconfig mode, and lab:cluster.mode is vagrant; remove it or change the mode",
    );
  });

  it("service.yaml selects a color: lab:practice.activeColor purple is refused", () => {
    const [p] = problemsOf("practice", { "lab:practice.activeColor": plain("purple") });
    expect(p).toContain("lab:practice.activeColor");
    expect(p).toContain('"purple"');
    expect(p).toContain("must be one of: blue, green");
  });

  it("replicas must be a whole number", () => {
    for (const bad of ["four", "2.5", "-1", "21"]) {
      const [p] = problemsOf("practice", { "lab:practice.replicaSetReplicas": plain(bad) });
      expect(p).toContain("lab:practice.replicaSetReplicas");
      expect(p).toContain("must be a whole number from 0 to 20");
      expect(p).toContain(JSON.stringify(bad));
    }
  });

  it("a misspelt key is named, with the likely intended key", () => {
    const [p] = problemsOf("practice", { "lab:practice.activeColour": plain("blue") });
    expect(p).toContain("lab:practice.activeColour: not a setting of this stack");
    expect(p).toContain("Did you mean lab:practice.activeColor?");
  });

  it("an unknown chapter lists the known chapters", () => {
    const [p] = problemsOf("dev", { "lab:chapter": plain("ch9") });
    expect(p).toContain("lab:chapter");
    expect(p).toContain('"ch9" is not a chapter');
    expect(p).toContain("known chapters: ch2, cluster, ch3, ch4, ch5, ch6, kia, practice");
  });

  it("a stack whose name is not a chapter needs lab:chapter", () => {
    const [p] = problemsOf("mylab", {});
    expect(p).toContain('lab:chapter: not set, and the stack name "mylab" is not a chapter');
  });

  it("an unknown cluster mode lists the modes", () => {
    const [p] = problemsOf("practice", { "lab:cluster.mode": plain("minikube") });
    expect(p).toContain(
      'lab:cluster.mode: must be one of: vagrant, stack, kubeconfig, render (got "minikube")',
    );
  });

  it("keys must be secrets: a plain lab:practice.apiKey is refused and not echoed", () => {
    const [p] = problemsOf("practice", { "lab:practice.apiKey": plain("aBcD123") });
    expect(p).toContain("lab:practice.apiKey: must be set as a secret");
    expect(p).not.toContain("aBcD123");
  });

  it("kubeconfig contents carry credentials: refused in plain text and not echoed", () => {
    const contents = "apiVersion: v1\nusers:\n- name: admin\n  user: {token: s3cr3t-token}\n";
    const [p] = problemsOf("practice", { "lab:cluster.kubeconfig": plain(contents) });
    expect(p).toContain("lab:cluster.kubeconfig: holds kubeconfig contents");
    expect(p).toContain("--secret");
    expect(p).not.toContain("s3cr3t-token");
  });

  it("the host-only prefix must be three octets", () => {
    for (const bad of ["192.168.56.0", "192.168.300", "vboxnet0"]) {
      const [p] = problemsOf("practice", { "lab:network.prefix": plain(bad) });
      expect(p).toContain("lab:network.prefix: must be three octets such as 192.168.56");
    }
  });

  it("set image nginx=nginx:<tag>: the tag must be an image tag", () => {
    const [p] = problemsOf("practice", { "lab:practice.nginxTag": plain("1.11 --record") });
    expect(p).toContain("lab:practice.nginxTag: must be an image tag such as 1.11");
  });

  it("the project id is printed by the web page, so it cannot carry quotes", () => {
    const [p] = problemsOf("practice", { "lab:practice.projectId": plain('hello"docker') });
    expect(p).toContain("lab:practice.projectId");
  });

  it("the render folder stays inside the project", () => {
    const [p] = problemsOf("dev", {
      "lab:chapter": plain("practice"),
      "lab:cluster.renderDir": plain("../out"),
    });
    expect(p).toContain("lab:cluster.renderDir: must be a folder inside the project");
  });

  it("every problem is reported at once", () => {
    const problems = problemsOf("practice", {
      "lab:practice.activeColor": plain("purple"),
      "lab:cluster.mode": plain("cloud"),
      "lab:practice.replicaSetReplicas": plain("many"),
    });
    expect(problems).toHaveLength(3);
  });
});

describe("nothing is registered when the stack cannot run", () => {
  it("bad configuration stops before the first resource", async () => {
    await expect(
      runStack({ stack: "practice", config: { "lab:practice.activeColor": "purple" } }),
    ).rejects.toThrow(/lab:practice\.activeColor/);
    expect(await lastRegistrations()).toHaveLength(0);
  });

  it("a good configuration does register (the two checks above can fail)", async () => {
    await runStack({ stack: "practice" });
    expect((await lastRegistrations()).length).toBeGreaterThan(0);
  });
});
