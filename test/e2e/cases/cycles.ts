/**
 * `pulumi up`, `pulumi preview --expect-no-changes` and `pulumi destroy` of the stacks that need no
 * VM: `dev` (render mode) and `ch2` with the stand-in `vagrant`. After each `up` the state and the
 * console hold no secret in plain text; after `destroy` the stack is empty and its files are gone.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { type Case, check, same } from "../runner";
import { lab, stateFile, type Workspace } from "../workspace";

/** The resources a stack's state holds, as `pulumi stack export` gives them. */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly outputs?: Record<string, unknown>;
}

export function stateResources(ws: Workspace, stack: string): StateResource[] {
  const out = lab(ws, stack, ["stack", "export"]).stdout;
  const deployment = JSON.parse(out.slice(out.indexOf("{"))).deployment;
  return deployment.resources ?? [];
}

/** `up --yes`, then a no-change preview that must pass. Returns the console output of `up`. */
export function upAndSettle(ws: Workspace, stack: string): string {
  const up = lab(ws, stack, ["up", "--yes", "--skip-preview"], { allowFail: true });
  check(up.status === 0, `up failed:\n${tail(`${up.stdout}${up.stderr}`)}`);
  const again = lab(ws, stack, ["preview", "--expect-no-changes"], { allowFail: true });
  check(again.status === 0, `a second preview finds changes after up:\n${tail(again.stdout)}`);
  return `${up.stdout}${up.stderr}`;
}

/** `destroy --yes`; then the stack must hold nothing but itself. */
export function destroyToEmpty(ws: Workspace, stack: string): void {
  const d = lab(ws, stack, ["destroy", "--yes", "--skip-preview"], { allowFail: true });
  check(d.status === 0, `destroy failed:\n${tail(`${d.stdout}${d.stderr}`)}`);
  const left = stateResources(ws, stack).filter((r) => r.type !== "pulumi:pulumi:Stack");
  same(
    left.map((r) => r.urn),
    [],
    "resources left in the state after destroy",
  );
}

export function tail(text: string, n = 25): string {
  return text.trim().split("\n").slice(-n).join("\n");
}

/**
 * Every secret output's value, and where it shows in plain text: the state file and the console
 * output of `up` must not hold any of them.
 */
export function plainSecrets(ws: Workspace, stack: string, consoleOutput: string): string[] {
  const shown = JSON.parse(lab(ws, stack, ["stack", "output", "--json", "--show-secrets"]).stdout);
  const masked = JSON.parse(lab(ws, stack, ["stack", "output", "--json"]).stdout);
  const values: string[] = [];
  const collect = (a: unknown, m: unknown) => {
    if (m === "[secret]" && a !== undefined) {
      const text = typeof a === "string" ? a : JSON.stringify(a);
      for (const line of text.split("\n")) if (line.trim().length >= 8) values.push(line.trim());
    } else if (a && m && typeof a === "object" && typeof m === "object") {
      for (const k of Object.keys(a)) {
        collect((a as Record<string, unknown>)[k], (m as Record<string, unknown>)[k]);
      }
    }
  };
  collect(shown, masked);
  const state = fs.readFileSync(stateFile(ws, stack), "utf8");
  return values.flatMap((v) => [
    ...(state.includes(v) ? [`state holds ${v.slice(0, 6)}...`] : []),
    ...(consoleOutput.includes(v) ? [`console shows ${v.slice(0, 6)}...`] : []),
  ]);
}

/** Kubernetes objects in the rendered files: `Kind/namespace/name`. */
function renderedObjects(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(e.name)) {
        for (const doc of YAML.parseAllDocuments(fs.readFileSync(full, "utf8"))) {
          if (doc.errors.length > 0)
            throw new Error(`${full} does not parse: ${doc.errors[0].message}`);
          const o = doc.toJS();
          if (o?.kind) found.push(`${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name}`);
        }
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return found.sort();
}

