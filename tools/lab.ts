/**
 * Runs the Pulumi CLI on one stack of this project with no account and no login:
 *
 *   npm run lab -- <stack> <pulumi command> [flags]
 *   npm run lab -- dev up --yes
 *   npm run lab -- practice config set lab:practice.activeColor blue
 *
 * It runs the CLI in the project folder, where `Pulumi.yaml` keeps the state in `.pulumi-state/`,
 * supplies the documented default passphrase unless one is set, works on the named stack (creating
 * its state on first use), and lets the CLI transpile without type-checking (`npm test` checks
 * types). Before it creates anything it checks the stack's name (a `Pulumi.<stack>.yaml` of this
 * project) and, for the commands that run the program, the stack's settings. A Pulumi CLI on PATH
 * is used as is; otherwise the `pulumi` npm package, a devDependency, fetches the pinned CLI on first
 * use. Written in TypeScript rather than shell so that it runs the same on Windows, where most of
 * the book's readers are.
 */
import { spawnSync } from "node:child_process";
import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { editDistance, messages } from "../lib/messages";

/** The project folder. */
const ROOT = path.resolve(__dirname, "..");

/** Encrypts the lab stacks' secrets unless PULUMI_CONFIG_PASSPHRASE(_FILE) says otherwise. */
export const DEFAULT_PASSPHRASE = "k8sinfra-lab";

/**
 * Whether `phrase` opens a passphrase check value as Pulumi stores it in `encryptionsalt`:
 * `v1:<salt>:v1:<nonce>:<ciphertext>`, the word "pulumi" sealed with AES-256-GCM under a key of
 * PBKDF2-SHA256 (1,000,000 rounds, 32 bytes) of the passphrase and salt (pulumi/pulumi v3.259.0:
 * pkg/secrets/passphrase/manager.go, symmetricCrypterFromPhraseAndState; the crypter in
 * sdk/go/common/resource/config/crypt.go).
 */
export function passphraseOpens(encryptionSalt: string, phrase: string): boolean {
  const [version, salt, valueVersion, nonce, sealed] = encryptionSalt.split(":");
  if (version !== "v1" || valueVersion !== "v1" || !salt || !nonce || !sealed) return false;
  const key = pbkdf2Sync(phrase, Buffer.from(salt, "base64"), 1_000_000, 32, "sha256");
  const bytes = Buffer.from(sealed, "base64");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64"));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const plain = Buffer.concat([decipher.update(bytes.subarray(0, -16)), decipher.final()]);
    return plain.toString("utf8") === "pulumi";
  } catch {
    return false;
  }
}

/**
 * The reader's own passphrase, when it is not the lab's: the variable it came from and its text,
 * as Pulumi reads them (PULUMI_CONFIG_PASSPHRASE first, else the file, trimmed, relative to the
 * project folder where the CLI runs).
 */
function readersPassphrase(
  env: NodeJS.ProcessEnv,
  root: string,
): { variable: string; phrase: string } | undefined {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) {
    return env.PULUMI_CONFIG_PASSPHRASE === DEFAULT_PASSPHRASE
      ? undefined
      : { variable: "PULUMI_CONFIG_PASSPHRASE", phrase: env.PULUMI_CONFIG_PASSPHRASE };
  }
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (!file) return undefined;
  try {
    const phrase = fs.readFileSync(path.resolve(root, file), "utf8").trim();
    return { variable: "PULUMI_CONFIG_PASSPHRASE_FILE", phrase };
  } catch {
    // Pulumi says itself that it cannot read the file.
    return undefined;
  }
}

/**
 * Why the reader's passphrase cannot work on the stack: its file keeps the check value of the lab
 * passphrase (committed, so that a first run leaves the file as it is), and Pulumi refuses any
 * other passphrase for it.
 */
export function passphraseRefusal(
  stack: string,
  env: NodeJS.ProcessEnv,
  root = ROOT,
): string | undefined {
  const own = readersPassphrase(env, root);
  if (!own) return undefined;
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  const salt = /^encryptionsalt:\s*(\S+)\s*$/m.exec(fs.readFileSync(file, "utf8"))?.[1];
  if (!salt || passphraseOpens(salt, own.phrase)) return undefined;
  return messages().passphraseMismatch(stack, own.variable, DEFAULT_PASSPHRASE);
}

