/**
 * Chapter 6, "안정적인 운영을 완성하는 모니터링, 프로메테우스와 그라파나": Prometheus, Alertmanager and
 * Grafana by Helm on NFS, with fixed LoadBalancer addresses, the node alert, and the data source and
 * node dashboard the book builds by hand, provisioned as code.
 */
import * as fs from "node:fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { MetalLb } from "../components/metalLb";
import { NfsExports } from "../components/nfsExports";
import { NfsVolume } from "../components/nfsVolume";
import { CH3, CH5, CH6 } from "../lib/book";
import { type ChartName, type ChartSource, chartSource } from "../lib/charts";
import type { LabCluster } from "../lib/cluster";
import type { LabConfig } from "../lib/config";
import { ConfigError } from "../lib/errors";
import { helmInstall } from "../lib/helmInstall";
import { bookMeta } from "../lib/k8s";
import { messages } from "../lib/messages";
import { nodeStep } from "../lib/nodeStep";
import { bookSections, type Lab, onClusterNetwork } from "./common";

type Section = ReturnType<typeof bookSections>;
/** A chart of the chapter, as the cluster takes it (a Helm release on the lab cluster). */
type Charts = (name: ChartName) => ChartSource;

/** The node dashboard of 6.4, as the book's readers build it by hand. */
const NODE_DASHBOARD = "dashboards/node.json";
/** Where Alertmanager reads the Slack webhook from (mounted from a Secret, never in its config). */
const SLACK_WEBHOOK_FILE = "/etc/alertmanager/slack/webhook";

/** Pins a LoadBalancer Service to one address of MetalLB's pool (the book's `loadBalancerIP`). */
const fixedAddress = (address: string) => ({ "metallb.io/loadBalancerIPs": address });

/** 6.2.1-6.5.1 storage: the NFS folders (1000:1000) and their 10Gi PV/PVC pairs. */
function storage(config: LabConfig<"ch6">, lab: Lab, section: Section) {
  const opts = section("6.2.1", "프로메테우스 설치하기");
  const [master] = lab.nodes;
  const n = CH6.nfs;
  const nfs = new NfsExports(
    "nfs",
    {
      server: lab.connection(master),
      address: master.ip,
      network: `${config.network.prefix}.0/24`,
      options: CH3.nfs.exportOptions,
      exports: [n.server, n.alertmanager, n.grafana].map((v) => ({ path: v.dir, owner: n.owner })),
      dependsOn: lab.ready,
    },
    opts,
  );
  const volume = (
    v: { dir: string; volume: string },
    claim: string,
    sectionOpts: { parent: pulumi.Resource },
  ) =>
    new NfsVolume(
      v.volume,
      {
        pvName: v.volume,
        pvcName: claim,
        server: master.ip,
        path: v.dir,
        capacity: n.size,
        request: n.size,
        accessMode: "ReadWriteMany",
        reclaimPolicy: "Retain",
      },
      { ...sectionOpts, dependsOn: nfs.ready },
    );
  return {
    nfs,
    server: volume(n.server, n.server.volume, opts),
    // The chart's Alertmanager is a StatefulSet that asks for the claim
    // `storage-<release>-alertmanager-0`; the book's PV `prometheus-alertmanager` is bound to it.
    alertmanager: volume(
      n.alertmanager,
      `storage-${CH6.prometheus.release}-alertmanager-0`,
      section("6.5.1", "알림을 받기 위한 얼럿매니저 구성하기"),
    ),
    grafana: volume(n.grafana, n.grafana.volume, section("6.4.1", "그라파나 설치하기")),
  };
}

