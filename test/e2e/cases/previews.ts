/**
 * `pulumi preview` of every stack in its default mode on a fresh state, then in every other mode the
 * stack supports: what a reader runs before the first `up`. Vagrant-mode stacks preview with the
 * stand-in `vagrant` and `VBoxManage` on PATH, as on a reader's machine with both installed.
 *
 * The chapters' default is `stack` mode, on the lab cluster of the stack `cluster`: before that
 * cluster exists their preview must say to build it first; once it is up, they preview against it,
 * and a chapter that would build VMs of its own on the same addresses is refused.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Blocked, type Case, type Context, check } from "../runner";
import { errorsOf, lab, previewJson, stateFile } from "../workspace";
import { stateResources } from "./cycles";

type Mode = "render" | "vagrant" | "kubeconfig" | "stack";

/** A stack and the modes it supports, its default first. */
const MATRIX: readonly { stack: string; modes: readonly Mode[] }[] = [
  { stack: "dev", modes: ["render"] },
  { stack: "cluster", modes: ["vagrant"] },
  { stack: "practice", modes: ["stack", "kubeconfig", "render", "vagrant"] },
  { stack: "ch2", modes: ["vagrant"] },
  { stack: "ch3", modes: ["stack", "vagrant", "kubeconfig", "render"] },
  { stack: "ch4", modes: ["stack", "vagrant"] },
  { stack: "ch5", modes: ["stack", "vagrant"] },
  { stack: "ch6", modes: ["stack", "vagrant"] },
  { stack: "kia", modes: ["stack", "vagrant"] },
];

/** Plugins every stack's program loads (its SDKs' default providers are not all used, but its own are). */
const PLUGINS = ["kubernetes", "tls", "random", "command", "docker"];

/**
 * Runs `preview --json` of a stack with some settings, and puts its stack file back afterwards: the
 * other cases start from it.
 */
async function previewWith(
  ctx: Context,
  stack: string,
  settings: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
) {
  const stackFile = path.join(ctx.ws.dir, `Pulumi.${stack}.yaml`);
  const original = fs.readFileSync(stackFile, "utf8");
  const all = { "lab:charts.dir": ctx.charts, ...settings };
  for (const [k, v] of Object.entries(all)) lab(ctx.ws, stack, ["config", "set", k, v]);
  try {
    return previewJson(ctx.ws, stack, [], { env });
  } finally {
    fs.writeFileSync(stackFile, original);
  }
}

/**
 * As on a fresh clone: no state of stack `cluster` at all. The previews before may have made its
 * (empty) state; it goes, its stack file stays, and the cluster case makes it again.
 */
function withoutClusterState(ctx: Context): void {
  if (!fs.existsSync(stateFile(ctx.ws, "cluster"))) return;
  const held = stateResources(ctx.ws, "cluster").filter((r) => r.type !== "pulumi:pulumi:Stack");
  if (held.length > 0) throw new Blocked("stack cluster already holds a lab cluster");
  lab(ctx.ws, "cluster", ["stack", "rm", "--yes", "--force", "--preserve-config"]);
  check(!fs.existsSync(stateFile(ctx.ws, "cluster")), "the state of stack cluster is still there");
}

/**
 * A chapter's preview before the lab cluster exists: it stops with the hint to build it, in the
 * reader's language, and never with the engine's own read of the missing stack. The program
 * checks before anything that needs a plugin, so the case needs none.
 */
function beforeClusterCase(
  stack: string,
  locale: "en" | "ko",
  expected: readonly string[],
  settings: Record<string, string> = {},
): Case {
  const where = Object.entries(settings)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return {
    name: `preview ${stack} (stack${where ? `, ${where}` : ", default"}) before the lab cluster exists${locale === "ko" ? ", Korean locale" : ""}: says what to do, never "unknown stack"`,
    plugins: [],
    async run(ctx) {
      withoutClusterState(ctx);
      const env = locale === "ko" ? { LC_ALL: "ko_KR.UTF-8" } : {};
      const p = await previewWith(ctx, stack, settings, env);
      const text = `${errorsOf(p).join("\n")}\n${p.output}`;
      check(p.status !== 0, "the preview passed without a lab cluster to build on");
      for (const line of expected) {
        check(text.includes(line), `the preview does not say "${line}":\n${text.slice(-1500)}`);
      }
      check(
        !text.includes("unknown stack"),
        `the engine's own read of the missing stack reached the reader:\n${text.slice(-1500)}`,
      );
      return `refused: ${expected.join(" / ")}`;
    },
  };
}

