/**
 * An edited app is what runs: after a change under apps/echo-ip (book 4.3, 4.4) or apps/kubia
 * (Kubernetes in Action 2.2-2.3), `pulumi up` builds the image again, pushes it, and every container
 * and workload that runs it gets the new image; `destroy` leaves none of the builds' tags behind.
 *
 * Each stack runs twice under the mocks, the second time from a copy of the project whose apps/
 * folder has one edit, and the two registrations are compared. Pulumi replaces a resource whose
 * `triggers` change and updates one whose other inputs change; Kubernetes rolls a Deployment out
 * when its pod template changes. The build and removal commands then run in bash against a
 * stand-in `docker` that keeps tags as Docker does, in the order Pulumi runs a replacement
 * (create-before-delete unless the resource says deleteBeforeReplace).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../tools/mockRun";
import { type CapturedResource, changed, find, inputsOf, runStack, type StackRun } from "./harness";

const REMOTE = "command:remote:Command";
const CONTAINER = "docker:index/container:Container";
/** The book's four images of 4.3 and the container each runs in (`docker run --name <style>-run`). */
const ECHO_IP = {
  "basic-img": "basic-run",
  "optimal-img": "optimal-run",
  "nohost-img": "nohost-run",
  "multistage-img": "multistage-run",
} as const;

/** A comment line appended to a source file: a change to the app that alters no behaviour. */
const EDIT = "\n// edited after the first pulumi up\n";

/**
 * Runs a stack from a copy of the project in which `edit` changed apps/. The stacks read apps/
 * relative to the working folder, as `pulumi` run in the project folder does; everything but apps/
 * is linked, so only the copy is edited.
 */
async function runEdited(stack: string, edit: (apps: string) => void): Promise<StackRun> {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "edited-project-"));
  for (const entry of fs.readdirSync(PROJECT_DIR)) {
    if (entry !== "apps") fs.symlinkSync(path.join(PROJECT_DIR, entry), path.join(copy, entry));
  }
  fs.cpSync(path.join(PROJECT_DIR, "apps"), path.join(copy, "apps"), { recursive: true });
  edit(path.join(copy, "apps"));
  const cwd = process.cwd();
  process.chdir(copy);
  try {
    return await runStack({ stack });
  } finally {
    process.chdir(cwd);
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** Appends `EDIT` to the first file of a folder that `pick` accepts. */
function editFile(dir: string, pick: (file: string) => boolean): void {
  const files = fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
  const file = files.find(pick);
  if (!file) throw new Error(`no file to edit in ${dir}`);
  fs.appendFileSync(path.join(dir, file), EDIT);
}

const editEchoIp = (apps: string) =>
  editFile(path.join(apps, "echo-ip"), (f) => f.endsWith(".java"));
const editKubia = (apps: string) => editFile(path.join(apps, "kubia"), (f) => f === "app.js");
const editPages = (apps: string) => editFile(path.join(apps, "nginx-pages"), () => true);

const image = (run: StackRun, type: string, name: string): string => {
  const inputs = inputsOf(find(run, type, name));
  return type === CONTAINER ? inputs.image : inputs.spec.template.spec.containers[0].image;
};

/**
 * A stand-in `docker` for the build, tag, push and removal commands: each build makes a new image
 * ID, a tag names one ID, `docker rmi` takes one tag away (`name` alone means `name:latest`, as in
 * Docker). State is kept as files in a folder.
 */
function standInDocker(): { env: NodeJS.ProcessEnv; tags: () => Record<string, string> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docker-"));
  const bin = path.join(dir, "bin");
  const state = path.join(dir, "tags");
  fs.mkdirSync(bin);
  fs.mkdirSync(state);
  fs.writeFileSync(
    path.join(bin, "docker"),
    `#!/usr/bin/env bash
set -euo pipefail
state=${JSON.stringify(state)}
# A reference without a tag is name:latest; '/' cannot be in a file name.
key() { case "\${1##*/}" in *:*) r=$1 ;; *) r=$1:latest ;; esac; printf '%s' "\${r//\\//%}"; }
case "$1" in
  build)
    shift
    while [ $# -gt 0 ]; do case "$1" in -t) tag=$2; shift 2 ;; *) shift ;; esac; done
    n=$(( $(cat "$state/.next" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$state/.next"
    echo "sha256:$n" > "$state/$(key "$tag")" ;;
  tag) cp "$state/$(key "$2")" "$state/$(key "$3")" ;;
  push) [ -f "$state/$(key "$2")" ] ;;
  image) # image inspect -f '{{.Id}}' NAME
    [ -f "$state/$(key "$5")" ] || { echo "Error: No such image: $5" >&2; exit 1; }
    cat "$state/$(key "$5")" ;;
  rmi)
    shift
    for a in "$@"; do case "$a" in -*) ;; *) name=$a ;; esac; done
    [ -f "$state/$(key "$name")" ] || { echo "Error: No such image: $name" >&2; exit 1; }
    rm "$state/$(key "$name")" ;;
  *) echo "stand-in docker: $*" >&2; exit 2 ;;
esac
`,
    { mode: 0o755 },
  );
  // The copied source folder is on the node; the stand-in reads no build context, so the scripts'
  // `cd` into it is a no-op here (bash reads BASH_ENV before a non-interactive script).
  const bashEnv = path.join(dir, "bash_env");
  fs.writeFileSync(bashEnv, "cd() { :; }\n");
  return {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, BASH_ENV: bashEnv },
    tags: () =>
      Object.fromEntries(
        fs
          .readdirSync(state)
          .filter((f) => !f.startsWith("."))
          .map((f) => [
            f.replaceAll("%", "/"),
            fs.readFileSync(path.join(state, f), "utf8").trim(),
          ]),
      ),
  };
}

