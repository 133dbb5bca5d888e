/**
 * Builds the real pieces the end-to-end test runs, from their Go modules, at the versions this
 * project pins, into a cache outside the repository:
 *
 *   npm run toolchain            build what is missing, print one line per binary and the total
 *   npm run toolchain -- --list  print the layout as JSON (what the e2e reads)
 *
 * - the Pulumi CLI at the version of the `pulumi` launcher package (the CLI a reader's
 *   `npm run lab` fetches), and the Node.js language host;
 * - the resource plugins at the versions of their npm SDKs (`@pulumi/kubernetes`, ...);
 * - the Kubernetes control plane (kube-apiserver, kube-controller-manager, kube-scheduler and
 *   kubectl) at the project's Kubernetes version, and kwok, whose fake kubelets make pods run.
 *
 * - etcd, at the version kubeadm of that release deploys.
 *
 * Nothing is downloaded but Go modules through the Go module proxy (`go env GOPROXY`). A module the
 * proxy does not serve is reported as unavailable with the proxy's answer; the e2e then says which
 * of its cases that leaves out. sshd comes from Debian (`.ci/run` installs it).
 *
 * Each binary is built once per version: the cache is keyed by module, version and build recipe,
 * and a run with everything cached only checks. Linux and macOS; the e2e is not for Windows.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { VERSIONS } from "../lib/versions";
import { PROJECT_DIR } from "./stackFiles";

/**
 * The newest Go module that still carries the Node.js language host inside `sdk/v3`. Later
 * releases moved it to a module of its own (`sdk/nodejs/cmd/pulumi-language-nodejs/v3`), which is
 * used when the proxy serves it at the CLI's version.
 */
const LANGUAGE_HOST_IN_SDK = "v3.68.0";
/**
 * etcd for the API server: kubeadm 1.36's DefaultEtcdVersion. Debian's 3.4 lacks the watch progress
 * requests that client-go 0.36's streaming lists need, and every watch of the e2e then falls back
 * to listing again and again (pods took 30 s to go away).
 */
const ETCD = "v3.6.8";
/** kwok, the fake kubelets (its module pins client-go 0.36, the control plane's minor release). */
const KWOK = "v0.8.0";
/**
 * pulumi-command and pulumi-kubernetes tag releases at the repository root, so their `provider`
 * modules have no versions of their own: a release is its commit as a Go pseudo-version
 * (command v1.2.1: 2026-03-03T23:59:22Z; kubernetes v4.25.0: 2026-01-15T03:34:56Z, the only
 * release of it the module proxy served on 2026-12-04).
 */
const PROVIDER_COMMITS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  command: { "1.2.1": "v0.0.0-20260303235922-7f3eb6f3b77c" },
  kubernetes: { "4.25.0": "v4.0.0-20260115033456-f47bc2d6f199" },
};

/** One binary built from a Go module. */
export interface Recipe {
  /** File name of the binary. */
  readonly name: string;
  /** What it is, for the progress line. */
  readonly what: string;
  readonly module: string;
  readonly version: string;
  /** Import path of its main package. */
  readonly pkg: string;
  /** `bin`: goes on PATH; `plugin`: into the plugin folder Pulumi reads (`PULUMI_HOME/plugins`). */
  readonly kind: "bin" | "plugin";
  /** The version the binary reports (plugins: the npm SDK's version). */
  readonly reports: string;
  /** `-X` settings of the link step. */
  readonly ldflags?: readonly string[];
  /**
   * Versions of modules of the same repository that the module's go.mod replaces with a folder
   * (`=> ../sdk`, `=> ./staging/src/k8s.io/api`): the wrapper requires them at this version.
   * Undefined drops the replacement (etcd's guards such as `=> ./FORBIDDEN_DEPENDENCY`).
   */
  readonly siblings?: (module: string) => string | undefined;
  /**
   * Bridged plugins' mains embed `<name>-embed.json`, made at build time from the JSON file the
   * module ships beside them: the wrapper builds a writable copy of the module with those files.
   */
  readonly embedsGenerated?: boolean;
  /** Built instead when the module is not served, with the reason shown. */
  readonly fallback?: Recipe;
  /** Files to keep beside the binary, taken from the module (kwok's stage definitions). */
  readonly keep?: readonly { readonly from: readonly string[]; readonly to: string }[];
}

