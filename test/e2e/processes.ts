/**
 * Background processes of the e2e (etcd, the API server, sshd, kwok): each is started on loopback,
 * logs to a file of the run, and is stopped when the run ends, also when a case fails, the run
 * throws, or it is interrupted.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

/**
 * What the run leaves on the machine until it stops it, written down for the watchdog: a process
 * group, the stand-in VMs of a folder, or a /proc mounted in a node's root.
 */
export type Leftover =
  | { readonly kind: "group"; readonly pid: number }
  | { readonly kind: "standinVms"; readonly dir: string }
  | { readonly kind: "proc"; readonly root: string };

const leftovers: Leftover[] = [];
let ledger: string | undefined;

function writeLedger(): void {
  if (ledger) fs.writeFileSync(ledger, JSON.stringify(leftovers));
}

/**
 * Starts the watchdog of this run: a process of its own that, once this one is gone without
 * stopping what it started (killed, or its parent \`tsx\` killed while a synchronous step blocked
 * the signal handlers), stops it from the ledger in the run folder.
 */
export function watchRun(runDir: string): void {
  if (ledger) return;
  ledger = path.join(runDir, "leftovers.json");
  writeLedger();
  const watchdog = spawn(
    process.execPath,
    [...process.execArgv, path.join(__dirname, "watchdog.ts"), String(process.pid), ledger],
    { detached: true, stdio: "ignore" },
  );
  watchdog.unref();
}

interface Running {
  readonly name: string;
  readonly child: ChildProcess;
  readonly log: string;
}

const running: Running[] = [];
/** Undo steps (unmounts) that run after every process has stopped. */
const cleanups: (() => void)[] = [];

/** Registers an undo step for the end of the run (also on failure or interruption). */
export function onCleanup(step: () => void, leftover?: Leftover): void {
  cleanups.push(step);
  if (leftover) {
    leftovers.push(leftover);
    writeLedger();
  }
}

function runCleanups(): void {
  for (const step of cleanups.splice(0).reverse()) {
    try {
      step();
    } catch (err) {
      process.stderr.write(`e2e: cleanup failed: ${err instanceof Error ? err.message : err}\n`);
    }
  }
  leftovers.splice(0);
  writeLedger();
}

/** Starts a program in the background; its output goes to `log`. */
export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: { log: string; env?: NodeJS.ProcessEnv; cwd?: string },
): ChildProcess {
  const out = fs.openSync(options.log, "a");
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", out, out],
    // Its own process group, so that stopping it stops what it started.
    detached: true,
  });
  fs.closeSync(out);
  running.push({ name, child, log: options.log });
  if (child.pid !== undefined) {
    leftovers.push({ kind: "group", pid: child.pid });
    writeLedger();
  }
  return child;
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Stops one process (its group): TERM, then KILL after a grace period. */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  const i = running.findIndex((r) => r.child === child);
  if (i >= 0) running.splice(i, 1);
  const j = leftovers.findIndex((l) => l.kind === "group" && l.pid === child.pid);
  if (j >= 0) {
    leftovers.splice(j, 1);
    writeLedger();
  }
  if (!alive(child) || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops every process still running, newest first. */
export async function stopAll(): Promise<void> {
  for (const r of [...running].reverse()) await stopProcess(r.child);
  runCleanups();
}

/** The same, synchronously, for the exit handler. */
function killAllNow(): void {
  for (const r of running) {
    try {
      if (r.child.pid !== undefined && alive(r.child)) process.kill(-r.child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  runCleanups();
}

process.on("exit", killAllNow);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    killAllNow();
    process.exit(130);
  });
}

/** Resolves once `check` passes, or rejects after `timeoutMs` with the log's last lines. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  options: { timeoutMs: number; log?: string; child?: ChildProcess },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.child && !alive(options.child)) break;
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = options.log && fs.existsSync(options.log) ? lastLines(options.log, 15) : "";
  throw new Error(`${what} did not come up${tail ? `; its log ends:\n${tail}` : ""}`);
}

export function lastLines(file: string, n: number): string {
  return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-n).join("\n");
}

/** A free TCP port on a loopback address. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on host:port. */
export function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Runs a program to completion; throws with its output when it fails. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; allowFail?: boolean } = {},
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (r.error) throw r.error;
  const status = r.status ?? 1;
  if (status !== 0 && !options.allowFail) {
    throw new Error(
      `${command} ${args.join(" ")} failed (exit ${status}):\n${`${r.stdout}${r.stderr}`.trim().split("\n").slice(-30).join("\n")}`,
    );
  }
  return { status, stdout: r.stdout, stderr: r.stderr };
}
