/**
 * The e2e's cases and how they are reported: one line per case, `ok`, `FAIL` or `blocked` (a piece
 * this machine cannot provide, such as a provider plugin the module proxy does not serve), with
 * what it showed and how long it took.
 */
import { duration } from "../../tools/toolchain";
import type { ControlPlane } from "./controlPlane";
import type { SshNode } from "./sshNode";
import type { Workspace } from "./workspace";

/** What a case can use; the control plane and the SSH node start on first use. */
export interface Context {
  readonly ws: Workspace;
  /** `lab:charts.dir` value that holds the stand-in charts. */
  readonly charts: string;
  controlPlane(): Promise<ControlPlane>;
  sshNode(): Promise<SshNode>;
  /** Prints a line under the current case (progress a person can follow). */
  note(text: string): void;
}

export interface Case {
  readonly name: string;
  /** Plugins the case runs through the real engine. */
  readonly plugins?: readonly string[];
  /** Returns a one-line summary of what it showed; throws when something is wrong. */
  run(ctx: Context): Promise<string | undefined>;
}

/** A piece the case needs that this machine cannot provide; reported as `blocked`, not failed. */
export class Blocked extends Error {
  constructor(why: string) {
    super(why);
    this.name = "Blocked";
  }
}

export interface Tally {
  ok: number;
  failed: string[];
  blocked: string[];
}

/** Runs the cases in order; a failed case does not stop the others. */
export async function runCases(
  cases: readonly Case[],
  ctx: Context,
  out: (line: string) => void,
): Promise<Tally> {
  const tally: Tally = { ok: 0, failed: [], blocked: [] };
  for (const c of cases) {
    const missing = (c.plugins ?? []).filter((p) => !ctx.ws.plugins[p]);
    if (missing.length > 0) {
      tally.blocked.push(c.name);
      out(`blocked ${c.name}: ${missing.map((p) => ctx.ws.missingPlugins[p]).join("; ")}`);
      continue;
    }
    const started = Date.now();
    try {
      const summary = await c.run(ctx);
      tally.ok++;
      out(
        `ok      ${c.name}${summary ? `: ${summary}` : ""} (${duration((Date.now() - started) / 1000)})`,
      );
    } catch (err) {
      if (err instanceof Blocked) {
        tally.blocked.push(c.name);
        out(`blocked ${c.name}: ${err.message}`);
        continue;
      }
      tally.failed.push(c.name);
      const message = err instanceof Error ? err.message : String(err);
      out(`FAIL    ${c.name} (${duration((Date.now() - started) / 1000)})`);
      for (const line of message.split("\n")) out(`          ${line}`);
    }
  }
  return tally;
}

/** Throws with `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Throws when two values differ, showing both. */
export function same<T>(actual: T, expected: T, what: string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** JSON with object keys sorted, so that key order does not count. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
