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
import { type Case, type Context, check } from "../runner";
import { errorsOf, lab, previewJson } from "../workspace";

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
async function previewWith(ctx: Context, stack: string, settings: Record<string, string>) {
  const stackFile = path.join(ctx.ws.dir, `Pulumi.${stack}.yaml`);
  const original = fs.readFileSync(stackFile, "utf8");
  const all = { "lab:charts.dir": ctx.charts, ...settings };
  for (const [k, v] of Object.entries(all)) lab(ctx.ws, stack, ["config", "set", k, v]);
  try {
    return previewJson(ctx.ws, stack);
  } finally {
    fs.writeFileSync(stackFile, original);
  }
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
  {
    name: "preview ch3 (stack, default) before the lab cluster exists: says to build it first",
    plugins: PLUGINS,
    async run(ctx) {
      const p = await previewWith(ctx, "ch3", {});
      const text = `${errorsOf(p).join("\n")}\n${p.output}`;
      check(p.status !== 0, "the preview passed without a lab cluster to build on");
      check(
        text.includes("npm run lab -- cluster up"),
        `the preview does not say to build the lab cluster first:\n${text.slice(-1500)}`,
      );
      return "refused: build the lab cluster first with npm run lab -- cluster up";
    },
  },
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