/** Where the toolchain lives: `$LAB_TOOLCHAIN_DIR`, else the user's cache folder. */
export function toolchainRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LAB_TOOLCHAIN_DIR) return path.resolve(env.LAB_TOOLCHAIN_DIR);
  const cache = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(cache, "k8sinfra-lab", "toolchain");
}

/** Versions the lockfile pins, by package name. */
function lockedVersions(): Record<string, string> {
  const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package-lock.json"), "utf8"));
  const out: Record<string, string> = {};
  for (const [where, entry] of Object.entries<{ version?: string }>(lock.packages ?? {})) {
    const name = where.replace(/^.*node_modules\//, "");
    if (where.startsWith("node_modules/") && !where.slice(13).includes("node_modules/")) {
      if (entry.version) out[name] = entry.version;
    }
  }
  return out;
}

/** `1.36.0` -> `v0.36.0`: the tag of the Kubernetes staging modules for a release. */
const stagingTag = (release: string) => `v0.${release.split(".").slice(1).join(".")}`;

/** Every binary of the toolchain, at the versions this checkout pins. */
export function recipes(): Recipe[] {
  const locked = lockedVersions();
  const need = (pkg: string) => {
    const v = locked[pkg];
    if (!v) throw new Error(`package-lock.json pins no ${pkg}: run npm install`);
    return v;
  };
  const cli = need("pulumi");
  const kubernetes = VERSIONS.kubernetes;
  const k8sFlags = [
    `k8s.io/component-base/version.gitVersion=v${kubernetes}`,
    `k8s.io/component-base/version.gitMajor=${kubernetes.split(".")[0]}`,
    `k8s.io/component-base/version.gitMinor=${kubernetes.split(".")[1]}`,
  ];
  const controlPlane = (name: string, what: string): Recipe => ({
    name,
    what,
    module: "k8s.io/kubernetes",
    version: `v${kubernetes}`,
    pkg: `k8s.io/kubernetes/cmd/${name}`,
    kind: "bin",
    reports: `v${kubernetes}`,
    ldflags: k8sFlags,
    siblings: () => stagingTag(kubernetes),
  });
  const plugin = (name: string, module: string, version: string): Recipe => ({
    name: `pulumi-resource-${name}`,
    what: `${name} resource plugin`,
    module,
    version: PROVIDER_COMMITS[name]?.[version] ?? `v${version}`,
    pkg: `${module}/cmd/pulumi-resource-${name}`,
    kind: "plugin",
    reports: version,
    ldflags: [`${module}/pkg/version.Version=${version}`],
    embedsGenerated: true,
    // Modules of the same repository (kubernetes' `=> ../sdk`) at the same release.
    siblings: () => `v${version}`,
  });
  return [
    {
      name: "pulumi",
      what: "Pulumi CLI",
      module: "github.com/pulumi/pulumi/pkg/v3",
      version: `v${cli}`,
      pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
      kind: "bin",
      reports: `v${cli}`,
      ldflags: [`github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${cli}`],
      siblings: () => `v${cli}`,
    },
    {
      name: "pulumi-language-nodejs",
      what: "Node.js language host",
      module: "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3",
      version: `v${cli}`,
      pkg: "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3",
      kind: "bin",
      reports: `v${cli}`,
      ldflags: [`github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${cli}`],
      siblings: () => `v${cli}`,
      fallback: {
        name: "pulumi-language-nodejs",
        what: "Node.js language host",
        module: "github.com/pulumi/pulumi/sdk/v3",
        version: LANGUAGE_HOST_IN_SDK,
        pkg: "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
        kind: "bin",
        reports: LANGUAGE_HOST_IN_SDK,
      },
    },
    plugin(
      "kubernetes",
      "github.com/pulumi/pulumi-kubernetes/provider/v4",
      need("@pulumi/kubernetes"),
    ),
    plugin("tls", "github.com/pulumi/pulumi-tls/provider/v5", need("@pulumi/tls")),
    plugin("random", "github.com/pulumi/pulumi-random/provider/v4", need("@pulumi/random")),
    plugin(
      "docker",
      `github.com/pulumi/pulumi-docker/provider/v${need("@pulumi/docker").split(".")[0]}`,
      need("@pulumi/docker"),
    ),
    plugin("command", "github.com/pulumi/pulumi-command/provider", need("@pulumi/command")),
    controlPlane("kube-apiserver", "Kubernetes API server"),
    controlPlane("kube-controller-manager", "Kubernetes controller manager"),
    controlPlane("kube-scheduler", "Kubernetes scheduler"),
    controlPlane("kubectl", "kubectl"),
    {
      name: "etcd",
      what: "etcd",
      module: "go.etcd.io/etcd/server/v3",
      version: ETCD,
      pkg: "go.etcd.io/etcd/server/v3",
      kind: "bin",
      reports: ETCD,
      ldflags: [`go.etcd.io/etcd/api/v3/version.GitSHA=${ETCD}`],
      siblings: (m) => (m.startsWith("go.etcd.io/etcd/") ? ETCD : undefined),
    },
    {
      name: "kwok",
      what: "fake kubelets",
      module: "sigs.k8s.io/kwok",
      version: KWOK,
      pkg: "sigs.k8s.io/kwok/cmd/kwok",
      kind: "bin",
      reports: KWOK,
      // kwok needs stage definitions to move nodes to Ready and pods to Running; its module has them.
      keep: [
        {
          from: [
            "kustomize/stage/node/fast/node-initialize.yaml",
            "kustomize/stage/node/heartbeat/node-heartbeat.yaml",
            "kustomize/stage/pod/fast/pod-ready.yaml",
            "kustomize/stage/pod/fast/pod-complete.yaml",
            "kustomize/stage/pod/fast/pod-delete.yaml",
          ],
          to: "kwok-stages.yaml",
        },
      ],
    },
  ];
}

// ---- go.mod handling -----------------------------------------------------------------------------

/** One `replace` line of a go.mod. */
export interface Replace {
  readonly from: string;
  readonly fromVersion?: string;
  readonly to: string;
  readonly toVersion?: string;
}

/** The `go` directive and the `replace` directives of a go.mod. */
export function parseGoMod(text: string): { go?: string; replaces: Replace[] } {
  const replaces: Replace[] = [];
  let go: string | undefined;
  let inBlock = false;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (!line) continue;
    const goLine = /^go\s+(\S+)$/.exec(line);
    if (goLine) go = goLine[1];
    if (inBlock && line === ")") {
      inBlock = false;
      continue;
    }
    if (/^replace\s*\($/.test(line)) {
      inBlock = true;
      continue;
    }
    const body = inBlock ? line : /^replace\s+(.*)$/.exec(line)?.[1];
    if (!body) continue;
    const m = /^(\S+)(?:\s+(\S+))?\s*=>\s*(\S+)(?:\s+(\S+))?$/.exec(body);
    if (m) replaces.push({ from: m[1], fromVersion: m[2], to: m[3], toVersion: m[4] });
  }
  return { go, replaces };
}

const isLocal = (target: string) => target.startsWith(".") || target.startsWith("/");

/**
 * The wrapper module that builds `recipe`: it requires the module, requires the siblings it
 * replaces with folders at their released versions, and repeats its other replacements, which Go
 * applies only in the main module.
 */
export function wrapperGoMod(
  recipe: Recipe,
  moduleGoMod: string,
  copiedModuleDir?: string,
): string {
  const { go, replaces } = parseGoMod(moduleGoMod);
  const requires = [`\t${recipe.module} ${recipe.version}`];
  const kept: string[] = [];
  for (const r of replaces) {
    if (isLocal(r.to)) {
      if (!recipe.siblings) {
        throw new Error(`${recipe.module} replaces ${r.from} with the folder ${r.to}`);
      }
      // A replaced module that this build does not import is dropped again by `go mod tidy`.
      const version = recipe.siblings(r.from);
      if (version) kept.push(`replace ${r.from} => ${r.from} ${version}`);
    } else {
      kept.push(
        `replace ${r.from}${r.fromVersion ? ` ${r.fromVersion}` : ""} => ${r.to}${r.toVersion ? ` ${r.toVersion}` : ""}`,
      );
    }
  }
  if (copiedModuleDir) kept.push(`replace ${recipe.module} => ${copiedModuleDir}`);
  return [
    `module lab.local/toolchain/${recipe.name}`,
    "",
    `go ${go ?? "1.25"}`,
    "",
    "require (",
    ...requires,
    ")",
    "",
    ...kept,
    "",
  ].join("\n");
}

/**
 * Bridged plugins embed files their build generates: for each `//go:embed X-embed.json` of the main
 * package whose `X.json` the module ships, `X-embed.json` is `X.json` minified, and the schema
 * carries the plugin's version.
 */
export function generateEmbeds(mainDir: string, version: string): string[] {
  const made: string[] = [];
  for (const file of fs.readdirSync(mainDir).filter((f) => f.endsWith(".go"))) {
    const text = fs.readFileSync(path.join(mainDir, file), "utf8");
    for (const m of text.matchAll(/\/\/go:embed\s+(\S+)-embed\.json/g)) {
      const source = path.join(mainDir, `${m[1]}.json`);
      if (!fs.existsSync(source)) continue;
      const json = JSON.parse(fs.readFileSync(source, "utf8"));
      if (m[1] === "schema") json.version = version;
      fs.writeFileSync(path.join(mainDir, `${m[1]}-embed.json`), JSON.stringify(json));
      made.push(`${m[1]}-embed.json`);
    }
  }
  return made;
}

// ---- building ------------------------------------------------------------------------------------

/** What became of one binary. */
export interface Outcome {
  readonly recipe: Recipe;
  readonly state: "built" | "cached" | "unavailable";
  /** Where the binary is (built or cached). */
  readonly file?: string;
  readonly seconds: number;
  /** Why a module was not used (the proxy's answer), or which fallback was. */
  readonly note?: string;
}

/** Environment of every `go` command: no toolchain downloads, modules resolved as needed. */
function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOFLAGS: "-mod=mod",
    GOTOOLCHAIN: "local",
    CGO_ENABLED: "0",
  };
}

