/**
 * What the lab cluster needs on the reader's machine: the checks before anything is created, and
 * the helper `pulumi up` runs around `vagrant`.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  allowedRanges,
  type HostFacts,
  hostProblems,
  inRange,
  NETWORKS_CONF,
  otherLabStacks,
} from "../lib/host";
import { vagrantfile, vmDefinition } from "../lib/vagrant";
import { stoppedVmsNote } from "../stacks/lab";
import { PROJECT_DIR } from "../tools/mockRun";
import { lastRegistrations, runStack } from "./harness";
import { STANDIN_VAGRANT, scratchProject, vagrantCalls } from "./workdir";

const host = (over: Partial<HostFacts> & { conf?: string } = {}): HostFacts => ({
  platform: "linux",
  has: () => true,
  virtualBoxVersion: () => "7.1.4",
  vagrantVersion: () => "2.4.9",
  runningVms: () => [],
  readFile: (f) => (f === NETWORKS_CONF ? over.conf : undefined),
  listDir: () => undefined,
  vmStates: async () => ({}),
  startVms: async () => {},
  ...over,
});
const master = ["192.168.1.10", "192.168.1.101"];

describe("host checks before anything is created", () => {
  it("VirtualBox's default host-only range is 192.168.56.0/21 (catalog: 6.1.28 and later)", () => {
    expect(allowedRanges(undefined)).toEqual(["192.168.56.0/21"]);
    expect(inRange("192.168.56.10", "192.168.56.0/21")).toBe(true);
    expect(inRange("192.168.63.254", "192.168.56.0/21")).toBe(true);
    expect(inRange("192.168.64.1", "192.168.56.0/21")).toBe(false);
    expect(allowedRanges("# comment\n* 10.0.0.0/8 192.168.0.0/16\n* 2001::/64\n")).toEqual([
      "10.0.0.0/8",
      "192.168.0.0/16",
    ]);
  });

  it("the default prefix passes; the book's 192.168.1 is refused with both fixes named", () => {
    expect(hostProblems(host(), "ch2", ["192.168.56.10", "192.168.56.101"])).toEqual([]);
    const [p] = hostProblems(host(), "ch2", master);
    expect(p).toContain("192.168.1.10, 192.168.1.101 are outside");
    expect(p).toContain("npm run lab -- ch2 config set lab:network.prefix 192.168.56");
    expect(p).toContain('add the line "* 192.168.1.0/24" to /etc/vbox/networks.conf');
  });

  it("192.168.1 passes once networks.conf allows it, on Windows, and before VirtualBox 6.1.28", () => {
    expect(hostProblems(host({ conf: "* 192.168.1.0/24\n" }), "ch2", master)).toEqual([]);
    expect(hostProblems(host({ platform: "win32" }), "ch2", master)).toEqual([]);
    expect(hostProblems(host({ virtualBoxVersion: () => "6.1.26" }), "ch2", master)).toEqual([]);
  });

  it("missing Vagrant or VirtualBox is named with where to get it", () => {
    const none = hostProblems(host({ has: () => false }), "ch2", master);
    expect(none[0]).toMatch(/Vagrant is not installed.*developer\.hashicorp\.com\/vagrant/);
    expect(none[1]).toMatch(/VirtualBox is not installed.*virtualbox\.org/);
  });

  it("pulumi preview stops before the first resource when the machine is not ready", async () => {
    await expect(
      runStack({ stack: "ch2", host: host({ has: (p) => p !== "vagrant" }) }),
    ).rejects.toThrow(
      /Stack "ch2" builds VirtualBox VMs with Vagrant, and this machine is not ready:\n {2}- Vagrant is not installed/,
    );
    expect(await lastRegistrations()).toHaveLength(0);
    await expect(
      runStack({
        stack: "practice",
        config: { "lab:cluster.mode": "vagrant", "lab:network.prefix": "192.168.1" },
        host: host(),
      }),
    ).rejects.toThrow(/networks\.conf/);
    expect(await lastRegistrations()).toHaveLength(0);
  });
});

/**
 * A machine where stack `owner` has VMs defined in its work folder (as host/vm.js writes them),
 * some of them running in VirtualBox under the names the lab gives them.
 */
function withStack(owner: string, vms: Record<string, string>, running: readonly string[]) {
  const files: Record<string, string> = {};
  for (const [name, ip] of Object.entries(vms)) {
    files[`.lab/${owner}/nodes/${name}.rb`] = vmDefinition({
      name,
      box: "bento/ubuntu-24.04",
      vbName: `${name}(k8sinfra-lab ${owner})`,
      group: `/k8sinfra-lab/${owner}`,
      cpus: 2,
      memory: 2048,
      ip,
      sshPort: 60010,
      provision: [],
    });
  }
  return host({
    runningVms: () => ["ubuntu-desktop", ...running.map((vm) => `${vm}(k8sinfra-lab ${owner})`)],
    readFile: (f) => files[f],
    listDir: (dir) => {
      if (dir === ".lab") return [owner, "empty"];
      if (dir === `.lab/${owner}/nodes`) return Object.keys(vms).map((v) => `${v}.rb`);
      return undefined;
    },
  });
}