/** Runs one command of a resource (its `create` or `delete`) as the node's shell would. */
function runOnNode(r: CapturedResource, which: "create" | "delete", env: NodeJS.ProcessEnv) {
  const text = inputsOf(r)[which];
  expect(text, `${r.name} ${which}`).toEqual(expect.any(String));
  const out = spawnSync("bash", ["-c", text], { encoding: "utf8", env });
  expect(out.status, `${r.name} ${which}: ${out.stderr}`).toBe(0);
}

/** `name:tag` → `name:tag`; a bare name → `name:latest`, as Docker reads it. */
const ref = (image: string) => (image.split("/").pop()?.includes(":") ? image : `${image}:latest`);

describe("13.6 an edited app is rebuilt, pushed and rolled out; an unrelated edit changes nothing", () => {
  let ch4: StackRun;
  let ch4EchoIp: StackRun;
  let ch4Kubia: StackRun;
  let kia: StackRun;
  let kiaKubia: StackRun;
  let kiaEchoIp: StackRun;
  beforeAll(async () => {
    // One after another: the Pulumi mock runtime is global.
    ch4 = await runStack({ stack: "ch4" });
    ch4EchoIp = await runEdited("ch4", editEchoIp);
    ch4Kubia = await runEdited("ch4", editKubia);
    kia = await runStack({ stack: "kia" });
    kiaKubia = await runEdited("kia", editKubia);
    kiaEchoIp = await runEdited("kia", (apps) => {
      editEchoIp(apps);
      editPages(apps);
    });
  }, 120_000);

  it("4.3 an edited echo-ip: each of the four images is built again and its container runs the new one", () => {
    for (const [name, container] of Object.entries(ECHO_IP)) {
      const before = image(ch4, CONTAINER, container);
      const after = image(ch4EchoIp, CONTAINER, container);
      expect(before.startsWith(name), before).toBe(true);
      expect(after.startsWith(name), after).toBe(true);
      // A new image reference: Docker's provider replaces the container.
      expect(after, container).not.toBe(before);
      const build = `echo-ip-${name}`;
      // The build's triggers change, so Pulumi replaces it: `docker build` runs again.
      expect(inputsOf(find(ch4EchoIp, REMOTE, build)).triggers).not.toEqual(
        inputsOf(find(ch4, REMOTE, build)).triggers,
      );
      expect(inputsOf(find(ch4EchoIp, REMOTE, build)).create).toContain(after);
    }
  });

  it("4.4 an edited echo-ip: the image is pushed again and success2 rolls out to it", () => {
    const push = (run: StackRun) => inputsOf(find(run, REMOTE, "push-multistage-img"));
    const before = image(ch4, "kubernetes:apps/v1:Deployment", "success2");
    const after = image(ch4EchoIp, "kubernetes:apps/v1:Deployment", "success2");
    expect(before.startsWith("192.168.56.10:8443/multistage-img"), before).toBe(true);
    // A new pod template image: the Deployment rolls out.
    expect(after).not.toBe(before);
    expect(push(ch4EchoIp).create).not.toBe(push(ch4).create);
    // What is pushed is what the Deployment pulls.
    expect(push(ch4EchoIp).create).toContain(after);
    expect(ch4EchoIp.outputs.registry).toMatchObject({ pushed: after });
  });

  it("4.3 up after the edit: the old build's removal leaves the new image; destroy leaves none", () => {
    for (const [name, container] of Object.entries(ECHO_IP)) {
      const docker = standInDocker();
      const old = find(ch4, REMOTE, `echo-ip-${name}`);
      const edited = find(ch4EchoIp, REMOTE, `echo-ip-${name}`);
      // The first up.
      runOnNode(old, "create", docker.env);
      expect(Object.keys(docker.tags())).toContain(ref(image(ch4, CONTAINER, container)));
      // The up after the edit: Pulumi's replacement of the build, in its order.
      const steps: [CapturedResource, "create" | "delete"][] = edited.deleteBeforeReplace
        ? [
            [old, "delete"],
            [edited, "create"],
          ]
        : [
            [edited, "create"],
            [old, "delete"],
          ];
      for (const [r, which] of steps) runOnNode(r, which, docker.env);
      const running = ref(image(ch4EchoIp, CONTAINER, container));
      expect(Object.keys(docker.tags()), `${container} runs ${running}`).toContain(running);
      // destroy: the build's removal takes what the builds tagged.
      runOnNode(edited, "delete", docker.env);
      expect(
        Object.keys(docker.tags()).filter((t) => t.startsWith(`${name}:`)),
        `${name} tags left after destroy`,
      ).toEqual([]);
    }
  });

  it("4.3 an edit to another app (apps/kubia) changes nothing in ch4", () => {
    expect(changed(ch4, ch4Kubia)).toEqual([]);
  });

  it("4.3 what changes with echo-ip is only what builds, pushes or runs it", () => {
    const diff = changed(ch4, ch4EchoIp);
    expect(diff.length).toBeGreaterThan(0);
    const related = /echo-ip|basic-img|optimal-img|nohost-img|multistage-img/;
    for (const urn of diff) {
      const r = ch4.resources.find((x) => x.urn === urn);
      expect(JSON.stringify(r ? inputsOf(r) : null), urn).toMatch(related);
    }
  });

  it("KiA 2.2-2.3 an edited kubia: built and pushed again, the ReplicationController made again with it", () => {
    const rc = "kubernetes:core/v1:ReplicationController";
    const before = image(kia, rc, "kubia");
    const after = image(kiaKubia, rc, "kubia");
    expect(before.startsWith("192.168.56.10:8443/kubia"), before).toBe(true);
    expect(after).not.toBe(before);
    // A ReplicationController does not roll out a changed template; a replacement on it does.
    expect(find(kiaKubia, rc, "kubia").replaceOnChanges).toEqual(
      expect.arrayContaining(["spec.template"]),
    );
    expect(inputsOf(find(kiaKubia, REMOTE, "kubia-kubia")).triggers).not.toEqual(
      inputsOf(find(kia, REMOTE, "kubia-kubia")).triggers,
    );
    expect(inputsOf(find(kiaKubia, REMOTE, "push-kubia")).create).toContain(after);
    expect(kiaKubia.outputs).toMatchObject({ image: after });
  });

  it("KiA 2.2 an edit to another app (apps/echo-ip, apps/nginx-pages) changes nothing in kia", () => {
    expect(changed(kia, kiaEchoIp)).toEqual([]);
  });
});
