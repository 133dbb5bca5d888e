/**
 * Chapter 2 (book 2.2.3): the generated Vagrantfile and scripts, checked by the real `vagrant
 * validate` and `shellcheck`, and the book's VM facts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { changed, find, inputsOf, runStack, type StackRun } from "./harness";
import { materialize, shellcheck, shellcheckAll, vagrantCalls, vagrantValidate } from "./workdir";

const CMD = "command:local:Command";
let base: StackRun;
let work: string;
beforeAll(async () => {
  base = await runStack({ stack: "ch2" });
  work = await materialize(base);
});

const node = (vm: string) => fs.readFileSync(path.join(work, "nodes", `${vm}.rb`), "utf8");

describe("2.2.3 가상 머신 추가 구성: the VMs", () => {
  it("m-k8s: 2 CPUs, 2048 MB, host-only .10, SSH 60010", () => {
    const m = node("m-k8s");
    expect(m).toContain('config.vm.define "m-k8s" do |cfg|');
    expect(m).toContain("vb.cpus = 2");
    expect(m).toContain("vb.memory = 2048");
    expect(m).toContain('cfg.vm.host_name = "m-k8s"');
    expect(m).toContain('cfg.vm.network "private_network", ip: "192.168.56.10"');
    expect(m).toContain(
      'cfg.vm.network "forwarded_port", guest: 22, host: 60010, auto_correct: true, id: "ssh"',
    );
  });

  it("w1-k8s..w3-k8s: 1 CPU, 1024 MB, host-only .101-.103, SSH 60101-60103", () => {
    for (const i of [1, 2, 3]) {
      const w = node(`w${i}-k8s`);
      expect(w).toContain("vb.cpus = 1");
      expect(w).toContain("vb.memory = 1024");
      expect(w).toContain(`ip: "192.168.56.10${i}"`);
      expect(w).toContain(`host: 6010${i},`);
    }
    expect(fs.readdirSync(path.join(work, "nodes")).sort()).toEqual([
      "m-k8s.rb",
      "w1-k8s.rb",
      "w2-k8s.rb",
      "w3-k8s.rb",
    ]);
  });

  it("synced folder off and every VM in one VirtualBox group", () => {
    for (const vm of ["m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"]) {
      expect(node(vm)).toContain('cfg.vm.synced_folder ".", "/vagrant", disabled: true');
      expect(node(vm)).toContain('vb.customize ["modifyvm", :id, "--groups", "/k8sinfra-lab/ch2"]');
    }
  });

  it("provisioning: install_pkg.sh everywhere; on m-k8s also ping_2_nds.sh copied home and config.sh", () => {
    expect(node("m-k8s").match(/cfg\.vm\.provision .*/g)).toEqual([
      'cfg.vm.provision "shell", path: "scripts/install_pkg.sh"',
      'cfg.vm.provision "file", source: "scripts/ping_2_nds.sh", destination: "ping_2_nds.sh"',
      'cfg.vm.provision "shell", path: "scripts/config.sh", env: { "NETWORK_PREFIX" => "192.168.56", "PING_COUNT" => "3" }',
    ]);
    expect(node("w1-k8s").match(/cfg\.vm\.provision .*/g)).toEqual([
      'cfg.vm.provision "shell", path: "scripts/install_pkg.sh"',
    ]);
  });

  it("the scripts do what the book's do: vim, ping each worker 3 times, chmod 744", () => {
    const script = (f: string) => fs.readFileSync(path.join(work, "scripts", f), "utf8");
    expect(script("install_pkg.sh")).toMatch(/apt-get install -y -q vim/);
    // The count (the book's 3) and the prefix reach the master's config.sh as its environment
    // (previous test), which keeps them for ping_2_nds.sh, run later by hand.
    expect(script("ping_2_nds.sh")).toMatch(
      /ping -c "\$PING_COUNT" "\$NETWORK_PREFIX\.\$\(\(100 \+ i\)\)"/,
    );
    expect(script("ping_2_nds.sh")).toContain(". /etc/k8sinfra-lab/ping.env");
    expect(script("config.sh")).toContain("chmod 744 /home/vagrant/ping_2_nds.sh");
    expect(script("config.sh")).toMatch(/NETWORK_PREFIX=%s\\nPING_COUNT=%s.*ping\.env/);
  });

  it("each VM is one `vagrant up <vm>` in the stack's work folder, the master first", () => {
    // `up --provision`: a VM whose first provisioning failed half-way is provisioned again.
    const calls = vagrantCalls(path.dirname(path.dirname(work))).filter((c) =>
      / vagrant up /.test(c),
    );
    expect(calls[0]).toBe(`${work} vagrant up --provision m-k8s`);
    expect(calls.slice(1).sort()).toEqual(
      ["w1-k8s", "w2-k8s", "w3-k8s"].map((w) => `${work} vagrant up --provision ${w}`),
    );
    for (const w of ["w1-k8s", "w2-k8s", "w3-k8s"]) {
      expect(find(base, CMD, `ch2-${w}`).dependsOn).toContain(find(base, CMD, "ch2-m-k8s").urn);
    }
  });

  it("outputs: node names, addresses, SSH ports and login commands", () => {
    expect(base.outputs.nodes).toEqual([
      { name: "m-k8s", ip: "192.168.56.10", sshPort: 60010, cpus: 2, memory: 2048 },
      { name: "w1-k8s", ip: "192.168.56.101", sshPort: 60101, cpus: 1, memory: 1024 },
      { name: "w2-k8s", ip: "192.168.56.102", sshPort: 60102, cpus: 1, memory: 1024 },
      { name: "w3-k8s", ip: "192.168.56.103", sshPort: 60103, cpus: 1, memory: 1024 },
    ]);
    expect(base.outputs.ssh).toMatchObject({ "m-k8s": "cd .lab/ch2 && vagrant ssh m-k8s" });
  });

  it("the Vagrantfile's text is an input of the resource that writes it", () => {
    const stdin = inputsOf(find(base, CMD, "ch2-file-Vagrantfile")).stdin;
    expect(stdin).toContain('Vagrant.configure("2") do |config|');
    expect(fs.readFileSync(path.join(work, "Vagrantfile"), "utf8")).toBe(stdin);
  });
});

