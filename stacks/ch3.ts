/**
 * Chapter 3, "컨테이너를 다루는 표준 아키텍처, 쿠버네티스": every object of the chapter with the
 * book's names, one function per book section in book order. The book's imperative steps (`scale`,
 * `set image`, `rollout undo`, `cordon`, `drain`, the MetalLB range, a fourth worker) are settings
 * (`lab:ch3.*`, `lab:cluster.workers`) followed by `pulumi preview` and `pulumi up`.
 */
import * as fs from "node:fs";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import {
  ExposedDeployment,
  exposeService,
  loadBalancerAddress,
} from "../components/exposedDeployment";
import { IngressNginx } from "../components/ingressNginx";
import { MetalLb } from "../components/metalLb";
import { MetricsServer } from "../components/metricsServer";
import { NfsExports } from "../components/nfsExports";
import { NfsVolume } from "../components/nfsVolume";
import { CH3 } from "../lib/book";
import { chartSource } from "../lib/charts";
import type { LabCluster } from "../lib/cluster";
import {
  CH3_LB_SECTIONS,
  CH3_SCALABLE,
  type Ch3Section,
  type ChapterSettings,
  type LabConfig,
} from "../lib/config";
import { bookMeta, CHANGE_CAUSE, SKIP_AWAIT } from "../lib/k8s";
import { messages } from "../lib/messages";
import { bookSections, networkPrefix } from "./common";

type Settings = ChapterSettings<"ch3">;

/** What every section function receives. */
interface Chapter {
  readonly config: LabConfig<"ch3">;
  readonly s: Settings;
  readonly cluster: LabCluster;
  /**
   * Whether `pulumi up` waits for LoadBalancer addresses: on the lab cluster MetalLB answers on the
   * host-only network; elsewhere the pool may not be reachable, so only when set.
   */
  readonly awaitLb: boolean;
  /** A node address for NodePort URLs (the first worker on the lab cluster). */
  readonly nodeAddress: string;
  /** Groups a section's objects under the section's heading. */
  section(id: string, title: string): { parent: pulumi.Resource };
  replicas(name: keyof typeof CH3_SCALABLE): number;
  /** The LoadBalancer's MetalLB, once 3.3.4 installed it. */
  metalLb?: MetalLb;
  /** The claim `nfs-pvc` and the export, once 3.4.3 made them. */
  nfs?: { claim: string; server: string; path: string; ready: pulumi.Resource[] };
}

const url = (scheme: string, host: string, port: pulumi.Input<number | undefined>, path = "/") =>
  `${scheme}://${host}:${port}${path}`;

/** 3.1.6 쿠버네티스 구성 요소의 기능 검증하기: `nginx-pod.yaml`. */
function nginxPod(ch: Chapter) {
  const p = CH3.nginxPod;
  new k8s.core.v1.Pod(
    p.name,
    { metadata: bookMeta(p.name), spec: { containers: [{ name: p.container, image: p.image }] } },
    ch.section("3.1.6", "쿠버네티스 구성 요소의 기능 검증하기"),
  );
  return { pod: p.name };
}

/** 3.2.1-3.2.3: `kubectl create deployment dpy-nginx --image=nginx`, `kubectl scale ... --replicas=3`. */
function deploymentByCommand(ch: Chapter) {
  const d = CH3.dpyNginx;
  new ExposedDeployment(
    d.name,
    { name: d.name, image: d.image, replicas: ch.replicas(d.name) },
    ch.section("3.2.1", "파드를 생성하는 방법 · 레플리카셋으로 파드 수 관리하기"),
  );
  return { deployment: d.name, replicas: ch.replicas(d.name) };
}

/** 3.2.4-3.2.7: `echo-hname.yaml`, `apply` to 6 replicas, self-healing. */
function deploymentBySpec(ch: Chapter) {
  const d = CH3.echoHname;
  new ExposedDeployment(
    d.name,
    {
      name: d.name,
      image: d.image,
      labels: d.labels,
      containerName: d.container,
      replicas: ch.replicas(d.name),
    },
    ch.section("3.2.4", "스펙을 지정해서 오브젝트 생성하기 · apply로 관리하기"),
  );
  return { deployment: d.name, replicas: ch.replicas(d.name) };
}

