/**
 * Chapter 6 (catalog-book section 6): Prometheus, Alertmanager and Grafana by Helm on NFS, the
 * NodeDown rule, the provisioned data source and dashboard, the nginx-status exporter demo.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_DIR, Secret } from "../tools/mockRun";
import { planDocument } from "../tools/plan";
import { find, inputsOf, runStack, type StackRun } from "./harness";
import { kubernetesObjects, schemaProblems } from "./k8sSchema";

/** The book's `helm install`: a Helm release `helm list` shows (`helm.v3.Release`). */
const RELEASE = "kubernetes:helm.sh/v3:Release";
const PV = "kubernetes:core/v1:PersistentVolume";
const PVC = "kubernetes:core/v1:PersistentVolumeClaim";
const REMOTE = "command:remote:Command";

let base: StackRun;
beforeAll(async () => {
  base = await runStack({ stack: "ch6" });
});

const prom = (run: StackRun) => inputsOf(find(run, RELEASE, "prometheus-release")).values;
const graf = (run: StackRun) => inputsOf(find(run, RELEASE, "grafana-release")).values;

describe("MetalLB and NFS for chapter 6", () => {
  it("MetalLB's pool is .11-.29, as chapter 5's Helm install left it", () => {
    const pool = inputsOf(
      find(base, "kubernetes:metallb.io/v1beta1:IPAddressPool", "metallb-pool"),
    );
    expect(pool.spec.addresses).toEqual(["192.168.56.11-192.168.56.29"]);
  });

  it("prometheus/server, prometheus/alertmanager and grafana exported, owned 1000:1000", () => {
    for (const [name, dir] of [
      ["nfs-export-nfs-shared-prometheus-server", "/nfs_shared/prometheus/server"],
      ["nfs-export-nfs-shared-prometheus-alertmanager", "/nfs_shared/prometheus/alertmanager"],
      ["nfs-export-nfs-shared-grafana", "/nfs_shared/grafana"],
    ]) {
      const c = inputsOf(find(base, REMOTE, name)).create;
      expect(c).toContain(`EXPORT_PATH=${dir} `);
      expect(c).toContain("EXPORT_OWNER=1000:1000 ");
      expect(c).toContain('chown "$EXPORT_OWNER" "$EXPORT_PATH"');
    }
  });

  it("10Gi RWX Retain volumes: prometheus-server, prometheus-alertmanager, grafana", () => {
    for (const [pv, dir] of [
      ["prometheus-server", "/nfs_shared/prometheus/server"],
      ["prometheus-alertmanager", "/nfs_shared/prometheus/alertmanager"],
      ["grafana", "/nfs_shared/grafana"],
    ]) {
      expect(inputsOf(find(base, PV, pv)).spec).toMatchObject({
        capacity: { storage: "10Gi" },
        accessModes: ["ReadWriteMany"],
        persistentVolumeReclaimPolicy: "Retain",
        nfs: { server: "192.168.56.10", path: dir },
      });
    }
    expect(inputsOf(find(base, PVC, "prometheus-server")).spec.volumeName).toBe(
      "prometheus-server",
    );
    expect(inputsOf(find(base, PVC, "grafana")).spec.volumeName).toBe("grafana");
  });
});

describe("helm install prometheus, helm install grafana: releases that helm list shows", () => {
  // The book's `helm install prometheus edu/prometheus` (6.2.1, `helm upgrade prometheus` in
  // 6.5.1) and `helm install grafana edu/grafana` (6.4.1), both in `default`; MetalLB's release of
  // chapter 5 in metallb-system.
  it("the releases prometheus and grafana in default, metallb in metallb-system", () => {
    const releases = base.resources
      .filter((r) => r.type === RELEASE)
      .map((r) => [inputsOf(r).name, inputsOf(r).namespace])
      .sort();
    expect(releases).toEqual([
      ["grafana", "default"],
      ["metallb", "metallb-system"],
      ["prometheus", "default"],
    ]);
    expect(base.resources.filter((r) => r.type.startsWith("kubernetes:helm.sh/v4"))).toEqual([]);
  });
});

