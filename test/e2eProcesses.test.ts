/**
 * The e2e's background processes (API server, etcd, kwok, sshd) are stopped when the run is killed
 * outright, when no signal handler of its own can run: its watchdog stops them from the ledger.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect, it } from "vitest";
import { PROJECT_DIR } from "../tools/stackFiles";
import { unsafeForChroot } from "./e2e/workspace";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

it("a run killed with SIGKILL leaves none of its background processes running", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-run-"));
  const run = spawn(
    process.execPath,
    ["--import", "tsx", path.join(PROJECT_DIR, "test", "fixtures", "leftoverRun.ts"), dir],
    { cwd: PROJECT_DIR, stdio: "ignore" },
  );
  const pidFile = path.join(dir, "sleeper.pid");
  try {
    expect(await until(() => fs.existsSync(pidFile), 15_000)).toBe(true);
    const sleeper = Number(fs.readFileSync(pidFile, "utf8"));
    expect(alive(sleeper)).toBe(true);
    run.kill("SIGKILL");
    expect(await until(() => !alive(sleeper), 5_000)).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "leftovers.json"), "utf8"))).toEqual([]);
  } finally {
    run.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it("a run folder under /tmp is refused up front: sshd would refuse every stand-in node's chroot", () => {
  // sshd: "bad ownership or modes for chroot directory component /tmp/" (world-writable).
  const inTmp = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-chroot-"));
  try {
    expect(unsafeForChroot(path.join(inTmp, "e2e"))).toBe(os.tmpdir());
  } finally {
    fs.rmSync(inTmp, { recursive: true, force: true });
  }
  if (process.getuid?.() === 0) expect(unsafeForChroot("/usr/share")).toBeUndefined();
});
