/**
 * A chapter on the lab cluster of another stack (stack mode): what stops it before anything is
 * registered, in the reader's language. The cluster stack is looked up in the state backend before
 * the StackReference exists: the engine's own read of a missing stack fails the run with
 * `unknown stack "organization/lab/cluster"`, and nothing the program says after reaches the reader.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import YAML from "yaml";
import {
  type HostFacts,
  PROJECT_BACKEND,
  plannedHost,
  realHost,
  stackStateFiles,
  stateFolder,
} from "../lib/host";
import { PROJECT_DIR } from "../tools/mockRun";
import { lastRegistrations, runStack } from "./harness";

/** A machine whose state backend holds only the stacks given; the project's stack files as they are. */
function backendWith(stacks: readonly string[]): HostFacts {
  return {
    ...plannedHost,
    stackInState: (_project, stack) => stacks.includes(stack),
    listDir: (dir) => (dir === "." ? fs.readdirSync(PROJECT_DIR) : plannedHost.listDir(dir)),
  };
}

/** Runs `body` with LC_ALL set as given, then puts it back. */
async function inLocale<T>(locale: string, body: () => Promise<T>): Promise<T> {
  const saved = process.env.LC_ALL;
  process.env.LC_ALL = locale;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.LC_ALL;
    else process.env.LC_ALL = saved;
  }
}

type ReadArgs = Parameters<MockMonitor["readResource"]>;

/** What the program read through the engine (a StackReference is one such read), running `body`. */
async function readsOf(body: () => Promise<unknown>): Promise<string[]> {
  const reads: string[] = [];
  const read = MockMonitor.prototype.readResource;
  const spy = vi.spyOn(MockMonitor.prototype, "readResource").mockImplementation(function (
    this: MockMonitor,
    ...args: ReadArgs
  ) {
    const req = args[0] as { getType(): string; getName(): string };
    reads.push(`${req.getType()} ${req.getName()}`);
    return read.apply(this, args);
  });
  try {
    await body().catch(() => undefined);
  } finally {
    spy.mockRestore();
  }
  return reads;
}

describe("before the lab cluster exists", () => {
  it("ch3's and practice's preview say to build it first, and neither read nor register anything", async () => {
    for (const stack of ["ch3", "practice"]) {
      const reads = await readsOf(() =>
        expect(runStack({ stack, preview: true, host: backendWith([stack]) })).rejects.toThrow(
          `The lab cluster of stack "cluster" does not exist yet (or was destroyed), and stack "${stack}" builds on it. Build it first: npm run lab -- cluster up`,
        ),
      );
      expect(reads).toEqual([]);
      expect(await lastRegistrations()).toEqual([]);
    }
  });

  it("in a Korean locale the hint is Korean, the command verbatim", async () => {
    await inLocale("ko_KR.UTF-8", async () => {
      await expect(
        runStack({ stack: "ch3", preview: true, host: backendWith([]) }),
      ).rejects.toThrow(
        /스택 "ch3"은\(는\) 스택 "cluster"의 실습용 클러스터 위에서 실습하는데, 그 클러스터가 아직 없습니다[\s\S]*npm run lab -- cluster up/,
      );
    });
  });

  it("lab:cluster.stack naming no stack of the project: the key, the value, the stacks, and the one meant", async () => {
    const host = backendWith(["cluster"]);
    await expect(
      runStack({ stack: "ch3", preview: true, host, config: { "lab:cluster.stack": "clustr" } }),
    ).rejects.toThrow(
      /lab:cluster\.stack: "clustr" is not a stack of this project; its stacks: ch2, ch3, ch4, ch5, ch6, cluster, dev, kia, practice\. Did you mean cluster\?\nChange a value with: npm run lab -- ch3 config set/,
    );
    // Nothing close: no guess.
    const far = runStack({
      stack: "ch3",
      preview: true,
      host,
      config: { "lab:cluster.stack": "nosuch" },
    });
    await expect(far).rejects.toThrow(/"nosuch" is not a stack of this project; its stacks: ch2/);
    await expect(far).rejects.not.toThrow(/Did you mean/);
    expect(await lastRegistrations()).toEqual([]);
    await inLocale("ko_KR.UTF-8", async () => {
      await expect(
        runStack({ stack: "ch3", preview: true, host, config: { "lab:cluster.stack": "clustr" } }),
      ).rejects.toThrow(
        /lab:cluster\.stack: "clustr"은\(는\) 이 프로젝트의 스택이 아닙니다\. 스택: ch2, [^\n]* 혹시 cluster 스택인가요\?/,
      );
    });
  });

  it("a stack file of the project without state is a cluster not built yet, not an unknown stack", async () => {
    await expect(
      runStack({
        stack: "ch3",
        preview: true,
        host: backendWith(["ch3"]),
        config: { "lab:cluster.stack": "kia" },
      }),
    ).rejects.toThrow(
      /The lab cluster of stack "kia" does not exist yet[\s\S]*npm run lab -- kia up/,
    );
  });

  it("a stack cannot build on itself, also in Korean", async () => {
    await inLocale("ko_KR.UTF-8", async () => {
      await expect(
        runStack({
          stack: "ch3",
          host: backendWith(["ch3"]),
          config: { "lab:cluster.stack": "ch3" },
        }),
      ).rejects.toThrow(
        /lab:cluster\.stack: 스택은 자기 자신의 실습용 클러스터 위에서 실습할 수 없습니다/,
      );
    });
  });

  it("a cluster stack that was only previewed, or destroyed, exports no cluster: the same hint, in Korean too", async () => {
    const spy = vi.spyOn(pulumi.StackReference.prototype, "getOutputDetails").mockResolvedValue({});
    try {
      await expect(runStack({ stack: "practice", preview: true })).rejects.toThrow(
        /The lab cluster of stack "cluster" does not exist yet \(or was destroyed\)[\s\S]*npm run lab -- cluster up/,
      );
      await inLocale("ko_KR.UTF-8", async () => {
        await expect(runStack({ stack: "practice", preview: true })).rejects.toThrow(
          /그 클러스터가 아직 없습니다\(또는 지워졌습니다\)\. 먼저 만드세요: npm run lab -- cluster up/,
        );
      });
    } finally {
      spy.mockRestore();
    }
  });

  it("once the cluster stack has state, the chapter reads it and builds on it", async () => {
    let run: Awaited<ReturnType<typeof runStack>> | undefined;
    const reads = await readsOf(async () => {
      run = await runStack({ stack: "ch3", preview: true, host: backendWith(["cluster"]) });
    });
    expect(reads).toEqual(["pulumi:pulumi:StackReference organization/lab/cluster"]);
    expect(run?.resources.some((r) => r.name === "lab-stack-cluster")).toBe(true);
  });
});

