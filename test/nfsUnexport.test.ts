/**
 * scripts/nfs_unexport.sh run for real (bash, with `exportfs` stubbed) on a folder tree like the lab
 * master's after chapters 3, 5 and 6: a chapter's destroy takes its own export and files away and
 * leaves what other chapters still export, even when it lies inside its folder.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../tools/stackFiles";

let root: string;
const SCRIPT = path.join(PROJECT_DIR, "scripts", "nfs_unexport.sh");

function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}
const exists = (file: string) => fs.existsSync(path.join(root, file));
const exportLine = (folder: string) => `${path.join(root, folder)} 192.168.56.0/24(rw,sync)\n`;

function unexport(folder: string, exportFile: string) {
  const r = spawnSync("bash", [SCRIPT], {
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${path.join(root, "bin")}:${process.env.PATH}`,
      EXPORT_PATH: path.join(root, folder),
      EXPORT_FILE: path.join(root, exportFile),
    },
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "nfs-unexport-"));
  write("bin/exportfs", "#!/bin/sh\nexit 0\n");
  fs.chmodSync(path.join(root, "bin/exportfs"), 0o755);
  // ch3 exports /nfs_shared; ch5 /nfs_shared/jenkins; ch6 /nfs_shared/prometheus/server.
  write("exports.d/k8sinfra-lab-nfs-shared.exports", exportLine("nfs_shared"));
  write("exports.d/k8sinfra-lab-nfs-shared-jenkins.exports", exportLine("nfs_shared/jenkins"));
  write(
    "exports.d/k8sinfra-lab-nfs-shared-prometheus-server.exports",
    exportLine("nfs_shared/prometheus/server"),
  );
  write("nfs_shared/index.html", "ch3's page\n");
  write("nfs_shared/.hidden", "ch3\n");
  write("nfs_shared/jenkins/config.xml", "jenkins\n");
  write("nfs_shared/prometheus/server/wal/00000001", "metrics\n");
  write("nfs_shared/prometheus/ch3-leftover", "ch3\n");
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("nfs_unexport.sh: a chapter's destroy on the shared NFS server", () => {
  it("ch3's destroy keeps ch5's Jenkins home and ch6's Prometheus data inside /nfs_shared", () => {
    unexport("nfs_shared", "exports.d/k8sinfra-lab-nfs-shared.exports");
    expect(exists("exports.d/k8sinfra-lab-nfs-shared.exports")).toBe(false);
    expect(exists("nfs_shared/index.html")).toBe(false);
    expect(exists("nfs_shared/.hidden")).toBe(false);
    expect(exists("nfs_shared/prometheus/ch3-leftover")).toBe(false);
    expect(fs.readFileSync(path.join(root, "nfs_shared/jenkins/config.xml"), "utf8")).toBe(
      "jenkins\n",
    );
    expect(exists("nfs_shared/prometheus/server/wal/00000001")).toBe(true);
  });

  it("ch5's destroy takes its own folder away and nothing else", () => {
    unexport("nfs_shared/jenkins", "exports.d/k8sinfra-lab-nfs-shared-jenkins.exports");
    expect(exists("nfs_shared/jenkins")).toBe(false);
    expect(exists("nfs_shared/index.html")).toBe(true);
    expect(exists("nfs_shared/prometheus/server/wal/00000001")).toBe(true);
  });

  it("the last chapter's destroy removes the folder", () => {
    fs.rmSync(path.join(root, "exports.d/k8sinfra-lab-nfs-shared-jenkins.exports"));
    fs.rmSync(path.join(root, "exports.d/k8sinfra-lab-nfs-shared-prometheus-server.exports"));
    unexport("nfs_shared", "exports.d/k8sinfra-lab-nfs-shared.exports");
    expect(exists("nfs_shared")).toBe(false);
  });
});