/** 6.2.1 and 6.5.1: Prometheus with node-exporter and kube-state-metrics, Alertmanager and the NodeDown rule. */
function prometheus(
  config: LabConfig<"ch6">,
  charts: Charts,
  section: Section,
  volumes: ReturnType<typeof storage>,
  after: pulumi.Resource[],
) {
  const p = CH6.prometheus;
  const a = CH6.alertmanager;
  const prefix = config.network.prefix;
  const serverAddress = `${prefix}.${p.serverHost}`;
  const alertmanagerAddress = `${prefix}.${p.alertmanagerHost}`;
  const slack = config.settings.slackWebhook;

  const alertOpts = section("6.5.1", "알림을 받기 위한 얼럿매니저 구성하기");
  // `alert-notifier.yaml` put the webhook into a ConfigMap by `sed`; here it is a Secret file.
  const webhook = slack
    ? new k8s.core.v1.Secret(
        "alertmanager-slack",
        {
          metadata: bookMeta("alertmanager-slack"),
          type: "Opaque",
          stringData: { webhook: slack },
        },
        alertOpts,
      )
    : undefined;
  const receiver = slack
    ? {
        name: a.receiver,
        slack_configs: [
          {
            channel: config.settings.slackChannel,
            send_resolved: true,
            title: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}",
            text: "*Description:* {{ .CommonAnnotations.description }}",
          },
        ],
      }
    : { name: "default-receiver" };

  // `helm install prometheus ...` of 6.2.1, and its `helm upgrade` of 6.5.1 with Alertmanager.
  const release = helmInstall(
    "prometheus",
    {
      source: charts("prometheus"),
      release: p.release,
      namespace: "default",
      values: {
        server: {
          persistentVolume: { existingClaim: volumes.server.claim.metadata.name },
          securityContext: { runAsUser: p.uid, runAsGroup: p.gid, fsGroup: p.gid },
          service: {
            type: "LoadBalancer",
            servicePort: 80,
            annotations: fixedAddress(serverAddress),
          },
          baseURL: `http://${serverAddress}`,
          // The chart's own flag and the book's: no lock file on NFS.
          extraFlags: ["web.enable-lifecycle", p.extraFlag],
        },
        // node-exporter on every node, m-k8s included (the book's master toleration).
        "prometheus-node-exporter": {
          tolerations: [
            {
              key: "node-role.kubernetes.io/control-plane",
              operator: "Exists",
              effect: "NoSchedule",
            },
          ],
        },
        "kube-state-metrics": { enabled: true },
        "prometheus-pushgateway": { enabled: false },
        alertmanager: {
          enabled: true,
          persistence: {
            enabled: true,
            size: CH6.nfs.size,
            accessModes: ["ReadWriteMany"],
            storageClass: "-",
          },
          // The NFS folder is 1000:1000 and NFS ignores fsGroup, so Alertmanager runs as the
          // book's uid/gid. The chart's container-level securityContext (65534) wins over the
          // pod's, so both are set.
          podSecurityContext: { runAsUser: p.uid, runAsGroup: p.gid, fsGroup: p.gid },
          securityContext: { runAsUser: p.uid, runAsGroup: p.gid },
          service: {
            type: "LoadBalancer",
            port: 80,
            annotations: fixedAddress(alertmanagerAddress),
          },
          baseURL: `http://${alertmanagerAddress}`,
          extraSecretMounts: webhook
            ? [
                {
                  name: "slack",
                  mountPath: "/etc/alertmanager/slack",
                  secretName: "alertmanager-slack",
                  readOnly: true,
                },
              ]
            : [],
          config: {
            ...(slack ? { global: { slack_api_url_file: SLACK_WEBHOOK_FILE } } : {}),
            receivers: [receiver],
            route: {
              group_wait: a.groupWait,
              group_interval: a.groupInterval,
              repeat_interval: a.repeatInterval,
              receiver: receiver.name,
            },
          },
        },
        serverFiles: {
          "alerting_rules.yml": {
            groups: [
              {
                name: CH6.nodeDown.group,
                rules: [
                  {
                    alert: CH6.nodeDown.alert,
                    expr: CH6.nodeDown.expr,
                    for: CH6.nodeDown.for,
                    annotations: { description: "kubernetes node {{ $labels.instance }} down" },
                  },
                ],
              },
            ],
          },
        },
      },
    },
    {
      ...section("6.2.1", "프로메테우스 설치하기"),
      dependsOn: [
        volumes.server.claim,
        volumes.alertmanager.claim,
        ...(webhook ? [webhook] : []),
        ...after,
      ],
    },
  );
  return {
    release,
    outputs: {
      prometheus: `http://${serverAddress}`,
      alertmanager: `http://${alertmanagerAddress}`,
      slack: slack ? messages().slackNotices(config.settings.slackChannel) : messages().slackOff(),
    },
  };
}

/** 6.2.3 서비스 디스커버리: `nginx-status-metrics.yaml`, nginx with its exporter sidecar and scrape annotations. */
function nginxStatus(section: Section) {
  const n = CH6.nginxStatus;
  const labels = { app: n.deployment };
  new k8s.apps.v1.Deployment(
    n.deployment,
    {
      metadata: bookMeta(n.deployment, { labels }),
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: {
            labels,
            annotations: {
              "prometheus.io/port": String(n.exporter.port),
              "prometheus.io/scrape": "true",
            },
          },
          spec: {
            containers: [
              { name: n.deployment, image: n.image, ports: [{ containerPort: 80 }] },
              {
                name: n.exporter.name,
                image: n.exporter.image,
                env: [{ name: "SCRAPE_URI", value: n.exporter.scrapeUri }],
                ports: [{ containerPort: n.exporter.port }],
              },
            ],
          },
        },
      },
    },
    section("6.2.3", "프로메테우스 서비스 디스커버리"),
  );
  return n.deployment;
}

