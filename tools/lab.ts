/**
 * Runs the Pulumi CLI on one stack of this project with no account and no login:
 *
 *   npm run lab -- <stack> <pulumi command> [flags]
 *   npm run lab -- dev up --yes
 *   npm run lab -- practice config set lab:practice.activeColor blue
 *
 * It runs the CLI in the project folder, where `Pulumi.yaml` keeps the state in `.pulumi-state/`,
 * supplies the documented default passphrase unless one is set, selects (creating if needed) the
 * stack, and lets the CLI transpile without type-checking (`npm test` checks types). A Pulumi CLI on PATH is used as is; otherwise the `pulumi`
 * npm package, a devDependency, fetches the pinned CLI on first use. Written in TypeScript rather
 * than shell so that it runs the same on Windows, where most of the book's readers are.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The project folder. */
const ROOT = path.resolve(__dirname, "..");

/** Encrypts the lab stacks' secrets unless PULUMI_CONFIG_PASSPHRASE(_FILE) says otherwise. */
export const DEFAULT_PASSPHRASE = "k8sinfra-lab";

/** The environment the Pulumi CLI runs with. */
export function labEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  if (out.PULUMI_CONFIG_PASSPHRASE === undefined && !out.PULUMI_CONFIG_PASSPHRASE_FILE) {
    out.PULUMI_CONFIG_PASSPHRASE = DEFAULT_PASSPHRASE;
  }
  out.PULUMI_NODEJS_TRANSPILE_ONLY ??= "true";
  out.PULUMI_SKIP_UPDATE_CHECK ??= "true";
  return out;
}

/** The command that starts the Pulumi CLI: one on PATH (outside node_modules), else the npm launcher. */
export function pulumiCommand(env: NodeJS.ProcessEnv, root = ROOT): [string, string[]] {
  const names = process.platform === "win32" ? ["pulumi.exe"] : ["pulumi"];
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir || dir.includes("node_modules")) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return [candidate, []];
    }
  }
  return [process.execPath, [path.join(root, "node_modules", "pulumi", "run.js")]];
}

function stacks(root: string): string {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter(Boolean)
    .join(", ");
}

function main(argv: string[]): number {
  const [stack, ...command] = argv;
  if (!stack || command.length === 0) {
    process.stderr.write(
      `usage: npm run lab -- <stack> <pulumi command> [flags]   e.g. npm run lab -- dev up --yes\nstacks: ${stacks(ROOT)}\n`,
    );
    return 2;
  }
  const env = labEnvironment(process.env);
  const [exe, pre] = pulumiCommand(env);
  const run = (args: string[]) =>
    spawnSync(exe, [...pre, ...args], { cwd: ROOT, env, stdio: "inherit" }).status ?? 1;

  const selected = run(["stack", "select", "--create", "--secrets-provider", "passphrase", stack]);
  if (selected !== 0) return selected;
  return run(command);
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
