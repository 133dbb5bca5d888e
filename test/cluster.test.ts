import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Secret } from "../tools/mockRun";
import { find, inputsOf, runStack, type StackRun } from "./harness";

describe("the reader's kubeconfig (a file of the work folder)", () => {
  let cluster: StackRun;
  beforeAll(async () => {
    cluster = await runStack({ stack: "cluster" });
  });

  it("the cluster stack writes its admin kubeconfig to .lab/cluster/kubeconfig, owner-only, and names it", () => {
    const file = find(cluster, "command:local:Command", "lab-kubeconfig-file");
    expect(inputsOf(file).create).toBe("node host/vm.js write-key .lab/cluster/kubeconfig");
    expect(inputsOf(file).delete).toBe("node host/vm.js remove .lab/cluster/kubeconfig");
    // The admin credentials: a secret input, never logged.
    expect(file.inputs.stdin).toBeInstanceOf(Secret);
    expect(inputsOf(file).logging).toBe("none");
    expect(String(inputsOf(file).stdin)).toContain("client-key-data");
    expect(cluster.outputs.kubeconfigFile).toBe(".lab/cluster/kubeconfig");
    expect(cluster.outputs.next).toContain(
      "kubectl --kubeconfig .lab/cluster/kubeconfig get nodes",
    );
  });

  it("a chapter on the lab cluster names the same file", async () => {
    const ch3 = await runStack({ stack: "ch3" });
    expect(ch3.outputs.kubeconfigFile).toBe(".lab/cluster/kubeconfig");
  });

  it("vm.js write-key leaves the file readable by its owner only, also over an older file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-kubeconfig-"));
    const file = path.join(dir, "lab", "kubeconfig");
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, "old", { mode: 0o644 });
    const vm = path.resolve(__dirname, "..", "host", "vm.js");
    const r = spawnSync(process.execPath, [vm, "write-key", file], { input: "apiVersion: v1\n" });
    expect(r.status, String(r.stderr)).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toBe("apiVersion: v1\n");
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe("600");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