/** 6.4.1 그라파나 설치하기, with the data source and the node dashboard of 6.4 as code. */
function grafana(
  config: LabConfig<"ch6">,
  charts: Charts,
  section: Section,
  volumes: ReturnType<typeof storage>,
  after: pulumi.Resource[],
) {
  const g = CH6.grafana;
  const opts = section("6.4.1", "그라파나 설치하기");
  const password =
    config.settings.grafanaPassword ??
    new random.RandomPassword("grafana-admin-password", { length: 20, special: false }, opts)
      .result;
  const admin = new k8s.core.v1.Secret(
    "grafana-admin",
    {
      metadata: bookMeta("grafana-admin"),
      type: "Opaque",
      stringData: { "admin-user": g.adminUser, "admin-password": password },
    },
    opts,
  );
  const address = `${config.network.prefix}.${g.host}`;
  // `helm install grafana ...` of 6.4.1.
  helmInstall(
    "grafana",
    {
      source: charts("grafana"),
      release: g.release,
      namespace: "default",
      values: {
        persistence: { enabled: true, existingClaim: volumes.grafana.claim.metadata.name },
        securityContext: { runAsUser: g.uid, runAsGroup: g.gid, fsGroup: g.gid },
        service: { type: "LoadBalancer", annotations: fixedAddress(address) },
        admin: {
          existingSecret: admin.metadata.name,
          userKey: "admin-user",
          passwordKey: "admin-password",
        },
        datasources: {
          "datasources.yaml": {
            apiVersion: 1,
            datasources: [
              {
                name: "Prometheus",
                uid: "prometheus",
                type: "prometheus",
                access: "proxy",
                url: CH6.prometheus.url,
                isDefault: true,
              },
            ],
          },
        },
        dashboardProviders: {
          "dashboardproviders.yaml": {
            apiVersion: 1,
            providers: [
              {
                name: "k8sinfra-lab",
                folder: "k8sinfra-lab",
                type: "file",
                disableDeletion: false,
                options: { path: "/var/lib/grafana/dashboards/k8sinfra-lab" },
              },
            ],
          },
        },
        dashboards: {
          "k8sinfra-lab": { nodes: { json: fs.readFileSync(NODE_DASHBOARD, "utf8") } },
        },
      },
    },
    { ...opts, dependsOn: [volumes.grafana.claim, admin, ...after] },
  );
  return {
    url: `http://${address}`,
    adminUser: g.adminUser,
    adminPassword: pulumi.secret(password),
  };
}

/**
 * `lab:ch6.nodeDown`: 6.5.1's test of the NodeDown alert. The book powers a worker VM off; here the
 * worker's kubelet stops, which takes down the scrape target the rule watches
 * (`up{job="kubernetes-nodes"}`) while the VM keeps running, so that no other stack's `up` starts
 * it again. Removing the setting starts the kubelet.
 */
function nodeDown(
  config: LabConfig<"ch6">,
  lab: Lab,
  section: Section,
  after: pulumi.Resource[],
): string | undefined {
  const name = config.settings.nodeDown;
  if (name === undefined) return undefined;
  const workers = lab.nodes.slice(1).map((n) => n.name);
  const worker = lab.nodes.find((n) => n.name === name);
  if (!worker || !workers.includes(name)) {
    throw new ConfigError(config.stack, [messages().nodeDownNotWorker(name, workers)]);
  }
  nodeStep(
    `node-down-${name}`,
    {
      connection: lab.connection(worker),
      create: "systemctl stop kubelet",
      delete: "systemctl start kubelet",
    },
    { ...section("6.5.1", "알림을 받기 위한 얼럿매니저 구성하기"), dependsOn: after },
  );
  return `${name}: kubelet stopped; NodeDown fires after ${CH6.nodeDown.for} (npm run lab -- ${config.stack} config rm lab:ch6.nodeDown, then up, starts it)`;
}

/** Builds chapter 6 in book order and returns its outputs. */
export function buildCh6(chapterConfig: LabConfig<"ch6">, cluster: LabCluster) {
  // On another stack's lab cluster, its network (the addresses of MetalLB and Jenkins follow it).
  const config = onClusterNetwork(chapterConfig, cluster);
  // The configuration makes sure chapter 6 runs on the lab cluster.
  const lab = cluster.lab as Lab;
  const section = bookSections("ch6", cluster);
  const charts: Charts = (name) => chartSource(name, config.charts.dir, cluster.mode);
  const [first, last] = CH6.poolRange.split("-");
  const prefix = config.network.prefix;
  // The book's chapter 6 starts from chapter 5's MetalLB (Helm, .11-.29).
  const metallb = new MetalLb(
    "metallb",
    {
      chart: charts("metallb"),
      namespace: CH5.metallb.namespace,
      poolName: CH5.metallb.poolName,
      addresses: `${prefix}.${first}-${prefix}.${last}`,
    },
    section("5.2.3", "Helm으로 MetalLB 배포하기 (5장)"),
  );
  const volumes = storage(config, lab, section);
  const monitoring = prometheus(config, charts, section, volumes, metallb.ready);
  const demo = nginxStatus(section);
  const dashboards = grafana(config, charts, section, volumes, metallb.ready);
  const down = nodeDown(config, lab, section, [monitoring.release]);
  return {
    ...(down ? { nodeDown: down } : {}),
    pool: metallb.addresses,
    ...monitoring.outputs,
    grafana: dashboards,
    exporterDemo: demo,
    nfs: volumes.nfs.exports,
  };
}
