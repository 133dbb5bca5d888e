/**
 * The offline plan: what `pulumi preview` of a stack would create, without the Pulumi CLI, plugins
 * or a cluster.
 *
 *   npm run --silent plan -- <stack> [--json] [--mermaid FILE] [--config key=value]... [--secret key=value]...
 *
 * Default output is a tree in registration order. `--json` prints exactly one JSON document
 * `{stack, chapter, resources: [{urn, type, name, parent, dependsOn, provider, inputs}], outputs}` with
 * secrets as "[secret]". `--mermaid FILE` also writes the dependency graph as a Mermaid diagram.
 * Exit status: 0 on success, 2 for bad arguments or configuration (message on stderr), 1 otherwise.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { messages } from "../lib/messages";
import type { CapturedResource, StackRun } from "./mockRun";
import { stackFiles } from "./stackFiles";

const SYNTAX =
  "npm run --silent plan -- <stack> [--json] [--mermaid FILE] [--config key=value]... [--secret key=value]...";

/** Parsed command line of the plan tool. */
export interface PlanArgs {
  readonly stack: string;
  readonly json: boolean;
  readonly mermaid?: string;
  readonly config: Record<string, string>;
  readonly secrets: Record<string, string>;
}

class UsageError extends Error {}

/** Parses the plan tool's arguments; throws `UsageError` with a message for the user. */
export function parseArgs(argv: readonly string[]): PlanArgs {
  const m = messages();
  const usage = m.usage(SYNTAX);
  let stack: string | undefined;
  let json = false;
  let mermaid: string | undefined;
  const config: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  /** Each key given, as it was written (a secret's value is not repeated). */
  const given = new Map<string, string>();
  const pair = (flag: string, v: string | undefined): [string, string] => {
    const i = v?.indexOf("=") ?? -1;
    if (v === undefined || i <= 0) throw new UsageError(m.needsKeyValue(flag));
    const [key, value] = [v.slice(0, i), v.slice(i + 1)];
    const shown = `${flag} ${key}=${flag === "--secret" ? "..." : value}`;
    // The program reads `lab:` keys only, so a key without a namespace would change nothing.
    if (!key.includes(":")) {
      throw new UsageError(m.keyWithoutNamespace(flag, key, flag === "--secret" ? "..." : value));
    }
    // A second value would replace the first unseen, as `pulumi up --config` does.
    const first = given.get(key);
    if (first !== undefined) throw new UsageError(m.givenTwice(key, first, shown));
    given.set(key, shown);
    return [key, value];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--mermaid") {
      mermaid = argv[++i];
      if (!mermaid) throw new UsageError(m.mermaidNeedsFile());
    } else if (a === "--config" || a === "-c") {
      const [k, v] = pair(a, argv[++i]);
      config[k] = v;
    } else if (a === "--secret") {
      const [k, v] = pair(a, argv[++i]);
      secrets[k] = v;
    } else if (a === "--help" || a === "-h") throw new UsageError(usage);
    else if (a.startsWith("-")) throw new UsageError(`${m.unknownOption(a)}\n${usage}`);
    else if (stack === undefined) stack = a;
    else throw new UsageError(`${m.oneStack(stack, a)}\n${usage}`);
  }
  if (!stack) throw new UsageError(`${usage}\n${m.stacks(stackFiles())}`);
  return { stack, json, mermaid, config, secrets };
}

/** The `--json` document. */
export function planDocument(run: StackRun): Record<string, unknown> {
  return {
    stack: run.stack,
    chapter: run.outputs.chapter,
    resources: run.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent ?? null,
      dependsOn: r.dependsOn,
      provider: r.provider ?? null,
      inputs: r.inputs,
    })),
    outputs: run.outputs,
  };
}

function label(r: CapturedResource): string {
  const title = typeof r.inputs.title === "string" ? `  "${r.inputs.title}"` : "";
  return `${r.type} ${r.name}${title}`;
}

/** The default, readable tree: components with their children, in registration order. */
export function planTree(run: StackRun): string {
  const children = new Map<string | undefined, CapturedResource[]>();
  for (const r of run.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, indent: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      lines.push(`${indent}${last ? "└─ " : "├─ "}${label(r)}`);
      walk(r.urn, indent + (last ? "   " : "│  "));
    });
  };
  walk(undefined, "");
  const components = run.resources.filter((r) => !r.custom).length;
  const m = messages();
  const header = m.planHeader(
    run.stack,
    String(run.outputs.chapter),
    run.resources.length,
    components,
  );
  const outputs = JSON.stringify(run.outputs, null, 2)
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
  const footer = m.planFooter((run.elapsedMs / 1000).toFixed(1));
  return [header, ...lines, "", m.planOutputs(), outputs, "", footer, ""].join("\n");
}

