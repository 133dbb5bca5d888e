/** Kubernetes in Action chapter 2 (seed 003): the kubia app, its image, the workload and its Service. */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { folderHash } from "../components/imageBuilds";
import { PROJECT_DIR } from "../tools/mockRun";
import { find, inputsOf, runStack, type StackRun } from "./harness";
import { kubernetesObjects, schemaProblems } from "./k8sSchema";

const APP = path.join(PROJECT_DIR, "apps", "kubia");

let base: StackRun;
beforeAll(async () => {
  base = await runStack({ stack: "kia" });
});

describe("apps/kubia, run with this machine's Node", () => {
  let server: ChildProcess | undefined;
  let log = "";
  afterAll(() => server?.kill());

  it("answers `You've hit <hostname>` over HTTP and logs each request", async () => {
    const port = 19000 + Math.floor(Math.random() * 1000);
    server = spawn(process.execPath, [path.join(APP, "app.js")], {
      env: { ...process.env, PORT: String(port) },
    });
    await new Promise<void>((resolve, reject) => {
      server?.stdout?.on("data", (d) => {
        log += d;
        if (log.includes("listening")) resolve();
      });
      server?.on("error", reject);
    });
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe(`You've hit ${os.hostname()}\n`);
    await new Promise((r) => setTimeout(r, 100));
    expect(log).toContain("Kubia server starting...");
    expect(log).toMatch(/Received request from \S*127\.0\.0\.1/);
  });

  it("listens on 8080 unless told otherwise", () => {
    expect(fs.readFileSync(path.join(APP, "app.js"), "utf8")).toContain("process.env.PORT ?? 8080");
  });

  it("its Dockerfile: a current Node base, ADD app.js /app.js, ENTRYPOINT node app.js", () => {
    const d = fs.readFileSync(path.join(APP, "Dockerfile"), "utf8");
    const from = /^FROM node:(\d+)[\d.]*-\S+$/m.exec(d);
    expect(Number(from?.[1])).toBeGreaterThanOrEqual(20);
    expect(d).toMatch(/^ADD app\.js \/app\.js$/m);
    expect(d).toMatch(/^ENTRYPOINT \["node", "app\.js"\]$/m);
  });
});

describe("the kia stack", () => {
  it("docker build -t kubia on m-k8s, then tag and push to the lab registry", () => {
    const tag = folderHash("apps/kubia").slice(0, 12);
    expect(inputsOf(find(base, "command:remote:Command", "kubia-kubia")).create).toMatch(
      new RegExp(
        `^export SOURCE_DIR=/root/kubia IMAGE=kubia:${tag} BOOK_NAME=kubia DOCKERFILE=Dockerfile\\n`,
      ),
    );
    expect(base.resources.some((r) => r.name.endsWith("build-in-host"))).toBe(false);
    const push = inputsOf(find(base, "command:remote:Command", "push-kubia")).create;
    expect(push).toMatch(
      new RegExp(
        `^export IMAGE=kubia:${tag} TARGET=192\\.168\\.56\\.10:8443/kubia:${tag} LATEST=192\\.168\\.56\\.10:8443/kubia\\n`,
      ),
    );
  });

  it("scale rc kubia --replicas=3: ReplicationController kubia, run=kubia, port 8080, from the lab registry", () => {
    const rc = inputsOf(find(base, "kubernetes:core/v1:ReplicationController", "kubia"));
    expect(rc.spec.replicas).toBe(3);
    expect(rc.spec.selector).toEqual({ run: "kubia" });
    const image = `192.168.56.10:8443/kubia:${folderHash("apps/kubia").slice(0, 12)}`;
    expect(rc.spec.template.spec.containers).toEqual([
      { name: "kubia", image, ports: [{ containerPort: 8080 }] },
    ]);
    // A ReplicationController does not roll out a new template: an edited kubia makes it again.
    const r = find(base, "kubernetes:core/v1:ReplicationController", "kubia");
    expect(r.replaceOnChanges).toEqual(expect.arrayContaining(["spec.template"]));
    expect(r.deleteBeforeReplace).toBe(true);
  });

  it("expose rc kubia --type=LoadBalancer --name kubia-http: port 8080", () => {
    const svc = inputsOf(find(base, "kubernetes:core/v1:Service", "kubia-http"));
    expect(svc.spec).toMatchObject({ type: "LoadBalancer", selector: { run: "kubia" } });
    expect(svc.spec.ports).toEqual([{ port: 8080, targetPort: 8080, protocol: "TCP" }]);
    expect(find(base, "kubernetes:core/v1:Service", "kubia-http").dependsOn).toContain(
      find(base, "kubernetes:metallb.io/v1beta1:IPAddressPool", "metallb-pool").urn,
    );
  });

  it("MetalLB for the LoadBalancer: the Helm release metallb in metallb-system, as chapter 5's", () => {
    const metallb = find(base, "kubernetes:helm.sh/v3:Release", "metallb-release");
    expect(inputsOf(metallb)).toMatchObject({
      chart: "metallb",
      name: "metallb",
      namespace: "metallb-system",
    });
    expect(
      find(base, "kubernetes:metallb.io/v1beta1:IPAddressPool", "metallb-pool").dependsOn,
    ).toContain(metallb.urn);
  });

  it("outputs the image and the URL; every object passes its schema", async () => {
    expect(base.outputs).toMatchObject({
      image: `192.168.56.10:8443/kubia:${folderHash("apps/kubia").slice(0, 12)}`,
      replicas: 3,
    });
    expect(String(base.outputs.url)).toMatch(/kubia-http|:8080$/);
    expect(kubernetesObjects(base.resources).flatMap(schemaProblems)).toEqual([]);
    const five = await runStack({ stack: "kia", config: { "lab:kia.replicas": "5" } });
    expect(
      inputsOf(find(five, "kubernetes:core/v1:ReplicationController", "kubia")).spec.replicas,
    ).toBe(5);
  });
});
