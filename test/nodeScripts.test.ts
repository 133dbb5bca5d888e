/**
 * The node scripts of the lab cluster run for real (bash), as the stack registers them, on a node
 * whose root is a scratch folder: the scripts' absolute paths (/etc, /var, /root, /home) are moved
 * into it, and the heavy tools are the e2e's stand-ins (test/e2e/node/recorder, moved the same
 * way), which keep the files kubeadm and containerd leave and record every call. The e2e runs the
 * same scripts on a real Debian root behind sshd (test/e2e/cases/node.ts).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scriptText } from "../lib/scripts";
import { STANDIN_TOOLS, tomlSections } from "./e2e/nodeRoot";

const RECORDER = path.join(__dirname, "e2e", "node", "recorder");

let root: string;

/** A text with its absolute paths of the node moved under the scratch root. */
const moved = (text: string) =>
  text.replace(/(^|[\s'"=(>])\/(etc|var|root|home)\//gm, `$1${root}/$2/`);
/** A path of the node on this machine. */
const at = (nodePath: string) => path.join(root, nodePath);
const read = (nodePath: string) => fs.readFileSync(at(nodePath), "utf8");
const write = (nodePath: string, text: string) => {
  fs.mkdirSync(path.dirname(at(nodePath)), { recursive: true });
  fs.writeFileSync(at(nodePath), text);
};

/** Runs a command as Pulumi or Vagrant would on the node (bash, its text, standard input). */
function onNode(command: string, stdin = "") {
  const r = spawnSync("bash", ["-c", moved(command)], {
    input: stdin,
    encoding: "utf8",
    cwd: root,
    env: {
      PATH: `${at("/opt/standin/bin")}:${process.env.PATH}`,
      HOME: at("/root"),
      LC_ALL: "C.UTF-8",
    },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The stand-in tools' calls so far, as `tool args...` lines, oldest first. */
function calls(tool?: string): string[] {
  const log = at("/var/log/k8sinfra-lab-standin.jsonl");
  if (!fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { tool: string; args: string[] })
    .filter((c) => !tool || c.tool === tool)
    .map((c) => [c.tool, ...c.args].join(" "));
}
const clearCalls = () => fs.rmSync(at("/var/log/k8sinfra-lab-standin.jsonl"), { force: true });

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "lab-node-"));
  const bin = at("/opt/standin/bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, "recorder"), moved(fs.readFileSync(RECORDER, "utf8")), {
    mode: 0o755,
  });
  // dpkg is the box's own on a node; owners and groups (install -o vagrant) need root here.
  for (const tool of [...STANDIN_TOOLS, "dpkg"]) fs.symlinkSync("recorder", path.join(bin, tool));
  fs.writeFileSync(
    path.join(bin, "install"),
    '#!/bin/sh\nfor a; do shift; case "$a" in -o|-g) skip=1 ;; *) if [ -n "$skip" ]; then skip=; else set -- "$@" "$a"; fi ;; esac; done\nexec /usr/bin/install "$@"\n',
    { mode: 0o755 },
  );
  write("/etc/os-release", "VERSION_CODENAME=noble\n");
  // Folders the box has.
  for (const dir of [
    "/root",
    "/home/vagrant",
    "/var/log",
    "/etc/apt/sources.list.d",
    "/etc/default",
  ]) {
    fs.mkdirSync(at(dir), { recursive: true });
  }
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe.runIf(process.platform === "linux")(
  "containerd's registry folder (book 4.4.2's trust)",
  () => {
    // containerd/containerd@v2.2.7: kubelet's pulls go through the CRI images plugin, which passes its
    // registry config_path to the transfer service as the registry's hosts folder
    // (internal/cri/server/images/image_pull.go l. 311, pullImageWithTransferService, the default:
    // use_local_image_pull = false). Left empty, as `containerd config default` prints it, the plugin
    // sets "/etc/containerd/certs.d:/etc/docker/certs.d" (plugins/cri/images/plugin.go l. 64-72), which
    // the transfer service's HostDirFromRoot takes as one folder name
    // (core/transfer/registry/registry.go l. 127-129; core/remotes/docker/config/hosts.go l. 292-303,
    // config_unix.go hostPaths): no hosts.toml is found and the lab registry's certificate is not
    // trusted. The transfer service has a config_path of its own (plugins/transfer/plugin.go l. 181,
    // 209-210), printed empty too. docs/hosts.md (l. 36-43): point config_path at the folder of the
    // hosts.toml files.
    const env = {
      K8S_PACKAGE_VERSION: "1.36.0-1.1",
      NODE_IP: "192.168.56.101",
      NODE_ROLE: "",
      BOOK_REPOSITORY: "https://github.com/sysnet4admin/_Book_k8sInfra.git",
    };
    const provision = () => {
      const exports = Object.entries(env)
        .map(([k, v]) => `${k}='${v}'`)
        .join(" ");
      const r = onNode(`export ${exports}\n${scriptText("install_pkg.sh")}`);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    };
    const registry = "192.168.56.10:8443";
    const certs = "/etc/containerd/certs.d";
    const config = () => tomlSections(read("/etc/containerd/config.toml").replaceAll(root, ""));

    it("a node provisioned again (a resized VM) keeps trusting the lab registry: config_path names certs.d, whose files stay", () => {
      provision();
      const trust = onNode(
        `export REGISTRY=${registry} TRUST_DOCKER=no\n${scriptText("trust_registry.sh")}`,
        "-----BEGIN CERTIFICATE-----\nlab registry\n-----END CERTIFICATE-----\n",
      );
      expect(trust.status).toBe(0);
      // `vagrant reload --provision` after lab:cluster.workerMemory changed: install_pkg.sh again.
      provision();

      const c = config();
      expect(c.get("plugins.'io.containerd.cri.v1.images'.registry")?.get("config_path")).toBe(
        `'${certs}'`,
      );
      expect(c.get("plugins.'io.containerd.transfer.v1.local'")?.get("config_path")).toBe(
        `'${certs}'`,
      );
      expect(
        c
          .get("plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options")
          ?.get("SystemdCgroup"),
      ).toBe("true");
      // Other paths of the default config are left as they are.
      expect(
        c
          .get("plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc")
          ?.get("runtime_path"),
      ).toBe("''");
      expect(c.get("plugins.'io.containerd.nri.v1.nri'")?.get("plugin_config_path")).toBe(
        "'/etc/nri/conf.d'",
      );
      expect(read(`${certs}/${registry}/hosts.toml`)).toContain(`server = "https://${registry}"`);
      expect(read(`${certs}/${registry}/ca.crt`)).toContain("lab registry");
    });

    it("a node provisioned before install_pkg.sh named the folder is set right by the trust", () => {
      provision();
      write(
        "/etc/containerd/config.toml",
        read("/etc/containerd/config.toml").replaceAll(`'${root}${certs}'`, "''"),
      );
      clearCalls();
      const trust = onNode(
        `export REGISTRY=${registry} TRUST_DOCKER=no\n${scriptText("trust_registry.sh")}`,
        "-----BEGIN CERTIFICATE-----\nlab registry\n-----END CERTIFICATE-----\n",
      );
      expect(trust.status).toBe(0);
      const c = config();
      expect(c.get("plugins.'io.containerd.cri.v1.images'.registry")?.get("config_path")).toBe(
        `'${certs}'`,
      );
      expect(c.get("plugins.'io.containerd.transfer.v1.local'")?.get("config_path")).toBe(
        `'${certs}'`,
      );
      expect(calls("systemctl")).toEqual(["systemctl restart containerd"]);
    });
  },
);
