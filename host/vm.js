#!/usr/bin/env node
// @ts-check
/**
 * What `pulumi up` runs on your machine to manage the Vagrant work folder of a stack. Plain Node,
 * so that it runs the same on Windows, macOS and Linux, and it turns Vagrant's and VirtualBox's
 * known failures into a message that says how to fix them.
 *
 *   node host/vm.js write <file>              standard input -> file (folders created)
 *   node host/vm.js write-key <file>          the same, readable by the owner only (an SSH key)
 *   node host/vm.js remove <file>             remove the file, and its folders left empty
 *   node host/vm.js up <workdir> <vm>         standard input -> <workdir>/nodes/<vm>.rb,
 *                                             vagrant up --provision <vm>, then its endpoints
 *   node host/vm.js reload <workdir> <vm>     same file, vagrant reload --provision <vm>; on a master
 *                                             whose cluster was initialised, waits for its API server;
 *                                             endpoints
 *   node host/vm.js destroy <workdir> <vm>    vagrant destroy -f <vm>, then remove nodes/<vm>.rb
 *   node host/vm.js states <workdir>          each VM's state (running, poweroff, not_created), JSON
 *   node host/vm.js resume <workdir>          vagrant up (no provisioning) of every VM not running,
 *                                             then waits for the API server as reload does
 *
 * Vagrant's own output goes to standard error, so that standard output holds only the result:
 * after up and reload one line `lab-vm {"ssh":{...},"api":...,"hostKey":...}` with how to reach the
 * VM (Vagrant's forwarded ports on this machine) and its SSH host key, which Pulumi then requires.
 */

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

/** Vagrant output that has a known cause, and what to tell the reader. */
const KNOWN_FAILURES = [
  {
    pattern: /not within the allowed ranges/i,
    /** @param {string} stack */
    advice: (stack) =>
      [
        "VirtualBox refused the host-only network: since 6.1.28 it allows only 192.168.56.0/21 on Linux and macOS.",
        "Either use the default prefix:",
        `  npm run lab -- ${stack} config set lab:network.prefix 192.168.56`,
        "or allow your prefix, e.g. for 192.168.1.x add this line to /etc/vbox/networks.conf (as root):",
        "  * 192.168.1.0/24",
      ].join("\n"),
  },
  {
    pattern:
      /could not detect VirtualBox|VBoxManage.*(not found|could not be found)|No usable default provider/i,
    advice: () =>
      "VirtualBox is missing: install it from https://www.virtualbox.org/wiki/Downloads and make sure VBoxManage runs.",
  },
  {
    pattern: /not supported by this version of Vagrant/i,
    advice: () =>
      "This Vagrant does not support this VirtualBox: VirtualBox 7.1 needs Vagrant 2.4.2 or later, 7.2 needs 2.4.9 or later (https://developer.hashicorp.com/vagrant/install).",
  },
  {
    pattern: /The box .* could not be found|box could not be found/i,
    advice: () =>
      "The Vagrant box could not be downloaded: check the internet connection, or lab:versions.box.",
  },
];

/** Guest ports whose forwarded host port Pulumi connects to. */
const SSH_PORT = 22;
const API_PORT = 6443;

/** Where kubeadm init writes the admin kubeconfig, and where master_node.sh hands it to root. */
const ADMIN_CONF = "/etc/kubernetes/admin.conf";
const HANDED_OUT = "/root/.kube/config";

/** @param {string} message @returns {never} */
function fail(message) {
  process.stderr.write(`\n${message}\n`);
  process.exit(1);
}

/** @returns {Promise<string>} */
function readStdin() {
  return new Promise((resolve, reject) => {
    if (process.stdin.isTTY) return resolve("");
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (d) => {
      text += d;
    });
    process.stdin.on("end", () => resolve(text));
    process.stdin.on("error", reject);
  });
}

/**
 * Writes a file whole or not at all: a temporary file beside it, then a rename. Workers come up in
 * parallel, and each `vagrant up` reads every nodes/*.rb: none may see a half-written one.
 * @param {string} file @param {string} text @param {number} [mode]
 */
