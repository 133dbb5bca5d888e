/**
 * The practice notes on the real control plane in `kubeconfig` mode: `up`, a no-change preview,
 * each step of the notes as a config change whose preview changes exactly the objects that step
 * should change and whose `up` the API server then shows, drift put back, an API server that goes
 * away in the middle of an `up`, and a `destroy` that leaves nothing in the API.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import type { ControlPlane } from "../controlPlane";
import { type Case, type Context, check, same } from "../runner";
import { lab, previewJson, stateFile, type Workspace, withStackFile } from "../workspace";
import { destroyToEmpty, plainSecrets, stateResources, tail, upAndSettle } from "./cycles";

const STACK = "practice";

/** `op name` of every step of a preview that changes something, sorted. */
export function changes(ws: Workspace, stack: string): string[] {
  const p = previewJson(ws, stack);
  check(p.status === 0 && p.json, `preview failed:\n${tail(p.output)}`);
  return p.json.steps
    .filter((s) => s.op !== "same")
    .map((s) => `${s.op} ${s.urn.split("::").pop()}`)
    .sort();
}

function deployment(cp: ControlPlane, name: string) {
  return cp.getJson<{
    spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
    status?: { readyReplicas?: number };
  }>(["deployment", name]);
}

/** `kubectl rollout history` as `revision change-cause` lines. */
function history(cp: ControlPlane, name: string): string[] {
  return cp
    .kubectl(["rollout", "history", `deployment/${name}`])
    .split("\n")
    .filter((l) => /^\d+\s/.test(l))
    .map((l) => l.trim().replace(/\s+/, " "));
}

/** Objects of the stack's names left in the API. */
function leftInApi(cp: ControlPlane): string[] {
  const out = cp.kubectl([
    "get",
    "replicasets,deployments,services,configmaps,secrets",
    "-o",
    "name",
  ]);
  return out
    .split("\n")
    .filter((l) => /replicaset-nginx|my-nginx|webserver|projectid|apikey/.test(l));
}

export const practiceCases: Case[] = [
  {
    name: "practice on the control plane: up, the notes' steps with their exact diffs, drift, a lost API server, destroy",
    plugins: ["kubernetes", "random"],
    // Each step changes the stack's settings; the stacks after this one find them as they were.
    run: (ctx) => withStackFile(ctx.ws, STACK, () => practiceOnControlPlane(ctx)),
  },
];

