/**
 * Kubernetes in Action, chapter 2 "도커와 쿠버네티스 첫걸음": the kubia app built into an
 * image on m-k8s (the book's `docker build -t kubia .`), pushed to the lab registry instead of Docker
 * Hub, run as 3 replicas and exposed by a LoadBalancer Service on 8080.
 */
import * as k8s from "@pulumi/kubernetes";
import { loadBalancerAddress } from "../components/exposedDeployment";
import { ImageBuilds } from "../components/imageBuilds";
import { MetalLb } from "../components/metalLb";
import { CH5, KIA } from "../lib/book";
import { chartSource } from "../lib/charts";
import type { LabCluster } from "../lib/cluster";
import type { LabConfig } from "../lib/config";
import { bookMeta } from "../lib/k8s";
import { messages } from "../lib/messages";
import {
  bookSections,
  dockerOnMaster,
  type Lab,
  labRegistry,
  networkPrefix,
  pushImage,
} from "./common";

/** The app, written for this project, and where it is copied on m-k8s. */
const APP = { source: "apps/kubia", remoteDir: "/root/kubia" };

/** Builds the kia stack and returns its outputs. */
export function buildKia(config: LabConfig<"kia">, cluster: LabCluster) {
  // The configuration makes sure kia runs on the lab cluster (the image is built on m-k8s).
  const lab = cluster.lab as Lab;
  const [master] = lab.nodes;
  const section = bookSections("kia", cluster);

  // 2.2 "도커 이미지 생성하고 실행하기": `docker build -t kubia .`, then `docker tag`/`docker push`.
  const imageOpts = section("2.1", "도커 이미지 생성, 실행, 공유하기");
  const docker = dockerOnMaster(lab, imageOpts);
  const registry = labRegistry(lab, docker, imageOpts);
  const build = new ImageBuilds(
    "kubia",
    {
      connection: lab.connection(master),
      source: APP.source,
      remoteDir: APP.remoteDir,
      images: [{ tag: KIA.app, dockerfile: "Dockerfile", needsHostBuild: false }],
      dependsOn: docker.ready,
    },
    imageOpts,
  );
  const { target: image, push } = pushImage(lab, registry, build, KIA.app, imageOpts);

  // 2.3 "쿠버네티스에서 첫 번째 애플리케이션 실행하기": the ReplicationController of
  // `kubectl run --generator=run/v1`, `scale rc kubia --replicas=3`, `expose rc ... --type=LoadBalancer`.
  const runOpts = section("2.3", "쿠버네티스에 첫 번째 애플리케이션 실행하기");
  const [first, last] = KIA.poolRange.split("-");
  const prefix = networkPrefix(config, cluster);
  // minikube gave the book no LoadBalancer address; on the lab cluster MetalLB does.
  const metallb = new MetalLb(
    "metallb",
    {
      chart: chartSource("metallb", config.charts.dir, cluster.mode),
      namespace: CH5.metallb.namespace,
      poolName: CH5.metallb.poolName,
      addresses: `${prefix}.${first}-${prefix}.${last}`,
    },
    runOpts,
  );
  const rc = new k8s.core.v1.ReplicationController(
    KIA.app,
    {
      metadata: bookMeta(KIA.app, { labels: KIA.labels }),
      spec: {
        replicas: config.settings.replicas,
        selector: KIA.labels,
        template: {
          metadata: { labels: KIA.labels },
          spec: { containers: [{ name: KIA.app, image, ports: [{ containerPort: KIA.port }] }] },
        },
      },
    },
    {
      ...runOpts,
      dependsOn: [push, ...registry.ready],
      // A ReplicationController does not roll out a new template: an edited app (a new content
      // tag) makes it again, pods included.
      replaceOnChanges: ["spec.template"],
      deleteBeforeReplace: true,
    },
  );
  const service = new k8s.core.v1.Service(
    KIA.service,
    {
      metadata: bookMeta(KIA.service, { labels: KIA.labels }),
      spec: {
        type: "LoadBalancer",
        selector: KIA.labels,
        ports: [{ port: KIA.port, targetPort: KIA.port, protocol: "TCP" }],
      },
    },
    { ...runOpts, dependsOn: [rc, ...metallb.ready] },
  );
  return {
    image,
    replicas: config.settings.replicas,
    url: loadBalancerAddress(service).apply((a) =>
      a
        ? `http://${a}:${KIA.port}`
        : messages().addressPending(`kubectl get service ${KIA.service}`),
    ),
    tryIt: [
      `curl http://<EXTERNAL-IP>:${KIA.port}`,
      "kubectl get pods -o wide",
      `kubectl logs -l run=${KIA.app}`,
    ],
  };
}
