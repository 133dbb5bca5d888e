/**
 * A reader's first commands, with the real Pulumi CLI (v3.259.0, the launcher's pin) and no plugin:
 * the first `npm run lab` of each stack leaves the files git tracks as they were pulled; a mistyped
 * command, a doubled `--config` or a passphrase the stack files refuse changes nothing; a bad value
 * reaches the reader as the message alone; a plugin that cannot be downloaded ends with what to do.
 *
 * The project copy has no `.git` (workspace.ts copies the files git lists): a repository of its own
 * beside it, in the run folder, records the copy as committed and answers `git status`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { knownStacks, neededPlugins } from "../../../tools/lab";
import { run } from "../processes";
import { type Case, check } from "../runner";
import { lab, stateFile, type Workspace, withStackFile } from "../workspace";

/** `git` on the project copy, with the repository kept outside it. */
function git(ws: Workspace, args: readonly string[]): string {
  const gitDir = path.join(ws.runDir, "first-run.git");
  return run("git", [
    `--git-dir=${gitDir}`,
    `--work-tree=${ws.dir}`,
    "-c",
    "user.name=e2e",
    "-c",
    "user.email=e2e@localhost",
    ...args,
  ]).stdout;
}

/** Records the copy as committed, once: its own .gitignore keeps state and work folders out. */
function committed(ws: Workspace): void {
  if (fs.existsSync(path.join(ws.runDir, "first-run.git"))) return;
  run("git", ["init", "-q", "--bare", path.join(ws.runDir, "first-run.git")]);
  git(ws, ["add", "-A"]);
  git(ws, ["commit", "-q", "-m", "as pulled"]);
}

/** What `git status` shows changed in the copy since it was recorded. */
function changed(ws: Workspace): string {
  return git(ws, ["status", "--porcelain"]).trim();
}

/** Drops the stack's state, so that the cases after these start from a fresh one as before. */
function forget(ws: Workspace, stack: string): void {
  const file = stateFile(ws, stack);
  for (const f of [file, `${file}.attrs`, `${file}.bak`, `${file}.bak.attrs`]) {
    fs.rmSync(f, { force: true });
  }
}

/** The output of a command, both streams. */
const text = (r: { stdout: string; stderr: string }) => `${r.stdout}${r.stderr}`;