describe("6.2.1 프로메테우스 설치하기", () => {
  it("the prometheus chart: server on claim prometheus-server, uid/gid 1000, the no-lockfile flag", () => {
    const c = inputsOf(find(base, RELEASE, "prometheus-release"));
    expect(c).toMatchObject({
      chart: "prometheus",
      name: "prometheus",
      repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
    });
    const s = prom(base).server;
    expect(s.persistentVolume.existingClaim).toBe("prometheus-server");
    expect(s.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(s.extraFlags).toContain("storage.tsdb.no-lockfile");
  });

  it("the server is a LoadBalancer at .12 (MetalLB's own annotation)", () => {
    expect(prom(base).server.service).toMatchObject({
      type: "LoadBalancer",
      annotations: { "metallb.io/loadBalancerIPs": "192.168.56.12" },
    });
    expect(base.outputs.prometheus).toBe("http://192.168.56.12");
  });

  it("node-exporter on every node including the master, kube-state-metrics on, no pushgateway", () => {
    expect(prom(base)["prometheus-node-exporter"].tolerations).toContainEqual({
      key: "node-role.kubernetes.io/control-plane",
      operator: "Exists",
      effect: "NoSchedule",
    });
    expect(prom(base)["kube-state-metrics"].enabled).toBe(true);
    expect(prom(base)["prometheus-pushgateway"].enabled).toBe(false);
  });

  it("the chart waits for MetalLB and the claims", () => {
    const chart = find(base, RELEASE, "prometheus-release");
    expect(chart.dependsOn).toEqual(
      expect.arrayContaining([
        find(base, "kubernetes:metallb.io/v1beta1:IPAddressPool", "metallb-pool").urn,
        find(base, PVC, "prometheus-server").urn,
        find(base, PVC, "storage-prometheus-alertmanager-0").urn,
      ]),
    );
  });
});

describe("6.2.3 서비스 디스커버리: nginx-status with its exporter", () => {
  it("nginx (sysnet4admin/nginx-status) with the nginx-prometheus-exporter sidecar, scraped on 9113", () => {
    const d = inputsOf(find(base, "kubernetes:apps/v1:Deployment", "nginx"));
    expect(d.spec.template.metadata.annotations).toEqual({
      "prometheus.io/port": "9113",
      "prometheus.io/scrape": "true",
    });
    const [nginx, exporter] = d.spec.template.spec.containers;
    expect(nginx).toMatchObject({
      image: "sysnet4admin/nginx-status",
      ports: [{ containerPort: 80 }],
    });
    expect(exporter).toMatchObject({
      name: "nginx-exporter",
      image: "nginx/nginx-prometheus-exporter:0.8.0",
      env: [{ name: "SCRAPE_URI", value: "http://localhost:80/stub_status" }],
    });
  });
});

describe("6.4.1 그라파나 설치하기", () => {
  it("on claim grafana, uid/gid 1000, LoadBalancer at .13", () => {
    // The chart lives in grafana-community/helm-charts since 2026-01-30.
    expect(inputsOf(find(base, RELEASE, "grafana-release"))).toMatchObject({
      chart: "grafana",
      name: "grafana",
      repositoryOpts: { repo: "https://grafana-community.github.io/helm-charts" },
    });
    const g = graf(base);
    expect(g.persistence).toEqual({ enabled: true, existingClaim: "grafana" });
    expect(g.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(g.service).toEqual({
      type: "LoadBalancer",
      annotations: { "metallb.io/loadBalancerIPs": "192.168.56.13" },
    });
  });

  it("the admin password is a generated secret, never `admin`", () => {
    expect(graf(base).admin).toMatchObject({
      existingSecret: "grafana-admin",
      passwordKey: "admin-password",
    });
    const secret = find(base, "kubernetes:core/v1:Secret", "grafana-admin");
    expect(secret.inputs.stringData).toBeInstanceOf(Secret);
    expect(inputsOf(secret).stringData["admin-password"]).not.toBe("admin");
    expect((base.outputs.grafana as { adminPassword: unknown }).adminPassword).toBeInstanceOf(
      Secret,
    );
    expect(JSON.stringify(planDocument(base))).not.toMatch(/adminPassword"\s*:\s*"admin"/);
  });

  it("the Prometheus data source, provisioned (the book adds it by hand)", () => {
    const [ds] = graf(base).datasources["datasources.yaml"].datasources;
    expect(ds).toMatchObject({
      type: "prometheus",
      url: "http://prometheus-server.default.svc.cluster.local",
      isDefault: true,
    });
  });

  it("the node dashboard, provisioned: CPU, memory, network in/out and node status", () => {
    const json = graf(base).dashboards["k8sinfra-lab"].nodes.json;
    expect(json).toBe(fs.readFileSync(path.join(PROJECT_DIR, "dashboards", "node.json"), "utf8"));
    const dashboard = JSON.parse(json);
    const exprs = dashboard.panels
      .flatMap((p: { targets?: { expr: string }[] }) => p.targets ?? [])
      .map((t: { expr: string }) => t.expr);
    expect(exprs).toEqual(
      expect.arrayContaining([
        expect.stringContaining("node_cpu_seconds_total"),
        expect.stringContaining("node_memory_MemAvailable_bytes"),
        "avg(rate(node_network_transmit_bytes_total[5m])) by (node)",
        "avg(rate(node_network_receive_bytes_total[5m])) by (node) * -1",
        'up{job="kubernetes-nodes"}',
      ]),
    );
    expect(
      dashboard.panels.some(
        (p: { type: string; title: string }) => p.type === "row" && p.title === "Cluster Metrics",
      ),
    ).toBe(true);
    for (const p of dashboard.panels.filter((x: { targets?: unknown }) => x.targets)) {
      expect(p.datasource.uid).toBe(graf(base).datasources["datasources.yaml"].datasources[0].uid);
    }
  });
});

describe("6.5.1 얼럿매니저", () => {
  it("Alertmanager on the book's volume prometheus-alertmanager, LoadBalancer at .14", () => {
    const a = prom(base).alertmanager;
    expect(a.enabled).toBe(true);
    // The folder is 1000:1000; the container's securityContext (chart default 65534) decides.
    expect(a.podSecurityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(a.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(a.service).toMatchObject({
      type: "LoadBalancer",
      annotations: { "metallb.io/loadBalancerIPs": "192.168.56.14" },
    });
    expect(inputsOf(find(base, PVC, "storage-prometheus-alertmanager-0")).spec.volumeName).toBe(
      "prometheus-alertmanager",
    );
    expect(base.outputs.alertmanager).toBe("http://192.168.56.14");
  });

  it("the NodeDown rule: up{job=kubernetes-nodes} == 0 for 1m, in group Node", () => {
    const [group] = prom(base).serverFiles["alerting_rules.yml"].groups;
    expect(group.name).toBe("Node");
    expect(group.rules[0]).toMatchObject({
      alert: "NodeDown",
      expr: 'up{job="kubernetes-nodes"} == 0',
      for: "1m",
    });
  });

  it("no Slack receiver without a webhook; the route of alert-notifier.yaml", () => {
    const config = prom(base).alertmanager.config;
    expect(config.global).toBeUndefined();
    expect(JSON.stringify(config.receivers)).not.toContain("slack");
    expect(config.route).toMatchObject({
      group_wait: "10s",
      group_interval: "1m",
      repeat_interval: "5m",
    });
  });

  it("with a webhook set as a secret: slack-notifier on #monitoring, the URL only in a Secret file", async () => {
    const url = "https://hooks.slack.com/services/T000/B000/not-a-real-hook-9431";
    const slack = await runStack({ stack: "ch6", secrets: { "lab:ch6.slackWebhook": url } });
    const a = prom(slack).alertmanager;
    expect(a.config.global).toEqual({ slack_api_url_file: "/etc/alertmanager/slack/webhook" });
    expect(a.config.receivers[0]).toMatchObject({
      name: "slack-notifier",
      slack_configs: [{ channel: "#monitoring", send_resolved: true }],
    });
    expect(a.extraSecretMounts).toEqual([
      {
        name: "slack",
        mountPath: "/etc/alertmanager/slack",
        secretName: "alertmanager-slack",
        readOnly: true,
      },
    ]);
    expect(
      find(slack, "kubernetes:core/v1:Secret", "alertmanager-slack").inputs.stringData,
    ).toBeInstanceOf(Secret);
    expect(JSON.stringify(planDocument(slack))).not.toContain("not-a-real-hook-9431");
  });
});

describe("chapter 6 as a whole", () => {
  it("every Kubernetes object passes its schema", () => {
    expect(kubernetesObjects(base.resources).flatMap(schemaProblems)).toEqual([]);
  });

  it("needs the lab cluster", async () => {
    await expect(
      runStack({ stack: "ch6", config: { "lab:cluster.mode": "render" } }),
    ).rejects.toThrow(/chapter ch6 builds on the lab cluster's master/);
  });
});

describe("6.5.1 NodeDown on demand (lab:ch6.nodeDown)", () => {
  it("off by default: no worker is touched", () => {
    expect(base.resources.filter((r) => r.name.startsWith("node-down-"))).toEqual([]);
    expect(base.outputs.nodeDown).toBeUndefined();
  });

  it("a worker's kubelet stops on up (the rule's scrape target goes down) and starts on removal", async () => {
    const run = await runStack({ stack: "ch6", config: { "lab:ch6.nodeDown": "w3-k8s" } });
    const step = find(run, REMOTE, "node-down-w3-k8s");
    expect(inputsOf(step).create).toBe("systemctl stop kubelet");
    expect(inputsOf(step).delete).toBe("systemctl start kubelet");
    // On w3-k8s itself, over the SSH port Vagrant forwards to it (the book's 60103).
    expect(inputsOf(step).connection.port).toBe(60103);
    // After the alert rule exists, so the alert can fire.
    const chart = find(run, RELEASE, "prometheus-release");
    expect(step.dependsOn).toContain(chart.urn);
    expect(String(run.outputs.nodeDown)).toContain("NodeDown fires after 1m");
  });

  it("the master, or a name that is no worker, is refused with the workers listed", async () => {
    for (const name of ["m-k8s", "w9-k8s"]) {
      await expect(
        runStack({ stack: "ch6", config: { "lab:ch6.nodeDown": name } }),
      ).rejects.toThrow(
        `lab:ch6.nodeDown: "${name}" is not a worker of the lab cluster; its workers: w1-k8s, w2-k8s, w3-k8s`,
      );
    }
  });
});