/**
 * Pulumi commands that run the program, and so read the stack's settings; each also takes
 * `--config` (pulumi/pulumi v3.259.0, pkg/cmd/pulumi/operations: up.go, preview.go, destroy.go,
 * refresh.go, watch.go; aliases update, pre, down, dn).
 */
const RUNS_PROGRAM = new Set([
  "preview",
  "pre",
  "up",
  "update",
  "refresh",
  "destroy",
  "down",
  "dn",
  "watch",
]);
const DESTROY = new Set(["destroy", "down", "dn"]);

/** One `--config key=value` of a Pulumi command line. */
export interface ConfigFlag {
  /** The key as Pulumi stores it: one without a namespace is the project's (`lab:`). */
  readonly key: string;
  readonly value: string;
  /** As the reader wrote it. */
  readonly written: string;
}

/**
 * The `--config` (`-c`) settings of a Pulumi command line, in every form pflag reads: `--config
 * k=v`, `--config=k=v`, `-c k=v`, `-ck=v`, `-c=k=v`. The CLI splits each at its first `=` and puts
 * the project's namespace before a key without one (pulumi/pulumi v3.259.0:
 * pkg/cmd/pulumi/project/newcmd/config.go:413-433, pkg/cmd/pulumi/config/io.go:368-410).
 */
export function configFlags(args: readonly string[]): ConfigFlag[] {
  const found: ConfigFlag[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") break;
    let text: string | undefined;
    if (a === "--config" || a === "-c") text = args[++i];
    else if (a.startsWith("--config=")) text = a.slice("--config=".length);
    else if (/^-c./.test(a)) text = a.slice(2).replace(/^=/, "");
    if (text === undefined) continue;
    const eq = text.indexOf("=");
    const name = eq < 0 ? text : text.slice(0, eq);
    const value = eq < 0 ? "" : text.slice(eq + 1);
    const key = name.includes(":") ? name : `lab:${name}`;
    found.push({ key, value, written: text });
  }
  return found;
}

/**
 * Why the `--config` settings of a command cannot be used as given: the same key twice, which
 * Pulumi takes without a word, keeping the last (its config map's Set replaces the first).
 */
export function configFlagRefusal(args: readonly string[]): string | undefined {
  const seen = new Map<string, string>();
  for (const flag of configFlags(args)) {
    const first = seen.get(flag.key);
    if (first !== undefined) {
      return messages().givenTwice(flag.key, `--config ${first}`, `--config ${flag.written}`);
    }
    seen.set(flag.key, flag.written);
  }
  return undefined;
}

/** The environment the Pulumi CLI runs with, working on `stack`. */
export function labEnvironment(env: NodeJS.ProcessEnv, stack?: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  if (out.PULUMI_CONFIG_PASSPHRASE === undefined && !out.PULUMI_CONFIG_PASSPHRASE_FILE) {
    out.PULUMI_CONFIG_PASSPHRASE = DEFAULT_PASSPHRASE;
  }
  out.PULUMI_NODEJS_TRANSPILE_ONLY ??= "true";
  out.PULUMI_SKIP_UPDATE_CHECK ??= "true";
  // Node 22+ keeps the SDK and the program compiled between runs (a no-change preview of dev: 2.7 s
  // -> 2.3 s); Node 20 ignores it. In the work folder, which git ignores and a clone starts without.
  out.NODE_COMPILE_CACHE ??= path.join(ROOT, ".lab", "node-compile-cache");
  // The CLI works on this stack without a `pulumi stack select` (a second CLI start) per command.
  if (stack) out.PULUMI_STACK = stack;
  return out;
}

/** A Pulumi CLI on PATH (outside node_modules), if any. */
export function pulumiOnPath(env: NodeJS.ProcessEnv): string | undefined {
  const names = process.platform === "win32" ? ["pulumi.exe"] : ["pulumi"];
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir || dir.includes("node_modules")) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
  }
  return undefined;
}

