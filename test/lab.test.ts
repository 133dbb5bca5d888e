/**
 * `npm run lab -- <stack> <command>`: the Pulumi CLI with a local state folder, a default
 * passphrase and no login. It runs in a copy of the project, and a stand-in CLI records how it is
 * called.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it, vi } from "vitest";
import YAML from "yaml";
import {
  commandRefusal,
  configFlagRefusal,
  configFlags,
  downloadAdvice,
  installFailure,
  neededPlugins,
  pluginPresent,
  pluginsDir,
  pulumiCommand,
  stackRefusal,
} from "../tools/lab";
import { PROJECT_DIR } from "../tools/mockRun";
import { runTool } from "./cli";
import { checkValueFor } from "./passphrase";

const launcherVersion = JSON.parse(
  fs.readFileSync(path.join(PROJECT_DIR, "node_modules", "pulumi", "package.json"), "utf8"),
).version;

const FAKE = `#!/bin/sh
{
  echo "ARGS $*"
  echo "STACK $PULUMI_STACK"
  echo "BACKEND $PULUMI_BACKEND_URL"
  echo "PASSPHRASE $PULUMI_CONFIG_PASSPHRASE"
  echo "TRANSPILE_ONLY $PULUMI_NODEJS_TRANSPILE_ONLY"
  echo "COMPILE_CACHE $NODE_COMPILE_CACHE"
  echo "CWD $(pwd)"
} >> "$FAKE_LOG"
# plugin install resource <name> <version>: as the real CLI does it (pulumi/pulumi v3.259.0,
# pkg/cmd/pulumi/plugin/plugin_install.go:303-333), offline when FAKE_PLUGINS says so: five
# attempts, each a warning with its cause, then the error.
if [ "$1 $2" = "plugin install" ]; then
  label="[resource plugin $4-$5]"
  echo "$label installing" >&2
  if [ "$FAKE_PLUGINS" = offline ]; then
    url="https://get.pulumi.com/releases/plugins/pulumi-resource-$4-v$5-linux-amd64.tar.gz"
    for i in 1 2 3 4 5; do
      echo "warning: Error downloading plugin: Get \\"$url\\": dial tcp: lookup get.pulumi.com on 10.255.255.53:53: no such host" >&2
      echo "Will retry in 80ms [$i/5]" >&2
    done
    echo "error: $label downloading from : failed to download plugin: $4-$5: failed all 5 attempts" >&2
    exit 1
  fi
  mkdir -p "$PULUMI_HOME/plugins/resource-$4-v$5"
fi
`;

/** The resource plugins of the SDKs in package.json, as node_modules has them. */
const PLUGINS = Object.keys(
  JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).dependencies,
)
  .filter((dep) =>
    [
      "@pulumi/kubernetes",
      "@pulumi/command",
      "@pulumi/docker",
      "@pulumi/tls",
      "@pulumi/random",
    ].includes(dep),
  )
  .map((dep) => ({
    name: dep.slice("@pulumi/".length),
    version: JSON.parse(
      fs.readFileSync(path.join(PROJECT_DIR, "node_modules", dep, "package.json"), "utf8"),
    ).version as string,
  }));

function fakeCli(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "pulumi");
  fs.writeFileSync(file, FAKE, { mode: 0o755 });
  return file;
}

/** The project's files lab.ts reads (and the code it loads), in a scratch folder. */
function scratchCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-project-"));
  for (const entry of fs.readdirSync(PROJECT_DIR)) {
    if (/^Pulumi\..*yaml$|^package\.json$|^tsconfig\.json$/.test(entry)) {
      fs.copyFileSync(path.join(PROJECT_DIR, entry), path.join(dir, entry));
    }
  }
  for (const folder of ["tools", "lib", "stacks", "components"]) {
    fs.cpSync(path.join(PROJECT_DIR, folder), path.join(dir, folder), { recursive: true });
  }
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));
  fs.mkdirSync(path.join(dir, ".pulumi-state"));
  return dir;
}

