/**
 * Chapter 4, "쿠버네티스를 이루는 컨테이너 도우미, 도커": Docker on m-k8s, its containers, the four
 * image builds, the self-signed certificate and the private registry, and deploying from it.
 * What `create-registry.sh`, `openssl`, `sshpass`, `docker build/tag/push` and the success/failure
 * YAMLs did, as one graph.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import type { DockerHost } from "../components/dockerHost";
import { ExposedDeployment } from "../components/exposedDeployment";
import { ImageBuilds } from "../components/imageBuilds";
import type { PrivateRegistry } from "../components/privateRegistry";
import { CH4 } from "../lib/book";
import type { LabCluster } from "../lib/cluster";
import type { LabConfig } from "../lib/config";
import { SKIP_AWAIT } from "../lib/k8s";
import { messages } from "../lib/messages";
import { nodeStep } from "../lib/nodeStep";
import * as scripts from "../lib/scripts";
import type { LabNode } from "../lib/vagrant";
import { bookSections, dockerOnMaster, type Lab, labRegistry, pushImage } from "./common";

/** The app of 4.3, written for this project, and the folder it is copied to on m-k8s. */
const APP = { source: "apps/echo-ip", remoteDir: "/root/echo-ip" };
/** The pages of 4.2.3. */
const PAGES = "apps/nginx-pages";

/** What every section function receives. */
interface Chapter {
  readonly config: LabConfig<"ch4">;
  readonly cluster: LabCluster;
  readonly lab: Lab;
  readonly master: LabNode;
  readonly docker: DockerHost;
  section(id: string, title: string): { parent: pulumi.Resource };
}

const page = (file: string) => fs.readFileSync(path.join(PAGES, file), "utf8");

/** 4.2 도커로 컨테이너 다루기: `nginx-exposed` (8080), `nginx-bind-mounts` (8081), `nginx-volume` (8082). */
function containers(ch: Chapter) {
  const c = CH4.containers;
  const opts = ch.section("4.2", "도커로 컨테이너 다루기");
  const dockerOpts = { ...opts, provider: ch.docker.provider };
  const nginx = new docker.RemoteImage(
    "nginx-image",
    { name: c.image, keepLocally: true },
    dockerOpts,
  );
  const port = (external: number) => [{ internal: 80, external }];

  new docker.Container(
    c.exposed.name,
    {
      name: c.exposed.name,
      image: nginx.imageId,
      restart: "always",
      ports: port(c.exposed.hostPort),
    },
    dockerOpts,
  );

  // 4.2.3 bind mount: the page lives on the host, in /root/html.
  const html = nodeStep(
    "bind-mount-page",
    {
      connection: ch.lab.connection(ch.master),
      create: scripts.writeFile(`${c.bindMounts.hostPath}/index.html`),
      delete: scripts.removeFile(`${c.bindMounts.hostPath}/index.html`),
      stdin: page("index-BindMount.html"),
    },
    { ...opts, dependsOn: ch.docker.ready },
  );
  new docker.Container(
    c.bindMounts.name,
    {
      name: c.bindMounts.name,
      image: nginx.imageId,
      restart: "always",
      ports: port(c.bindMounts.hostPort),
      volumes: [{ hostPath: c.bindMounts.hostPath, containerPath: c.htmlRoot }],
    },
    { ...dockerOpts, dependsOn: [html] },
  );

  // 4.2.3 volume: Docker keeps the page in the volume; the book copied it into _data by hand.
  const volume = new docker.Volume(c.volume.volume, { name: c.volume.volume }, dockerOpts);
  new docker.Container(
    c.volume.name,
    {
      name: c.volume.name,
      image: nginx.imageId,
      restart: "always",
      ports: port(c.volume.hostPort),
      volumes: [{ volumeName: volume.name, containerPath: c.htmlRoot }],
      uploads: [{ file: `${c.htmlRoot}/index.html`, content: page("index-Volume.html") }],
    },
    dockerOpts,
  );
  const at = (p: number) => `http://${ch.master.ip}:${p}`;
  return {
    [c.exposed.name]: at(c.exposed.hostPort),
    [c.bindMounts.name]: at(c.bindMounts.hostPort),
    [c.volume.name]: at(c.volume.hostPort),
  };
}

/** 4.3.1-4.3.4 the four image builds, each run as the book does (`docker run -p 6043x:80`). */
function images(ch: Chapter) {
  const opts = ch.section("4.3", "4가지 방법으로 컨테이너 이미지 만들기");
  const builds = new ImageBuilds(
    "echo-ip",
    {
      connection: ch.lab.connection(ch.master),
      source: APP.source,
      remoteDir: APP.remoteDir,
      images: CH4.images.map((i) => ({
        tag: i.tag,
        dockerfile: `Dockerfile.${i.style}`,
        // basic and optimal copy a jar built on the host first; nohost and multistage build inside.
        needsHostBuild: i.style === "basic" || i.style === "optimal",
      })),
      dependsOn: ch.docker.ready,
    },
    opts,
  );
  const urls: Record<string, string> = {};
  for (const i of CH4.images) {
    new docker.Container(
      i.container,
      {
        name: i.container,
        image: builds.refs[i.tag],
        restart: "always",
        ports: [{ internal: 80, external: i.port }],
      },
      { ...opts, provider: ch.docker.provider, dependsOn: [builds.images[i.tag]] },
    );
    urls[i.tag] = `http://${ch.master.ip}:${i.port}`;
  }
  return { builds, urls };
}