/** The CLI version the `pulumi` launcher package pins. */
export function launcherVersion(root = ROOT): string {
  return JSON.parse(
    fs.readFileSync(path.join(root, "node_modules", "pulumi", "package.json"), "utf8"),
  ).version;
}

/** What a reader does when the CLI cannot be fetched. */
export function downloadAdvice(version: string, why: string): string {
  return messages().cliNotDownloaded(version, why);
}

/**
 * The CLI: one on PATH, else the one the launcher package keeps (fetched on first use). The
 * launcher's own folder goes first on PATH, so that the CLI finds its language host beside it.
 */
async function pulumiCli(env: NodeJS.ProcessEnv): Promise<{ exe: string; env: NodeJS.ProcessEnv }> {
  const onPath = pulumiOnPath(env);
  if (onPath) return { exe: onPath, env };
  const launcher = createRequire(path.join(ROOT, "package.json"));
  const { resolve } = launcher("pulumi/lib/resolve") as { resolve(): Promise<string> };
  try {
    const exe = await resolve();
    return { exe, env: { ...env, PATH: `${path.dirname(exe)}${path.delimiter}${env.PATH ?? ""}` } };
  } catch (err) {
    throw new LabError(
      downloadAdvice(launcherVersion(), err instanceof Error ? err.message : String(err)),
    );
  }
}

/** A resource plugin the program needs. */
export interface PluginNeed {
  readonly name: string;
  readonly version: string;
}

/**
 * The resource plugins of the project's @pulumi SDKs, as the Node.js language host reports them to
 * the engine: a package whose package.json says `pulumi.resource`, named and versioned by its
 * `pulumi` section or else by the package (pulumi/pulumi v3.259.0:
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go:630-715).
 */
export function neededPlugins(root = ROOT): PluginNeed[] {
  const read = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));
  const deps = Object.keys(read(path.join(root, "package.json")).dependencies ?? {});
  return deps
    .filter((dep) => dep.startsWith("@pulumi/"))
    .map((dep) => read(path.join(root, "node_modules", dep, "package.json")))
    .filter((pkg) => pkg.pulumi?.resource === true)
    .map((pkg) => ({
      name: String(pkg.pulumi.name ?? String(pkg.name).slice("@pulumi/".length)),
      version: String(pkg.pulumi.version ?? pkg.version),
    }));
}

/** A Pulumi environment flag as the CLI reads it: "1" or "true" in any case. */
const isTruthy = (value: string | undefined) => value === "1" || value?.toLowerCase() === "true";

/** Where the CLI keeps the plugins it installs: $PULUMI_HOME/plugins, else ~/.pulumi/plugins. */
export function pluginsDir(env: NodeJS.ProcessEnv): string {
  return path.join(env.PULUMI_HOME || path.join(os.homedir(), ".pulumi"), "plugins");
}

/**
 * Whether the CLI would find the plugin without downloading it: its folder
 * resource-<name>-v<version> in the plugin folder with no `.partial` marker of an install cut short
 * (sdk/go/common/workspace/plugins.go:1315-1363 Dir and PartialFilePath, 1946-1960 HasPlugin), or
 * a pulumi-resource-<name> on PATH unless PULUMI_IGNORE_AMBIENT_PLUGINS is set (2190-2200).
 */
export function pluginPresent(plugin: PluginNeed, env: NodeJS.ProcessEnv): boolean {
  const dir = path.join(pluginsDir(env), `resource-${plugin.name}-v${plugin.version}`);
  if (fs.existsSync(dir) && !fs.existsSync(`${dir}.partial`)) return true;
  if (isTruthy(env.PULUMI_IGNORE_AMBIENT_PLUGINS)) return false;
  const file = `pulumi-resource-${plugin.name}${process.platform === "win32" ? ".exe" : ""}`;
  return (env.PATH ?? "")
    .split(path.delimiter)
    .some((d) => d !== "" && fs.existsSync(path.join(d, file)));
}

/**
 * Why `pulumi plugin install` failed, in a line: the cause of the last download attempt it warned
 * about, else its error (pkg/cmd/pulumi/plugin/plugin_install.go:303-333 prints "Error downloading
 * plugin: <cause>" per attempt and ends with "<label> downloading from <url>: <error>").
 */