describe("one cluster per address range", () => {
  const lab = ["192.168.56.10", "192.168.56.101", "192.168.56.102", "192.168.56.103"];
  const cluster = {
    "m-k8s": "192.168.56.10",
    "w1-k8s": "192.168.56.101",
    "w2-k8s": "192.168.56.102",
    "w3-k8s": "192.168.56.103",
  };

  it("another stack's VMs on the same addresses stop a chapter, naming the stack and both ways out", () => {
    const problems = hostProblems(
      withStack("cluster", cluster, ["m-k8s", "w1-k8s"]),
      "ch3",
      lab,
      true,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      'stack "cluster" already has VMs on these addresses (m-k8s, w1-k8s, w2-k8s, w3-k8s; running: m-k8s, w1-k8s)',
    );
    expect(problems[0]).toContain("npm run lab -- ch3 config set lab:cluster.mode stack");
    expect(problems[0]).toContain("npm run lab -- ch3 config set lab:cluster.stack cluster");
    expect(problems[0]).toContain("npm run lab -- cluster destroy");
  });

  it("stopped VMs count too; the cluster stack itself is not told to build on a cluster", () => {
    const [p] = hostProblems(withStack("ch4", cluster, []), "cluster", lab, false);
    expect(p).toContain(
      'stack "ch4" already has VMs on these addresses (m-k8s, w1-k8s, w2-k8s, w3-k8s; stopped)',
    );
    expect(p).not.toContain("lab:cluster.mode stack");
    expect(p).toContain("npm run lab -- ch4 destroy");
  });

  it("a stack's own VMs, and another stack's VMs on other addresses, are no conflict", () => {
    expect(hostProblems(withStack("cluster", cluster, ["m-k8s"]), "cluster", lab)).toEqual([]);
    const elsewhere = { "m-k8s": "192.168.57.10", "w1-k8s": "192.168.57.101" };
    expect(otherLabStacks(withStack("ch2", elsewhere, ["m-k8s"]), "ch3", lab)).toEqual([]);
  });

  it("a running lab VM whose work folder is not here (another clone) is named all the same", () => {
    const other = host({ runningVms: () => ["m-k8s(k8sinfra-lab ch5)"] });
    expect(otherLabStacks(other, "ch3", lab)).toEqual([
      { stack: "ch5", vms: ["m-k8s"], running: ["m-k8s"] },
    ]);
  });

  it("pulumi preview of a chapter in vagrant mode stops before the first resource", async () => {
    await expect(
      runStack({
        stack: "ch3",
        config: { "lab:cluster.mode": "vagrant" },
        host: withStack("cluster", cluster, ["m-k8s"]),
      }),
    ).rejects.toThrow(/stack "cluster" already has VMs on these addresses/);
    expect(await lastRegistrations()).toHaveLength(0);
  });
});

describe("VMs halted, or the machine rebooted", () => {
  /** A machine where the VMs of `owner` are in the given states; records what was started. */
  function halted(owner: string, states: Record<string, string>) {
    const started: string[] = [];
    let registeredBefore = -1;
    const facts = host({
      vmStates: async (dir) => (dir === `.lab/${owner}` ? states : {}),
      startVms: async (dir, say) => {
        registeredBefore = (await lastRegistrations()).length;
        say("m-k8s: the API server is ready");
        started.push(dir);
      },
    });
    return { facts, started, registeredBefore: () => registeredBefore };
  }
  const down = { "m-k8s": "poweroff", "w1-k8s": "running", "w2-k8s": "aborted" };

  it("pulumi up of a chapter on the cluster stack starts its stopped VMs before the first resource", async () => {
    const h = halted("cluster", down);
    await runStack({ stack: "ch3", host: h.facts });
    expect(h.started).toEqual([".lab/cluster"]);
    expect(h.registeredBefore()).toBe(0);
  });

  it("pulumi up of a stack with its own VMs starts them; a preview starts nothing", async () => {
    const own = halted("ch3", down);
    await runStack({ stack: "ch3", config: { "lab:cluster.mode": "vagrant" }, host: own.facts });
    expect(own.started).toEqual([".lab/ch3"]);
    const preview = halted("cluster", down);
    await runStack({ stack: "ch3", host: preview.facts, preview: true });
    expect(preview.started).toEqual([]);
  });

  it("running and never created VMs start nothing; kubeconfig mode has no VMs to start", async () => {
    const h = halted("cluster", { "m-k8s": "running", "w1-k8s": "not_created" });
    await runStack({ stack: "ch3", host: h.facts });
    const k = halted("cluster", down);
    await runStack({
      stack: "practice",
      config: { "lab:cluster.mode": "kubeconfig" },
      host: k.facts,
    });
    expect([...h.started, ...k.started]).toEqual([]);
  });

  it("what preview and up say names the stack, the stopped VMs and the command", () => {
    const stopped = ["m-k8s: poweroff", "w2-k8s: aborted"];
    expect(stoppedVmsNote("cluster", stopped, true)).toBe(
      'the VMs of stack "cluster" are stopped (m-k8s: poweroff, w2-k8s: aborted): pulumi up starts them first (by hand: node host/vm.js resume .lab/cluster); until then this preview cannot read the cluster',
    );
    expect(stoppedVmsNote("cluster", stopped, false)).toContain("starting them");
  });
});