function go(args: string[], cwd: string): { ok: boolean; out: string } {
  const r = spawnSync("go", args, { cwd, env: goEnv(), encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.error) throw r.error;
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

/** The key of a build in the cache: everything that changes the binary. */
export function buildKey(recipe: Recipe, goVersion: string): string {
  const { fallback: _fallback, siblings, ...rest } = recipe;
  const hash = createHash("sha256")
    .update(JSON.stringify({ ...rest, siblings: siblings?.(recipe.module), goVersion }))
    .digest("hex")
    .slice(0, 12);
  return `${recipe.name}@${recipe.version}-${hash}`;
}

/** Downloads a module; returns its folder and go.mod, or the proxy's answer. */
function download(
  recipe: Recipe,
  scratch: string,
): { dir: string; goMod: string } | { error: string } {
  const r = go(["mod", "download", "-json", `${recipe.module}@${recipe.version}`], scratch);
  let info: { Dir?: string; GoMod?: string; Error?: string } = {};
  try {
    info = JSON.parse(r.out.slice(r.out.indexOf("{")));
  } catch {
    return { error: r.out.trim().split("\n").pop() ?? "go mod download failed" };
  }
  if (info.Error || !info.Dir || !info.GoMod) {
    const why = (info.Error ?? r.out).split("\n").map((l) => l.trim());
    const answer = why.find((l) => l.startsWith("server response:")) ?? why[0];
    const status = /(\d{3}) [A-Z][a-z]+/.exec(info.Error ?? "")?.[0];
    return {
      error: [status, answer?.replace(/^server response:\s*/, "")].filter(Boolean).join(": "),
    };
  }
  return { dir: info.Dir, goMod: fs.readFileSync(info.GoMod, "utf8") };
}

function build(recipe: Recipe, root: string, goVersion: string): Outcome {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  const key = buildKey(recipe, goVersion);
  const outDir = path.join(root, "builds", key);
  const file = path.join(outDir, recipe.name);
  if (fs.existsSync(path.join(outDir, "done"))) {
    return { recipe, state: "cached", file, seconds: seconds() };
  }

  const work = path.join(root, "go", key);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(path.join(work, "go.mod"), "module lab.local/scratch\n\ngo 1.25\n");
  const got = download(recipe, work);
  if ("error" in got) {
    if (recipe.fallback) {
      const other = build(recipe.fallback, root, goVersion);
      const note = `${recipe.module}@${recipe.version} is not served (${got.error}); ${other.recipe.module}@${other.recipe.version} instead`;
      return { ...other, seconds: seconds(), note: other.note ?? note };
    }
    return { recipe, state: "unavailable", seconds: seconds(), note: got.error };
  }

  let copied: string | undefined;
  if (recipe.embedsGenerated) {
    copied = path.join(work, "module");
    fs.cpSync(got.dir, copied, { recursive: true });
    makeWritable(copied);
    const main = path.join(copied, path.relative(recipe.module, recipe.pkg));
    generateEmbeds(main, recipe.reports);
  }
  fs.writeFileSync(path.join(work, "go.mod"), wrapperGoMod(recipe, got.goMod, copied));
  fs.writeFileSync(
    path.join(work, "tools.go"),
    `//go:build tools\n\npackage tools\n\nimport _ "${recipe.pkg}"\n`,
  );
  const tidy = go(["mod", "tidy"], work);
  if (!tidy.ok) throw new Error(`go mod tidy for ${recipe.name} failed:\n${tidy.out}`);
  fs.mkdirSync(outDir, { recursive: true });
  const ldflags = ["-s", "-w", ...(recipe.ldflags ?? []).flatMap((x) => ["-X", x])].join(" ");
  const built = go(["build", "-trimpath", "-ldflags", ldflags, "-o", file, recipe.pkg], work);
  if (!built.ok) throw new Error(`go build of ${recipe.name} failed:\n${built.out}`);
  for (const k of recipe.keep ?? []) {
    const text = k.from.map((f) => fs.readFileSync(path.join(got.dir, f), "utf8")).join("\n---\n");
    fs.writeFileSync(path.join(outDir, k.to), text);
  }
  fs.writeFileSync(
    path.join(outDir, "done"),
    `${JSON.stringify({ module: recipe.module, version: recipe.version, go: goVersion, seconds: seconds() })}\n`,
  );
  fs.rmSync(work, { recursive: true, force: true });
  return { recipe, state: "built", file, seconds: seconds() };
}

/** The module cache is read-only; a copy that gets generated files must not be. */
function makeWritable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) makeWritable(full);
    else fs.chmodSync(full, 0o644);
  }
}