export function installFailure(output: string, status: number | null): string {
  const lines = output.split(/\r?\n/).map((l) => l.trim());
  const causes = lines.flatMap((l) => /Error downloading plugin: (.+)$/.exec(l)?.[1] ?? []);
  if (causes.length > 0) return causes[causes.length - 1];
  const errors = lines.flatMap((l) => /^error: (.+)$/.exec(l)?.[1] ?? []);
  if (errors.length > 0) return errors[errors.length - 1];
  return lines.filter(Boolean).pop() ?? `exit status ${status}`;
}

/**
 * Installs the plugins the program needs that the CLI would not find, with the CLI itself, before
 * anything runs: offline or behind a proxy, the reader gets what to do instead of the engine's
 * retries in the middle of a preview. Returns the exit status.
 */
function installPlugins(cli: { exe: string; env: NodeJS.ProcessEnv }): number {
  const m = messages();
  const dir = pluginsDir(cli.env);
  const missing = neededPlugins().filter((p) => !pluginPresent(p, cli.env));
  for (const [i, plugin] of missing.entries()) {
    process.stderr.write(`${m.pluginInstalling(plugin.name, plugin.version, dir)}\n`);
    const args = ["plugin", "install", "resource", plugin.name, plugin.version, "--exact"];
    const r = spawnSync(cli.exe, args, { cwd: ROOT, env: cli.env, encoding: "utf8" });
    if (r.status === 0) continue;
    const why = installFailure(`${r.stdout ?? ""}\n${r.stderr ?? ""}`, r.status);
    const still = missing
      .slice(i)
      .map((p) => `pulumi plugin install resource ${p.name} ${p.version} --exact`);
    process.stderr.write(
      `${m.pluginNotDownloaded(plugin.name, plugin.version, why, dir, still)}\n`,
    );
    return 1;
  }
  return 0;
}

/** A stop with a message and no stack trace. */
class LabError extends Error {}

/**
 * The commands of the Pulumi CLI v3.259.0 and their aliases (pulumi/pulumi v3.259.0:
 * pkg/cmd/pulumi/pulumi.go:480-590 registers them; aliases in operations/up.go:587 update,
 * operations/preview.go:362 pre, operations/destroy.go:104 down and dn, project/newcmd/new.go:509
 * create and setup, env/env.go:36 esc, completion/gen.go:30 completion), with cobra's own `help`.
 */
export const PULUMI_COMMANDS: readonly string[] = [
  "new",
  "create",
  "setup",
  "config",
  "stack",
  "console",
  "import",
  "refresh",
  "state",
  "install",
  "up",
  "update",
  "destroy",
  "down",
  "dn",
  "preview",
  "pre",
  "cancel",
  "env",
  "esc",
  "login",
  "logout",
  "whoami",
  "org",
  "project",
  "deployment",
  "api",
  "insights",
  "do",
  "policy",
  "plugin",
  "schema",
  "package",
  "version",
  "about",
  "gen-completion",
  "completion",
  "gen-markdown",
  "convert",
  "watch",
  "logs",
  "template",
  "view-trace",
  "convert-trace",
  "replay-events",
  "events",
  "generate-cli-spec",
  "neo",
  "help",
];

/** Commands that work on no stack: the stack is not created for them. */
const STACKLESS = new Set([
  "help",
  "version",
  "plugin",
  "login",
  "logout",
  "whoami",
  "gen-completion",
  "completion",
]);

/** The root command's flags that take a value (pkg/cmd/pulumi/pulumi.go:450-475). */
const VALUE_FLAGS = new Set([
  "--cwd",
  "-C",
  "--tracing",
  "--tracing-header",
  "--otel-traces",
  "--profiling",
  "--memprofilerate",
  "--verbose",
  "-v",
  "--color",
]);

/** The Pulumi command a command line names, past the root command's flags; none for `--help`. */
export function pulumiCommand(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") return args[i + 1];
    if (!a.startsWith("-")) return a;
    if (VALUE_FLAGS.has(a)) i++;
  }
  return undefined;
}