describe("real tools on the generated files", () => {
  const configs: [string, Record<string, string>][] = [
    ["ch2, 3 workers, 192.168.56", {}],
    [
      "ch2, 4 workers, the book's 192.168.1",
      { "lab:cluster.workers": "4", "lab:network.prefix": "192.168.1" },
    ],
    ["Kubernetes cluster, 3 workers, 192.168.56", { "lab:cluster.mode": "vagrant" }],
    [
      "Kubernetes cluster, 4 workers, 192.168.1",
      {
        "lab:cluster.mode": "vagrant",
        "lab:cluster.workers": "4",
        "lab:network.prefix": "192.168.1",
      },
    ],
  ];
  // Plans run one after another (the Pulumi runtime is global); vagrant itself runs in parallel.
  const dirs = new Map<string, string>();
  let broken = "";
  beforeAll(async () => {
    for (const [title, config] of configs) {
      // The first configuration is the stack's own: its folder is already built.
      const run =
        Object.keys(config).length === 0 && title.startsWith("ch2")
          ? undefined
          : await runStack({ stack: title.startsWith("ch2") ? "ch2" : "practice", config });
      dirs.set(title, run ? await materialize(run) : work);
    }
    broken = fs.mkdtempSync(path.join(os.tmpdir(), "lab-broken-"));
    fs.cpSync(work, broken, { recursive: true });
    fs.writeFileSync(
      path.join(broken, "nodes", "w9-k8s.rb"),
      'config.vm.define "w9-k8s" do |cfg|\n  cfg.vm.provision "shell", path: "scripts/missing.sh"\nend\n',
    );
  });

  for (const [title, config] of configs) {
    it.concurrent(`vagrant validate accepts the Vagrantfile: ${title}`, async () => {
      const dir = dirs.get(title) as string;
      const r = await vagrantValidate(dir);
      expect(r.output).toContain("Vagrantfile validated successfully.");
      expect(r.status).toBe(0);
      const workers = Number(config["lab:cluster.workers"] ?? 3);
      expect(fs.readdirSync(path.join(dir, "nodes"))).toHaveLength(workers + 1);
    });
  }

  it.concurrent("vagrant validate does fail on a broken definition (the check can fail)", async () => {
    expect((await vagrantValidate(broken)).status).not.toBe(0);
  });

  it("shellcheck finds nothing in any script of any stack", async () => {
    const cluster = await runStack({
      stack: "practice",
      config: { "lab:cluster.mode": "vagrant" },
    });
    const ch3 = await runStack({ stack: "ch3", config: { "lab:ch3.drain": "w3-k8s" } });
    const ch4 = await runStack({ stack: "ch4", config: { "lab:ch4.failureLabs": "true" } });
    const ch5 = await runStack({ stack: "ch5" });
    const ch6 = await runStack({ stack: "ch6" });
    const kia = await runStack({ stack: "kia" });
    const scripts = [base, cluster, ch3, ch4, ch5, ch6, kia].flatMap((run) =>
      run.resources.flatMap((r) => {
        const i = inputsOf(r);
        if (r.type === CMD && /\.sh$/.test(String(i.create))) return [[r.name, i.stdin]];
        if (r.type === "command:remote:Command")
          return [i.create, i.delete].filter(Boolean).map((t) => [r.name, t]);
        return [];
      }),
    );
    expect(scripts.length).toBeGreaterThanOrEqual(3 + 2 + 1 + 3 + 3 + 4);
    expect(shellcheckAll(scripts as [string, string][])).toBe("");
  });

  it("shellcheck does report a finding (the check can fail)", () => {
    expect(shellcheck("bad", "#!/bin/bash\necho $1\n")).toContain("SC2086");
  });
});