/** What the e2e needs to find: the PATH folder, the plugin folder and kwok's stages. */
export interface Layout {
  readonly root: string;
  /** Goes first on PATH: pulumi, pulumi-language-nodejs, the control plane, kwok. */
  readonly bin: string;
  /** `resource-<name>-v<version>/pulumi-resource-<name>`, as in `PULUMI_HOME/plugins`. */
  readonly plugins: string;
  readonly kwokStages: string;
  /** Binaries the proxy does not serve, with its answer. */
  readonly unavailable: Readonly<Record<string, string>>;
  /** Where a binary came from when it is not the recipe's first choice. */
  readonly notes: Readonly<Record<string, string>>;
}

export function layoutFile(root: string): string {
  return path.join(root, "layout.json");
}

/**
 * A hard link (a copy across file systems), not a symbolic link: the CLI looks for its language host
 * beside its own resolved path, and warns when it takes one from PATH instead.
 */
function place(file: string, at: string): void {
  try {
    fs.linkSync(file, at);
  } catch {
    fs.copyFileSync(file, at);
    fs.chmodSync(at, 0o755);
  }
}

/** Links the current versions' binaries into `bin/` and `plugins/`, and records the layout. */
function link(root: string, outcomes: readonly Outcome[]): Layout {
  const bin = path.join(root, "bin");
  const plugins = path.join(root, "plugins");
  fs.rmSync(bin, { recursive: true, force: true });
  fs.rmSync(plugins, { recursive: true, force: true });
  fs.mkdirSync(bin, { recursive: true });
  fs.mkdirSync(plugins, { recursive: true });
  let kwokStages = "";
  const unavailable: Record<string, string> = {};
  const notes: Record<string, string> = {};
  for (const o of outcomes) {
    if (!o.file) {
      unavailable[o.recipe.name] = `${o.recipe.module}@${o.recipe.version}: ${o.note}`;
      continue;
    }
    if (o.note) notes[o.recipe.name] = o.note;
    if (o.recipe.kind === "plugin") {
      const short = o.recipe.name.replace(/^pulumi-resource-/, "");
      const dir = path.join(plugins, `resource-${short}-v${o.recipe.reports}`);
      fs.mkdirSync(dir, { recursive: true });
      place(o.file, path.join(dir, o.recipe.name));
    } else {
      place(o.file, path.join(bin, o.recipe.name));
    }
    const stages = path.join(path.dirname(o.file), "kwok-stages.yaml");
    if (fs.existsSync(stages)) kwokStages = stages;
  }
  const layout: Layout = { root, bin, plugins, kwokStages, unavailable, notes };
  fs.writeFileSync(layoutFile(root), `${JSON.stringify(layout, null, 2)}\n`);
  return layout;
}

