/** Runs the project's command-line tools the way a reader does, through tsx. */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { PROJECT_DIR } from "../tools/mockRun";

/** What a command printed and how it ended. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** What a started process prints, once it has ended (with the signal that ended it, if one did). */
export function outputOf(
  child: ChildProcess,
): Promise<CliResult & { readonly signal: NodeJS.Signals | null }> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `tsx tools/<tool>.ts <args>` in the project folder (or in a copy of it). */
export function runTool(
  tool: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  project = PROJECT_DIR,
): Promise<CliResult> {
  const tsx = path.join(PROJECT_DIR, "node_modules", ".bin", "tsx");
  return outputOf(spawn(tsx, [path.join("tools", `${tool}.ts`), ...args], { cwd: project, env }));
}