describe("changing the cluster changes only what it should", () => {
  const vmResources = (run: StackRun) =>
    run.resources.filter((r) => r.type === CMD && /-[mw]\d*-k8s$/.test(r.name));

  it("lab:cluster.workers 4 adds w4-k8s (.104, 60104) and changes nothing else", async () => {
    const four = await runStack({ stack: "ch2", config: { "lab:cluster.workers": "4" } });
    expect(changed(base, four).map((u) => u.split("::").pop())).toEqual(["ch2-w4-k8s"]);
    const w4 = inputsOf(find(four, CMD, "ch2-w4-k8s")).stdin;
    expect(w4).toContain('ip: "192.168.56.104"');
    expect(w4).toContain("host: 60104,");
    expect(vmResources(four)).toHaveLength(5);
  });

  it("back to 3 workers removes only w4-k8s, whose destroy still finds its definition", async () => {
    const four = await runStack({ stack: "ch2", config: { "lab:cluster.workers": "4" } });
    expect(changed(four, base).map((u) => u.split("::").pop())).toEqual(["ch2-w4-k8s"]);
    const w4 = inputsOf(find(four, CMD, "ch2-w4-k8s"));
    expect(w4.delete).toBe("node host/vm.js destroy .lab/ch2 w4-k8s");
  });

  it("more memory for m-k8s changes only m-k8s, which is reloaded, not rebuilt", async () => {
    const big = await runStack({ stack: "ch2", config: { "lab:cluster.masterMemory": "4096" } });
    expect(changed(base, big).map((u) => u.split("::").pop())).toEqual(["ch2-m-k8s"]);
    const m = inputsOf(find(big, CMD, "ch2-m-k8s"));
    expect(m.stdin).toContain("vb.memory = 4096");
    expect(m.update).toBe("node host/vm.js reload .lab/ch2 m-k8s");
  });

  it("another box or network rebuilds the VMs", async () => {
    const other = await runStack({
      stack: "ch2",
      config: { "lab:versions.box": "bento/ubuntu-22.04" },
    });
    expect(inputsOf(find(other, CMD, "ch2-m-k8s")).triggers).toEqual([
      "bento/ubuntu-22.04",
      "192.168.56",
    ]);
    expect(find(other, CMD, "ch2-m-k8s").replaceOnChanges).toContain("triggers");
    expect(
      changed(base, other)
        .map((u) => u.split("::").pop())
        .sort(),
    ).toEqual(["ch2-m-k8s", "ch2-w1-k8s", "ch2-w2-k8s", "ch2-w3-k8s"].sort());
  });

  it("chapter 2 builds VMs only: another cluster mode is refused", async () => {
    await expect(
      runStack({ stack: "ch2", config: { "lab:cluster.mode": "render" } }),
    ).rejects.toThrow(
      /lab:cluster\.mode: chapter ch2 builds the VMs itself, so it needs vagrant \(got "render"\)/,
    );
  });
});
