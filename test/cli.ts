/** Runs the project's command-line tools the way a reader does, through tsx. */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { PROJECT_DIR } from "../tools/mockRun";

/** What a command printed and how it ended. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tsx tools/<tool>.ts <args>` in the project folder (or in a copy of it). */
export function runTool(
  tool: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  project = PROJECT_DIR,
): Promise<CliResult> {
  const tsx = path.join(PROJECT_DIR, "node_modules", ".bin", "tsx");
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [path.join("tools", `${tool}.ts`), ...args], {
      cwd: project,
      env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