/** 3.2.8 노드 자원 보호하기: `kubectl cordon <node>` for each node in `lab:ch3.cordon` and `lab:ch3.drain`. */
function cordon(ch: Chapter): Record<string, k8s.core.v1.NodePatch> {
  const nodes = [...new Set([...ch.s.cordon, ...ch.s.drain])];
  if (nodes.length === 0 || ch.cluster.mode === "render") return {};
  const opts = ch.section("3.2.8", "노드 자원 보호하기 (cordon)");
  return Object.fromEntries(
    nodes.map((node) => [
      node,
      new k8s.core.v1.NodePatch(
        `cordon-${node}`,
        {
          // Takes the field over from a `kubectl cordon` typed by hand; removing it uncordons.
          metadata: { name: node, annotations: { "pulumi.com/patchForce": "true" } },
          spec: { unschedulable: true },
        },
        opts,
      ),
    ]),
  );
}

/** 3.2.9 노드 유지보수하기: `kubectl drain <node> --ignore-daemonsets` for each node in `lab:ch3.drain`. */
function drain(ch: Chapter, cordons: Record<string, k8s.core.v1.NodePatch>) {
  if (ch.s.drain.length === 0 || !ch.cluster.kubectl) return [];
  const opts = ch.section("3.2.9", "노드 유지보수하기 (drain)");
  for (const node of ch.s.drain) {
    ch.cluster.kubectl(
      `drain-${node}`,
      { create: ["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=5m"] },
      { ...opts, dependsOn: [cordons[node]] },
    );
  }
  return ch.s.drain;
}

/** 3.2.10 파드 업데이트하고 복구하기: `rollout-nginx.yaml --record`, `set image`, `rollout undo`. */
function rollout(ch: Chapter) {
  const d = CH3.rolloutNginx;
  const image = `${d.imageRepository}:${ch.s.rolloutTag}`;
  new ExposedDeployment(
    d.name,
    {
      name: d.name,
      image,
      labels: d.labels,
      containerName: d.container,
      replicas: ch.replicas(d.name),
      annotations: {
        // Replaces `--record`: `kubectl rollout history` shows which setting made each revision.
        [CHANGE_CAUSE]: `pulumi up: lab:ch3.rolloutTag=${ch.s.rolloutTag} (${image})`,
        // A tag that does not exist (the book's 1.17.23) fails `pulumi up` after this long
        // ("timed out waiting to be Ready"), instead of after ten minutes.
        "pulumi.com/timeoutSeconds": String(ch.s.rolloutTimeout),
      },
    },
    ch.section("3.2.10", "파드 업데이트하고 복구하기"),
  );
  return { deployment: d.name, image };
}

/** 3.3.1 가장 간단하게 연결하는 노드포트: `np-pods`, `np-svc` (30000), `expose ... --name=np-svc-v2`. */
function nodePort(ch: Chapter) {
  const n = CH3.nodePort;
  const opts = ch.section("3.3.1", "가장 간단하게 연결하는 노드포트");
  const pods = new ExposedDeployment(
    n.deployment,
    {
      name: n.deployment,
      image: n.image,
      replicas: ch.replicas(n.deployment),
      service: {
        name: n.service,
        type: "NodePort",
        ports: [{ name: n.portName, port: 80, nodePort: n.nodePort }],
      },
    },
    opts,
  );
  const v2 = new k8s.core.v1.Service(
    n.serviceV2,
    {
      metadata: bookMeta(n.serviceV2),
      spec: {
        type: "NodePort",
        selector: { app: n.deployment },
        ports: [{ port: 80, targetPort: 80, protocol: "TCP" }],
      },
    },
    { ...opts, dependsOn: [pods.deployment] },
  );
  return {
    [n.service]: url("http", ch.nodeAddress, n.nodePort),
    [n.serviceV2]: v2.spec.apply((spec) => {
      const picked = spec?.ports?.[0]?.nodePort;
      // Known once the API server holds the Service; a plan or render mode never has it.
      return picked === undefined
        ? messages().nodePortPicked(n.serviceV2)
        : url("http", ch.nodeAddress, picked);
    }),
  };
}

