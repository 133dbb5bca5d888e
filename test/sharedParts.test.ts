/**
 * MetalLB and the lab registry are installed by several chapters under the same names. On one lab
 * cluster, a chapter holds each from its first up to its destroy, and another chapter's preview
 * that needs the same part stops and names the holder.
 */
import { describe, expect, it } from "vitest";
import { type ClaimTaken, type HostFacts, plannedHost } from "../lib/host";
import { find, lastRegistrations, runStack } from "./harness";

const LOCAL = "command:local:Command";

/** A machine on which the given files exist (relative to the project, as the program reads them). */
function hostWith(files: Record<string, string>) {
  return { ...plannedHost, readFile: (f: string) => files[f] ?? plannedHost.readFile(f) };
}

describe("chapters on one lab cluster: MetalLB and the registry", () => {
  it("kia's preview stops while ch3 holds MetalLB, naming ch3 and the way out", async () => {
    await expect(
      runStack({ stack: "kia", host: hostWith({ ".lab/cluster/claims/metallb": "ch3\n" }) }),
    ).rejects.toThrow(
      /stack "ch3" has MetalLB \(namespace metallb-system\) on the lab cluster of stack "cluster"[\s\S]*npm run lab -- ch3 destroy[\s\S]*or its up was stopped before it recorded claim-metallb \(npm run lab -- ch3 stack does not list it\), delete the file \.lab\/cluster\/claims\/metallb/,
    );
  });

  it("in a Korean locale the same refusal is in Korean, the stack names and commands verbatim", async () => {
    const saved = process.env.LC_ALL;
    process.env.LC_ALL = "ko_KR.UTF-8";
    try {
      await expect(
        runStack({ stack: "kia", host: hostWith({ ".lab/cluster/claims/metallb": "ch3" }) }),
      ).rejects.toThrow(
        /스택 "ch3"이\(가\) 스택 "cluster"의 실습용 클러스터에 MetalLB[\s\S]*npm run lab -- ch3 destroy/,
      );
    } finally {
      process.env.LC_ALL = saved;
    }
  });

  it("ch5's preview stops while ch4 holds the registry; with lab:ch5.metallb none it still needs it", async () => {
    const host = hostWith({ ".lab/cluster/claims/registry": "ch4" });
    await expect(runStack({ stack: "ch5", host })).rejects.toThrow(
      /stack "ch4" has the registry container on m-k8s/,
    );
    await expect(
      runStack({ stack: "ch5", host, config: { "lab:ch5.metallb": "none" } }),
    ).rejects.toThrow(/stack "ch4" has the registry container/);
  });

  it("parts another chapter does not need are no obstacle, and a stack's own claim is none", async () => {
    const host = hostWith({
      ".lab/cluster/claims/registry": "ch4",
      ".lab/cluster/claims/metallb": "ch6",
    });
    // ch3 without a LoadBalancer section needs neither; practice installs neither.
    await expect(
      runStack({ stack: "ch3", host, config: { "lab:ch3.sections": "3.2.4" } }),
    ).resolves.toBeDefined();
    await expect(runStack({ stack: "practice", host })).resolves.toBeDefined();
    await expect(runStack({ stack: "ch6", host })).resolves.toBeDefined();
  });

  it("the claim is a file written at up and removed at destroy, and the cluster's objects wait for it", async () => {
    const run = await runStack({ stack: "kia" });
    const claim = find(run, LOCAL, "claim-metallb");
    expect(claim.inputs).toMatchObject({
      create: "node host/vm.js write .lab/cluster/claims/metallb",
      delete: "node host/vm.js remove .lab/cluster/claims/metallb",
      stdin: "kia",
    });
    expect(find(run, LOCAL, "claim-registry")).toBeDefined();
    const provider = find(run, "pulumi:providers:kubernetes", "lab-stack-cluster");
    expect(provider.dependsOn).toEqual(
      expect.arrayContaining([claim.urn, find(run, LOCAL, "claim-registry").urn]),
    );
    const docker = run.resources.find((r) => r.type === "pulumi:providers:docker");
    expect(docker?.dependsOn).toEqual(expect.arrayContaining([claim.urn]));
  });

  it("a claim file naming no stack stops the chapter too, with what to do", async () => {
    await expect(
      runStack({ stack: "ch6", host: hostWith({ ".lab/cluster/claims/metallb": "\n" }) }),
    ).rejects.toThrow(
      /the file \.lab\/cluster\/claims\/metallb, which says which chapter has MetalLB \(namespace metallb-system\), names no stack/,
    );
  });
});

/**
 * A machine whose claim files live in memory; `race` answers the take of a part as a run of
 * another stack that got there between this run's check and its take.
 */
function claimHost(race: Record<string, string> = {}) {
  const files = new Map<string, string>();
  const takes: string[] = [];
  const host: HostFacts = {
    ...plannedHost,
    readFile: (f) => files.get(f) ?? plannedHost.readFile(f),
    takeClaim(file, holder): ClaimTaken {
      takes.push(`${file} ${holder}`);
      const part = file.split("/").pop() as string;
      if (race[part] && !files.has(file)) files.set(file, race[part]);
      const held = files.get(file);
      if (held !== undefined) return { holder: held, created: false };
      files.set(file, holder);
      return { holder, created: true };
    },
    releaseClaim(file, holder) {
      if (files.get(file) === holder) files.delete(file);
    },
  };
  return { host, files, takes };
}

describe("up takes the parts before it registers anything; preview only looks", () => {
  it("preview takes nothing; up takes each part the chapter installs, for itself", async () => {
    const { host, files, takes } = claimHost();
    await runStack({ stack: "kia", host, preview: true });
    expect(takes).toEqual([]);
    await runStack({ stack: "kia", host });
    expect(takes).toEqual([".lab/cluster/claims/metallb kia", ".lab/cluster/claims/registry kia"]);
    expect(Object.fromEntries(files)).toEqual({
      ".lab/cluster/claims/metallb": "kia",
      ".lab/cluster/claims/registry": "kia",
    });
  });

  it("a part taken by another stack between the check and the take: this up stops naming it, lets go of what it took, registers nothing", async () => {
    // ch3 took MetalLB after kia's check found no file; kia had the registry to itself.
    const { host, files } = claimHost({ metallb: "ch3" });
    await expect(runStack({ stack: "kia", host })).rejects.toThrow(
      /stack "ch3" has MetalLB \(namespace metallb-system\) on the lab cluster of stack "cluster"/,
    );
    expect(Object.fromEntries(files)).toEqual({ ".lab/cluster/claims/metallb": "ch3" });
    const registered = await lastRegistrations();
    expect(registered.filter((r) => r.name.startsWith("claim-"))).toEqual([]);
    expect(registered.filter((r) => r.type.startsWith("kubernetes:"))).toEqual([]);
  });

  it("a claim the same stack left (an up stopped before it was recorded) is its own: up goes on", async () => {
    const { host, files } = claimHost();
    files.set(".lab/cluster/claims/metallb", "ch6");
    const run = await runStack({ stack: "ch6", host });
    expect(find(run, "command:local:Command", "claim-metallb").inputs.stdin).toBe("ch6");
    expect(files.get(".lab/cluster/claims/metallb")).toBe("ch6");
  });
});