/** 4.4.2 레지스트리 구성하기: the certificate, the trust on every node, `registry:2`, and the push. */
function registry(ch: Chapter, built: ImageBuilds) {
  const opts = ch.section("4.4.2", "레지스트리 구성하기");
  const reg = labRegistry(ch.lab, ch.docker, opts);
  const { target, push } = pushImage(ch.lab, reg, built, CH4.registry.pushed, opts);
  return { reg, target, push };
}

/**
 * 4.4.1 쿠버네티스에서 직접 만든 이미지 사용하기: `failure1`, `failure2` (imagePullPolicy Never) and
 * `success1` (3 replicas; the image on w3-k8s only). Opt-in, and `pulumi up` does not wait for them:
 * their point is to fail.
 */
function failureLabs(ch: Chapter, pushed: { target: string; push: pulumi.Resource }) {
  const d = CH4.deployments;
  const opts = ch.section("4.4.1", "쿠버네티스에서 직접 만든 이미지 사용하기");
  const image = CH4.registry.pushed;
  const deployment = (
    name: string,
    replicas: number,
    never: boolean,
    after: pulumi.Resource[] = [],
  ) =>
    new ExposedDeployment(
      name,
      {
        name,
        image,
        replicas,
        annotations: SKIP_AWAIT,
        container: never ? { imagePullPolicy: "Never" } : undefined,
      },
      { ...opts, dependsOn: after },
    );
  deployment(d.failure1.name, 1, false);
  deployment(d.failure2.name, 1, true);
  const w3 = ch.lab.nodes.find((n) => n.name === d.success1.node);
  const onW3 = w3
    ? [
        nodeStep(
          `image-on-${w3.name}`,
          {
            connection: ch.lab.connection(w3),
            create: scripts.imageOnNode(pushed.target, `docker.io/library/${image}:latest`),
            delete: scripts.imageOffNode(pushed.target, `docker.io/library/${image}:latest`),
          },
          { ...opts, dependsOn: [pushed.push] },
        ),
      ]
    : [];
  deployment(d.success1.name, d.success1.replicas, true, onW3);
  return {
    expected: {
      [d.failure1.name]: "ErrImagePull / ImagePullBackOff: multistage-img is not on Docker Hub",
      [d.failure2.name]: "ErrImageNeverPull: the image is only in Docker on m-k8s",
      [d.success1.name]: `Running on ${d.success1.node} only; ErrImageNeverPull elsewhere`,
    },
  };
}

/** 4.4.3 직접 만든 이미지로 컨테이너 구동하기: `success2`, 3 replicas from the lab registry. */
function success2(
  ch: Chapter,
  pushed: { target: string; push: pulumi.Resource; reg: PrivateRegistry },
) {
  const d = CH4.deployments.success2;
  new ExposedDeployment(
    d.name,
    { name: d.name, image: pushed.target, replicas: d.replicas },
    {
      ...ch.section("4.4.3", "직접 만든 이미지로 컨테이너 구동하기"),
      dependsOn: [pushed.push, ...pushed.reg.ready],
    },
  );
  return { deployment: d.name, image: pushed.target };
}

/** Builds chapter 4 in book order and returns its outputs. */
export function buildCh4(config: LabConfig<"ch4">, cluster: LabCluster) {
  // The configuration makes sure chapter 4 runs on the lab cluster.
  const lab = cluster.lab as Lab;
  const [master] = lab.nodes;
  const section = bookSections("ch4", cluster);
  const host = dockerOnMaster(lab, section("4.2", "도커로 컨테이너 다루기"));
  const ch: Chapter = { config, cluster, lab, master, docker: host, section };

  const dockerContainers = containers(ch);
  const { builds, urls } = images(ch);
  const pushed = registry(ch, builds);
  const failures = config.settings.failureLabs ? failureLabs(ch, pushed) : undefined;
  const fromRegistry = success2(ch, pushed);
  return {
    containers: dockerContainers,
    images: urls,
    registry: {
      url: pushed.reg.url,
      catalog: `${pushed.reg.url}/v2/_catalog`,
      pushed: pushed.target,
      certificate: pushed.reg.certificate,
      fingerprint: pushed.reg.fingerprint,
    },
    success2: fromRegistry,
    failureLabs: failures ?? messages().failureLabsOff(),
  };
}