/** 3.3.2 사용 목적별로 연결하는 인그레스: two apps, the controller on 30100/30101, rules `/` and `/ip`. */
function ingress(ch: Chapter) {
  const i = CH3.ingress;
  const opts = ch.section("3.3.2", "사용 목적별로 연결하는 인그레스");
  const controller = new IngressNginx(
    "ingress-nginx",
    {
      chart: chartSource("ingressNginx", ch.config.charts.dir, ch.cluster.mode),
      namespace: i.namespace,
      httpNodePort: i.httpNodePort,
      httpsNodePort: i.httpsNodePort,
    },
    opts,
  );
  // `kubectl expose deployment ... --port=80,443` names the ports port-1 and port-2.
  const ports = i.servicePorts.map((port, k) => ({ name: `port-${k + 1}`, port }));
  const apps = [i.hname, i.ip].map(
    (a) =>
      new ExposedDeployment(
        a.deployment,
        {
          name: a.deployment,
          image: a.image,
          replicas: 1,
          service: { name: a.service, type: "ClusterIP", ports },
        },
        opts,
      ),
  );
  const backend = (service: string) => ({ service: { name: service, port: { number: 80 } } });
  new k8s.networking.v1.Ingress(
    i.name,
    {
      metadata: bookMeta(i.name, {
        annotations: {
          "nginx.ingress.kubernetes.io/rewrite-target": "/",
          // A controller published on node ports reports no address to wait for (pulumi-kubernetes#1810).
          "pulumi.com/skipAwait": "true",
        },
      }),
      spec: {
        ingressClassName: controller.className,
        rules: [
          {
            http: {
              paths: [
                { path: "/", pathType: "Prefix", backend: backend(i.hname.service) },
                { path: i.ipPath, pathType: "Prefix", backend: backend(i.ip.service) },
              ],
            },
          },
        ],
      },
    },
    {
      ...opts,
      dependsOn: [...controller.ready, ...apps.map((a) => a.service as k8s.core.v1.Service)],
    },
  );
  return {
    http: url("http", ch.nodeAddress, i.httpNodePort),
    ip: url("http", ch.nodeAddress, i.httpNodePort, i.ipPath),
    https: url("https", ch.nodeAddress, i.httpsNodePort),
  };
}

/** A LoadBalancer Deployment pair of 3.3.4-3.4.4, addressed from MetalLB's pool. */
function loadBalanced(
  ch: Chapter,
  opts: { parent: pulumi.Resource },
  app: { deployment: string; image: string; service: string },
  extra: Partial<ConstructorParameters<typeof ExposedDeployment>[1]> = {},
) {
  const lb = ch.metalLb;
  return new ExposedDeployment(
    app.deployment,
    {
      name: app.deployment,
      image: app.image,
      service: { name: app.service, type: "LoadBalancer", ports: [{ port: 80 }] },
      awaitLoadBalancer: ch.awaitLb,
      addressPool: lb?.addresses,
      ...extra,
    },
    { ...opts, dependsOn: lb ? lb.ready : [] },
  );
}

/** 3.3.4: MetalLB itself, with the pool from `lab:ch3.lbRange`; every LoadBalancer Service after it needs it. */
function installMetalLb(ch: Chapter) {
  const l = CH3.loadBalancer;
  const [first, last] = ch.s.lbRange.split("-");
  const prefix = networkPrefix(ch.config, ch.cluster);
  ch.metalLb = new MetalLb(
    "metallb",
    {
      chart: chartSource("metallb", ch.config.charts.dir, ch.cluster.mode),
      namespace: l.namespace,
      poolName: l.poolName,
      addresses: `${prefix}.${first}-${prefix}.${last}`,
    },
    ch.section("3.3.4", "온프레미스에서 로드밸런서를 제공하는 MetalLB"),
  );
  return ch.metalLb.addresses;
}

