/**
 * `pulumi preview` of every stack in its default mode on a fresh state, then in every other mode the
 * stack supports: what a reader runs before the first `up`. Vagrant-mode stacks preview with the
 * stand-in `vagrant` and `VBoxManage` on PATH, as on a reader's machine with both installed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type Case, check } from "../runner";
import { errorsOf, lab, previewJson } from "../workspace";

/** A stack and the modes it supports, its default first. */
const MATRIX: readonly { stack: string; modes: readonly string[] }[] = [
  { stack: "dev", modes: ["render"] },
  { stack: "practice", modes: ["kubeconfig", "render", "vagrant"] },
  { stack: "ch2", modes: ["vagrant"] },
  { stack: "ch3", modes: ["vagrant", "kubeconfig", "render"] },
  { stack: "ch4", modes: ["vagrant"] },
  { stack: "ch5", modes: ["vagrant"] },
  { stack: "ch6", modes: ["vagrant"] },
  { stack: "kia", modes: ["vagrant"] },
];

/** Plugins every stack's program loads (its SDKs' default providers are not all used, but its own are). */
const PLUGINS = ["kubernetes", "tls", "random", "command", "docker"];

export const previewCases: Case[] = MATRIX.flatMap(({ stack, modes }) =>
  modes.map(
    (mode, i): Case => ({
      name: `preview ${stack} (${mode}${i === 0 ? ", default" : ""})`,
      plugins: PLUGINS,
      async run(ctx) {
        // The stack file goes back as it was afterwards: the other cases start from it.
        const stackFile = path.join(ctx.ws.dir, `Pulumi.${stack}.yaml`);
        const original = fs.readFileSync(stackFile, "utf8");
        const settings: Record<string, string> = { "lab:charts.dir": ctx.charts };
        if (i > 0) settings["lab:cluster.mode"] = mode;
        if (mode === "kubeconfig") {
          settings["lab:cluster.kubeconfig"] = (await ctx.controlPlane()).kubeconfig;
        }
        for (const [k, v] of Object.entries(settings)) lab(ctx.ws, stack, ["config", "set", k, v]);
        try {
          const p = previewJson(ctx.ws, stack);
          const errors = errorsOf(p);
          check(p.status === 0 && errors.length === 0, `preview failed:\n${errors.join("\n")}`);
          const steps = p.json?.steps ?? [];
          check(steps.length > 1, `preview planned ${steps.length} resources`);
          const creates = steps.filter((s) => s.op === "create").length;
          return `${steps.length} resources, ${creates} to create`;
        } finally {
          fs.writeFileSync(stackFile, original);
        }
      },
    }),
  ),
);
