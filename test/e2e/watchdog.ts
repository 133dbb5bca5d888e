/**
 * The e2e's watchdog (started by `watchRun`): waits for the run's process to end, then stops what
 * its ledger says is still there. A run that ends normally has emptied the ledger, and this does
 * nothing; a run that was killed leaves no API server, sshd or mounted /proc behind.
 *
 *   watchdog.ts <pid of the run> <ledger file>
 */
import * as fs from "node:fs";
import { unmountProc } from "./nodeRoot";
import type { Leftover } from "./processes";
import { stopStandinVms } from "./workspace";

const [pid, ledger] = process.argv.slice(2);

function runIsAlive(): boolean {
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}

function readLedger(): Leftover[] {
  try {
    return JSON.parse(fs.readFileSync(ledger, "utf8")) as Leftover[];
  } catch {
    return [];
  }
}

function stopLeftovers(): void {
  const left = readLedger();
  // Processes first, then what they used (the VMs' sshd, then the mounts).
  for (const l of left) {
    if (l.kind !== "group") continue;
    try {
      process.kill(-l.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  for (const l of left) {
    try {
      if (l.kind === "standinVms") stopStandinVms(l.dir);
      if (l.kind === "proc") unmountProc(l.root);
    } catch {
      // best effort: the next run's start clears what is left of old runs
    }
  }
  if (left.length > 0) {
    fs.writeFileSync(ledger, "[]");
    process.stderr.write(`e2e watchdog: the run ${pid} ended; stopped ${left.length} leftovers\n`);
  }
}

const timer = setInterval(() => {
  if (runIsAlive()) return;
  clearInterval(timer);
  stopLeftovers();
  process.exit(0);
}, 500);