/**
 * Why a command line names no Pulumi command, with the command meant when one is a slip away: the
 * CLI would say so too, but only after the stack was created.
 */
export function commandRefusal(stack: string, command: string | undefined): string | undefined {
  if (command === undefined || PULUMI_COMMANDS.includes(command)) return undefined;
  const m = messages();
  const near = PULUMI_COMMANDS.map((c) => ({ c, d: editDistance(command.toLowerCase(), c) }))
    .filter(({ d }) => d <= Math.min(2, Math.floor(command.length / 3)))
    .sort((a, b) => a.d - b.d);
  const guess = near.length > 0 && near[1]?.d !== near[0].d ? near[0].c : undefined;
  return m.unknownCommand(command, stack, guess ? m.didYouMeanCommand(stack, guess) : "");
}

/** Stacks of the project: its `Pulumi.<stack>.yaml` files. */
export function knownStacks(root = ROOT): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Whether the stack has state in the project's own backend (`.pulumi-state/`). */
function hasState(root: string, stack: string): boolean {
  return fs.existsSync(
    path.join(root, ".pulumi-state", ".pulumi", "stacks", "lab", `${stack}.json`),
  );
}

/**
 * Problems with the stack file's settings and those a command line sets with `--config`, as the
 * program would report them at preview.
 */