/**
 * Runs the wrapper with a PATH that has node and the shell but no Pulumi CLI; the program's
 * plugins are installed in its Pulumi home unless `plugins` is false.
 */
async function lab(
  args: string[],
  extra: NodeJS.ProcessEnv = {},
  project = scratchCopy(),
  { plugins = true } = {},
) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "lab-"));
  const log = path.join(home, "calls.log");
  // Where the `pulumi` npm package keeps the CLI it downloads; a stand-in is placed there.
  fakeCli(path.join(home, "versions", launcherVersion, "bin"));
  for (const p of plugins ? PLUGINS : []) {
    fs.mkdirSync(path.join(home, "plugins", `resource-${p.name}-v${p.version}`), {
      recursive: true,
    });
  }
  const env: NodeJS.ProcessEnv = {
    PATH: [path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter),
    HOME: home,
    PULUMI_HOME: home,
    FAKE_LOG: log,
    ...extra,
  };
  const result = await runTool("lab", args, env, project);
  const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "";
  const args_ = calls.split("\n").filter((l) => l.startsWith("ARGS "));
  return { ...result, calls, args: args_, home, project };
}

/** Sets settings in a stack file of a project copy, as an editor would (comments kept). */
function editStackFile(project: string, stack: string, settings: Record<string, string>): void {
  const file = path.join(project, `Pulumi.${stack}.yaml`);
  const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"));
  for (const [key, value] of Object.entries(settings)) doc.setIn(["config", key], value);
  fs.writeFileSync(file, String(doc));
}

/** Puts `checkValue` as the `encryptionsalt` of a stack file in a project copy. */
function withCheckValue(project: string, stack: string, checkValue: string): void {
  const file = path.join(project, `Pulumi.${stack}.yaml`);
  const text = fs.readFileSync(file, "utf8").replace(/^encryptionsalt:.*$/m, "");
  fs.writeFileSync(file, `${text.trimEnd()}\nencryptionsalt: ${checkValue}\n`);
}