export const cycleCases: Case[] = [
  {
    name: "up dev (render): rendered/dev parses and holds the stack's objects; no changes; destroy",
    plugins: ["kubernetes", "random"],
    async run(ctx) {
      const { ws } = ctx;
      lab(ws, "dev", ["config", "set", "lab:charts.dir", ctx.charts]);
      upAndSettle(ws, "dev");
      const dir = path.join(ws.dir, "rendered", "dev");
      const files = renderedObjects(dir);
      // Every Kubernetes object of the state, the charts' objects included, as the API names it.
      const objects = stateResources(ws, "dev")
        .map(
          (r) => r.outputs as { kind?: string; metadata?: { name?: string; namespace?: string } },
        )
        .filter((o) => o?.kind && o.metadata?.name)
        .map((o) => `${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name}`)
        .sort();
      check(objects.length > 20, `only ${objects.length} Kubernetes objects in the state`);
      same(files, objects, "objects in rendered/dev against the objects of the stack");
      // The files a reader opens apply as they are (the stand-in charts' files included): the
      // custom resource definitions (0-crd/) and the namespaces for real, as a first apply would
      // create them, then a server-side dry run of every file.
      const cp = await ctx.controlPlane();
      const crds = path.join(dir, "0-crd");
      const namespaces = listFiles(dir)
        .filter((f) => /-namespace-/.test(f))
        .map((f) => path.join(dir, f));
      if (fs.existsSync(crds)) {
        cp.kubectl(["apply", "-R", "-f", crds]);
        cp.kubectl(["wait", "--for=condition=Established", "crd", "--all", "--timeout=60s"]);
      }
      for (const file of namespaces) cp.kubectl(["apply", "-f", file]);
      const dryRun = cp.kubectlRun(["apply", "--dry-run=server", "-R", "-f", dir]);
      // Gone again before anything else runs on this API server.
      for (const file of namespaces) cp.kubectl(["delete", "--wait=true", "-f", file]);
      if (fs.existsSync(crds)) cp.kubectl(["delete", "--wait=true", "-R", "-f", crds]);
      check(
        dryRun.status === 0,
        `kubectl apply --dry-run=server -f rendered/dev:\n${dryRun.stderr}`,
      );
      destroyToEmpty(ws, "dev");
      const leftFiles = renderedObjects(dir);
      same(leftFiles, [], "rendered files left after destroy");
      return `${files.length} objects in rendered/dev/, the same as the stack's, accepted by the API server's dry run; destroy removed them`;
    },
  },
  {
    name: "up ch2 (stand-in vagrant): the work folder, one vagrant up per VM in it; no changes; destroy removes VMs and files",
    plugins: ["command"],
    async run(ctx) {
      const { ws } = ctx;
      const calls = () => standinCalls(ws).filter((c) => c.tool === "vagrant");
      const before = calls().length;
      const output = upAndSettle(ws, "ch2");
      const work = path.join(ws.dir, ".lab", "ch2");
      const vms = ["m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"];
      const files = listFiles(work).filter((f) => !f.startsWith(".vagrant/"));
      same(
        files,
        [
          "Vagrantfile",
          ...vms.map((vm) => `nodes/${vm}.rb`),
          "scripts/config.sh",
          "scripts/install_pkg.sh",
          "scripts/ping_2_nds.sh",
        ].sort(),
        "files of the work folder",
      );
      const ups = calls()
        .slice(before)
        .filter((c) => c.args[0] === "up");
      same(
        ups.map((c) => c.args.join(" ")).sort(),
        // Provisioning runs on every up: a first up that broke off half-way provisions again.
        vms.map((vm) => `up --provision ${vm}`).sort(),
        "vagrant up calls",
      );
      same([...new Set(ups.map((c) => c.cwd))], [work], "folder vagrant runs in");
      same(ups[0].args.at(-1), "m-k8s", "first VM up");
      // What the reader's vagrant reads: the master's definition, as the book's 2.2.3 Vagrantfile.
      const master = fs.readFileSync(path.join(work, "nodes", "m-k8s.rb"), "utf8");
      for (const line of ["vb.memory = 2048", 'ip: "192.168.56.10"', "host: 60010"]) {
        check(master.includes(line), `nodes/m-k8s.rb lacks ${line}`);
      }
      const mode = (f: string) => (fs.statSync(path.join(work, f)).mode & 0o777).toString(8);
      same(mode("Vagrantfile"), "644", "mode of the Vagrantfile");
      const leaks = plainSecrets(ws, "ch2", output);
      same(leaks, [], "secrets in plain text");
      const marker = calls().length;
      destroyToEmpty(ws, "ch2");
      const destroys = calls()
        .slice(marker)
        .filter((c) => c.args[0] === "destroy")
        .map((c) => c.args.join(" "))
        .sort();
      same(destroys, vms.map((vm) => `destroy -f ${vm}`).sort(), "vagrant destroy calls");
      check(!fs.existsSync(work), `${work} is still there: ${listFiles(work).join(", ")}`);
      return `${files.length} files in .lab/ch2, ${ups.length} VMs up (m-k8s first), destroy -f each, folder gone`;
    },
  },
];

/** One call the stand-in vagrant or VBoxManage recorded. */
interface StandinCall {
  readonly tool: string;
  readonly cwd: string;
  readonly args: string[];
}

function standinCalls(ws: Workspace): StandinCall[] {
  const file = ws.env.LAB_STANDIN_LOG as string;
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Files under a folder, relative, sorted. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}