/** 3.3.4 온프레미스에서 로드밸런서를 제공하는 MetalLB: `lb-hname-pods`, `lb-ip-pods` and their Services. */
function loadBalancers(ch: Chapter) {
  const l = CH3.loadBalancer;
  const opts = ch.section("3.3.4", "온프레미스에서 로드밸런서를 제공하는 MetalLB");
  const hname = loadBalanced(ch, opts, l.hname, { replicas: ch.replicas(l.hname.deployment) });
  const ip = loadBalanced(ch, opts, l.ip, { replicas: ch.replicas(l.ip.deployment) });
  return { [l.hname.service]: hname.address, [l.ip.service]: ip.address };
}

/** 3.3.5 부하에 따라 자동으로 파드 수를 조절하는 HPA: metrics-server, `hpa-hname-pods` (10m/50m), the HPA. */
function hpa(ch: Chapter) {
  const h = CH3.hpa;
  const opts = ch.section("3.3.5", "부하에 따라 자동으로 파드 수를 조절하는 HPA");
  const metrics = new MetricsServer(
    "metrics-server",
    {
      chart: chartSource("metricsServer", ch.config.charts.dir, ch.cluster.mode),
      args: CH3.metricsServerArgs,
    },
    opts,
  );
  const app = loadBalanced(ch, opts, h, {
    // No replicas: the HPA owns them (`kubectl edit` added only the resources).
    container: {
      imagePullPolicy: "Always",
      resources: { requests: { cpu: h.requestCpu }, limits: { cpu: h.limitCpu } },
    },
  });
  new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    h.deployment,
    {
      metadata: bookMeta(h.deployment),
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: h.deployment },
        minReplicas: h.min,
        maxReplicas: h.max,
        metrics: [
          {
            type: "Resource",
            resource: {
              name: "cpu",
              target: { type: "Utilization", averageUtilization: h.cpuPercent },
            },
          },
        ],
      },
    },
    { ...opts, dependsOn: [app.deployment, ...metrics.ready] },
  );
  if (ch.s.loadGenerator) loadGenerator(opts, app.deployment);
  return {
    [h.service]: app.address,
    autoscale: messages().autoscaleRange(h.min, h.max, h.cpuPercent),
  };
}

/**
 * `lab:ch3.loadGenerator`: the load that makes 3.3.5's HPA scale out, from a few pods that request
 * the Service by name for a while (apps/hpa-load/load.sh). `up` does not wait for the Job; to run
 * it again, set the setting false and true again, or `up --replace` the Job.
 */
function loadGenerator(opts: pulumi.CustomResourceOptions, app: pulumi.Resource) {
  const { load, service } = CH3.hpa;
  new k8s.batch.v1.Job(
    load.job,
    {
      metadata: bookMeta(load.job, { annotations: SKIP_AWAIT }),
      spec: {
        parallelism: load.workers,
        completions: load.workers,
        backoffLimit: 0,
        activeDeadlineSeconds: load.seconds + 120,
        template: {
          spec: {
            restartPolicy: "Never",
            containers: [
              {
                name: "load",
                image: load.image,
                command: ["sh", "-c", fs.readFileSync(load.script, "utf8")],
                env: [
                  { name: "TARGET", value: `http://${service}` },
                  { name: "SECONDS_OF_LOAD", value: String(load.seconds) },
                ],
              },
            ],
          },
        },
      },
    },
    { ...opts, dependsOn: [app] },
  );
}

/** 3.4.1 데몬셋: MetalLB's speaker runs on every node; `lab:cluster.workers 4` adds `w4-k8s` and a speaker. */
function daemonSet(ch: Chapter) {
  if (!ch.metalLb) return undefined;
  return messages().speakerPerNode(`kubectl get pods -n ${CH3.loadBalancer.namespace} -o wide`);
}

/** 3.4.2 컨피그맵: `cfgmap` behind `cfgmap-svc`; the book's ConfigMap edit is `lab:ch3.lbRange 21-23`. */
function configMap(ch: Chapter) {
  const c = CH3.cfgmap;
  const app = loadBalanced(ch, ch.section("3.4.2", "컨피그맵 (MetalLB 주소 범위 바꾸기)"), c, {
    replicas: 1,
  });
  return { [c.service]: app.address };
}

