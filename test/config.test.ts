import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  configWarnings,
  MIN_MASTER_MEMORY,
  parseLabConfig,
  type RawSetting,
  readLabConfig,
} from "../lib/config";
import { ConfigError } from "../lib/errors";
import { type HostFacts, hostProblems, NETWORKS_CONF, requireHost } from "../lib/host";
import { language } from "../lib/i18n";
import { messages } from "../lib/messages";
import { vmDefinition } from "../lib/vagrant";
import { VERSIONS } from "../lib/versions";
import { stoppedVmsNote } from "../stacks/lab";
import { goneNote } from "../tools/beforeDestroy";
import { downloadAdvice } from "../tools/lab";
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

/** A kubeconfig file that exists (its contents are not read while parsing). */
const kubeconfigFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-")), "config");
fs.writeFileSync(kubeconfigFile, "apiVersion: v1\nkind: Config\n");

// The messages asserted here are the English ones, whatever the locale of the machine running them.
beforeEach(() => {
  vi.stubEnv("LC_ALL", "C.UTF-8");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

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
    const file = parseLabConfig("practice", {
      ...kubeconfigMode,
      "lab:cluster.kubeconfig": plain(kubeconfigFile),
    });
    expect(file.cluster.kubeconfig).toBe(kubeconfigFile);
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
    const [kubeconfig] = problemsOf("practice", {
      "lab:cluster.mode": plain("vagrant"),
      "lab:cluster.kubeconfig": plain("/home/me/.kube/kind"),
    });
    expect(kubeconfig).toBe(
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

describe("settings that would only fail once the VMs or the cluster are reached", () => {
  const kubeconfigMode = { "lab:cluster.mode": plain("kubeconfig") };

  it("lab:cluster.kubeconfig naming a file that does not exist is refused, naming the path", () => {
    const missing = path.join(os.tmpdir(), "no-such-dir", "kind-config");
    const [p] = problemsOf("practice", {
      ...kubeconfigMode,
      "lab:cluster.kubeconfig": plain(missing),
    });
    expect(p).toBe(
      `lab:cluster.kubeconfig: the file ${missing} does not exist; give the path of your cluster's kubeconfig, or remove the setting for $KUBECONFIG or ~/.kube/config`,
    );
    // `~` is the home folder, as for the provider; the message shows where that is.
    const [home] = problemsOf("practice", {
      ...kubeconfigMode,
      "lab:cluster.kubeconfig": plain("~/.kube/no-such-config"),
    });
    expect(home).toContain(
      `the file ~/.kube/no-such-config (${path.join(os.homedir(), ".kube/no-such-config")}) does not exist`,
    );
    const [folder] = problemsOf("practice", {
      ...kubeconfigMode,
      "lab:cluster.kubeconfig": plain(path.dirname(kubeconfigFile)),
    });
    expect(folder).toContain(`${path.dirname(kubeconfigFile)} is a folder`);
  });

  it("kubeconfig mode with no kubeconfig anywhere stops with what to set; one found through $KUBECONFIG or ~/.kube/config passes", () => {
    // A machine with no cluster: an empty home, $KUBECONFIG unset, not in a pod.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "home-"));
    vi.stubEnv("HOME", home);
    vi.stubEnv("USERPROFILE", home);
    vi.stubEnv("KUBECONFIG", "");
    vi.stubEnv("KUBERNETES_SERVICE_HOST", "");
    const homeFile = path.join(home, ".kube", "config");
    expect(problemsOf("practice", kubeconfigMode)).toEqual([
      `lab:cluster.kubeconfig: not set, and there is no kubeconfig where the Kubernetes provider looks: $KUBECONFIG is not set and ${homeFile} does not exist, so preview would plan for no cluster at all. Give your cluster's kubeconfig: npm run lab -- practice config set lab:cluster.kubeconfig <path> (kind and minikube write theirs to ~/.kube/config), or export KUBECONFIG=<path>`,
    ]);
    // $KUBECONFIG naming nothing, or a list: the provider reads it as one file or as text.
    const nothing = path.join(home, "no-such-config");
    vi.stubEnv("KUBECONFIG", nothing);
    const [missing] = problemsOf("ch3", kubeconfigMode);
    expect(missing).toContain(
      `lab:cluster.kubeconfig: not set, and $KUBECONFIG (${nothing}) is no file:`,
    );
    expect(missing).toContain("npm run lab -- ch3 config set lab:cluster.kubeconfig <path>");
    vi.stubEnv("KUBECONFIG", [kubeconfigFile, nothing].join(path.delimiter));
    const [list] = problemsOf("practice", kubeconfigMode);
    expect(list).toContain(
      "(the Kubernetes provider takes $KUBECONFIG as one file, not as a list of files)",
    );
    vi.stubEnv("LC_ALL", "ko_KR.UTF-8");
    vi.stubEnv("KUBECONFIG", "");
    const [korean] = problemsOf("practice", kubeconfigMode);
    expect(korean).toContain(
      `lab:cluster.kubeconfig: 설정되지 않았고, Kubernetes 프로바이더가 찾는 곳에 kubeconfig가 없습니다: $KUBECONFIG가 설정되지 않았고 ${homeFile} 파일도 없어서`,
    );
    vi.stubEnv("LC_ALL", "C.UTF-8");
    // Found: $KUBECONFIG as one file, or ~/.kube/config.
    vi.stubEnv("KUBECONFIG", kubeconfigFile);
    expect(() => parseLabConfig("practice", kubeconfigMode)).not.toThrow();
    vi.stubEnv("KUBECONFIG", "");
    fs.mkdirSync(path.dirname(homeFile));
    fs.writeFileSync(homeFile, "apiVersion: v1\nkind: Config\n");
    expect(() => parseLabConfig("practice", kubeconfigMode)).not.toThrow();
    // Other modes do not read a kubeconfig.
    fs.rmSync(homeFile);
    expect(() => parseLabConfig("practice", { "lab:cluster.mode": plain("render") })).not.toThrow();
  });

  it("m-k8s with less memory than kubeadm init accepts is refused (lab:cluster.masterMemory)", () => {
    for (const memory of ["1024", "1700"]) {
      const [p] = problemsOf("cluster", { "lab:cluster.masterMemory": plain(memory) });
      expect(p).toBe(
        `lab:cluster.masterMemory: ${memory} MB is too little: kubeadm init refuses a control plane with less than 1700 MB of memory, and the system in a VM sees less than the VM is given; give m-k8s at least ${MIN_MASTER_MEMORY}, or remove the setting for the chapter's size`,
      );
    }
    const ok = parseLabConfig("cluster", {
      "lab:cluster.masterMemory": plain(String(MIN_MASTER_MEMORY)),
    });
    expect(ok.cluster.master.memory).toBe(MIN_MASTER_MEMORY);
    // Chapter 2's VMs run no kubeadm.
    expect(
      parseLabConfig("ch2", { "lab:cluster.masterMemory": plain("1024") }).cluster.master.memory,
    ).toBe(1024);
  });

  it("the book's CentOS box is refused: the node scripts need an Ubuntu box", () => {
    const [p] = problemsOf("cluster", { "lab:versions.box": plain("sysnet4admin/CentOS-k8s") });
    expect(p).toContain('lab:versions.box: "sysnet4admin/CentOS-k8s" is not an Ubuntu box');
    expect(p).toContain("apt");
    expect(p).toContain("systemd");
    expect(p).toContain(`remove the setting for ${VERSIONS.box} (the default)`);
    const [ch2] = problemsOf("ch2", { "lab:versions.box": plain("generic/debian12") });
    expect(ch2).toContain("is not an Ubuntu box");
    for (const box of ["ubuntu/jammy64", "bento/ubuntu-22.04", "generic/ubuntu2404"]) {
      expect(parseLabConfig("cluster", { "lab:versions.box": plain(box) }).versions.box).toBe(box);
    }
  });

  it("a Kubernetes release pkgs.k8s.io does not serve is refused with the range it serves", () => {
    for (const version of ["1.18.4", "1.23.17", "2.0.0", "0.24.0"]) {
      const [p] = problemsOf("cluster", { "lab:versions.kubernetes": plain(version) });
      expect(p).toBe(
        `lab:versions.kubernetes: "${version}" cannot be installed: pkgs.k8s.io, where the nodes get kubeadm, kubelet and kubectl, serves the Kubernetes 1.x releases from 1.24 on; give one such as ${VERSIONS.kubernetes} (the default), or remove the setting`,
      );
    }
    const [partial] = problemsOf("cluster", { "lab:versions.kubernetes": plain("1.30") });
    expect(partial).toContain("must be a release number such as 1.36.0");
    for (const version of ["1.24.0", "1.31.4"]) {
      expect(
        parseLabConfig("cluster", { "lab:versions.kubernetes": plain(version) }).versions
          .kubernetes,
      ).toBe(version);
    }
  });

  it("a host-only network inside the pod or the Service network is refused, naming both", () => {
    const [pod] = problemsOf("cluster", { "lab:network.prefix": plain("172.16.0") });
    expect(pod).toContain(
      "lab:network.prefix: 172.16.0.0/24 overlaps the pod network 172.16.0.0/16 (kubeadm init --pod-network-cidr, Calico's pool)",
    );
    expect(pod).toContain("such as 192.168.56 (the default)");
    const [service] = problemsOf("practice", {
      "lab:cluster.mode": plain("vagrant"),
      "lab:network.prefix": plain("10.100.5"),
    });
    expect(service).toContain(
      "lab:network.prefix: 10.100.5.0/24 overlaps the service network 10.96.0.0/12 (kubeadm's default --service-cidr)",
    );
    for (const prefix of ["172.17.0", "10.0.5", "192.168.1"]) {
      expect(
        parseLabConfig("cluster", { "lab:network.prefix": plain(prefix) }).network.prefix,
      ).toBe(prefix);
    }
    // Chapter 2 runs no Kubernetes, and render mode has no pod network of the lab's.
    expect(() => parseLabConfig("ch2", { "lab:network.prefix": plain("172.16.0") })).not.toThrow();
    expect(() =>
      parseLabConfig("dev", {
        "lab:chapter": plain("practice"),
        "lab:cluster.mode": plain("render"),
        "lab:network.prefix": plain("172.16.0"),
      }),
    ).not.toThrow();
  });

  it("VMs wanting more memory than this machine has are a warning, not an error", () => {
    const config = parseLabConfig("cluster", {
      "lab:cluster.workers": plain("4"),
      "lab:cluster.workerMemory": plain("4096"),
    });
    // m-k8s 3072 MB + 4 x 4096 MB = 19456 MB.
    expect(configWarnings(config, 16384)).toEqual([
      "lab:cluster.workers: the VMs take 19456 MB (m-k8s 3072 MB + 4 workers x 4096 MB), more than this machine's 16384 MB of memory; VirtualBox may fail to start them, or the machine may slow to a crawl. Use fewer workers (lab:cluster.workers) or less memory per worker (lab:cluster.workerMemory)",
    ]);
    expect(configWarnings(config, 19456)).toEqual([]);
    // Without VMs of its own a stack takes no memory here.
    const render = parseLabConfig("practice", { "lab:cluster.mode": plain("render") });
    expect(configWarnings(render, 1024)).toEqual([]);
  });

  it("the warning reaches pulumi preview as a Pulumi warning, and the stack still runs", async () => {
    await runStack({ stack: "cluster", config: { "lab:cluster.workers": "2" } });
    const warn = vi.spyOn(pulumi.log, "warn").mockResolvedValue();
    try {
      const config = readLabConfig(4096);
      expect(config.cluster.workers).toBe(2);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("the VMs take 8192 MB"));
      warn.mockClear();
      readLabConfig(65536);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe("problems say what was given and what would be right", () => {
  it("lab:ch3.sections 3.3.3 names the section given and lists the sections", () => {
    const [p] = problemsOf("ch3", { "lab:ch3.sections": plain("3.3.4,3.3.3") });
    expect(p).toBe(
      'lab:ch3.sections: must be sections of chapter 3, separated by commas, from: 3.1.6, 3.2.1, 3.2.4, 3.2.10, 3.3.1, 3.3.2, 3.3.4, 3.3.5, 3.4.2, 3.4.3, 3.4.4 (got "3.3.3")',
    );
    const [node] = problemsOf("ch3", { "lab:ch3.cordon": plain("W3-K8S") });
    expect(node).toBe('lab:ch3.cordon: must be node names such as w3-k8s (got "W3-K8S")');
  });

  it("a key written without its group is answered with the full key", () => {
    const [color] = problemsOf("practice", { "lab:activeColor": plain("blue") });
    expect(color).toContain("lab:activeColor: not a setting of this stack.");
    expect(color).toContain("Did you mean lab:practice.activeColor?");
    const [workers] = problemsOf("practice", { "lab:workers": plain("4") });
    expect(workers).toContain("Did you mean lab:cluster.workers?");
    const [prefix] = problemsOf("practice", { "lab:cluster.prefix": plain("192.168.1") });
    expect(prefix).toContain("Did you mean lab:network.prefix?");
    // Another chapter's setting is named with its chapter.
    const [elsewhere] = problemsOf("ch3", { "lab:activeColor": plain("blue") });
    expect(elsewhere).toContain(
      "Did you mean lab:practice.activeColor (a setting of chapter practice)?",
    );
    // Nothing close: no guess.
    const [far] = problemsOf("practice", { "lab:zzz": plain("1") });
    expect(far).not.toContain("Did you mean");
  });

  it("a key in the namespace LAB or Lab stops with the key meant, not passed by (Pulumi hands it over as written)", () => {
    // `npm run lab -- practice config set LAB:practice.activeColor blue` stores the key as written
    // and the CLI passes it on so (seen with pulumi v3.259.0: the program's config held
    // "LAB:practice.activeColor"); the program reads the namespace lab only.
    const [upper] = problemsOf("practice", { "LAB:practice.activeColor": plain("blue") });
    expect(upper).toBe(
      "LAB:practice.activeColor: not read: Pulumi hands keys to the program as written, and this project's settings are in the namespace lab, in lowercase. Did you mean lab:practice.activeColor? In the stack file: npm run lab -- practice config rm LAB:practice.activeColor, then npm run lab -- practice config set lab:practice.activeColor <value>",
    );
    // The key meant keeps the setting's own letters.
    const [mixed] = problemsOf("practice", { "Lab:practice.activecolor": plain("blue") });
    expect(mixed).toContain("Did you mean lab:practice.activeColor?");
    // Also when the chapter itself is the slip, and among other problems.
    const slipped = problemsOf("dev", {
      "Lab:chapter": plain("practice"),
      "LAB:cluster.mode": plain("render"),
    });
    expect(slipped).toEqual([
      expect.stringMatching(/^lab:chapter: not set, and the stack name "dev" is not a chapter/),
      expect.stringMatching(/^Lab:chapter: not read: .* Did you mean lab:chapter\?/),
      expect.stringMatching(/^LAB:cluster\.mode: not read: .* Did you mean lab:cluster\.mode\?/),
    ]);
    vi.stubEnv("LC_ALL", "ko_KR.UTF-8");
    const [korean] = problemsOf("practice", { "LAB:practice.activeColor": plain("blue") });
    expect(korean).toBe(
      "LAB:practice.activeColor: 읽히지 않는 키입니다: Pulumi는 키를 적힌 그대로 프로그램에 넘기고, 이 프로젝트의 설정은 소문자 네임스페이스 lab에 있습니다. 혹시 lab:practice.activeColor 설정을 말하는 건가요? 스택 파일에 있다면: npm run lab -- practice config rm LAB:practice.activeColor 다음에 npm run lab -- practice config set lab:practice.activeColor <value>",
    );
    vi.stubEnv("LC_ALL", "C.UTF-8");
    // Other namespaces (a provider's, for example) are not the program's to judge.
    expect(() =>
      parseLabConfig("practice", { "kubernetes:context": plain("kind-kind") }),
    ).not.toThrow();
  });

  it("a group or a setting in other letters (lab:Practice.activeColor, lab:practice.activecolor) is named in full, with the key meant", () => {
    const [group] = problemsOf("practice", { "lab:Practice.activeColor": plain("blue") });
    expect(group).toContain("lab:Practice.activeColor: not a setting of this stack.");
    expect(group).toContain("Did you mean lab:practice.activeColor?");
    const [leaf] = problemsOf("practice", { "lab:practice.activecolor": plain("blue") });
    expect(leaf).toContain("lab:practice.activecolor: not a setting of this stack.");
    expect(leaf).toContain("Did you mean lab:practice.activeColor?");
    // Set with --path: an object under the group, each key named.
    const both = problemsOf("practice", {
      "lab:Cluster": plain(JSON.stringify({ mode: "render", Workers: "2" })),
    });
    expect(both).toEqual([
      expect.stringContaining(
        "lab:Cluster.mode: not a setting of this stack. Did you mean lab:cluster.mode?",
      ),
      expect.stringContaining(
        "lab:Cluster.Workers: not a setting of this stack. Did you mean lab:cluster.workers?",
      ),
    ]);
  });

  it("lab:cluster.mode kind, minikube, k3d or docker-desktop: such clusters are the kubeconfig mode", () => {
    for (const [tool, context] of [
      ["kind", "kind-kind"],
      ["minikube", "minikube"],
      ["k3d", "k3d-k3s-default"],
      ["docker-desktop", "docker-desktop"],
    ]) {
      const [p] = problemsOf("practice", { "lab:cluster.mode": plain(tool) });
      expect(p).toBe(
        `lab:cluster.mode: must be one of: vagrant, stack, kubeconfig, render (got "${tool}"); a ${tool} cluster is the kubeconfig mode: lab:cluster.mode kubeconfig, with lab:cluster.kubeconfig (default $KUBECONFIG or ~/.kube/config) and lab:cluster.context (e.g. ${context}; default the current context)`,
      );
    }
    // A chapter that needs the lab cluster says so instead of sending the reader to kubeconfig.
    const [ch4] = problemsOf("ch4", { "lab:cluster.mode": plain("kind") });
    expect(ch4).toContain("but chapter ch4 builds on the lab cluster's master");
  });
});

describe("messages in the reader's language", () => {
  const locale = (env: Record<string, string>) => {
    for (const name of ["LC_ALL", "LC_MESSAGES", "LANG"]) vi.stubEnv(name, env[name] ?? "");
  };

  it("Korean when the locale is Korean: LC_ALL, then LC_MESSAGES, then LANG; else the system's", () => {
    const system = (locale: string) => () => locale;
    expect(language({ LANG: "ko_KR.UTF-8" }, system("en-US"))).toBe("ko");
    expect(language({ LANG: "ko_KR.UTF-8", LC_ALL: "C" }, system("ko-KR"))).toBe("en");
    expect(language({ LANG: "C", LC_MESSAGES: "ko_KR.UTF-8" }, system("en-US"))).toBe("ko");
    expect(language({ LANG: "en_US.UTF-8" }, system("ko-KR"))).toBe("en");
    expect(language({ LANG: "kok_IN" }, system("en-US"))).toBe("en");
    // Windows sets none of them: the system locale decides.
    expect(language({}, system("ko-KR"))).toBe("ko");
    expect(language({ LANG: "" }, system("en-US"))).toBe("en");
  });

  it("the same bad setting is reported in English under LANG=C and in Korean under LANG=ko_KR.UTF-8", () => {
    const bad = {
      "lab:practice.activeColor": plain("purple"),
      "lab:activeColor": plain("blue"),
    };
    locale({ LANG: "C" });
    const english = problemsOf("practice", bad);
    expect(english).toEqual([
      'lab:practice.activeColor: must be one of: blue, green (got "purple")',
      expect.stringContaining("lab:activeColor: not a setting of this stack."),
    ]);
    expect(english[1]).toContain("Did you mean lab:practice.activeColor?");

    locale({ LANG: "ko_KR.UTF-8" });
    const korean = problemsOf("practice", bad);
    expect(korean).toEqual([
      'lab:practice.activeColor: 다음 값 중 하나여야 합니다: blue, green (입력값: "purple")',
      expect.stringContaining("lab:activeColor: 이 스택의 설정이 아닙니다."),
    ]);
    expect(korean[1]).toContain("혹시 lab:practice.activeColor 설정을 말하는 건가요?");
    try {
      parseLabConfig("practice", bad);
    } catch (e) {
      const text = (e as Error).message;
      expect(text).toContain('스택 "practice"의 설정이 올바르지 않습니다:');
      expect(text).toContain(
        "값을 바꾸려면: npm run lab -- practice config set <key> <value>  (비밀번호와 키에는 --secret을 붙입니다)",
      );
    }
  });

  it("the checks of the VMs' settings speak Korean too, keys and values verbatim", () => {
    locale({ LANG: "ko_KR.UTF-8" });
    const problems = problemsOf("cluster", {
      "lab:versions.box": plain("sysnet4admin/CentOS-k8s"),
      "lab:versions.kubernetes": plain("1.18.4"),
      "lab:network.prefix": plain("172.16.0"),
      "lab:cluster.masterMemory": plain("1024"),
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^lab:cluster\.masterMemory: 1024 MB로는 부족합니다: kubeadm init은 메모리가 1700 MB보다/,
        ),
        expect.stringMatching(
          /^lab:versions\.box: "sysnet4admin\/CentOS-k8s"은\(는\) Ubuntu 박스가 아닌데, 노드 스크립트에는 Ubuntu 박스가 필요합니다/,
        ),
        expect.stringMatching(
          /^lab:versions\.kubernetes: "1\.18\.4"은\(는\) 설치할 수 없습니다: .*Kubernetes 1\.24 이후의 1\.x 릴리스만 제공합니다/,
        ),
        expect.stringMatching(
          /^lab:network\.prefix: 172\.16\.0\.0\/24 대역이 파드 네트워크 172\.16\.0\.0\/16 대역/,
        ),
      ]),
    );
    const [mode] = problemsOf("practice", { "lab:cluster.mode": plain("kind") });
    expect(mode).toContain("kind 클러스터는 kubeconfig 모드로 씁니다");
    const [sections] = problemsOf("ch3", { "lab:ch3.sections": plain("3.3.3") });
    expect(sections).toContain("3장의 다음 절 중에서 쉼표로 구분해 골라야 합니다: 3.1.6,");
    expect(sections).toContain('(입력값: "3.3.3")');
    const config = parseLabConfig("cluster", {});
    expect(configWarnings(config, 4096)[0]).toContain("이 컴퓨터의 메모리 4096 MB보다 큽니다");
  });

  it("first-run messages of the host and the CLI speak Korean too: commands, URLs, versions and paths verbatim", () => {
    // A machine as test/host.test.ts builds one: Vagrant 2.4.9, VirtualBox 7.1.4, no networks.conf.
    const host = (over: Partial<HostFacts> = {}): HostFacts => ({
      platform: "linux",
      has: () => true,
      virtualBoxVersion: () => "7.1.4",
      vagrantVersion: () => "2.4.9",
      runningVms: () => [],
      readFile: () => undefined,
      listDir: () => undefined,
      vmStates: async () => ({}),
      startVms: async () => {},
      ...over,
    });
    const lab = ["192.168.56.10", "192.168.56.101"];
    // Stack "cluster" has both VMs defined in its work folder, m-k8s running.
    const vm = (name: string, ip: string) =>
      vmDefinition({
        name,
        box: "bento/ubuntu-24.04",
        vbName: `${name}(k8sinfra-lab cluster)`,
        group: "/k8sinfra-lab/cluster",
        cpus: 2,
        memory: 2048,
        ip,
        sshPort: 60010,
        provision: [],
      });
    const files: Record<string, string> = {
      ".lab/cluster/nodes/m-k8s.rb": vm("m-k8s", lab[0]),
      ".lab/cluster/nodes/w1-k8s.rb": vm("w1-k8s", lab[1]),
    };
    const taken = host({
      runningVms: () => ["m-k8s(k8sinfra-lab cluster)"],
      readFile: (f) => files[f],
      listDir: (dir) =>
        dir === ".lab"
          ? ["cluster"]
          : dir === ".lab/cluster/nodes"
            ? ["m-k8s.rb", "w1-k8s.rb"]
            : undefined,
    });
    const stopped = ["m-k8s: poweroff", "w2-k8s: aborted"];
    const said = () => ({
      download: downloadAdvice("3.150.0", "fetch failed"),
      gone: goneNote("ch3", "cluster", 12),
      preview: stoppedVmsNote("cluster", stopped, true),
      up: stoppedVmsNote("cluster", stopped, false),
      missing: hostProblems(host({ has: () => false }), "ch2", lab),
      pair: hostProblems(host({ vagrantVersion: () => "2.3.4" }), "cluster", lab),
      taken: hostProblems(taken, "ch3", lab, true),
      range: hostProblems(host(), "ch2", ["192.168.1.10", "192.168.1.101"]),
      refusal: (() => {
        try {
          requireHost(host({ has: () => false }), "ch2", lab);
        } catch (err) {
          return (err as Error).message;
        }
        return "no refusal";
      })(),
    });

    locale({ LANG: "ko_KR.UTF-8" });
    const ko = said();
    expect(ko.download).toContain("Pulumi CLI v3.150.0을(를) 내려받지 못했습니다 (fetch failed).");
    expect(ko.download).toContain("npm run lab은 get.pulumi.com에서 CLI를 한 번만 받아 두고");
    expect(ko.download).toContain("HTTPS_PROXY를 설정하고(예: HTTPS_PROXY=http://proxy:3128)");
    expect(ko.download).toContain("(https://www.pulumi.com/docs/install/) `pulumi`를 PATH에서");
    expect(ko.gone).toContain('스택 "cluster"의 VM이 없어졌습니다');
    expect(ko.gone).toContain('스택 "ch3"의 리소스 12개');
    expect(ko.gone).toContain("destroy 전에 상태(state)에서 지웁니다");
    expect(ko.preview).toBe(
      '스택 "cluster"의 VM이 멈춰 있습니다(m-k8s: poweroff, w2-k8s: aborted): pulumi up이 먼저 VM을 시작합니다(직접 시작하려면: node host/vm.js resume .lab/cluster). 그 전까지 이 preview는 클러스터를 읽을 수 없습니다',
    );
    expect(ko.up).toBe(
      '스택 "cluster"의 VM이 멈춰 있습니다(m-k8s: poweroff, w2-k8s: aborted): VM을 시작하고 API 서버가 준비되기를 기다립니다',
    );
    expect(ko.missing).toEqual([
      "Vagrant가 설치되어 있지 않습니다(또는 PATH에 없습니다): https://developer.hashicorp.com/vagrant/install",
      "VirtualBox가 설치되어 있지 않습니다(VBoxManage를 찾을 수 없습니다): https://www.virtualbox.org/wiki/Downloads",
    ]);
    expect(ko.pair).toHaveLength(1);
    expect(ko.pair[0]).toContain(
      "Vagrant 2.3.4은(는) VirtualBox 7.1.4을(를) 지원하지 않습니다: VirtualBox 7.1에는 Vagrant 2.4.2 이상이 필요합니다.",
    );
    expect(ko.pair[0]).toContain("https://developer.hashicorp.com/vagrant/install");
    expect(ko.pair[0]).toContain("Vagrant 2.3.4이(가) 지원하는 VirtualBox(7.0)를 설치하세요.");
    expect(ko.taken).toHaveLength(1);
    expect(ko.taken[0]).toContain(
      '스택 "cluster"의 VM이 이미 이 주소를 쓰고 있습니다(m-k8s, w1-k8s; 실행 중: m-k8s). 다음 중 하나를 하세요:',
    );
    expect(ko.taken[0]).toContain(
      "그 스택의 클러스터 위에서 실습하기: npm run lab -- ch3 config set lab:cluster.mode stack, 그리고 npm run lab -- ch3 config set lab:cluster.stack cluster",
    );
    expect(ko.taken[0]).toContain("그 스택을 먼저 지우기: npm run lab -- cluster destroy");
    expect(ko.taken[0]).toContain("npm run lab -- ch3 config set lab:network.prefix <prefix>");
    expect(ko.range).toHaveLength(1);
    expect(ko.range[0]).toContain(
      "VirtualBox는 호스트 전용 주소를 192.168.56.0/21 범위에서만 허용하는데(/etc/vbox/networks.conf), 192.168.1.10, 192.168.1.101은(는) 그 범위 밖에 있습니다.",
    );
    expect(ko.range[0]).toContain(
      "기본 대역 쓰기: npm run lab -- ch2 config set lab:network.prefix 192.168.56",
    );
    expect(ko.range[0]).toContain(`${NETWORKS_CONF}에 "* 192.168.1.0/24" 줄을 추가하기`);
    expect(ko.refusal.split("\n")[0]).toBe(
      '스택 "ch2"은(는) Vagrant로 VirtualBox VM을 만드는데, 이 컴퓨터는 아직 준비되지 않았습니다:',
    );
    // Nothing of the English text is left in the Korean one.
    const korean = [
      ko.download,
      ko.gone,
      ...ko.missing,
      ...ko.pair,
      ...ko.taken,
      ...ko.range,
      ko.refusal,
    ];
    for (const text of korean) expect(text).not.toMatch(/Either|not installed|does not|could not/);

    // LC_ALL=C decides over a Korean LANG: the English texts, as they always were.
    locale({ LC_ALL: "C", LANG: "ko_KR.UTF-8" });
    const en = said();
    expect(en.download).toBe(
      [
        "The Pulumi CLI v3.150.0 could not be downloaded (fetch failed).",
        "npm run lab fetches it once from get.pulumi.com, then works offline. Either:",
        "  - connect to the internet once and run the command again;",
        "  - behind a proxy, set HTTPS_PROXY (e.g. HTTPS_PROXY=http://proxy:3128) and run it again;",
        "  - or install the Pulumi CLI yourself (https://www.pulumi.com/docs/install/) so that `pulumi` is on PATH.",
      ].join("\n"),
    );
    expect(en.gone).toBe(
      'The VMs of stack "cluster" are gone: 12 resources of stack "ch3" lived on them (commands run on the VMs, Kubernetes objects, Docker containers) and went with them; they are dropped from the state before destroy.',
    );
    expect(en.preview).toBe(
      'the VMs of stack "cluster" are stopped (m-k8s: poweroff, w2-k8s: aborted): pulumi up starts them first (by hand: node host/vm.js resume .lab/cluster); until then this preview cannot read the cluster',
    );
    expect(en.up).toBe(
      'the VMs of stack "cluster" are stopped (m-k8s: poweroff, w2-k8s: aborted): starting them, then waiting for the API server',
    );
    expect(en.missing).toEqual([
      "Vagrant is not installed (or not on PATH): https://developer.hashicorp.com/vagrant/install",
      "VirtualBox is not installed (VBoxManage not found): https://www.virtualbox.org/wiki/Downloads",
    ]);
    expect(en.pair).toEqual([
      [
        "Vagrant 2.3.4 does not support VirtualBox 7.1.4: VirtualBox 7.1 needs Vagrant 2.4.2 or later.",
        "  Install a newer Vagrant (https://developer.hashicorp.com/vagrant/install; the Debian and Ubuntu",
        "  packages are older), or a VirtualBox that Vagrant 2.3.4 supports (7.0).",
      ].join("\n"),
    ]);
    expect(en.taken).toEqual([
      [
        'stack "cluster" already has VMs on these addresses (m-k8s, w1-k8s; running: m-k8s). Either:',
        "    build on its cluster: npm run lab -- ch3 config set lab:cluster.mode stack, and npm run lab -- ch3 config set lab:cluster.stack cluster",
        "    remove it first: npm run lab -- cluster destroy",
        "    or put this stack on other addresses: npm run lab -- ch3 config set lab:network.prefix <prefix>",
      ].join("\n"),
    ]);
    expect(en.range).toEqual([
      [
        "VirtualBox allows host-only addresses only in 192.168.56.0/21 (/etc/vbox/networks.conf), and 192.168.1.10, 192.168.1.101 are outside.",
        "  Either use the default prefix: npm run lab -- ch2 config set lab:network.prefix 192.168.56",
        '  or allow yours: add the line "* 192.168.1.0/24" to /etc/vbox/networks.conf (as root).',
      ].join("\n"),
    ]);
  });

  it("every message has its Korean text, with the same parameters", () => {
    const en = messages("en");
    const ko = messages("ko");
    expect(Object.keys(ko)).toEqual(Object.keys(en));
    for (const name of Object.keys(en) as (keyof typeof en)[]) {
      expect(ko[name].length, name).toBe(en[name].length);
    }
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