/** The files of a folder, recursively. */
function filesOf(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

describe("npm run lab", () => {
  it("creates a new stack's state, then runs the command on it with the default passphrase", async () => {
    const r = await lab(["dev", "preview", "--diff"]);
    expect(r.code).toBe(0);
    expect(r.args).toEqual([
      "ARGS stack init --secrets-provider passphrase dev",
      "ARGS preview --diff",
    ]);
    expect(r.calls).toContain("STACK dev");
    expect(r.calls).toContain("PASSPHRASE k8sinfra-lab");
    expect(r.calls).toContain("TRANSPILE_ONLY true");
    // Node 22+ keeps the compiled SDK and program between runs (0.4 s of a 2.7 s preview of dev);
    // Node 20 ignores the variable.
    expect(r.calls).toContain(
      `COMPILE_CACHE ${path.join(r.project, ".lab", "node-compile-cache")}`,
    );
    // Pulumi.yaml's relative backend URL resolves against this folder.
    expect(r.calls).toContain(`CWD ${r.project}`);
  }, 30_000);

  it("a stack that has state: the command alone, on that stack (no second CLI start to select it)", async () => {
    const project = scratchCopy();
    const state = path.join(project, ".pulumi-state", ".pulumi", "stacks", "lab");
    fs.mkdirSync(state, { recursive: true });
    fs.writeFileSync(path.join(state, "practice.json"), "{}");
    const r = await lab(["practice", "stack", "output"], {}, project);
    expect(r.args).toEqual(["ARGS stack output"]);
    expect(r.calls).toContain("STACK practice");
  }, 30_000);

  it("keeps the state in .pulumi-state/ of the project, a folder every clone has and git ignores", () => {
    const project = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
    expect(project.backend).toEqual({ url: "file://.pulumi-state" });
    const ignore = fs.readFileSync(path.join(PROJECT_DIR, ".pulumi-state", ".gitignore"), "utf8");
    expect(ignore.split("\n")).toEqual(expect.arrayContaining(["*", "!.gitignore"]));
  });

  it("keeps a passphrase and a backend the reader set", async () => {
    // The reader's stack file holds the check value of their passphrase (README: the passphrase).
    const project = scratchCopy();
    withCheckValue(project, "practice", await checkValueFor("mine"));
    const r = await lab(
      ["practice", "up"],
      {
        PULUMI_CONFIG_PASSPHRASE: "mine",
        PULUMI_BACKEND_URL: "file:///tmp/elsewhere",
        NODE_COMPILE_CACHE: "/tmp/my-compile-cache",
      },
      project,
    );
    expect(r.calls).toContain("PASSPHRASE mine");
    expect(r.calls).toContain("COMPILE_CACHE /tmp/my-compile-cache");
    expect(r.calls).toContain("BACKEND file:///tmp/elsewhere");
    expect(r.calls).not.toContain("k8sinfra-lab");
    // Only the CLI knows whether the stack exists in another backend.
    expect(r.args[0]).toBe("ARGS stack select --create --secrets-provider passphrase practice");
  }, 30_000);

  it("a passphrase of the reader's own that the committed check value refuses stops before the stack is created, with the ways out", async () => {
    const project = scratchCopy();
    const before = filesOf(project);
    const r = await lab(["practice", "preview"], { PULUMI_CONFIG_PASSPHRASE: "mine" }, project);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "Pulumi.practice.yaml holds the check value (encryptionsalt) of the lab passphrase k8sinfra-lab, and the passphrase in PULUMI_CONFIG_PASSPHRASE does not open it",
    );
    expect(r.stderr).toContain("unset PULUMI_CONFIG_PASSPHRASE");
    expect(r.stderr).toContain("delete the line encryptionsalt: ... from Pulumi.practice.yaml");
    expect(r.calls).toBe("");
    expect(filesOf(project)).toEqual(before);
    // From a file, and in Korean under a Korean locale.
    const file = path.join(project, "my-passphrase");
    fs.writeFileSync(file, "mine\n");
    const ko = await lab(
      ["practice", "stack", "output"],
      { PULUMI_CONFIG_PASSPHRASE_FILE: file, LANG: "ko_KR.UTF-8" },
      project,
    );
    expect(ko.code).toBe(2);
    expect(ko.stderr).toContain(
      "Pulumi.practice.yaml에는 실습용 암호 k8sinfra-lab의 확인 값(encryptionsalt)이 들어 있는데, PULUMI_CONFIG_PASSPHRASE_FILE의 암호로는 열리지 않습니다.",
    );
    expect(ko.calls).toBe("");
    // Its own check value in the file: the stack is created with it.
    withCheckValue(project, "practice", await checkValueFor("mine"));
    const ok = await lab(
      ["practice", "stack", "output"],
      { PULUMI_CONFIG_PASSPHRASE_FILE: file },
      project,
    );
    expect(ok.code).toBe(0);
    expect(ok.args[0]).toBe("ARGS stack init --secrets-provider passphrase practice");
    // The lab passphrase set by hand is the default's: nothing to check.
    const lab_ = await lab(["practice", "stack", "output"], {
      PULUMI_CONFIG_PASSPHRASE: "k8sinfra-lab",
    });
    expect(lab_.code).toBe(0);
  }, 60_000);

  it("prefers a Pulumi CLI already on PATH", async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "bin-"));
    fakeCli(bin);
    const log = path.join(bin, "path.log");
    const r = await lab(["dev", "stack", "output"], {
      PATH: [bin, path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter),
      FAKE_LOG: log,
    });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(log, "utf8")).toContain("ARGS stack output");
  }, 30_000);

  it("without a command it prints the usage and the stacks", async () => {
    const r = await lab(["dev"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("usage: npm run lab -- <stack> <pulumi command>");
    expect(r.stderr).toMatch(/stacks: .*dev.*practice/);
    expect(r.calls).toBe("");
  }, 30_000);

  it("an unknown stack is named with the known ones, and nothing is created", async () => {
    const project = scratchCopy();
    const before = filesOf(project);
    const r = await lab(["ch9", "preview"], {}, project);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"ch9" is not a stack of this project');
    expect(r.stderr).toMatch(/its stacks: ch2, ch3, .*practice/);
    expect(r.calls).toBe("");
    expect(filesOf(project)).toEqual(before);
  }, 30_000);

  it("a stack name one slip away names the stack meant; several as close are not guessed", () => {
    const stacks = ["ch2", "ch3", "cluster", "dev", "practice"];
    vi.stubEnv("LC_ALL", "C.UTF-8");
    try {
      expect(stackRefusal(["practise", "preview"], stacks)).toContain(
        '"practise" is not a stack of this project; its stacks: ch2, ch3, cluster, dev, practice. Did you mean practice?',
      );
      expect(stackRefusal(["clutser", "up"], stacks)).toContain("Did you mean cluster?");
      expect(stackRefusal(["ch9", "preview"], stacks)).not.toContain("Did you mean");
      expect(stackRefusal(["practice", "preview"], stacks)).toBeUndefined();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("in a Korean locale the refusal is in Korean, the stack names and commands verbatim", async () => {
    const project = scratchCopy();
    const before = filesOf(project);
    const r = await lab(["practise", "preview"], { LANG: "ko_KR.UTF-8" }, project);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"practise"은(는) 이 프로젝트의 스택이 아닙니다. 스택: ch2, ch3,');
    expect(r.stderr).toContain("혹시 practice 스택인가요?");
    expect(r.stderr).toContain("Pulumi.ch3.yaml -> Pulumi.practise.yaml");
    expect(r.calls).toBe("");
    expect(filesOf(project)).toEqual(before);
    const usage = await lab(["dev"], { LANG: "ko_KR.UTF-8" });
    expect(usage.stderr).toContain("사용법: npm run lab -- <stack> <pulumi command> [flags]");
  }, 30_000);

  it("a new stack with a bad setting is refused before it is created; config set can still fix it", async () => {
    const project = scratchCopy();
    editStackFile(project, "practice", { "lab:practice.activeColor": "purple" });
    const before = filesOf(project);
    const r = await lab(["practice", "preview"], {}, project);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'lab:practice.activeColor: must be one of: blue, green (got "purple")',
    );
    expect(r.calls).toBe("");
    expect(filesOf(project)).toEqual(before);
    const fix = await lab(
      ["practice", "config", "set", "lab:practice.activeColor", "blue"],
      {},
      project,
    );
    expect(fix.code).toBe(0);
    expect(fix.args.at(-1)).toBe("ARGS config set lab:practice.activeColor blue");
  }, 30_000);

  it("a key in the namespace LAB of a new stack's file stops before the stack is created, naming the key meant", async () => {
    const project = scratchCopy();
    editStackFile(project, "practice", { "LAB:practice.activeColor": "blue" });
    const before = filesOf(project);
    const r = await lab(["practice", "preview"], {}, project);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("LAB:practice.activeColor: not read:");
    expect(r.stderr).toContain("Did you mean lab:practice.activeColor?");
    expect(r.calls).toBe("");
    expect(filesOf(project)).toEqual(before);
  }, 30_000);

  it("the same --config key twice on up stops and names it, before anything runs (Pulumi would keep the last)", async () => {
    const project = scratchCopy();
    const state = path.join(project, ".pulumi-state", ".pulumi", "stacks", "lab");
    fs.mkdirSync(state, { recursive: true });
    fs.writeFileSync(path.join(state, "practice.json"), "{}");
    const r = await lab(
      [
        "practice",
        "up",
        "--config",
        "lab:practice.activeColor=blue",
        "-c",
        "practice.activeColor=green",
      ],
      {},
      project,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "lab:practice.activeColor is given twice (--config lab:practice.activeColor=blue and --config practice.activeColor=green); only one value can count, and the other would be dropped without a word: give it once\n",
    );
    expect(r.calls).toBe("");
    // A --config value the program would refuse is refused before the CLI saves it.
    const upper = await lab(
      ["practice", "up", "--config=LAB:practice.activeColor=blue"],
      {},
      project,
    );
    expect(upper.code).toBe(2);
    expect(upper.stderr).toContain("LAB:practice.activeColor: not read:");
    expect(upper.calls).toBe("");
    const purple = await lab(
      ["practice", "preview", "-clab:practice.activeColor=purple"],
      {},
      project,
    );
    expect(purple.stderr).toContain(
      'lab:practice.activeColor: must be one of: blue, green (got "purple")',
    );
    expect(purple.calls).toBe("");
    // One good value: on to the CLI, as given.
    const blue = await lab(["practice", "up", "-c", "lab:practice.activeColor=blue"], {}, project);
    expect(blue.code).toBe(0);
    expect(blue.args).toEqual(["ARGS up -c lab:practice.activeColor=blue"]);
  }, 60_000);

  it("--config in every form pflag reads, keys without a namespace in the project's", () => {
    expect(
      configFlags([
        "--yes",
        "--config",
        "a=1",
        "--config=lab:b=2=3",
        "-c",
        "c",
        "-cd=4",
        "-c=kubernetes:context=kind",
        "--",
        "--config",
        "e=5",
      ]),
    ).toEqual([
      { key: "lab:a", value: "1", written: "a=1" },
      { key: "lab:b", value: "2=3", written: "lab:b=2=3" },
      { key: "lab:c", value: "", written: "c" },
      { key: "lab:d", value: "4", written: "d=4" },
      { key: "kubernetes:context", value: "kind", written: "kubernetes:context=kind" },
    ]);
    expect(configFlagRefusal(["--config", "lab:x=1", "--config", "lab:y=1"])).toBeUndefined();
    vi.stubEnv("LC_ALL", "ko_KR.UTF-8");
    try {
      expect(configFlagRefusal(["-c", "x=1", "-c", "lab:x=2"])).toBe(
        "lab:x 설정이 두 번 주어졌습니다(--config x=1, --config lab:x=2). 값은 하나만 쓰이고 다른 하나는 말없이 버려집니다: 한 번만 주세요",
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("kubeconfig mode with no kubeconfig on the machine stops before the stack is created, saying what to set", async () => {
    const project = scratchCopy();
    editStackFile(project, "practice", { "lab:cluster.mode": "kubeconfig" });
    const before = filesOf(project);
    // HOME is a new, empty folder; $KUBECONFIG is not set.
    const r = await lab(["practice", "preview"], {}, project);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "lab:cluster.kubeconfig: not set, and there is no kubeconfig where the Kubernetes provider looks: $KUBECONFIG is not set and",
    );
    expect(r.stderr).toContain("npm run lab -- practice config set lab:cluster.kubeconfig <path>");
    expect(r.calls).toBe("");
    expect(filesOf(project)).toEqual(before);
  }, 30_000);

  it("a command Pulumi does not have (previeww) is refused with the command meant, and the stack is not created", async () => {
    const project = scratchCopy();
    const before = filesOf(project);
    const r = await lab(["practice", "previeww"], {}, project);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      '"previeww" is not a Pulumi command, so nothing was done to stack "practice". Did you mean npm run lab -- practice preview? The commands of the labs: preview, up, destroy, refresh, config, stack output; every command: npm run lab -- practice --help\n',
    );
    expect(r.calls).toBe("");
    expect(filesOf(project)).toEqual(before);
    const ko = await lab(["practice", "destory", "--yes"], { LANG: "ko_KR.UTF-8" }, project);
    expect(ko.code).toBe(2);
    expect(ko.stderr).toContain(
      '"destory"은(는) Pulumi 명령이 아니어서 스택 "practice"에는 아무것도 하지 않았습니다. 혹시 npm run lab -- practice destroy 명령인가요?',
    );
    expect(ko.calls).toBe("");
    expect(filesOf(project)).toEqual(before);
    // Commands that work on no stack leave it uncreated too; the CLI gets them as given.
    const version = await lab(["practice", "version"], {}, project);
    expect(version.args).toEqual(["ARGS version"]);
    const help = await lab(["practice", "--help"], {}, project);
    expect(help.args).toEqual(["ARGS --help"]);
    expect(filesOf(project)).toEqual(before);
  }, 60_000);

  it("the command is found past the CLI's own flags; aliases are commands; a guess only when one is nearest", () => {
    expect(
      pulumiCommand(["--color", "never", "-v", "3", "--non-interactive", "preview", "--diff"]),
    ).toBe("preview");
    expect(pulumiCommand(["--cwd=.", "up"])).toBe("up");
    expect(pulumiCommand(["--help"])).toBeUndefined();
    vi.stubEnv("LC_ALL", "C.UTF-8");
    try {
      for (const alias of ["pre", "update", "dn", "down", "esc", "completion", "help"]) {
        expect(commandRefusal("practice", alias), alias).toBeUndefined();
      }
      expect(commandRefusal("practice", undefined)).toBeUndefined();
      expect(commandRefusal("practice", "upp")).toContain(
        "Did you mean npm run lab -- practice up?",
      );
      expect(commandRefusal("practice", "Preview")).toContain(
        "Did you mean npm run lab -- practice preview?",
      );
      expect(commandRefusal("practice", "xyzzy")).not.toContain("Did you mean");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("plugins the program needs and the CLI would not find are installed with the CLI before the stack is created", async () => {
    expect(PLUGINS.map((p) => p.name).sort()).toEqual([
      "command",
      "docker",
      "kubernetes",
      "random",
      "tls",
    ]);
    const project = scratchCopy();
    const r = await lab(["practice", "preview"], { LC_ALL: "C.UTF-8" }, project, {
      plugins: false,
    });
    expect(r.code).toBe(0);
    expect(r.args).toEqual([
      ...PLUGINS.map((p) => `ARGS plugin install resource ${p.name} ${p.version} --exact`),
      "ARGS stack init --secrets-provider passphrase practice",
      "ARGS preview",
    ]);
    expect(r.stderr).toContain(
      `Installing the Pulumi plugin kubernetes v${PLUGINS.find((p) => p.name === "kubernetes")?.version}, which the program needs, into ${path.join(r.home, "plugins")}`,
    );
    // Commands that do not run the program need none.
    const output = await lab(["practice", "stack", "output"], {}, project, { plugins: false });
    expect(output.args.filter((a) => a.includes("plugin"))).toEqual([]);
    expect(output.args.at(-1)).toBe("ARGS stack output");
  }, 30_000);

  it("a plugin that cannot be downloaded ends with what to do, not the CLI's retries, and nothing is created", async () => {
    const project = scratchCopy();
    const before = filesOf(project);
    const first = PLUGINS[0];
    const r = await lab(
      ["practice", "preview"],
      { FAKE_PLUGINS: "offline", LC_ALL: "C.UTF-8" },
      project,
      { plugins: false },
    );
    expect(r.code).toBe(1);
    // One attempt; the stack is neither created nor previewed.
    expect(r.args).toEqual([`ARGS plugin install resource ${first.name} ${first.version} --exact`]);
    expect(filesOf(project)).toEqual(before);
    const dir = path.join(r.home, "plugins");
    expect(r.stderr).toContain(
      `The Pulumi plugin ${first.name} v${first.version}, which the program needs, could not be downloaded (Get "https://get.pulumi.com/releases/plugins/pulumi-resource-${first.name}-v${first.version}-linux-amd64.tar.gz": dial tcp: lookup get.pulumi.com on 10.255.255.53:53: no such host).`,
    );
    expect(r.stderr).toContain(
      `npm run lab installs the plugins once, into ${dir}, then works offline.`,
    );
    expect(r.stderr).toContain("HTTPS_PROXY=http://proxy:3128");
    for (const p of PLUGINS) {
      expect(r.stderr).toContain(
        `      pulumi plugin install resource ${p.name} ${p.version} --exact`,
      );
    }
    expect(r.stderr).not.toContain("Will retry");
    expect(r.stderr).not.toContain("failed all 5 attempts");
    const ko = await lab(
      ["practice", "up"],
      { FAKE_PLUGINS: "offline", LANG: "ko_KR.UTF-8" },
      project,
      { plugins: false },
    );
    expect(ko.code).toBe(1);
    expect(ko.stderr).toContain(
      `프로그램에 필요한 Pulumi 플러그인 ${first.name} v${first.version}을(를) 내려받지 못했습니다 (Get "https://get.pulumi.com/`,
    );
    expect(ko.stderr).toContain("HTTPS_PROXY를 설정하고");
    expect(ko.stderr).toContain(
      `pulumi plugin install resource ${first.name} ${first.version} --exact`,
    );
  }, 30_000);

  it("what the CLI would find counts as installed: the plugin folder without .partial, or a plugin on PATH", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "plugins-"));
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "bin-"));
    const env = { PULUMI_HOME: home, PATH: bin };
    const random = { name: "random", version: "4.21.2" };
    expect(pluginsDir(env)).toBe(path.join(home, "plugins"));
    expect(pluginPresent(random, env)).toBe(false);
    const dir = path.join(home, "plugins", "resource-random-v4.21.2");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}.partial`, "");
    expect(pluginPresent(random, env), "an install cut short").toBe(false);
    fs.rmSync(`${dir}.partial`);
    expect(pluginPresent(random, env)).toBe(true);
    expect(pluginPresent({ name: "random", version: "4.21.3" }, env), "another version").toBe(
      false,
    );
    fs.writeFileSync(path.join(bin, "pulumi-resource-tls"), "", { mode: 0o755 });
    expect(pluginPresent({ name: "tls", version: "5.6.1" }, env)).toBe(true);
    expect(
      pluginPresent(
        { name: "tls", version: "5.6.1" },
        { ...env, PULUMI_IGNORE_AMBIENT_PLUGINS: "true" },
      ),
    ).toBe(false);
    expect(neededPlugins()).toEqual(expect.arrayContaining(PLUGINS));
    expect(neededPlugins()).toHaveLength(PLUGINS.length);
    expect(installFailure("error: [resource plugin x-1.0.0] could not unpack\n", 1)).toBe(
      "[resource plugin x-1.0.0] could not unpack",
    );
    expect(installFailure("", 7)).toBe("exit status 7");
  });

  it("with automatic plugin installs turned off (PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION), none is tried", async () => {
    const r = await lab(
      ["practice", "preview"],
      { PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" },
      scratchCopy(),
      { plugins: false },
    );
    expect(r.args).toEqual([
      "ARGS stack init --secrets-provider passphrase practice",
      "ARGS preview",
    ]);
  }, 30_000);

  it("a CLI that cannot be downloaded ends with what to do", async () => {
    // No CLI on PATH and none fetched yet; node's fetch fails as it does offline.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "lab-offline-"));
    const preload = path.join(home, "offline.js");
    fs.writeFileSync(
      preload,
      'globalThis.fetch = async () => { throw new TypeError("fetch failed"); };\n',
    );
    const r = await runTool(
      "lab",
      ["dev", "preview"],
      {
        PATH: [path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter),
        HOME: home,
        PULUMI_HOME: home,
        NODE_OPTIONS: `--require ${preload}`,
      },
      scratchCopy(),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `The Pulumi CLI v${launcherVersion} could not be downloaded (fetch failed).`,
    );
    expect(r.stderr).toContain("HTTPS_PROXY");
    expect(r.stderr).toContain("https://www.pulumi.com/docs/install/");
    expect(downloadAdvice("1.0.0", "x")).toContain("connect to the internet once");
  }, 30_000);
});