function previewCase(stack: string, mode: Mode, isDefault: boolean): Case {
  return {
    name: `preview ${stack} (${mode}${isDefault ? ", default" : ""})`,
    plugins: PLUGINS,
    async run(ctx) {
      const settings: Record<string, string> = {};
      if (!isDefault) settings["lab:cluster.mode"] = mode;
      if (mode === "kubeconfig") {
        settings["lab:cluster.kubeconfig"] = (await ctx.controlPlane()).kubeconfig;
      }
      const p = await previewWith(ctx, stack, settings);
      const errors = errorsOf(p);
      check(p.status === 0 && errors.length === 0, `preview failed:\n${errors.join("\n")}`);
      const steps = p.json?.steps ?? [];
      check(steps.length > 1, `preview planned ${steps.length} resources`);
      const creates = steps.filter((s) => s.op === "create").length;
      return `${steps.length} resources, ${creates} to create`;
    },
  };
}

const cases = MATRIX.flatMap(({ stack, modes }) =>
  modes.map((mode, i) => ({ mode, c: previewCase(stack, mode, i === 0) })),
);

/** Previews a reader runs before any cluster exists: every mode but `stack`. */
export const previewCases: Case[] = [
  ...cases.filter((x) => x.mode !== "stack").map((x) => x.c),
  beforeClusterCase("ch3", "en", [
    'The lab cluster of stack "cluster" does not exist yet',
    "npm run lab -- cluster up",
  ]),
  beforeClusterCase("practice", "ko", [
    '스택 "practice"은(는) 스택 "cluster"의 실습용 클러스터 위에서 실습하는데, 그 클러스터가 아직 없습니다',
    "npm run lab -- cluster up",
  ]),
  beforeClusterCase(
    "ch3",
    "en",
    [
      'lab:cluster.stack: "clustr" is not a stack of this project',
      "Did you mean cluster?",
      "npm run lab -- ch3 config set",
    ],
    { "lab:cluster.stack": "clustr" },
  ),
  beforeClusterCase(
    "ch3",
    "ko",
    ['lab:cluster.stack: "nosuch"은(는) 이 프로젝트의 스택이 아닙니다'],
    { "lab:cluster.stack": "nosuch" },
  ),
];

/** Previews once the stack `cluster` is up: each chapter's default, and the address guard. */
export const previewOnClusterCases: Case[] = [
  ...cases.filter((x) => x.mode === "stack").map((x) => x.c),
  {
    name: "preview ch3 (vagrant) while stack cluster's VMs hold the addresses: refused, with how to build on it",
    plugins: PLUGINS,
    async run(ctx) {
      const p = await previewWith(ctx, "ch3", { "lab:cluster.mode": "vagrant" });
      const text = `${errorsOf(p).join("\n")}\n${p.output}`;
      check(p.status !== 0, "ch3 would build a second cluster on the lab cluster's addresses");
      for (const expected of [
        'stack "cluster" already has VMs on these addresses',
        "m-k8s",
        "lab:cluster.mode stack",
        "npm run lab -- cluster destroy",
        "lab:network.prefix",
      ]) {
        check(text.includes(expected), `the refusal does not say "${expected}":\n${text}`);
      }
      check(
        !fs.existsSync(path.join(ctx.ws.dir, ".lab", "ch3")),
        "the refused preview left .lab/ch3 behind",
      );
      return "refused, naming stack cluster, its VMs and the three ways out";
    },
  },
];