describe("the state backend, read as the Pulumi CLI reads it", () => {
  let dir: string;
  const saved = process.env.PULUMI_BACKEND_URL;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-state-"));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.PULUMI_BACKEND_URL;
    else process.env.PULUMI_BACKEND_URL = saved;
  });

  it("the project's backend is Pulumi.yaml's backend.url", () => {
    const project = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
    expect(project.backend.url).toBe(PROJECT_BACKEND);
    expect(stateFolder({})).toBe(".pulumi-state");
  });

  it("PULUMI_BACKEND_URL wins; a file:// one is read, another backend is left to the engine", () => {
    // pulumi/pulumi v3.259.0 pkg/workspace/creds.go, GetCurrentCloudURLWithSource: the environment
    // variable is taken before the project's backend.url.
    expect(stateFolder({ PULUMI_BACKEND_URL: `file://${dir}` })).toBe(dir);
    expect(stateFolder({ PULUMI_BACKEND_URL: "file://~" })).toBe(os.homedir());
    expect(stateFolder({ PULUMI_BACKEND_URL: "https://api.pulumi.com" })).toBeUndefined();
    expect(stateFolder({ PULUMI_BACKEND_URL: "s3://bucket" })).toBeUndefined();
  });

  it("a stack is in state when its file is where the file backend keeps it, compressed or not", () => {
    process.env.PULUMI_BACKEND_URL = `file://${dir}`;
    // pulumi/pulumi v3.259.0 pkg/backend/diy/store.go: .pulumi/stacks/<project>/<stack>, plus
    // .json, .json.gz or .json.zst (state.go, stackPath).
    expect(stackStateFiles(dir, "lab", "cluster")).toContain(
      path.join(dir, ".pulumi", "stacks", "lab", "cluster.json"),
    );
    expect(realHost.stackInState?.("lab", "cluster")).toBe(false);
    fs.mkdirSync(path.join(dir, ".pulumi", "stacks", "lab"), { recursive: true });
    // A backup alone is no stack.
    fs.writeFileSync(path.join(dir, ".pulumi", "stacks", "lab", "cluster.json.bak"), "{}");
    expect(realHost.stackInState?.("lab", "cluster")).toBe(false);
    fs.writeFileSync(path.join(dir, ".pulumi", "stacks", "lab", "cluster.json.gz"), "");
    expect(realHost.stackInState?.("lab", "cluster")).toBe(true);
    expect(realHost.stackInState?.("other", "cluster")).toBe(false);
    process.env.PULUMI_BACKEND_URL = "https://api.pulumi.com";
    expect(realHost.stackInState?.("lab", "cluster")).toBeUndefined();
  });
});

describe("chapter 3's settings checked against the lab cluster", () => {
  const wrong = {
    "lab:ch3.cordon": "w9-k8s",
    "lab:ch3.drain": "w8-k8s",
    "lab:ch3.lbRange": "10-19",
  };

  it("nodes not in the cluster and a pool over the VMs' addresses, each with its key", async () => {
    await expect(runStack({ stack: "ch3", preview: true, config: wrong })).rejects.toThrow(
      /lab:ch3\.cordon: w9-k8s not in the cluster; nodes: m-k8s, w1-k8s, w2-k8s, w3-k8s\n {2}- lab:ch3\.drain: w8-k8s not in the cluster[^\n]*\n {2}- lab:ch3\.lbRange: 10-19 includes the VMs' addresses \.10; choose last octets clear of them/,
    );
  });

  it("in a Korean locale they are Korean, the keys and node names verbatim", async () => {
    await inLocale("ko_KR.UTF-8", async () => {
      await expect(runStack({ stack: "ch3", preview: true, config: wrong })).rejects.toThrow(
        /스택 "ch3"의 설정이 올바르지 않습니다:\n {2}- lab:ch3\.cordon: 클러스터에 없는 노드입니다: w9-k8s\. 노드 목록: m-k8s, w1-k8s, w2-k8s, w3-k8s\n {2}- lab:ch3\.drain: 클러스터에 없는 노드입니다: w8-k8s[^\n]*\n {2}- lab:ch3\.lbRange: 10-19 범위에 VM 주소\(\.10\)가 들어 있습니다/,
      );
    });
  });
});