async function practiceOnControlPlane(ctx: Context): Promise<string> {
  const { ws } = ctx;
  const cp = await ctx.controlPlane();
  // The stack's default is the lab cluster (stack mode); this case runs on the control plane.
  lab(ws, STACK, ["config", "set", "lab:cluster.mode", "kubeconfig"]);
  lab(ws, STACK, ["config", "set", "lab:cluster.kubeconfig", cp.kubeconfig]);
  const up = upAndSettle(ws, STACK);
  const rs = cp.getJson<{ spec: { replicas: number }; status: { readyReplicas?: number } }>([
    "replicaset",
    "replicaset-nginx",
  ]);
  same(rs.spec.replicas, 3, "replicaset-nginx replicas");
  same(
    deployment(cp, "my-nginx-deployment").status?.readyReplicas,
    3,
    "ready pods of my-nginx-deployment",
  );
  same(plainSecrets(ws, STACK, up), [], "secrets in plain text");

  const step = (
    what: string,
    settings: Record<string, string>,
    expected: string[],
    secret = false,
  ) => {
    for (const [k, v] of Object.entries(settings)) {
      lab(ws, STACK, ["config", "set", ...(secret ? ["--secret"] : []), k, v]);
    }
    const t = Date.now();
    same(changes(ws, STACK), expected.sort(), `${what}: what the preview changes`);
    upAndSettle(ws, STACK);
    ctx.note(
      `${what}: ${expected.join(", ")} (preview, up, no-change preview: ${((Date.now() - t) / 1000).toFixed(1)}s)`,
    );
  };

  step("replicaset-nginx-4pods.yaml", { "lab:practice.replicaSetReplicas": "4" }, [
    "update replicaset-nginx",
  ]);
  same(
    cp.getJson<{ spec: { replicas: number } }>(["replicaset", "replicaset-nginx"]).spec.replicas,
    4,
    "replicas after the step",
  );

  step("set image nginx:1.11", { "lab:practice.nginxTag": "1.11" }, ["update my-nginx-deployment"]);
  same(
    deployment(cp, "my-nginx-deployment").spec.template.spec.containers[0].image,
    "nginx:1.11",
    "image",
  );
  step("rollout undo", { "lab:practice.nginxTag": "1.10" }, ["update my-nginx-deployment"]);
  same(
    deployment(cp, "my-nginx-deployment").spec.template.spec.containers[0].image,
    "nginx:1.10",
    "image after undo",
  );
  // Undo brings revision 1 back as revision 3, as `kubectl rollout undo` does.
  same(
    history(cp, "my-nginx-deployment"),
    [
      "2 pulumi up: lab:practice.nginxTag=1.11 (nginx:1.11)",
      "3 pulumi up: lab:practice.nginxTag=1.10 (nginx:1.10)",
    ],
    "rollout history",
  );

  const key = `e2e-key-${Date.now()}`;
  step(
    "secret.yaml key",
    { "lab:practice.apiKey": key },
    ["delete apikey-key", "update apikey"],
    true,
  );
  const secret = cp.getJson<{ data: Record<string, string> }>(["secret", "apikey"]);
  same(Buffer.from(secret.data.key, "base64").toString(), key, "the Secret's key");
  check(
    !fs.readFileSync(stateFile(ws, STACK), "utf8").includes(key),
    "the state holds the key in plain text",
  );

  step("color: blue", { "lab:practice.activeColor": "blue" }, ["update webserver"]);
  same(
    cp.getJson<{ spec: { selector: Record<string, string> } }>(["service", "webserver"]).spec
      .selector,
    { type: "webserver", color: "blue" },
    "the Service's selector",
  );

  // Drift: a hand-made change shows in refresh, and up puts the notes' value back.
  cp.kubectl(["scale", "deployment/my-nginx-deployment", "--replicas=5"]);
  const refresh = lab(ws, STACK, ["refresh", "--yes", "--skip-preview"]);
  check(
    /~\s+1 updated|1 updated/.test(refresh.stdout),
    `refresh did not see the change:\n${tail(refresh.stdout)}`,
  );
  same(changes(ws, STACK), ["update my-nginx-deployment"], "preview after the drift");
  upAndSettle(ws, STACK);
  same(deployment(cp, "my-nginx-deployment").spec.replicas, 3, "replicas after up");
  cp.kubectl(["set", "image", "deployment/my-nginx-deployment", "nginx=nginx:1.12"]);
  lab(ws, STACK, ["refresh", "--yes", "--skip-preview"]);
  same(changes(ws, STACK), ["update my-nginx-deployment"], "preview after kubectl set image");
  upAndSettle(ws, STACK);
  same(
    deployment(cp, "my-nginx-deployment").spec.template.spec.containers[0].image,
    "nginx:1.10",
    "image after up",
  );

  // The API server goes away while up creates: the next up converges, nothing doubled.
  const faults = await lostApiServer(ctx.ws, cp);
  ctx.note(faults);

  destroyToEmpty(ws, STACK);
  await waitGone(cp);
  return "3 -> 4 pods, 1.10 -> 1.11 -> 1.10 with history, the key, blue; drift undone; API server loss survived; nothing left";
}

async function waitGone(cp: ControlPlane): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (leftInApi(cp).length === 0) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  same(leftInApi(cp), [], "objects of the stack left in the API after destroy");
}

/**
 * Sets the image again and stops the API server as soon as `up` starts updating: that `up` fails,
 * and once the API server is back the next one converges, with the same resources in the state
 * and no object doubled in the API.
 */
async function lostApiServer(ws: Workspace, cp: ControlPlane): Promise<string> {
  const before = stateResources(ws, STACK)
    .map((r) => r.urn)
    .sort();
  lab(ws, STACK, ["config", "set", "lab:practice.nginxTag", "1.11"]);
  const child = spawn(
    "npm",
    ["run", "--silent", "lab", "--", STACK, "up", "--yes", "--skip-preview"],
    {
      cwd: ws.dir,
      env: ws.env,
    },
  );
  let output = "";
  const stopped = new Promise<void>((resolve) => {
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      if (/updating/.test(output)) resolve();
    });
  });
  child.stderr.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  await stopped;
  await cp.stopApiServer();
  const code = await exited;
  await cp.startApiServer();
  upAndSettle(ws, STACK);
  const after = stateResources(ws, STACK)
    .map((r) => r.urn)
    .sort();
  same(after, before, "resources in the state after the interrupted up and the next one");
  same(new Set(after).size, after.length, "resources in the state, each once");
  const replicaSets = cp
    .getJson<{ items: { metadata: { ownerReferences?: { name: string }[] } }[] }>(["replicasets"])
    .items.filter((r) => r.metadata.ownerReferences?.[0]?.name === "my-nginx-deployment");
  check(replicaSets.length <= 3, `${replicaSets.length} ReplicaSets of my-nginx-deployment`);
  same(
    deployment(cp, "my-nginx-deployment").spec.template.spec.containers[0].image,
    "nginx:1.11",
    "image after the retried up",
  );
  return `interrupted up exited ${code}; the next up converged with the same ${after.length} resources`;
}
