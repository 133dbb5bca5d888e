/**
 * The practice set: ReplicaSet scaling, Deployment rollout and rollback, and a blue/green
 * switch behind one LoadBalancer. The notes ran the last part on GKE with images from a private
 * Google registry; here it runs on the stack's cluster (catalog.md, "cloud parts").
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { BlueGreen } from "../components/blueGreen";
import { BookSection } from "../components/bookSection";
import { type Color, PRACTICE } from "../lib/book";
import type { LabCluster } from "../lib/cluster";
import type { ChapterSettings } from "../lib/config";
import { bookMeta, CHANGE_CAUSE } from "../lib/k8s";
import { messages } from "../lib/messages";
import { VERSIONS } from "../lib/versions";

type Settings = ChapterSettings<"practice">;

/** "replicaset을 이용한 서비스 구축 및 replica 수 변경 적용 실습": `kubectl apply` of 3, then 4 replicas. */
function replicaSetLab(settings: Settings, cluster: LabCluster) {
  const rs = PRACTICE.replicaSet;
  const section = new BookSection(
    "practice-replicaset",
    {
      title: "replicaset을 이용한 서비스 구축 및 replica 수 변경 적용 실습",
      source: "practice notes",
    },
    { providers: [cluster.provider] },
  );
  const replicaSet = new k8s.apps.v1.ReplicaSet(
    rs.name,
    {
      metadata: bookMeta(rs.name),
      spec: {
        // replicaset-nginx.yaml says 3, replicaset-nginx-4pods.yaml says 4: lab:practice.replicaSetReplicas.
        replicas: settings.replicaSetReplicas,
        selector: { matchLabels: rs.labels },
        template: {
          metadata: { name: rs.podName, labels: rs.labels },
          spec: {
            containers: [
              { name: rs.container, image: rs.image, ports: [{ containerPort: rs.containerPort }] },
            ],
          },
        },
      },
    },
    { parent: section },
  );
  return { name: replicaSet.metadata.name, replicas: settings.replicaSetReplicas };
}

/** "Deployment를 활용한 rollback 실습": `apply --record`, `set image ... --record`, `rollout undo`. */
function rollbackLab(settings: Settings, cluster: LabCluster) {
  const d = PRACTICE.rollout;
  const section = new BookSection(
    "practice-rollback",
    { title: "Deployment를 활용한 rollback 실습", source: "practice notes" },
    { providers: [cluster.provider] },
  );
  const image = `${d.imageRepository}:${settings.nginxTag}`;
  const deployment = new k8s.apps.v1.Deployment(
    d.name,
    {
      metadata: bookMeta(d.name, {
        // Replaces `--record`: each revision in `kubectl rollout history` says which tag it ran.
        annotations: {
          [CHANGE_CAUSE]: `pulumi up: lab:practice.nginxTag=${settings.nginxTag} (${image})`,
        },
      }),
      spec: {
        replicas: d.replicas,
        selector: { matchLabels: d.labels },
        template: {
          metadata: { name: d.podName, labels: d.labels },
          spec: {
            containers: [{ name: d.container, image, ports: [{ containerPort: d.containerPort }] }],
          },
        },
      },
    },
    { parent: section },
  );
  return { deployment: deployment.metadata.name, image };
}

/** The nginx template that makes each color answer with its name and the ConfigMap's project id. */
function webserverPage(): string {
  return [
    "server {",
    `    listen ${PRACTICE.webserver.containerPort};`,
    "    location / {",
    "        default_type text/plain;",
    `        return 200 "webserver-\${COLOR} (project.id=\${${PRACTICE.webserver.env.projectId}})\\n";`,
    "    }",
    "}",
    "",
  ].join("\n");
}

/**
 * "GCP를 활용해 서비스 배포": ConfigMap `projectid`, Secret `apikey`, `webserver-blue`/`-green` with
 * both as environment, and Service `webserver` selecting the active color.
 */