/** 3.4.3 PV와 PVC: the NFS export, `nfs-pv`/`nfs-pvc`, `nfs-pvc-deploy` (+ Service), `nfs-ip`, and the limits. */
function persistentVolumes(ch: Chapter) {
  const n = CH3.nfs;
  const opts = ch.section("3.4.3", "PV와 PVC");
  const lab = ch.cluster.lab;
  // On the lab cluster the master serves NFS (its server comes with the cluster); elsewhere the
  // server the settings name.
  const server = lab ? lab.nodes[0].ip : (ch.s.nfsServer as string);
  const path = ch.s.nfsPath;
  const ready: pulumi.Resource[] = [];
  if (lab) {
    const [master] = lab.nodes;
    const nfs = new NfsExports(
      "nfs",
      {
        server: lab.connection(master),
        address: master.ip,
        network: `${networkPrefix(ch.config, ch.cluster)}.0/24`,
        options: n.exportOptions,
        exports: [{ path }],
        dependsOn: lab.ready,
      },
      opts,
    );
    ready.push(...nfs.ready);
  }
  const volume = new NfsVolume(
    n.pv.name,
    {
      pvName: n.pv.name,
      pvcName: n.pvc.name,
      server,
      path,
      capacity: n.pv.capacity,
      request: n.pvc.request,
      accessMode: n.pv.accessMode,
      reclaimPolicy: n.pv.reclaim,
    },
    { ...opts, dependsOn: ready },
  );
  ch.nfs = { claim: n.pvc.name, server, path, ready: [...ready, volume.claim] };

  const audit = (d: typeof n.deploy | typeof n.ip, volume: k8s.types.input.core.v1.Volume) => ({
    name: d.name,
    image: d.image,
    containerName: d.container,
    replicas: ch.replicas(d.name),
    container: { volumeMounts: [{ name: d.volume, mountPath: d.mountPath }] },
    volumes: [volume],
  });
  const deploy = loadBalanced(
    ch,
    opts,
    { deployment: n.deploy.name, image: n.deploy.image, service: n.deploy.service },
    audit(n.deploy, { name: n.deploy.volume, persistentVolumeClaim: { claimName: n.pvc.name } }),
  );
  new ExposedDeployment(n.ip.name, audit(n.ip, { name: n.ip.volume, nfs: { server, path } }), {
    ...opts,
    dependsOn: ready,
  });

  if (ch.s.storageLimits) storageLimits(opts);
  return { export: `${server}:${path}`, [n.deploy.service]: deploy.address };
}

/**
 * 3.4.3 `limits-pvc.yaml` and `quota-pvc.yaml` with the book's names, in a namespace of their own
 * rather than the book's `default`: there they would refuse every later claim over 5Mi, on the lab
 * cluster chapters 5 and 6 share (their 10Gi claims in `default`), in whichever order they come.
 * The reader's claim of the book (`nfs-pvc.yaml`, 10Mi) made in this namespace is refused as the
 * book shows.
 */
function storageLimits(opts: { parent: pulumi.Resource }) {
  const n = CH3.nfs;
  const namespace = new k8s.core.v1.Namespace(
    n.limitsNamespace,
    { metadata: { name: n.limitsNamespace } },
    opts,
  );
  const metadata = (name: string) => ({ name, namespace: namespace.metadata.name });
  new k8s.core.v1.LimitRange(
    n.limitRange.name,
    {
      metadata: metadata(n.limitRange.name),
      spec: {
        limits: [
          {
            type: "PersistentVolumeClaim",
            max: { storage: n.limitRange.max },
            min: { storage: n.limitRange.min },
          },
        ],
      },
    },
    opts,
  );
  new k8s.core.v1.ResourceQuota(
    n.quota.name,
    {
      metadata: metadata(n.quota.name),
      spec: {
        hard: { persistentvolumeclaims: n.quota.pvcs, "requests.storage": n.quota.storage },
      },
    },
    opts,
  );
}