function writeFile(file, text, mode) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temporary, text, mode === undefined ? undefined : { mode });
  if (mode !== undefined) fs.chmodSync(temporary, mode);
  fs.renameSync(temporary, file);
}

/**
 * Removes a file, then each folder above it that is left empty, up to (not including) the folder
 * `pulumi up` runs in: the last file of a stack's work folder takes the folder with it.
 * @param {string} file
 */
function removeFile(file) {
  fs.rmSync(file, { force: true });
  removeEmptyFolders(path.dirname(file));
}

/** @param {string} dir */
function removeEmptyFolders(dir) {
  const top = process.cwd();
  for (let d = path.resolve(dir); d.startsWith(top + path.sep); d = path.dirname(d)) {
    try {
      fs.rmdirSync(d);
    } catch {
      return; // not empty: other files of the stack are still there
    }
  }
}

/**
 * What Vagrant leaves of a destroyed VM (`.vagrant/machines/<vm>/`), and `.vagrant/` itself once it
 * holds no VM: a stack's destroy leaves no work folder behind.
 * @param {string} workdir @param {string} vm
 */
function forgetMachine(workdir, vm) {
  const machines = path.join(workdir, ".vagrant", "machines");
  fs.rmSync(path.join(machines, vm), { recursive: true, force: true });
  const left = fs.existsSync(machines) ? fs.readdirSync(machines) : [];
  if (left.length === 0)
    fs.rmSync(path.join(workdir, ".vagrant"), { recursive: true, force: true });
}

/**
 * Runs vagrant in the work folder, its output on standard error; on failure, explains known
 * causes. With `capture`, resolves to its standard output instead of showing it.
 * @param {string} workdir @param {string[]} args @param {{capture?: boolean}} [options]
 * @returns {Promise<string>}
 */
async function vagrant(workdir, args, options = {}) {
  const { code, captured, output } = await vagrantRun(workdir, args, options);
  if (code === 0) return captured;
  const stack = path.basename(path.resolve(workdir));
  const known = KNOWN_FAILURES.find((f) => f.pattern.test(output));
  return fail(
    `vagrant ${args.join(" ")} failed (exit ${code}).${known ? `\n${known.advice(stack)}` : ""}`,
  );
}

/**
 * Vagrant's arguments as `spawn` must get them. On Windows vagrant runs through cmd.exe (a shell
 * finds vagrant.exe as a reader's prompt does), and Node then joins the arguments with spaces
 * unquoted: `vagrant ssh m-k8s -c "cat /etc/ssh/..."` would reach Vagrant as `-c cat` and stray
 * words. So each argument with a space or a character cmd.exe acts on is quoted as the C runtime
 * reads a command line (a quote inside is escaped with its backslashes doubled).
 * @param {readonly string[]} args @param {string} [platform] @returns {string[]}
 */
