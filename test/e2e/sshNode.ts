/**
 * A stand-in lab node for the e2e: Debian's OpenSSH server on a loopback port, logging root in with
 * keys only into a Debian root folder (see nodeRoot.ts), with recorders in place of the heavy tools.
 * Started and stopped with the run.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  knownHostsLine,
  NodeUnavailable,
  newHostKey,
  nodeProblem,
  prepareRoot,
  sshdConfig,
  sshExec,
  type ToolCall,
  toolCalls,
  unmountProc,
} from "./nodeRoot";
import {
  freePort,
  listening,
  onCleanup,
  run,
  startProcess,
  stopProcess,
  waitFor,
} from "./processes";
import { Blocked } from "./runner";

export interface SshNode {
  readonly host: string;
  readonly port: number;
  /** The node's root folder on this machine. */
  readonly root: string;
  /** Path on this machine of a path on the node. */
  file(nodePath: string): string;
  /** Runs a command on the node over SSH as root, as `remote.Command` does: the text is the command. */
  exec(command: string, stdin?: string): { status: number; stdout: string; stderr: string };
  /** The recorded calls of the stand-in tools, oldest first. */
  calls(): ToolCall[];
  /** Forgets the recorded calls. */
  clearCalls(): void;
  /** The node's SSH host key, as a known_hosts line. */
  readonly knownHosts: string;
  /** A private key the node accepts for root. */
  readonly clientKey: string;
  /**
   * The node as a VM built again: sshd stops, the node gets a new host key, sshd starts on the
   * same port. `exec` and `knownHosts` follow the new key.
   */
  rebuildHostKey(): Promise<void>;
}

/** Starts a node under `dir`, accepting `authorizedKey` (an OpenSSH public key) for root too. */
export async function startSshNode(dir: string, authorizedKey = ""): Promise<SshNode> {
  const problem = nodeProblem();
  if (problem) throw new Blocked(problem);
  const root = path.join(dir, "root");
  try {
    prepareRoot(root);
  } catch (err) {
    if (err instanceof NodeUnavailable) throw new Blocked(err.message);
    throw err;
  }
  onCleanup(() => unmountProc(root), { kind: "proc", root });

  const keys = path.join(dir, "ssh");
  fs.mkdirSync(keys, { recursive: true, mode: 0o700 });
  const clientKey = path.join(keys, "client_key");
  run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", clientKey]);
  const authorized = path.join(keys, "authorized_keys");
  fs.writeFileSync(
    authorized,
    `${authorizedKey.trim()}\n${fs.readFileSync(`${clientKey}.pub`, "utf8")}`,
    { mode: 0o600 },
  );
  const host = "127.0.0.1";
  const port = await freePort(host);
  const config = path.join(keys, "sshd_config");
  fs.writeFileSync(
    config,
    sshdConfig({
      root,
      host,
      port,
      pidFile: path.join(keys, "sshd.pid"),
      authorizedKeysFiles: [authorized],
    }),
  );
  fs.mkdirSync("/run/sshd", { recursive: true });
  const log = path.join(dir, "sshd.log");
  const startSshd = async () => {
    const child = startProcess("sshd", "/usr/sbin/sshd", ["-D", "-e", "-f", config], { log });
    await waitFor("sshd", () => listening(host, port), { timeoutMs: 15_000, log, child });
    return child;
  };
  let sshd = await startSshd();

  const knownHostsFile = path.join(keys, "known_hosts");
  let knownHosts = "";
  const trust = () => {
    knownHosts = knownHostsLine(root, host, port);
    fs.writeFileSync(knownHostsFile, `${knownHosts}\n`);
  };
  trust();
  const callLog = path.join(root, "var", "log", "k8sinfra-lab-standin.jsonl");
  return {
    host,
    port,
    root,
    get knownHosts() {
      return knownHosts;
    },
    clientKey,
    async rebuildHostKey() {
      await stopProcess(sshd);
      await waitFor("sshd to stop", async () => !(await listening(host, port)), {
        timeoutMs: 15_000,
        log,
      });
      newHostKey(root);
      sshd = await startSshd();
      trust();
    },
    file: (p) => path.join(root, p),
    exec: (command, stdin) =>
      sshExec({ host, port, key: clientKey, knownHosts: knownHostsFile }, command, stdin),
    calls: () => toolCalls(root),
    clearCalls: () => fs.rmSync(callLog, { force: true }),
  };
}