function blueGreenLab(settings: Settings, cluster: LabCluster) {
  const w = PRACTICE.webserver;
  const section = new BookSection(
    "practice-blue-green",
    {
      title: "GCP를 활용해 서비스 배포 (here on the stack's cluster, not GKE)",
      source: "practice notes",
    },
    { providers: [cluster.provider] },
  );
  const child = { parent: section };

  const cm = PRACTICE.projectConfigMap;
  const projectId = new k8s.core.v1.ConfigMap(
    cm.name,
    { metadata: bookMeta(cm.name), data: { [cm.key]: settings.projectId } },
    child,
  );

  // The notes committed `id`/`key` base64-encoded in secret.yaml; here they come from
  // `pulumi config set --secret`, or are generated and kept encrypted in the stack state.
  const apiKeyId =
    settings.apiKeyId ??
    new random.RandomPassword("apikey-id", { length: 8, special: false }, child).result;
  const apiKey =
    settings.apiKey ??
    new random.RandomPassword("apikey-key", { length: 24, special: false }, child).result;
  const s = PRACTICE.apiKeySecret;
  const secret = new k8s.core.v1.Secret(
    s.name,
    {
      metadata: bookMeta(s.name),
      type: "Opaque",
      stringData: {
        [s.idKey]: cluster.secretValue(apiKeyId),
        [s.keyKey]: cluster.secretValue(apiKey),
      },
    },
    child,
  );

  const page = new k8s.core.v1.ConfigMap(
    `${w.deploymentPrefix}-page`,
    {
      metadata: bookMeta(`${w.deploymentPrefix}-page`),
      data: { "default.conf.template": webserverPage() },
    },
    child,
  );

  const podSpec = (color: Color): k8s.types.input.core.v1.PodSpec => ({
    containers: [
      {
        name: w.container,
        image: VERSIONS.webserverImage,
        env: [
          {
            name: w.env.projectId,
            valueFrom: { configMapKeyRef: { name: projectId.metadata.name, key: cm.key } },
          },
          {
            name: w.env.secretId,
            valueFrom: { secretKeyRef: { name: secret.metadata.name, key: s.idKey } },
          },
          {
            name: w.env.secretKey,
            valueFrom: { secretKeyRef: { name: secret.metadata.name, key: s.keyKey } },
          },
          { name: "COLOR", value: color },
        ],
        ports: [{ containerPort: w.containerPort, name: w.portName }],
        volumeMounts: [{ name: "page", mountPath: "/etc/nginx/templates", readOnly: true }],
      },
    ],
    volumes: [{ name: "page", configMap: { name: page.metadata.name } }],
  });

  const blueGreen = new BlueGreen(
    w.serviceName,
    {
      serviceName: w.serviceName,
      deploymentPrefix: w.deploymentPrefix,
      labels: w.labels,
      replicas: w.replicas,
      podSpec,
      activeColor: settings.activeColor,
      port: w.servicePort,
      targetPort: w.containerPort,
      awaitLoadBalancer: cluster.awaitLoadBalancers,
    },
    child,
  );

  const url = blueGreen.address.apply((a) =>
    a ? `http://${a}` : noAddressYet(cluster.mode, w.serviceName, w.servicePort),
  );
  return {
    blueGreen: { service: blueGreen.service.metadata.name, activeColor: settings.activeColor, url },
    apiKey: { id: pulumi.secret(apiKeyId), key: pulumi.secret(apiKey) },
  };
}

/**
 * What the reader does while the LoadBalancer Service has no address. The notes' GKE gave one at
 * once; kind and minikube have no load balancer (the Service stays `<pending>`), and the lab
 * cluster has one only once a chapter installed MetalLB on it.
 */
export function noAddressYet(mode: LabCluster["mode"], service: string, port: number): string {
  const m = messages();
  if (mode === "render") return m.notAppliedRendered();
  const forward = m.portForward(service, port);
  if (mode === "kubeconfig") return m.noLoadBalancerOwnCluster(service, forward);
  return m.noLoadBalancerLabCluster(forward);
}

/** Builds the practice stack in the order of the notes and returns its outputs. */
export function buildPractice(settings: Settings, cluster: LabCluster) {
  const replicaSet = replicaSetLab(settings, cluster);
  const rollout = rollbackLab(settings, cluster);
  const { blueGreen, apiKey } = blueGreenLab(settings, cluster);
  return {
    replicaSet,
    rollout,
    blueGreen,
    apiKey,
    tryIt: [
      `kubectl get pods -l app=${PRACTICE.replicaSet.labels.app}`,
      `kubectl rollout history deployment ${PRACTICE.rollout.name}`,
      `kubectl get service ${PRACTICE.webserver.serviceName} -o wide`,
    ],
  };
}
