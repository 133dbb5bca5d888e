/**
 * Two chapters' `up` started together on one lab cluster, as real processes: each runs the program
 * (under the mock runtime, on the real file system of a folder of its own) and then what the engine
 * would run (the claim commands). Exactly one may go on with MetalLB; the other stops and names it.
 * A check at the program's start and a write by the engine later let both through.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { releaseClaimFile, takeClaimFile } from "../lib/host";
import { PROJECT_DIR } from "../tools/mockRun";
import { outputOf } from "./cli";

const RACER = path.join(PROJECT_DIR, "test", "fixtures", "claimRacer.ts");
const ROUNDS = 15;

/** Runs the racer fixture; resolves with its output and how it ended. */
function racer(args: readonly string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", RACER, ...args], {
    cwd: PROJECT_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return outputOf(child);
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-claims-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("a shared part taken by one of two ups started together", () => {
  it(`exactly one of ch3 and kia holds MetalLB, round after round (${ROUNDS} rounds); the other names it and keeps nothing`, async () => {
    const race = path.join(dir, "race");
    const [ch3, kia] = await Promise.all([
      racer(["race", race, "ch3", String(ROUNDS), JSON.stringify({ "lab:ch3.sections": "3.3.4" })]),
      racer(["race", race, "kia", String(ROUNDS), "{}"]),
    ]);
    const lines = (out: string) =>
      Object.fromEntries(
        out
          .trim()
          .split("\n")
          .map((l) => [l.split(" ")[0], l]),
      );
    const a = lines(ch3.stdout);
    const b = lines(kia.stdout);
    const problems: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const r = String(round);
      const won = [a[r], b[r]].filter((l) => / won$/.test(l ?? "")).length;
      const claims = path.join(race, `round-${round}`, ".lab", "cluster", "claims");
      const holder = fs.readFileSync(path.join(claims, "metallb"), "utf8");
      const registry = fs.existsSync(path.join(claims, "registry"));
      const loser = holder === "ch3" ? b[r] : a[r];
      if (won !== 1) problems.push(`round ${round}: ${won} won (${a[r]} | ${b[r]})`);
      else if (!loser?.includes(`stack "${holder}" has MetalLB`)) {
        problems.push(`round ${round}: the refusal does not name ${holder}: ${loser}`);
      } else if (registry !== (holder === "kia")) {
        // kia takes the registry too; when it lost MetalLB it let go of the registry it had taken.
        problems.push(`round ${round}: registry claim ${registry}, MetalLB held by ${holder}`);
      }
    }
    expect(problems, `${ch3.stderr}\n${kia.stderr}`).toEqual([]);
  }, 120_000);

  it("an up the engine never recorded a claim for lets go of it when stopped; a recorded one keeps it", async () => {
    const config = JSON.stringify({ "lab:ch3.sections": "3.3.4" });
    const claim = (d: string) => path.join(d, ".lab", "cluster", "claims", "metallb");
    const lost = path.join(dir, "unrecorded");
    const stopped = await racer(["stop", lost, "ch3", "unrecorded", config]);
    expect(stopped.stdout, stopped.stderr).toContain("taken true");
    // The language host's SIGINT ends the program as Node's default would.
    expect(stopped.signal).toBe("SIGINT");
    expect(fs.existsSync(claim(lost))).toBe(false);

    const kept = path.join(dir, "recorded");
    const done = await racer(["stop", kept, "ch3", "recorded", config]);
    expect(done.stdout, done.stderr).toContain("taken true");
    expect(done.signal).toBe("SIGINT");
    expect(fs.readFileSync(claim(kept), "utf8")).toBe("ch3");
  }, 60_000);
});

describe("claim files", () => {
  it("made whole in one step: the first taker holds it, a second learns who, the same stack keeps its own", () => {
    const file = path.join(dir, "one", ".lab", "cluster", "claims", "metallb");
    expect(takeClaimFile(file, "ch3")).toEqual({ holder: "ch3", created: true });
    expect(takeClaimFile(file, "kia")).toEqual({ holder: "ch3", created: false });
    // An earlier up of ch3 that was stopped before its claim was recorded: ch3 takes it again.
    expect(takeClaimFile(file, "ch3")).toEqual({ holder: "ch3", created: false });
    expect(fs.readdirSync(path.dirname(file))).toEqual(["metallb"]);
    releaseClaimFile(file, "kia");
    expect(fs.readFileSync(file, "utf8")).toBe("ch3");
    releaseClaimFile(file, "ch3");
    expect(fs.existsSync(file)).toBe(false);
    expect(takeClaimFile(file, "kia")).toEqual({ holder: "kia", created: true });
  });
});