export const firstRunCases: Case[] = [
  {
    name: "first run: npm run lab on every stack creates it and leaves the tracked files as pulled (git status clean)",
    async run(ctx) {
      const { ws } = ctx;
      committed(ws);
      const stacks = knownStacks(ws.dir);
      for (const stack of stacks) {
        const r = lab(ws, stack, ["config"], { allowFail: true });
        check(r.status === 0, `npm run lab -- ${stack} config failed:\n${text(r)}`);
        check(fs.existsSync(stateFile(ws, stack)), `stack ${stack} was not created`);
        const status = changed(ws);
        check(status === "", `the first run of ${stack} changed tracked files:\n${status}`);
      }
      // A second run reads the same files.
      lab(ws, "practice", ["config", "get", "lab:cluster.mode"]);
      check(changed(ws) === "", `a second run changed tracked files:\n${changed(ws)}`);
      for (const stack of stacks) forget(ws, stack);
      return `${stacks.length} stacks created by the real CLI, git status clean`;
    },
  },
  {
    name: "first run: previeww, a doubled --config and another passphrase create and change nothing",
    async run(ctx) {
      const { ws } = ctx;
      committed(ws);
      const typo = lab(ws, "practice", ["previeww"], { allowFail: true });
      check(typo.status === 2, `previeww ended with ${typo.status}:\n${text(typo)}`);
      check(
        typo.stderr.includes("Did you mean npm run lab -- practice preview?"),
        `previeww does not name preview:\n${text(typo)}`,
      );
      const twice = lab(
        ws,
        "practice",
        [
          "up",
          "--yes",
          "-c",
          "lab:practice.activeColor=blue",
          "-c",
          "lab:practice.activeColor=green",
        ],
        { allowFail: true },
      );
      check(twice.status === 2, `a doubled --config ended with ${twice.status}:\n${text(twice)}`);
      check(
        twice.stderr.includes("lab:practice.activeColor is given twice"),
        `a doubled --config is not named:\n${text(twice)}`,
      );
      const mine = lab(ws, "practice", ["config"], {
        allowFail: true,
        env: { PULUMI_CONFIG_PASSPHRASE: "mine" },
      });
      check(mine.status === 2, `another passphrase ended with ${mine.status}:\n${text(mine)}`);
      check(
        mine.stderr.includes("delete the line encryptionsalt: ... from Pulumi.practice.yaml"),
        `another passphrase is not answered with the ways out:\n${text(mine)}`,
      );
      check(!fs.existsSync(stateFile(ws, "practice")), "stack practice was created");
      check(changed(ws) === "", `tracked files changed:\n${changed(ws)}`);
      // The documented way to a passphrase of one's own: without the check value, Pulumi writes
      // one for it, and the stack works with it.
      await withStackFile(ws, "practice", () => {
        const file = path.join(ws.dir, "Pulumi.practice.yaml");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/^encryptionsalt:.*\n/m, ""));
        const own = { PULUMI_CONFIG_PASSPHRASE: "mine" };
        lab(ws, "practice", ["config", "set", "--secret", "lab:practice.apiKey", "k-1"], {
          env: own,
        });
        const back = lab(ws, "practice", ["config", "get", "lab:practice.apiKey"], { env: own });
        check(back.stdout.trim() === "k-1", `the secret read back as ${back.stdout}`);
        check(
          /^encryptionsalt: v1:/m.test(fs.readFileSync(file, "utf8")),
          "no check value for the reader's passphrase",
        );
      });
      forget(ws, "practice");
      check(changed(ws) === "", `tracked files changed:\n${changed(ws)}`);
      return "refused with what to do; nothing created; a passphrase of one's own works once the line is gone";
    },
  },
  {
    name: "first run: bad settings under the real CLI are the message alone, without PromiseRejectionHandledWarning",
    async run(ctx) {
      const { ws } = ctx;
      const shown: string[] = [];
      await withStackFile(ws, "practice", () => {
        // Each written into the stack file, then previewed: the program itself stops.
        const cases: [Record<string, string>, string][] = [
          [
            { "lab:practice.activeColor": "purple" },
            'lab:practice.activeColor: must be one of: blue, green (got "purple")',
          ],
          [
            { "LAB:practice.activeColor": "blue" },
            "LAB:practice.activeColor: not read: Pulumi hands keys to the program as written",
          ],
          [
            { "lab:cluster.mode": "kubeconfig" },
            `lab:cluster.kubeconfig: not set, and $KUBECONFIG (${ws.env.KUBECONFIG}) is no file`,
          ],
        ];
        lab(ws, "practice", ["config"]);
        const file = path.join(ws.dir, "Pulumi.practice.yaml");
        const original = fs.readFileSync(file, "utf8");
        for (const [settings, expected] of cases) {
          fs.writeFileSync(file, original);
          for (const [k, v] of Object.entries(settings)) {
            lab(ws, "practice", ["config", "set", k, v]);
          }
          const started = Date.now();
          const r = lab(ws, "practice", ["preview"], { allowFail: true });
          const seconds = (Date.now() - started) / 1000;
          check(r.status !== 0, `preview passed with ${JSON.stringify(settings)}`);
          check(text(r).includes(expected), `preview does not say "${expected}":\n${text(r)}`);
          check(
            !text(r).includes("PromiseRejectionHandledWarning"),
            `Node's warning under the message:\n${text(r)}`,
          );
          // Pulumi's colour formatting of an error with SDK frames hangs Node 20.19.6+
          // (nodejs/node#64011): such a run took 40 s.
          check(seconds < 30, `preview took ${seconds.toFixed(1)} s`);
          shown.push(`${Object.keys(settings)[0]} ${seconds.toFixed(1)} s`);
        }
      });
      forget(ws, "practice");
      return `refused: ${shown.join(", ")}`;
    },
  },
  {
    name: "first run: a plugin that cannot be downloaded (a proxy that refuses) ends with what to do, not the retries",
    async run(ctx) {
      const { ws } = ctx;
      committed(ws);
      // A Pulumi home of its own without plugins, downloads allowed, through a proxy on a closed
      // port: the real CLI's download fails here as offline, with or without internet.
      const home = path.join(ws.runDir, "pulumi-home-empty");
      fs.mkdirSync(home, { recursive: true });
      const env: NodeJS.ProcessEnv = {
        PULUMI_HOME: home,
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "",
        HTTPS_PROXY: "http://127.0.0.1:9",
        https_proxy: "http://127.0.0.1:9",
        NO_PROXY: "",
        no_proxy: "",
      };
      const first = neededPlugins(ws.dir)[0];
      const r = lab(ws, "dev", ["preview"], { allowFail: true, env });
      check(r.status === 1, `preview ended with ${r.status}:\n${text(r)}`);
      for (const expected of [
        `The Pulumi plugin ${first.name} v${first.version}, which the program needs, could not be downloaded (`,
        "HTTPS_PROXY",
        `pulumi plugin install resource ${first.name} ${first.version} --exact`,
        path.join(home, "plugins"),
      ]) {
        check(text(r).includes(expected), `the message does not say "${expected}":\n${text(r)}`);
      }
      check(!text(r).includes("Will retry"), `the CLI's retries reached the reader:\n${text(r)}`);
      const ko = lab(ws, "dev", ["preview"], {
        allowFail: true,
        env: { ...env, LC_ALL: "ko_KR.UTF-8" },
      });
      check(
        ko.stderr.includes(
          `Pulumi 플러그인 ${first.name} v${first.version}을(를) 내려받지 못했습니다`,
        ),
        `no Korean message:\n${text(ko)}`,
      );
      check(!fs.existsSync(stateFile(ws, "dev")), "stack dev was created");
      check(changed(ws) === "", `tracked files changed:\n${changed(ws)}`);
      const why = /could not be downloaded \((.*)\)\.$/m.exec(r.stderr)?.[1] ?? "";
      return `refused before the stack was created: ${why.slice(0, 120)}`;
    },
  },
];