async function settingsProblems(
  stack: string,
  flags: readonly ConfigFlag[],
): Promise<string | undefined> {
  const { stackConfig } = await import("./mockRun.js");
  const { parseLabConfig } = await import("../lib/config.js");
  const { config, secretKeys } = stackConfig(stack);
  const raw = Object.fromEntries(
    Object.entries(config).map(([k, value]) => [k, { value, secret: secretKeys.includes(k) }]),
  );
  // `--config` values are saved to the stack file before the program runs, as plain text.
  for (const { key, value } of flags) raw[key] = { value, secret: false };
  try {
    parseLabConfig(stack, raw);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Why the command line names no stack of this project, or undefined when it does. */
export function stackRefusal(
  argv: readonly string[],
  stacks: readonly string[],
): string | undefined {
  const m = messages();
  const [stack, ...command] = argv;
  if (!stack || command.length === 0) {
    return `${m.usage("npm run lab -- <stack> <pulumi command> [flags]")}   ${m.forExample("npm run lab -- dev up --yes")}\n${m.stacks(stacks)}`;
  }
  if (stacks.includes(stack)) return undefined;
  // A slip of one or two letters (practise, clutser) names the stack meant; when several stacks
  // are as close (ch9: ch2 to ch6), naming one would be a guess.
  const near = stacks
    .map((s) => ({ s, d: editDistance(stack.toLowerCase(), s.toLowerCase()) }))
    .filter(({ d }) => d <= Math.min(2, Math.floor(stack.length / 3)))
    .sort((a, b) => a.d - b.d);
  const guess = near.length > 0 && near[1]?.d !== near[0].d ? near[0].s : undefined;
  return m.unknownStack(stack, stacks, guess ? m.didYouMeanStack(guess) : "");
}

async function main(argv: string[]): Promise<number> {
  const [stack, ...command] = argv;
  const refusal = stackRefusal(argv, knownStacks(ROOT));
  if (refusal !== undefined) {
    process.stderr.write(`${refusal}\n`);
    return 2;
  }
  // Checked first: an unknown command must not create the stack before the CLI says so.
  const name = pulumiCommand(command);
  const unknown = commandRefusal(stack, name);
  if (unknown !== undefined) {
    process.stderr.write(`${unknown}\n`);
    return 2;
  }
  const onStack = name !== undefined && !STACKLESS.has(name);
  const ownBackend = process.env.PULUMI_BACKEND_URL === undefined;
  const isNew = onStack && ownBackend && !hasState(ROOT, stack);
  const runsProgram = name !== undefined && RUNS_PROGRAM.has(name);
  const flags = runsProgram ? configFlags(command) : [];
  const twice = runsProgram ? configFlagRefusal(command) : undefined;
  if (twice) {
    process.stderr.write(`${twice}\n`);
    return 2;
  }
  // A new stack is checked before it is created; `--config` values before the CLI saves them into
  // the stack file (the program would refuse them only afterwards).
  if (runsProgram && (isNew || flags.length > 0)) {
    const problems = await settingsProblems(stack, flags);
    if (problems) {
      process.stderr.write(`${problems}\n`);
      return 2;
    }
  }
  // Where the CLI creates the stack (here, or in another backend where only it knows), a passphrase
  // that does not open the stack file's check value would stop it with "incorrect passphrase".
  const mismatch =
    isNew || (onStack && !ownBackend) ? passphraseRefusal(stack, process.env) : undefined;
  if (mismatch) {
    process.stderr.write(`${mismatch}\n`);
    return 2;
  }
  const cli = await pulumiCli(labEnvironment(process.env, stack));
  const run = (args: string[]) =>
    spawnSync(cli.exe, args, { cwd: ROOT, env: cli.env, stdio: "inherit" }).status ?? 1;
  // Before the stack is created: a plugin that cannot be had leaves nothing behind.
  if (runsProgram && !isTruthy(cli.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION)) {
    const installed = installPlugins(cli);
    if (installed !== 0) return installed;
  }
  if (onStack && !ownBackend) {
    // Another backend: only the CLI can tell whether the stack exists there.
    const selected = run([
      "stack",
      "select",
      "--create",
      "--secrets-provider",
      "passphrase",
      stack,
    ]);
    if (selected !== 0) return selected;
  } else if (isNew) {
    const created = run(["stack", "init", "--secrets-provider", "passphrase", stack]);
    if (created !== 0) return created;
  }
  if (name !== undefined && DESTROY.has(name)) {
    const code = await prepareDestroy(stack, cli);
    if (code !== 0) return code;
  }
  return run(command);
}

/**
 * Before `destroy`: start the stack's halted VMs, or drop from the state what lived on VMs that are
 * gone (tools/beforeDestroy.ts).
 */
async function prepareDestroy(
  stack: string,
  cli: { exe: string; env: NodeJS.ProcessEnv },
): Promise<number> {
  const { stackConfig } = await import("./mockRun.js");
  const { parseLabConfig } = await import("../lib/config.js");
  const { vmOwner, workDir } = await import("../lib/vagrant.js");
  const { realHost } = await import("../lib/host.js");
  const { beforeDestroy, forgetGoneVms, goneNote } = await import("./beforeDestroy.js");
  const { config, secretKeys } = stackConfig(stack);
  const raw = Object.fromEntries(
    Object.entries(config).map(([k, value]) => [k, { value, secret: secretKeys.includes(k) }]),
  );
  let owner: string | undefined;
  try {
    owner = vmOwner(parseLabConfig(stack, raw));
  } catch {
    // Settings that no longer parse do not stop a reset; Pulumi's destroy does not read them.
    return 0;
  }
  if (!owner) return 0;
  const exported = spawnSync(cli.exe, ["stack", "export", "--stack", stack], {
    cwd: ROOT,
    env: cli.env,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (exported.status !== 0) return 0;
  const state = JSON.parse(exported.stdout);
  const resources = state.deployment?.resources ?? [];
  const dir = workDir(owner);
  const plan = beforeDestroy(await realHost.vmStates(dir), resources);
  if (plan.action === "start") {
    process.stderr.write(`${messages().startingVmsToDestroy(owner, plan.stopped)}\n`);
    await realHost.startVms(dir, (line) => process.stderr.write(`${line}\n`));
  } else if (plan.action === "forget") {
    process.stderr.write(`${goneNote(stack, owner, plan.count)}\n`);
    state.deployment.resources = forgetGoneVms(resources).resources;
    const file = path.join(ROOT, ".lab", `${stack}.state.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
    try {
      const imported = spawnSync(cli.exe, ["stack", "import", "--stack", stack, "--file", file], {
        cwd: ROOT,
        env: cli.env,
        stdio: "inherit",
      });
      if (imported.status !== 0) return imported.status ?? 1;
    } finally {
      fs.rmSync(file, { force: true });
    }
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${err instanceof LabError ? err.message : (err?.stack ?? err)}\n`);
      process.exit(1);
    },
  );
}
