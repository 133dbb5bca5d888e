#!/usr/bin/env node
// @ts-check
/**
 * What `pulumi up` runs on your machine to manage the Vagrant work folder of a stack. Plain Node,
 * so that it runs the same on Windows, macOS and Linux, and it turns Vagrant's and VirtualBox's
 * known failures into a message that says how to fix them.
 *
 *   node host/vm.js write <file>              standard input -> file (folders created)
 *   node host/vm.js write-key <file>          the same, readable by the owner only (an SSH key)
 *   node host/vm.js remove <file>             remove the file, and its folder when empty
 *   node host/vm.js up <workdir> <vm>         standard input -> <workdir>/nodes/<vm>.rb, vagrant up <vm>
 *   node host/vm.js reload <workdir> <vm>     same file, vagrant reload <vm> --provision
 *   node host/vm.js destroy <workdir> <vm>    vagrant destroy -f <vm>, then remove nodes/<vm>.rb
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
    pattern: /The box .* could not be found|box could not be found/i,
    advice: () =>
      "The Vagrant box could not be downloaded: check the internet connection, or lab:versions.box.",
  },
];

/** @param {string} message */
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

/** @param {string} file @param {string} text @param {number} [mode] */
function writeFile(file, text, mode) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, mode === undefined ? undefined : { mode });
  if (mode !== undefined) fs.chmodSync(file, mode);
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
 * Runs vagrant in the work folder, passing its output through; on failure, explains known causes.
 * @param {string} workdir @param {string[]} args
 */
function vagrant(workdir, args) {
  const stack = path.basename(path.resolve(workdir));
  return new Promise((resolve) => {
    /** @type {string[]} */
    const seen = [];
    const child = spawn("vagrant", args, {
      cwd: workdir,
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    /** @param {NodeJS.WriteStream} to */
    const relay = (to) => (/** @type {Buffer} */ chunk) => {
      to.write(chunk);
      seen.push(chunk.toString());
      if (seen.length > 200) seen.shift();
    };
    child.stdout?.on("data", relay(process.stdout));
    child.stderr?.on("data", relay(process.stderr));
    child.on("error", (err) => {
      if (/** @type {NodeJS.ErrnoException} */ (err).code === "ENOENT") {
        fail(
          "Vagrant is not installed or not on PATH: install it from https://developer.hashicorp.com/vagrant/install",
        );
      }
      fail(`could not run vagrant: ${err.message}`);
    });
    child.on("close", (code) => {
      if (code === 0) return resolve(undefined);
      const output = seen.join("");
      const known = KNOWN_FAILURES.find((f) => f.pattern.test(output));
      fail(
        `vagrant ${args.join(" ")} failed (exit ${code}).${known ? `\n${known.advice(stack)}` : ""}`,
      );
    });
  });
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
      return vagrant(a, op === "up" ? ["up", b] : ["reload", b, "--provision"]);
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
    default:
      return fail("usage: vm.js write|write-key|remove|up|reload|destroy ...");
  }
}

main(process.argv.slice(2)).catch((err) => fail(String(err?.stack ?? err)));