describe("13.10 Vagrant and VirtualBox versions that work together", () => {
  // hashicorp/vagrant plugins/providers/virtualbox/driver/meta.rb, driver_map at v2.3.4, v2.4.2 and
  // v2.4.9: 7.0 appears in 2.3.2, 7.1 in 2.4.2, 7.2 in 2.4.9; any other version is refused.
  const pair = (vagrant: string, vbox: string) =>
    hostProblems(
      host({ vagrantVersion: () => vagrant, virtualBoxVersion: () => vbox }),
      "cluster",
      ["192.168.56.10"],
    );

  it("Debian's Vagrant 2.3.4 with VirtualBox 7.1 is refused, with the versions that work", () => {
    const [p] = pair("2.3.4", "7.1.4r165100");
    expect(p).toContain(
      "Vagrant 2.3.4 does not support VirtualBox 7.1.4r165100: VirtualBox 7.1 needs Vagrant 2.4.2 or later.",
    );
    expect(p).toContain("developer.hashicorp.com/vagrant/install");
    expect(p).toContain("a VirtualBox that Vagrant 2.3.4 supports (7.0)");
  });

  it("VirtualBox 7.2 needs Vagrant 2.4.9: 2.4.8 is refused, 2.4.9 passes", () => {
    expect(pair("2.4.8", "7.2.0")[0]).toContain("VirtualBox 7.2 needs Vagrant 2.4.9 or later");
    expect(pair("2.4.9", "7.2.0")).toEqual([]);
  });

  it("pairs Vagrant supports pass: 2.3.4 with 7.0, 2.4.2 with 7.1, 2.4.9 with 6.1", () => {
    expect(pair("2.3.4", "7.0.20")).toEqual([]);
    expect(pair("2.4.2", "7.1.0")).toEqual([]);
    expect(pair("2.4.9", "6.1.50")).toEqual([]);
  });
});

/** Runs host/vm.js in a scratch project with a stand-in vagrant that prints `output` and exits `code`. */
function helper(args: string[], stdin = "", output = "", code = 0) {
  const dir = scratchProject();
  const log = path.join(dir, "vagrant.log");
  // Answers `port` and `ssh` as the stand-in of workdir.ts does; everything else prints `output`
  // and ends with `code`.
  fs.writeFileSync(
    path.join(dir, "bin", "vagrant"),
    STANDIN_VAGRANT(log).replace(
      /^esac$/m,
      `  *) printf '%s\\n' ${JSON.stringify(output)} >&2; exit ${code} ;;\nesac`,
    ),
    { mode: 0o755 },
  );
  const r = spawnSync(process.execPath, [path.join(PROJECT_DIR, "host", "vm.js"), ...args], {
    cwd: dir,
    input: stdin,
    encoding: "utf8",
    env: { ...process.env, PATH: `${path.join(dir, "bin")}${path.delimiter}${process.env.PATH}` },
  });
  return { ...r, dir, calls: vagrantCalls(dir) };
}