/** The layout the last `npm run toolchain` recorded, or undefined when it never ran. */
export function readLayout(root = toolchainRoot()): Layout | undefined {
  try {
    return JSON.parse(fs.readFileSync(layoutFile(root), "utf8"));
  } catch {
    return undefined;
  }
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.round(seconds - m * 60)).padStart(2, "0")}s`;
}

function goVersionOrExit(): string {
  const r = spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    process.stderr.write(
      "toolchain: Go is not installed (or not on PATH); it builds everything here from Go modules: https://go.dev/doc/install\n",
    );
    process.exit(2);
  }
  return r.stdout.trim();
}

function main(argv: string[]): number {
  const root = toolchainRoot();
  if (argv.includes("--list")) {
    process.stdout.write(`${JSON.stringify(readLayout(root) ?? null, null, 2)}\n`);
    return 0;
  }
  const goVersion = goVersionOrExit();
  const started = Date.now();
  process.stdout.write(`toolchain: ${root} (${goVersion}, GOPROXY ${goEnvValue("GOPROXY")})\n`);
  const outcomes: Outcome[] = [];
  for (const recipe of recipes()) {
    const o = build(recipe, root, goVersion);
    outcomes.push(o);
    // A release whose module has only a pseudo-version is named by both (v4.25.0, module v4.0.0-…).
    const version =
      o.recipe.version === `v${o.recipe.reports}` || o.recipe.version === o.recipe.reports
        ? o.recipe.version
        : `v${o.recipe.reports.replace(/^v/, "")}, module ${o.recipe.version}`;
    const label = `${o.recipe.name} ${version} (${o.recipe.what})`;
    const line =
      o.state === "unavailable"
        ? `  unavailable ${label}: the module proxy answers ${o.note}`
        : `  ${o.state.padEnd(11)} ${label} in ${duration(o.seconds)}${o.note ? `\n              ${o.note}` : ""}`;
    process.stdout.write(`${line}\n`);
  }
  const layout = link(root, outcomes);
  const total = (Date.now() - started) / 1000;
  const built = outcomes.filter((o) => o.state === "built").length;
  const cached = outcomes.filter((o) => o.state === "cached").length;
  const missing = Object.keys(layout.unavailable).length;
  const timings = path.join(root, "timings.json");
  const previous = fs.existsSync(timings) ? JSON.parse(fs.readFileSync(timings, "utf8")) : {};
  // Cold: nothing was in the cache; warm: everything was.
  const kind = cached === 0 ? "cold" : built === 0 ? "warm" : "partly cached";
  const record =
    kind === "partly cached"
      ? previous
      : { ...previous, [kind]: { seconds: total, built, cached, at: new Date().toISOString() } };
  fs.writeFileSync(timings, `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(
    `toolchain: ${built} built, ${cached} cached, ${missing} unavailable; this run ${duration(total)} (${kind})` +
      `${record.cold && kind === "warm" ? `; last cold run ${duration(record.cold.seconds)}` : ""}\n`,
  );
  // The CLI, its language host and the control plane are what every e2e case needs.
  const essential = outcomes.filter((o) => o.recipe.kind === "bin" && o.state === "unavailable");
  return essential.length > 0 ? 1 : 0;
}

function goEnvValue(name: string): string {
  return spawnSync("go", ["env", name], { encoding: "utf8" }).stdout.trim();
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