/**
 * The dependency graph as Mermaid: components as subgraphs, arrows from a dependency to its user.
 * Node names come from the resources and lines are sorted, so the same stack gives the same text.
 */
export function planMermaid(run: StackRun): string {
  const short = (t: string) => t.split(":").pop() ?? t;
  const id = new Map(
    run.resources.map((r) => [r.urn, `${short(r.type)}_${r.name}`.replace(/[^A-Za-z0-9_]/g, "_")]),
  );
  const order = (a: CapturedResource, b: CapturedResource) =>
    (id.get(a.urn) ?? "").localeCompare(id.get(b.urn) ?? "");
  const children = new Map<string | undefined, CapturedResource[]>();
  for (const r of run.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const lines = ["graph LR"];
  const emit = (parent: string | undefined, indent: string) => {
    for (const r of [...(children.get(parent) ?? [])].sort(order)) {
      const text = `${short(r.type)}<br/>${r.name}`.replace(/"/g, "'");
      if (!r.custom) {
        lines.push(`${indent}subgraph ${id.get(r.urn)}["${text}"]`);
        emit(r.urn, `${indent}  `);
        lines.push(`${indent}end`);
      } else {
        lines.push(`${indent}${id.get(r.urn)}["${text}"]`);
      }
    }
  };
  emit(undefined, "  ");
  const edges = run.resources.flatMap((r) =>
    r.dependsOn.filter((d) => id.has(d)).map((d) => `  ${id.get(d)} --> ${id.get(r.urn)}`),
  );
  return `${[...lines, ...[...new Set(edges)].sort()].join("\n")}\n`;
}

/** Why a file cannot be written, in a few words, from what is already there or the error. */
function unwritable(file: string, err?: NodeJS.ErrnoException): string | undefined {
  const m = messages();
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) return m.folderMissing(dir);
  if (!fs.statSync(dir).isDirectory()) return m.notAFolder(dir);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) return m.isFolder();
  if (err?.code === "EACCES" || err?.code === "EPERM" || err?.code === "EROFS") {
    return m.noPermission();
  }
  return err ? (err.code ?? err.message) : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  let args: PlanArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  // Checked before the run, so that a plan is not made only to be thrown away.
  const cannot = args.mermaid === undefined ? undefined : unwritable(args.mermaid);
  if (args.mermaid !== undefined && cannot !== undefined) {
    process.stderr.write(`${messages().cannotWrite("--mermaid", args.mermaid, cannot)}\n`);
    return 2;
  }
  // Loaded only now: the Pulumi SDK takes a second to load, and usage errors need none of it.
  const pulumi = await import("@pulumi/pulumi");
  const { runStack } = await import("./mockRun.js");
  let run: StackRun;
  try {
    run = await runStack({ stack: args.stack, config: args.config, secrets: args.secrets });
  } catch (e) {
    // Configuration mistakes and unavailable modes are for the user; anything else is a bug.
    if (pulumi.RunError.isInstance(e)) {
      process.stderr.write(`${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
  if (args.mermaid) {
    try {
      fs.writeFileSync(args.mermaid, planMermaid(run));
    } catch (e) {
      const why = unwritable(args.mermaid, e as NodeJS.ErrnoException) ?? String(e);
      process.stderr.write(`${messages().cannotWrite("--mermaid", args.mermaid, why)}\n`);
      return 2;
    }
  }
  await write(args.json ? `${JSON.stringify(planDocument(run), null, 2)}\n` : planTree(run));
  return 0;
}

/** Writes to stdout and waits until it is flushed: a pipe takes large output in pieces. */
function write(text: string): Promise<void> {
  return new Promise((resolve, reject) =>
    process.stdout.write(text, (err) => (err ? reject(err) : resolve())),
  );
}

if (require.main === module) {
  process.on("unhandledRejection", (reason) => {
    process.stderr.write(
      `plan failed: ${reason instanceof Error ? reason.stack : String(reason)}\n`,
    );
    process.exit(1);
  });
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`plan failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