/** 3.4.4 스테이트풀셋: `nfs-pvc-sts` with `serviceName: sts-svc-domain`, that headless Service, `nfs-pvc-sts-svc`. */
function statefulSet(ch: Chapter) {
  const t = CH3.sts;
  const opts = ch.section("3.4.4", "스테이트풀셋");
  const labels = { app: t.name };
  const nfs = ch.nfs as NonNullable<Chapter["nfs"]>;
  const headless = exposeService(
    { name: t.serviceName, type: "ClusterIP", headless: true, ports: [{ port: 80 }] },
    labels,
    {},
    opts,
  );
  const sts = new k8s.apps.v1.StatefulSet(
    t.name,
    {
      metadata: bookMeta(t.name, { labels }),
      spec: {
        replicas: ch.replicas(t.name),
        serviceName: headless.metadata.name,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: t.container,
                image: t.image,
                volumeMounts: [{ name: "nfs-vol", mountPath: t.mountPath }],
              },
            ],
            volumes: [{ name: "nfs-vol", persistentVolumeClaim: { claimName: nfs.claim } }],
          },
        },
      },
    },
    { ...opts, dependsOn: nfs.ready },
  );
  const lb = ch.metalLb;
  const svc = exposeService(
    { name: t.service, type: "LoadBalancer", ports: [{ port: 80 }] },
    labels,
    { awaitLoadBalancer: ch.awaitLb, addressPool: lb?.addresses },
    { ...opts, dependsOn: [sts, ...(lb ? lb.ready : [])] },
  );
  return {
    [t.service]: loadBalancerAddress(svc),
    dns: `${t.name}-0.${t.serviceName}.default.svc.cluster.local`,
  };
}

/** Builds chapter 3 in book order and returns its outputs. */
export function buildCh3(config: LabConfig<"ch3">, cluster: LabCluster) {
  const s = config.settings;
  // The configuration fills in the default sections (see resolveCh3).
  const built = s.sections ?? [];
  const chosen = new Set<Ch3Section>(built);
  const lab = cluster.lab;
  const firstWorker = lab?.nodes.find((n) => n.role === "worker") ?? lab?.nodes[0];
  const ch: Chapter = {
    config,
    s,
    cluster,
    awaitLb: config.cluster.awaitLoadBalancer ?? cluster.lab !== undefined,
    nodeAddress: firstWorker?.ip ?? messages().nodeAddress(),
    section: bookSections("ch3", cluster),
    replicas: (name) => s.replicas[name] ?? CH3_SCALABLE[name],
  };
  const on = (id: Ch3Section) => chosen.has(id);

  const outputs: Record<string, unknown> = { sections: built };
  if (on("3.1.6")) outputs.nginxPod = nginxPod(ch);
  if (on("3.2.1")) outputs.dpyNginx = deploymentByCommand(ch);
  if (on("3.2.4")) outputs.echoHname = deploymentBySpec(ch);
  const cordons = cordon(ch);
  outputs.cordoned = Object.keys(cordons);
  outputs.drained = drain(ch, cordons);
  if (on("3.2.10")) outputs.rollout = rollout(ch);
  if (on("3.3.1")) outputs.nodePort = nodePort(ch);
  if (on("3.3.2")) outputs.ingress = ingress(ch);
  // MetalLB comes with 3.3.4, and every later LoadBalancer Service needs it.
  if (CH3_LB_SECTIONS.some(on)) outputs.metalLbPool = installMetalLb(ch);
  if (on("3.3.4")) outputs.loadBalancer = loadBalancers(ch);
  if (on("3.3.5")) outputs.hpa = hpa(ch);
  outputs.daemonSetCheck = daemonSet(ch);
  if (on("3.4.2")) outputs.configMap = configMap(ch);
  if (on("3.4.3")) outputs.nfs = persistentVolumes(ch);
  if (on("3.4.4")) outputs.statefulSet = statefulSet(ch);
  if (cluster.mode === "render" && (s.cordon.length || s.drain.length)) {
    outputs.note = messages().cordonDrainRendered();
  }
  // Only on the lab cluster: the engine warns about every undefined stack output.
  if (lab) {
    outputs.workers = lab.nodes.length - 1;
    outputs.masterAddress = lab.nodes[0].ip;
  }
  return outputs;
}