describe("host/vm.js, what pulumi up runs around vagrant", () => {
  it("up writes the VM's definition, runs vagrant up --provision <vm>, and prints how to reach it", () => {
    const r = helper(
      ["up", ".lab/ch2", "w1-k8s"],
      'config.vm.define "w1-k8s" do |cfg|\n  cfg.vm.network "forwarded_port", guest: 22, host: 60101, auto_correct: true, id: "ssh"\nend\n',
    );
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(r.dir, ".lab/ch2/nodes/w1-k8s.rb"), "utf8")).toContain(
      '"w1-k8s"',
    );
    const work = path.join(r.dir, ".lab/ch2");
    expect(r.calls).toEqual([
      // --provision: a VM whose first provisioning failed half-way is provisioned again.
      `${work} vagrant up --provision w1-k8s`,
      `${work} vagrant port w1-k8s`,
      `${work} vagrant ssh w1-k8s -c cat /etc/ssh/ssh_host_ed25519_key.pub`,
    ]);
    // Only the result on standard output; Vagrant's own output went to standard error.
    expect(r.stdout).toBe(
      `lab-vm ${JSON.stringify({
        ssh: { host: "127.0.0.1", port: 60101 },
        hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIStandInHostKeyOfw1k8s",
      })}\n`,
    );
    // No temporary file is left beside the definition.
    expect(fs.readdirSync(path.join(work, "nodes"))).toEqual(["w1-k8s.rb"]);
  });

  it("destroy runs vagrant destroy -f <vm>, then removes the definition", () => {
    const r = helper(
      ["destroy", ".lab/ch2", "w4-k8s"],
      'config.vm.define "w4-k8s" do |cfg|\nend\n',
    );
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([`${path.join(r.dir, ".lab/ch2")} vagrant destroy -f w4-k8s`]);
    expect(fs.existsSync(path.join(r.dir, ".lab/ch2/nodes/w4-k8s.rb"))).toBe(false);
  });

  it("destroying the last VM and removing the last file leaves no work folder behind", () => {
    const up = helper(["up", ".lab/ch2", "m-k8s"], 'config.vm.define "m-k8s" do |cfg|\nend\n');
    const work = path.join(up.dir, ".lab/ch2");
    // What Vagrant keeps of a machine it created, and of its own setup.
    fs.mkdirSync(path.join(work, ".vagrant/machines/m-k8s/virtualbox"), { recursive: true });
    fs.writeFileSync(path.join(work, ".vagrant/machines/m-k8s/virtualbox/vagrant_cwd"), work);
    fs.mkdirSync(path.join(work, ".vagrant/rgloader"), { recursive: true });
    fs.writeFileSync(path.join(work, ".vagrant/rgloader/loader.rb"), "");
    fs.mkdirSync(path.join(work, "scripts"), { recursive: true });
    fs.writeFileSync(path.join(work, "scripts/config.sh"), "echo\n");
    const vm = (args: string[]) =>
      spawnSync(process.execPath, [path.join(PROJECT_DIR, "host", "vm.js"), ...args], {
        cwd: up.dir,
        env: {
          ...process.env,
          PATH: `${path.join(up.dir, "bin")}${path.delimiter}${process.env.PATH}`,
        },
        input: "",
      });
    expect(vm(["destroy", ".lab/ch2", "m-k8s"]).status).toBe(0);
    expect(fs.existsSync(path.join(work, ".vagrant"))).toBe(false);
    expect(vm(["remove", ".lab/ch2/scripts/config.sh"]).status).toBe(0);
    expect(fs.existsSync(work)).toBe(false);
    expect(fs.existsSync(up.dir)).toBe(true);
  });

  it("a refused host-only range ends with the two ways to fix it", () => {
    const refusal =
      "The IP address configured for the host-only network is not within the allowed ranges. Please update the address used to be within the allowed ranges and run the command again.";
    const r = helper(["up", ".lab/ch3", "m-k8s"], "x", refusal, 1);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("vagrant up --provision m-k8s failed (exit 1).");
    expect(r.stderr).toContain("npm run lab -- ch3 config set lab:network.prefix 192.168.56");
    expect(r.stderr).toContain("/etc/vbox/networks.conf");
  });

  it("missing VirtualBox is said plainly", () => {
    const r = helper(
      ["up", ".lab/ch2", "m-k8s"],
      "x",
      "Vagrant could not detect VirtualBox! Make sure VirtualBox is properly installed.",
      1,
    );
    expect(r.stderr).toContain("VirtualBox is missing: install it from https://www.virtualbox.org");
  });

  it("missing Vagrant is said plainly", () => {
    const dir = scratchProject();
    const r = spawnSync(
      process.execPath,
      [path.join(PROJECT_DIR, "host", "vm.js"), "up", ".lab/ch2", "m-k8s"],
      {
        cwd: dir,
        input: "x",
        encoding: "utf8",
        // No vagrant anywhere on PATH (node itself is started by its full path).
        env: { ...process.env, PATH: path.join(dir, "empty") },
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Vagrant is not installed or not on PATH");
  });

  it("workers brought up in parallel never read a half-written nodes/*.rb: the Vagrantfile itself, loaded while they are written", () => {
    // Each `vagrant up <worker>` loads the Vagrantfile, which evaluates every nodes/*.rb, while the
    // other workers' resources write theirs. Here Ruby loads the stack's real Vagrantfile (with
    // Vagrant's configure/define recorded, nothing run) again and again while three writers
    // rewrite their definitions through host/vm.js: every definition present must be whole.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-parallel-"));
    const work = path.join(dir, ".lab", "par");
    fs.mkdirSync(path.join(work, "nodes"), { recursive: true });
    fs.writeFileSync(path.join(work, "Vagrantfile"), vagrantfile("par"));
    const workers = ["w1-k8s", "w2-k8s", "w3-k8s"];
    workers.forEach((name, i) => {
      const definition = vmDefinition({
        name,
        box: "bento/ubuntu-24.04",
        vbName: `${name}(k8sinfra-lab par)`,
        group: "/k8sinfra-lab/par",
        cpus: 1,
        memory: 2560,
        ip: `192.168.56.10${i + 1}`,
        sshPort: 60101 + i,
        provision: [{ shell: "scripts/config.sh", env: { WORKER: name } }],
      });
      // Large enough that writing it is not one instant: a comment, then the block at its end.
      fs.writeFileSync(
        path.join(work, `${name}.src`),
        `${`# padding ${"-".repeat(70)}\n`.repeat(4000)}${definition}`,
      );
    });
    const reader = `
      class Anything
        def method_missing(*_args, &block)
          block&.call(Anything.new)
          self
        end

        def respond_to_missing?(*)
          true
        end
      end
      class Config < Anything
        attr_reader :defined

        def initialize
          @defined = []
        end

        def vm
          self
        end

        def define(name, *_opts, &block)
          @defined << name
          block&.call(Anything.new)
        end
      end
      module Vagrant
        def self.configure(_version)
          config = Config.new
          yield config
          $defined = config.defined
        end
      end
      vagrantfile = File.join(ARGV[0], "Vagrantfile")
      loads = 0
      problems = []
      # Until the writers are done (the shell then creates "done"), at most half a minute.
      deadline = Time.now + 30
      until File.exist?("done") || Time.now > deadline
        present = Dir.glob(File.join(ARGV[0], "nodes", "*.rb")).map { |f| File.basename(f, ".rb") }
        begin
          load vagrantfile
          missing = present - $defined
          problems << "defined #{$defined}, files #{present}" unless missing.empty?
        rescue SyntaxError, StandardError => e
          problems << e.class.name
        end
        loads += 1
      end
      puts "loads #{loads}"
      puts problems.uniq.first(5)
      exit(problems.empty? ? 0 : 1)
    `;
    fs.writeFileSync(path.join(dir, "reader.rb"), reader);
    const writers = workers
      .map(
        (name) =>
          `(for i in $(seq 20); do node ${JSON.stringify(path.join(PROJECT_DIR, "host", "vm.js"))} write .lab/par/nodes/${name}.rb < .lab/par/${name}.src || exit 1; done) & writers="$writers $!"`,
      )
      .join("\n");
    const r = spawnSync(
      "sh",
      [
        "-c",
        `ruby reader.rb .lab/par & reader=$!\n${writers}\nwait $writers\ntouch done\nwait $reader`,
      ],
      {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` },
      },
    );
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^loads \d+/);
    expect(Number(/^loads (\d+)/.exec(r.stdout)?.[1])).toBeGreaterThan(20);
    expect(r.stdout.split("\n").slice(1).filter(Boolean)).toEqual([]);
    expect(r.status).toBe(0);
  }, 60_000);

  it("write and remove manage one file of the work folder", () => {
    const w = helper(["write", ".lab/ch2/scripts/config.sh"], "echo hi\n");
    expect(fs.readFileSync(path.join(w.dir, ".lab/ch2/scripts/config.sh"), "utf8")).toBe(
      "echo hi\n",
    );
    const r = spawnSync(
      process.execPath,
      [path.join(PROJECT_DIR, "host", "vm.js"), "remove", ".lab/ch2/scripts/config.sh"],
      { cwd: w.dir },
    );
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(w.dir, ".lab/ch2/scripts"))).toBe(false);
  });
});

/**
 * A stand-in kube-apiserver on loopback that answers `/readyz` with 500 until `readyAfterMs` have
 * passed, then 200: kube-apiserver serves /readyz with http.StatusInternalServerError while a check
 * fails ("readyz check failed"), 200 "ok" once all pass (kubernetes/kubernetes@046d201c45ce
 * staging/src/k8s.io/apiserver/pkg/server/healthz/healthz.go, handleRootHealth). Every answer is
 * kept with its time.
 */
async function slowApiServer(readyAfterMs: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-api-"));
  const made = spawnSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
      ...["-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=kube-apiserver"],
    ],
    { cwd: dir, encoding: "utf8" },
  );
  if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
  const started = Date.now();
  const answers: { at: number; status: number }[] = [];
  const server = https.createServer(
    {
      key: fs.readFileSync(path.join(dir, "key.pem")),
      cert: fs.readFileSync(path.join(dir, "cert.pem")),
    },
    (req, res) => {
      const ready = Date.now() - started >= readyAfterMs;
      const status = req.url === "/readyz" && ready ? 200 : 500;
      answers.push({ at: Date.now(), status });
      res
        .writeHead(status)
        .end(status === 200 ? "ok" : "[-]etcd failed: reason withheld\nreadyz check failed");
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
      fs.rmSync(dir, { recursive: true, force: true });
    });
  return { port: (server.address() as AddressInfo).port, answers, close };
}

/**
 * What the master's files say about its cluster, as master_node.sh leaves them: `initialised`
 * (kubeadm init completed: admin.conf, and its credentials handed to root), `half-done` (an init
 * that failed after writing admin.conf, before the script handed anything out), `new` (no init).
 */
type MasterFiles = "initialised" | "half-done" | "new";

function writeMasterFiles(root: string, state: MasterFiles): void {
  const adminConf =
    "apiVersion: v1\nusers:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: c3RhbmQtaW4gYWRtaW4=\n";
  const files: Record<string, string> = {
    ...(state === "new" ? {} : { "etc/kubernetes/admin.conf": adminConf }),
    ...(state === "initialised" ? { "root/.kube/config": adminConf } : {}),
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
}

/**
 * Runs host/vm.js (without blocking this process, which serves the stand-in API server) in a
 * scratch project whose stand-in vagrant answers `port` from the definition, `status` with every
 * defined VM halted, and `ssh` with a host key, or, for any other command, by running it on a
 * folder that stands for the VM's root, holding the master's files as `master` says. Notes when the
 * `lab-vm` line arrived.
 */
function vmHelperAsync(
  args: string[],
  stdin: string,
  master: MasterFiles = "initialised",
  definitions: Record<string, string> = {},
) {
  const dir = scratchProject();
  const vmRoot = path.join(dir, "vm-root");
  writeMasterFiles(vmRoot, master);
  for (const [vm, text] of Object.entries(definitions)) {
    fs.mkdirSync(path.join(dir, args[1], "nodes"), { recursive: true });
    fs.writeFileSync(path.join(dir, args[1], "nodes", `${vm}.rb`), text);
  }
  const standIn = STANDIN_VAGRANT(path.join(dir, "vagrant.log")).replace(
    /^case /m,
    [
      'if [ "$1" = status ]; then',
      '  for f in nodes/*.rb; do echo "1,$(basename "$f" .rb),state,poweroff"; done; exit 0',
      "fi",
      'if [ "$1" = ssh ] && [ "$4" != "cat /etc/ssh/ssh_host_ed25519_key.pub" ]; then',
      `  root=${JSON.stringify(vmRoot)}`,
      `  command=$(printf '%s' "$4" | sed -E -e 's#^sudo ##' -e "s#(^| )/(etc|root)/#\\1$root/\\2/#g")`,
      '  out=$(sh -c "$command"); status=$?',
      `  [ -z "$out" ] || printf '%s\\n' "$out" | sed "s#$root##g"`,
      "  exit $status",
      "fi",
      "case ",
    ].join("\n"),
  );
  fs.writeFileSync(path.join(dir, "bin", "vagrant"), standIn, { mode: 0o755 });
  return new Promise<{
    status: number | null;
    stdout: string;
    stderr: string;
    lineAt?: number;
    calls: string[];
    work: string;
  }>((resolve) => {
    const child = spawn(process.execPath, [path.join(PROJECT_DIR, "host", "vm.js"), ...args], {
      cwd: dir,
      env: { ...process.env, PATH: `${path.join(dir, "bin")}${path.delimiter}${process.env.PATH}` },
    });
    // A helper that waited its full 10 minutes would only hold the test up: stop it well before.
    const timer = setTimeout(() => child.kill(), 20_000);
    let stdout = "";
    let stderr = "";
    let lineAt: number | undefined;
    child.stdout.on("data", (d) => {
      stdout += d;
      if (lineAt === undefined && stdout.includes("lab-vm ")) lineAt = Date.now();
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({
        status,
        stdout,
        stderr,
        lineAt,
        calls: vagrantCalls(dir),
        work: path.join(dir, args[1]),
      });
    });
    child.stdin.end(stdin);
  });
}

/** A lab VM's definition as the stack writes it, the master's API server forwarded to `api`. */
const labVm = (name: string, api?: number) =>
  vmDefinition({
    name,
    box: "bento/ubuntu-24.04",
    vbName: `${name}(k8sinfra-lab cluster)`,
    group: "/k8sinfra-lab/cluster",
    cpus: 2,
    memory: 3072,
    ip: "192.168.56.10",
    sshPort: 60010,
    forwards: api ? [{ guest: 6443, host: api, id: "kube-apiserver" }] : [],
    provision: [],
  });

describe("host/vm.js reload of a resized VM", () => {
  // hashicorp/vagrant@v2.4.9 plugins/providers/virtualbox/action.rb: action_reload (l. 207-220) is
  // action_halt then action_start, which boots a halted VM with action_boot (l. 351); action_boot
  // ends at WaitForCommunicator (l. 91), SSH answering. Nothing waits for what the guest starts
  // after boot, such as the kubelet's static pods. plugins/commands/ssh/command.rb (l. 64-65):
  // `vagrant ssh -c` ends with the command's exit status. kubernetes/kubernetes@v1.36.0
  // cmd/kubeadm/app/cmd/init.go l. 158-171: kubeadm init writes admin.conf (kubeconfig phase)
  // before wait-control-plane, so an init whose control plane never came up leaves it too; kubeadm
  // reset deletes it (cmd/kubeadm/app/cmd/phases/reset/cleanupnode.go l. 152-183, resetConfigDir).
  // Only a master whose init completed (master_node.sh then hands admin.conf's credentials to root)
  // has a control plane that comes back.
  it("a master whose cluster was initialised is handed on only once its API server answers /readyz", async () => {
    const api = await slowApiServer(2500);
    try {
      const r = await vmHelperAsync(["reload", ".lab/cluster", "m-k8s"], labVm("m-k8s", api.port));
      expect(r.stderr).not.toContain("failed");
      expect(r.status).toBe(0);
      // What /readyz answered before the lab-vm line came: not ready at first (the reboot), then
      // ready, and the line only after that.
      const beforeTheLine = api.answers.filter((a) => a.at <= (r.lineAt ?? 0)).map((a) => a.status);
      expect(beforeTheLine.join(" ")).toMatch(/^500( 500)* 200$/);
      expect(r.stderr).toContain(`m-k8s: waiting for the API server on 127.0.0.1:${api.port}`);
      expect(r.stderr).toContain("m-k8s: the API server is ready");
      expect(r.stdout).toBe(
        `lab-vm ${JSON.stringify({
          ssh: { host: "127.0.0.1", port: 60010 },
          api: { host: "127.0.0.1", port: api.port },
          hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIStandInHostKeyOfmk8s",
        })}\n`,
      );
      expect(r.calls).toEqual([
        `${r.work} vagrant reload --provision m-k8s`,
        `${r.work} vagrant port m-k8s`,
        `${r.work} vagrant ssh m-k8s -c cat /etc/ssh/ssh_host_ed25519_key.pub`,
        `${r.work} vagrant ssh m-k8s -c sudo grep -sH client-certificate-data: /etc/kubernetes/admin.conf /root/.kube/config`,
      ]);
    } finally {
      await api.close();
    }
  });

  it("a master whose kubeadm init never ran (no admin.conf) is handed on at once: its init comes next", async () => {
    const api = await slowApiServer(Number.POSITIVE_INFINITY);
    try {
      const r = await vmHelperAsync(
        ["reload", ".lab/cluster", "m-k8s"],
        labVm("m-k8s", api.port),
        "new",
      );
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^lab-vm .*"api":\{"host":"127.0.0.1","port":\d+\}/);
      expect(api.answers).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it("a master whose kubeadm init failed half-way (admin.conf, never handed out) is handed on at once: master_node.sh resets it and runs init next", async () => {
    const api = await slowApiServer(Number.POSITIVE_INFINITY);
    try {
      const started = Date.now();
      const r = await vmHelperAsync(
        ["reload", ".lab/cluster", "m-k8s"],
        labVm("m-k8s", api.port),
        "half-done",
      );
      expect(r.stderr).not.toContain("waiting for the API server");
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^lab-vm .*"api":\{"host":"127.0.0.1","port":\d+\}/);
      expect(api.answers).toEqual([]);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await api.close();
    }
  });

  it("a worker (no API server forwarded) and a new master (vagrant up) wait for nothing", async () => {
    const api = await slowApiServer(Number.POSITIVE_INFINITY);
    try {
      const worker = await vmHelperAsync(["reload", ".lab/cluster", "w1-k8s"], labVm("w1-k8s"));
      expect(worker.status).toBe(0);
      expect(worker.calls).toEqual([
        `${worker.work} vagrant reload --provision w1-k8s`,
        `${worker.work} vagrant port w1-k8s`,
        `${worker.work} vagrant ssh w1-k8s -c cat /etc/ssh/ssh_host_ed25519_key.pub`,
      ]);
      const master = await vmHelperAsync(["up", ".lab/cluster", "m-k8s"], labVm("m-k8s", api.port));
      expect(master.status).toBe(0);
      expect(master.stdout).toMatch(/^lab-vm /);
      expect(api.answers).toEqual([]);
    } finally {
      await api.close();
    }
  });
});

describe("host/vm.js resume of halted VMs (the machine rebooted)", () => {
  it("a halted master whose cluster was initialised is started, then handed on once /readyz answers", async () => {
    const api = await slowApiServer(2500);
    try {
      const r = await vmHelperAsync(["resume", ".lab/cluster"], "", "initialised", {
        "m-k8s": labVm("m-k8s", api.port),
      });
      expect(r.status).toBe(0);
      expect(r.stderr).toContain("m-k8s is poweroff: vagrant up m-k8s");
      expect(r.stderr).toContain("m-k8s: the API server is ready");
      expect(api.answers.at(-1)?.status).toBe(200);
      expect(r.calls).toEqual([
        `${r.work} vagrant status --machine-readable`,
        `${r.work} vagrant up m-k8s`,
        `${r.work} vagrant port m-k8s`,
        `${r.work} vagrant ssh m-k8s -c sudo grep -sH client-certificate-data: /etc/kubernetes/admin.conf /root/.kube/config`,
      ]);
    } finally {
      await api.close();
    }
  });

  it("a halted master whose kubeadm init failed half-way is started and handed on at once: no API server comes back before its init", async () => {
    const api = await slowApiServer(Number.POSITIVE_INFINITY);
    try {
      const started = Date.now();
      const r = await vmHelperAsync(["resume", ".lab/cluster"], "", "half-done", {
        "m-k8s": labVm("m-k8s", api.port),
      });
      expect(r.stderr).not.toContain("waiting for the API server");
      expect(r.status).toBe(0);
      expect(api.answers).toEqual([]);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await api.close();
    }
  });
});

/**
 * How a Windows program splits its command line (the C runtime's rules, as CommandLineToArgvW):
 * spaces separate arguments outside quotes; 2n backslashes before a quote are n and the quote
 * opens or closes; 2n+1 are n and a literal quote; other backslashes are literal.
 */
function windowsArgv(line: string): string[] {
  const args: string[] = [];
  let current = "";
  let quoted = false;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\") {
      let n = 0;
      while (line[i] === "\\") {
        n++;
        i++;
      }
      if (line[i] === '"') {
        current += "\\".repeat(Math.floor(n / 2));
        if (n % 2 === 1) current += '"';
        else quoted = !quoted;
      } else {
        current += "\\".repeat(n);
        i--;
      }
      started = true;
    } else if (c === '"') {
      quoted = !quoted;
      started = true;
    } else if ((c === " " || c === "\t") && !quoted) {
      if (started) args.push(current);
      current = "";
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}

describe("host/vm.js on Windows, where vagrant runs through cmd.exe", () => {
  const { spawnArgs } = createRequire(__filename)("../host/vm.js") as {
    spawnArgs(args: readonly string[], platform?: string): string[];
  };
  // What vm.js hands vagrant: the host-key read and the check for an initialised master are one
  // argument after -c each; a work folder under a profile with a space; odd characters.
  const cases: string[][] = [
    ["ssh", "m-k8s", "-c", "cat /etc/ssh/ssh_host_ed25519_key.pub"],
    [
      "ssh",
      "m-k8s",
      "-c",
      "sudo grep -sH client-certificate-data: /etc/kubernetes/admin.conf /root/.kube/config",
    ],
    ["up", "C:\\Users\\Kim Min\\k8sinfra-lab\\.lab\\cluster\\"],
    ["ssh", "m-k8s", "-c", 'echo "a & b" | tee x'],
    ["status", "--machine-readable"],
    ["ssh", "m-k8s", "-c", ""],
  ];

  it("each argument reaches vagrant whole when Node joins them for cmd.exe", () => {
    for (const args of cases) {
      // Node's shell spawn on Windows: cmd.exe /d /s /c "<command> <args joined by spaces>".
      const line = ["vagrant", ...spawnArgs(args, "win32")].join(" ");
      expect(windowsArgv(line).slice(1), line).toEqual(args);
    }
  });

  it("elsewhere the arguments go unchanged (no shell)", () => {
    for (const args of cases) expect(spawnArgs(args, "linux")).toEqual(args);
  });

  it("the split above is the C runtime's: joined unquoted, -c keeps only its first word", () => {
    expect(windowsArgv(["vagrant", ...cases[0]].join(" "))).toEqual([
      "vagrant",
      "ssh",
      "m-k8s",
      "-c",
      "cat",
      "/etc/ssh/ssh_host_ed25519_key.pub",
    ]);
    expect(windowsArgv('a\\\\"b c" d\\e "f\\"g"')).toEqual(["a\\b c", "d\\e", 'f"g']);
  });
});