function spawnArgs(args, platform = process.platform) {
  if (platform !== "win32") return [...args];
  return args.map((a) =>
    a !== "" && !/[\s"&|<>^()%!]/.test(a)
      ? a
      : `"${a.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, "$1$1")}"`,
  );
}

/**
 * Runs vagrant in the work folder and resolves to its exit status, whatever it is, with its
 * standard output when `capture` is set and the last of its output (to explain a failure).
 * @param {string} workdir @param {string[]} args @param {{capture?: boolean}} [options]
 * @returns {Promise<{code: number | null, captured: string, output: string}>}
 */
function vagrantRun(workdir, args, options = {}) {
  return new Promise((resolve) => {
    /** @type {string[]} */
    const seen = [];
    let captured = "";
    const child = spawn("vagrant", spawnArgs(args), {
      cwd: workdir,
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    /** @param {boolean} out */
    const relay = (out) => (/** @type {Buffer} */ chunk) => {
      if (out && options.capture) captured += chunk.toString();
      else process.stderr.write(chunk);
      seen.push(chunk.toString());
      if (seen.length > 200) seen.shift();
    };
    child.stdout?.on("data", relay(true));
    child.stderr?.on("data", relay(false));
    child.on("error", (err) => {
      if (/** @type {NodeJS.ErrnoException} */ (err).code === "ENOENT") {
        fail(
          "Vagrant is not installed or not on PATH: install it from https://developer.hashicorp.com/vagrant/install",
        );
      }
      fail(`could not run vagrant: ${err.message}`);
    });
    child.on("close", (code) => resolve({ code, captured, output: seen.join("") }));
  });
}

/**
 * The host ports Vagrant forwards to a VM's guest ports (`vagrant port <vm>` lines such as
 * `    22 (guest) => 60010 (host)`); Vagrant may have moved one that was taken (auto_correct).
 * @param {string} text @returns {Record<number, number>}
 */
function forwardedPorts(text) {
  /** @type {Record<number, number>} */
  const ports = {};
  for (const m of text.matchAll(/(\d+)\s*\(guest\)\s*=>\s*(\d+)\s*\(host\)/g)) {
    ports[Number(m[1])] = Number(m[2]);
  }
  return ports;
}

/**
 * How Pulumi reaches a VM, as one line: its forwarded SSH (and API server) port on this machine and
 * its SSH host key, read over Vagrant's own connection. With `waitApi`, a master whose cluster was
 * initialised is given back only once its API server is ready again.
 * @param {string} workdir @param {string} vm @param {boolean} [waitApi]
 */
async function report(workdir, vm, waitApi = false) {
  const ports = forwardedPorts(await vagrant(workdir, ["port", vm], { capture: true }));
  if (!ports[SSH_PORT]) fail(`vagrant port ${vm} names no port forwarded to the guest's SSH port`);
  const key = await vagrant(workdir, ["ssh", vm, "-c", "cat /etc/ssh/ssh_host_ed25519_key.pub"], {
    capture: true,
  });
  const hostKey = /ssh-ed25519 [A-Za-z0-9+/=]+/.exec(key)?.[0];
  if (!hostKey) fail(`${vm} has no ED25519 SSH host key (/etc/ssh/ssh_host_ed25519_key.pub)`);
  if (waitApi && ports[API_PORT] && (await initialised(workdir, vm))) {
    await waitReady(vm, ports[API_PORT]);
  }
  const endpoint = {
    ssh: { host: "127.0.0.1", port: ports[SSH_PORT] },
    ...(ports[API_PORT] ? { api: { host: "127.0.0.1", port: ports[API_PORT] } } : {}),
    hostKey,
  };
  process.stdout.write(`lab-vm ${JSON.stringify(endpoint)}\n`);
}

/**
 * Waits until the API server of a started master answers `/readyz` (its static pods come back with
 * the kubelet), so that what runs next finds Kubernetes, not a refused connection. Only readiness
 * is asked, with no credentials, so the server's certificate is not checked here; Pulumi's
 * connection checks it with the cluster's CA.
 * @param {string} vm @param {number} port
 */
async function waitReady(vm, port) {
  const https = require("node:https");
  const deadline = Date.now() + 10 * 60_000;
  process.stderr.write(`${vm}: waiting for the API server on 127.0.0.1:${port}\n`);
  for (;;) {
    const status = await new Promise((resolve) => {
      const req = https.get(
        { host: "127.0.0.1", port, path: "/readyz", rejectUnauthorized: false, timeout: 5000 },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on("error", () => resolve(0));
      req.on("timeout", () => req.destroy());
    });
    if (status === 200) {
      process.stderr.write(`${vm}: the API server is ready\n`);
      return;
    }
    if (Date.now() > deadline) {
      fail(
        `${vm} is running, but its API server did not become ready in 10 minutes; look at it with: vagrant ssh ${vm} -c "sudo systemctl status kubelet"`,
      );
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/**
 * Whether the VM's cluster was initialised, as master_node.sh decides it: kubeadm init completed
 * and kubeadm reset has not run since, that is, the credentials of admin.conf are those the script
 * handed to root once init completed. Only then does an API server come back after a reboot. An
 * init that failed half-way leaves admin.conf too; its master is handed on at once, so that
 * master_node.sh, which resets it and runs init again, comes next. Both files are root's, and
 * `vagrant ssh` logs in as the vagrant user.
 * @param {string} workdir @param {string} vm
 */
async function initialised(workdir, vm) {
  const read = [
    "ssh",
    vm,
    "-c",
    `sudo grep -sH client-certificate-data: ${ADMIN_CONF} ${HANDED_OUT}`,
  ];
  const { captured } = await vagrantRun(workdir, read, { capture: true });
  /** @param {string} file */
  const lines = (file) =>
    captured
      .split(/\r?\n/)
      .filter((l) => l.startsWith(`${file}:`))
      .map((l) => l.slice(file.length + 1));
  const [credentials] = lines(ADMIN_CONF);
  return credentials !== undefined && lines(HANDED_OUT).some((l) => l.includes(credentials));
}

/**
 * Each VM of the work folder and its state as `vagrant status --machine-readable` says it.
 * @param {string} workdir @returns {Promise<Record<string, string>>}
 */
async function states(workdir) {
  /** @type {Record<string, string>} */
  const out = {};
  const nodes = path.join(workdir, "nodes");
  if (!fs.existsSync(nodes)) return out;
  const text = await vagrant(workdir, ["status", "--machine-readable"], { capture: true });
  for (const line of text.split("\n")) {
    const [, target, type, data] = line.split(",");
    if (type === "state" && target) out[target] = data;
  }
  return out;
}

/** @param {string[]} argv */
async function main(argv) {
  const [op, a, b] = argv;
  const definition = (/** @type {string} */ workdir, /** @type {string} */ vm) =>
    path.join(workdir, "nodes", `${vm}.rb`);
  switch (op) {
    case "write":
      if (!a) return fail("usage: vm.js write <file>");
      return writeFile(a, await readStdin());
    case "write-key":
      if (!a) return fail("usage: vm.js write-key <file>");
      return writeFile(a, await readStdin(), 0o600);
    case "remove":
      if (!a) return fail("usage: vm.js remove <file>");
      return removeFile(a);
    case "up":
    case "reload": {
      if (!a || !b) return fail(`usage: vm.js ${op} <workdir> <vm>`);
      writeFile(definition(a, b), await readStdin());
      // Provisioning runs again when an earlier `up` failed half-way through it; the scripts are
      // safe to run again.
      await vagrant(a, op === "up" ? ["up", "--provision", b] : ["reload", "--provision", b]);
      // vagrant reload is halt, then boot, which returns once SSH answers; a master's API server
      // comes back later, with the kubelet's static pods. What Pulumi does next with the cluster
      // needs it, so the master of an initialised cluster is handed on once it is ready, as
      // `resume` does. A new VM has no API server yet: kubeadm init comes after `up`.
      return report(a, b, op === "reload");
    }
    case "destroy": {
      if (!a || !b) return fail("usage: vm.js destroy <workdir> <vm>");
      const file = definition(a, b);
      const text = await readStdin();
      // The definition is needed to destroy the VM; restore it if the work folder was cleaned.
      if (!fs.existsSync(file) && text) writeFile(file, text);
      if (fs.existsSync(file)) await vagrant(a, ["destroy", "-f", b]);
      forgetMachine(a, b);
      return removeFile(file);
    }
    case "states": {
      if (!a) return fail("usage: vm.js states <workdir>");
      process.stdout.write(`${JSON.stringify(await states(a))}\n`);
      return;
    }
    case "resume": {
      if (!a) return fail("usage: vm.js resume <workdir>");
      for (const [vm, state] of Object.entries(await states(a))) {
        if (state === "running" || state === "not_created") continue;
        process.stderr.write(`${vm} is ${state}: vagrant up ${vm}\n`);
        await vagrant(a, ["up", vm]);
        // Read once the VM runs: Vagrant may have moved a forwarded port that was taken meanwhile.
        const api = forwardedPorts(await vagrant(a, ["port", vm], { capture: true }))[API_PORT];
        // A master whose init failed half-way has no API server to come back: its init comes next.
        if (api && (await initialised(a, vm))) await waitReady(vm, api);
      }
      return;
    }
    default:
      return fail("usage: vm.js write|write-key|remove|up|reload|destroy|states|resume ...");
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => fail(String(err?.stack ?? err)));
}

module.exports = { spawnArgs };
