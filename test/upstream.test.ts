/**
 * The upstream charts as their own sources define them at the pinned versions, and the book's facts
 * they must give. Each expectation below is written from the upstream file (bare snapshots of the
 * repositories read with `git show <tag>:<file>`, the project's chart research), never from the
 * program's own output; where a chart template decides the outcome, the test applies that template's
 * rule to the values the program hands to Helm.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { VERSIONS } from "../lib/versions";
import { PROJECT_DIR } from "../tools/mockRun";
import { find, inputsOf, runStack, type StackRun } from "./harness";

/** The charts on a cluster: Helm releases (`helm.v3.Release`), as the book's `helm install`. */
const RELEASE = "kubernetes:helm.sh/v3:Release";
/** The book's uid/gid of Prometheus, Alertmanager, Grafana and Jenkins: their NFS folders are 1000:1000. */
const BOOK_UID = 1000;
const BOOK_GID = 1000;

let ch3: StackRun;
let ch5: StackRun;
let ch6: StackRun;
beforeAll(async () => {
  // One after another: the Pulumi mock runtime is global.
  ch3 = await runStack({ stack: "ch3" });
  ch5 = await runStack({ stack: "ch5" });
  ch6 = await runStack({ stack: "ch6" });
}, 120_000);

// biome-ignore lint/suspicious/noExplicitAny: Helm values are free-form.
const chartOf = (run: StackRun, name: string): any =>
  inputsOf(find(run, RELEASE, `${name}-release`));

/**
 * The release Helm gets: the Release's `name`, or else a name made from the Pulumi resource's name
 * with a random suffix (pulumi/pulumi-kubernetes 94977969d, v4.32.0 and 27 commits,
 * provider/pkg/provider/helm_release.go l.785-792 `assignNameIfAutonameable`: `urn.Name() + "-"`
 * and `resource.NewUniqueHex`), which no chart name could be derived from.
 */
const releaseOf = (run: StackRun, chart: string): string | undefined => chartOf(run, chart).name;

/**
 * The `<chart>.fullname` helper shared by the MetalLB, ingress-nginx and metrics-server charts
 * (metallb/metallb v0.15.3 charts/metallb/templates/_helpers.tpl l.19-22; kubernetes/ingress-nginx
 * helm-chart-4.14.1 charts/ingress-nginx/templates/_helpers.tpl l.25; kubernetes-sigs/metrics-server
 * metrics-server-helm-chart-3.13.0 charts/metrics-server/templates/_helpers.tpl l.18): the release
 * name when it contains the chart's name, else `<release>-<chart>`.
 */
const fullname = (release: string | undefined, chart: string) =>
  release === undefined
    ? "(a generated release name)"
    : release.includes(chart)
      ? release
      : `${release}-${chart}`;

describe("upstream charts at their pinned versions", () => {
  // grafana-community/helm-charts tag grafana-12.10.1 (91f5742ceaca), charts/grafana/Chart.yaml:
  // version 12.10.1, appVersion 13.1.1; charts/grafana/README.md: `helm repo add grafana-community
  // https://grafana-community.github.io/helm-charts`. grafana/helm-charts charts/grafana/README.md
  // at HEAD (7a0ab968961a): migrated; its last version is tag grafana-10.5.15 (deprecated: true).
  it("13.1 Grafana comes from grafana-community, the only repository with chart 12.10.1", () => {
    const grafana = chartOf(ch6, "grafana");
    expect(grafana).toMatchObject({
      chart: "grafana",
      version: "12.10.1",
      repositoryOpts: { repo: "https://grafana-community.github.io/helm-charts" },
    });
  });

  // prometheus-community/helm-charts tag alertmanager-1.42.0 (7912a2df1e48),
  // charts/alertmanager/values.yaml l.61-62 `podSecurityContext: {fsGroup: 65534}` (pod level,
  // templates/statefulset.yaml l.94-95) and l.82-89 `securityContext: {runAsUser: 65534,
  // runAsNonRoot: true, runAsGroup: 65534}` (container level, statefulset.yaml l.147-148); tag
  // prometheus-29.27.0 (ca06aaef8a20) charts/prometheus/values.yaml `alertmanager.podSecurityContext:
  // {runAsUser: 65534, runAsNonRoot: true, runAsGroup: 65534, fsGroup: 65534}`. A container's
  // runAsUser/runAsGroup win over the pod's; NFS ignores fsGroup, and the book's folder
  // /nfs_shared/prometheus/alertmanager is owned by 1000:1000.
  it("13.2 Alertmanager's container runs as the book's 1000:1000, which owns its NFS folder", () => {
    const a = chartOf(ch6, "prometheus").values.alertmanager;
    // Helm merges maps key by key: the subchart's defaults, then the parent chart's, then ours.
    const subchartPod = { fsGroup: 65534 };
    const parentPod = { runAsUser: 65534, runAsNonRoot: true, runAsGroup: 65534, fsGroup: 65534 };
    const subchartContainer = { runAsUser: 65534, runAsNonRoot: true, runAsGroup: 65534 };
    const pod = { ...subchartPod, ...parentPod, ...a.podSecurityContext };
    const container = { ...subchartContainer, ...a.securityContext };
    const effective = {
      uid: container.runAsUser ?? pod.runAsUser,
      gid: container.runAsGroup ?? pod.runAsGroup,
    };
    expect(effective).toEqual({ uid: BOOK_UID, gid: BOOK_GID });
    expect(pod).toMatchObject({ runAsUser: BOOK_UID, runAsGroup: BOOK_GID });
    expect(container.runAsNonRoot).toBe(true);
  });

  // jenkinsci/helm-charts tag jenkins-5.9.53 (22055414e808), charts/jenkins/Chart.yaml
  // version 5.9.53, appVersion 2.568.2 (image tag `2.568.2-jdk21`, values.yaml `tagLabel: jdk21`);
  // values.yaml l.428-434 `installLatestPlugins: true` ("If set to false, Jenkins will download the
  // minimum required version of all dependencies"), `installLatestSpecifiedPlugins: false`,
  // `additionalPlugins: []`; l.100 `admin.createSecret: true`, and
  // templates/jenkins-controller-statefulset.yaml l.386-388 projects the existingSecret's keys only
  // `if .Values.controller.admin.createSecret`. Plugins: jenkinsci/job-dsl-plugin tag
  // 3654.vdf58f53e2d15 (df58f53e2d15) and jenkinsci/slack-plugin tag 795.v4b_9705b_e6d47 (4b9705be6d47),
  // pom.xml `jenkins.version` = `${jenkins.baseline}.3` with baseline 2.479, i.e. core >= 2.479.3.
  it("13.3 Jenkins chart 5.9.53 (Jenkins 2.568.2) with job-dsl and slack pinned, no latest plugins", async () => {
    const jenkins = chartOf(ch5, "jenkins");
    expect(jenkins.version).toBe("5.9.53");
    const c = jenkins.values.controller;
    expect(c.installLatestPlugins).toBe(false);
    expect(c.installLatestSpecifiedPlugins).toBe(false);
    expect(c.admin.createSecret ?? true).toBe(true);
    expect(c.additionalPlugins).toEqual(["job-dsl:3654.vdf58f53e2d15"]);

    const slack = await runStack({
      stack: "ch5",
      config: { "lab:ch5.slackTeam": "k8sinfra" },
      secrets: { "lab:ch5.slackToken": "xoxb-not-a-real-token-5521" },
    });
    expect(chartOf(slack, "jenkins").values.controller.additionalPlugins).toEqual([
      "job-dsl:3654.vdf58f53e2d15",
      "slack:795.v4b_9705b_e6d47",
    ]);
  });

  // kubernetes/ingress-nginx tag helm-chart-4.14.1 (e832d044efc5),
  // charts/ingress-nginx/templates/admission-webhooks/job-patch/job-createSecret.yaml l.1-9: the
  // Secret `ingress-nginx-admission` is made by a Job annotated `"helm.sh/hook": pre-install,pre-upgrade`
  // (job-patchWebhook.yaml: post-install,post-upgrade), and controller-deployment.yaml mounts that
  // Secret while `controller.admissionWebhooks.enabled` (values.yaml default true).
  // pulumi/pulumi-kubernetes 94977969d: a Release runs hooks (provider/pkg/provider/
  // helm_release.go l.607 `client.DisableHooks = newRelease.DisableWebhooks`, false unless set),
  // but render mode keeps helm.v4.Chart, which never creates them (helm/v4/chart.go l.230
  // `cmd.DisableHooks = true`), and both forms get the same values: the webhook stays off.
  it("13.4 ingress-nginx: the admission webhook is off, since the rendered form drops its hook Jobs", async () => {
    const ingress = chartOf(ch3, "ingress-nginx");
    expect(ingress.disableWebhooks ?? false).toBe(false);
    const dev = await runStack({ stack: "dev" });
    const rendered = inputsOf(find(dev, "kubernetes:helm.sh/v4:Chart", "ingress-nginx-chart"));
    expect(rendered.values.controller.admissionWebhooks?.enabled).toBe(false);
    expect(ingress.values.controller.admissionWebhooks?.enabled).toBe(false);
    const doc = fs.readFileSync(path.join(PROJECT_DIR, "docs", "ch3.md"), "utf8");
    expect(doc).toContain("controller.admissionWebhooks.enabled: false");
  });

  // Names as the book's `kubectl get` shows them. metallb/metallb v0.15.3 charts/metallb/templates/
  // controller.yaml l.5 `{{ template "metallb.fullname" . }}-controller`, speaker.yaml l.125
  // `...-speaker`; kubernetes/ingress-nginx helm-chart-4.14.1 _helpers.tpl l.100-101
  // `ingress-nginx.controller.fullname` = `<fullname>-<controller.name: controller>`;
  // kubernetes-sigs/metrics-server metrics-server-helm-chart-3.13.0 deployment.yaml name =
  // `metrics-server.fullname`.
  it("13.5 release names give metallb-controller, metallb-speaker, ingress-nginx-controller, metrics-server", () => {
    for (const run of [ch3, ch5, ch6]) {
      const metallb = fullname(releaseOf(run, "metallb"), "metallb");
      expect([`${metallb}-controller`, `${metallb}-speaker`]).toEqual([
        "metallb-controller",
        "metallb-speaker",
      ]);
    }
    expect(`${fullname(releaseOf(ch3, "ingress-nginx"), "ingress-nginx")}-controller`).toBe(
      "ingress-nginx-controller",
    );
    expect(fullname(releaseOf(ch3, "metrics-server"), "metrics-server")).toBe("metrics-server");
  });

  // kubernetes-sigs/metrics-server tag metrics-server-helm-chart-3.13.0 (1a64100c33ac),
  // charts/metrics-server/values.yaml l.68 `containerPort: 10250`, l.95-101 `defaultArgs` and
  // `args: []`, l.209 `tls.type: "metrics-server"`; templates/deployment.yaml l.66-80: args are
  // `--secure-port`, every defaultArgs entry, then every args entry, with nothing removed. The book's
  // metrics-server.yaml adds `--kubelet-insecure-tls` and `--kubelet-preferred-address-types=InternalIP`.
  it("13.7 metrics-server gets each flag once: the book's two, and the chart's other defaults", () => {
    const chartDefaultArgs = [
      "--cert-dir=/tmp",
      "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
      "--kubelet-use-node-status-port",
      "--metric-resolution=15s",
    ];
    const values = chartOf(ch3, "metrics-server").values ?? {};
    const rendered = [
      "--secure-port=10250",
      ...(values.defaultArgs ?? chartDefaultArgs),
      ...(values.args ?? []),
    ];
    expect(rendered).toEqual([
      "--secure-port=10250",
      "--cert-dir=/tmp",
      "--kubelet-preferred-address-types=InternalIP",
      "--kubelet-use-node-status-port",
      "--metric-resolution=15s",
      "--kubelet-insecure-tls",
    ]);
    const names = rendered.map((a) => a.split("=")[0]);
    expect(new Set(names).size).toBe(names.length);
  });

  // jenkinsci/helm-charts tag jenkins-5.9.53, charts/jenkins/templates/_helpers.tpl l.136
  // `numExecutors: {{ .Values.controller.numExecutors }}` and l.201/l.305 `if .Values.agent.enabled`,
  // both inside `define "jenkins.casc.defaults"`, rendered only with `controller.JCasC.defaultConfig:
  // true` (agent.enabled also in jenkins-controller-networkpolicy.yaml l.49, networkPolicy off).
  // metallb/metallb v0.15.3 charts/metallb/values.yaml l.267 `speaker.tolerateMaster: true`;
  // templates/speaker.yaml l.593-606 renders the master and control-plane tolerations for it, then
  // appends `speaker.tolerations`.
  it("13.8 no values that do nothing: Jenkins executors in the project's JCasC, MetalLB's speaker tolerations from the chart", () => {
    const j = chartOf(ch5, "jenkins").values;
    expect(j.controller.JCasC.defaultConfig).toBe(false);
    expect(j.controller).not.toHaveProperty("numExecutors");
    expect(j.agent?.enabled).toBeUndefined();
    const casc = YAML.parse(j.controller.JCasC.configScripts["k8sinfra-lab"]);
    expect(casc.jenkins.numExecutors).toBe(0);

    for (const run of [ch3, ch5, ch6]) {
      const speaker = chartOf(run, "metallb").values?.speaker ?? {};
      const tolerateMaster = speaker.tolerateMaster ?? true;
      const tolerations = [
        ...(tolerateMaster
          ? [
              { key: "node-role.kubernetes.io/master", effect: "NoSchedule", operator: "Exists" },
              {
                key: "node-role.kubernetes.io/control-plane",
                effect: "NoSchedule",
                operator: "Exists",
              },
            ]
          : []),
        ...(speaker.tolerations ?? []),
      ];
      const controlPlane = tolerations.filter(
        (t: { key: string }) => t.key === "node-role.kubernetes.io/control-plane",
      );
      expect(controlPlane).toHaveLength(1);
    }
  });

  // projectcalico/calico tag v3.31.2 (dd5575465ed8), manifests/calico.yaml l.7010-7337, kept verbatim
  // in test/fixtures: the calico-node container's env has `- name: IP` / `value: "autodetect"`
  // (l.7186-7187) and the pool CIDR commented out (l.7218-7219 `# - name: CALICO_IPV4POOL_CIDR`,
  // `#   value: "192.168.0.0/16"`). calico-node reads IP_AUTODETECTION_METHOD when it starts; set
  // after the apply (`kubectl set env`), the first pods take the NAT address every VM shares
  // (10.0.2.15) and the DaemonSet rolls out a second time.
  it("13.9 Calico's interface detection is in the manifest that is applied: the control plane's sed run on calico.yaml v3.31.2", async () => {
    const cluster = await runStack({ stack: "cluster" });
    const script = String(
      inputsOf(find(cluster, "command:remote:Command", "lab-control-plane")).create,
    );
    const lines = script.split("\n");
    // The script's values (its first line, `export ...`, or plain assignments), then everything
    // from the download of the manifest on: kubeadm and the kubeconfig copies before it need a VM.
    const values = lines.filter((l) => /^(export )?[A-Za-z_][A-Za-z0-9_]*=\S/.test(l));
    const from = lines.findIndex((l) => /^curl /.test(l));
    expect(from, "the control plane downloads calico.yaml with curl").toBeGreaterThan(0);
    const calicoPart = ["set -euo pipefail", ...values, ...lines.slice(from)].join("\n");

    const manifest = path.join(PROJECT_DIR, "test", "fixtures", "calico-v3.31.2-calico-node.yaml");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "calico-"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    // Stand-ins: curl serves the upstream manifest; kubectl records each call and what it applies.
    fs.writeFileSync(
      path.join(bin, "curl"),
      `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${dir}/curl.log"\ncat "${manifest}"\n`,
      { mode: 0o755 },
    );
    fs.writeFileSync(
      path.join(bin, "kubectl"),
      [
        "#!/usr/bin/env bash",
        `printf '%s\\n' "$*" >> "${dir}/kubectl.log"`,
        `if [ "$1" = apply ]; then cat > "${dir}/applied.yaml"; fi`,
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
    const r = spawnSync("bash", ["-c", calicoPart], {
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, "curl.log"), "utf8")).toContain(
      "https://raw.githubusercontent.com/projectcalico/calico/v3.31.2/manifests/calico.yaml",
    );

    // The upstream lines, edited as the book's cluster needs: the host-only network
    // (192.168.56.0/24) for address detection, right after `IP`, and the book's pod CIDR.
    const upstream = fs.readFileSync(manifest, "utf8");
    const ip = '            - name: IP\n              value: "autodetect"\n';
    const pool =
      '            # - name: CALICO_IPV4POOL_CIDR\n            #   value: "192.168.0.0/16"\n';
    expect([upstream.split(ip).length, upstream.split(pool).length]).toEqual([2, 2]);
    const expected = upstream
      .replace(
        ip,
        `${ip}            - name: IP_AUTODETECTION_METHOD\n              value: "cidr=192.168.56.0/24"\n`,
      )
      .replace(
        pool,
        '            - name: CALICO_IPV4POOL_CIDR\n              value: "172.16.0.0/16"\n',
      );
    const applied = fs.readFileSync(path.join(dir, "applied.yaml"), "utf8");
    expect(applied).toBe(expected);
    const env: { name: string; value?: string }[] =
      YAML.parse(applied).spec.template.spec.containers[0].env;
    expect(env.filter((e) => e.value !== undefined)).toEqual(
      expect.arrayContaining([
        { name: "IP", value: "autodetect" },
        { name: "IP_AUTODETECTION_METHOD", value: "cidr=192.168.56.0/24" },
        { name: "CALICO_IPV4POOL_IPIP", value: "Always" },
        { name: "CALICO_IPV4POOL_CIDR", value: "172.16.0.0/16" },
      ]),
    );

    // One change to the cluster, the apply; after it only waits (no `set env`, which would roll
    // calico-node out again).
    const calls = fs.readFileSync(path.join(dir, "kubectl.log"), "utf8").trim().split("\n");
    expect(calls[0]).toBe("apply --server-side --force-conflicts -f -");
    for (const call of calls.slice(1))
      expect(call).toMatch(/^(-n kube-system )?(rollout status|wait) /);
  });

  // Where each pinned version was found: metallb/metallb tag v0.15.3 (85bfb4f0e0d3);
  // kubernetes/ingress-nginx helm-chart-4.14.1 (e832d044efc5); kubernetes-sigs/metrics-server
  // metrics-server-helm-chart-3.13.0 (1a64100c33ac); jenkinsci/helm-charts jenkins-5.9.53
  // (22055414e808); prometheus-community/helm-charts prometheus-29.27.0 (ca06aaef8a20, the newest
  // prometheus tag in the snapshot; 29.27.1 is a release page only, 29.27.2 only in third-party
  // notes); grafana-community/helm-charts grafana-12.10.1 (91f5742ceaca, and its gh-pages index.yaml).
  it("13.11 every chart version is one found upstream, with where it was found; prometheus 29.27.0", () => {
    const found: Record<keyof typeof VERSIONS.charts, [string, string, string]> = {
      metallb: ["0.15.3", "metallb/metallb", "v0.15.3"],
      ingressNginx: ["4.14.1", "kubernetes/ingress-nginx", "helm-chart-4.14.1"],
      metricsServer: [
        "3.13.0",
        "kubernetes-sigs/metrics-server",
        "metrics-server-helm-chart-3.13.0",
      ],
      jenkins: ["5.9.53", "jenkinsci/helm-charts", "jenkins-5.9.53"],
      prometheus: ["29.27.0", "prometheus-community/helm-charts", "prometheus-29.27.0"],
      grafana: ["12.10.1", "grafana-community/helm-charts", "grafana-12.10.1"],
    };
    expect(Object.keys(VERSIONS.charts).sort()).toEqual(Object.keys(found).sort());
    for (const [name, [version, source, tag]] of Object.entries(found)) {
      const pinned: { version: string; verified?: { source: string; tag: string } } =
        VERSIONS.charts[name as keyof typeof VERSIONS.charts];
      expect({ name, version: pinned.version, ...pinned.verified }).toMatchObject({
        name,
        version,
        source,
        tag,
      });
    }
    expect(chartOf(ch6, "prometheus").version).toBe("29.27.0");
  });

  // `helm install` runs a chart's install hooks and not its test hooks (those run on `helm test`).
  // With ingress-nginx's webhook off (13.4), the charts have no other hooks: jenkinsci/helm-charts
  // jenkins-5.9.53 charts/jenkins/templates/tests/jenkins-test.yaml l.8 `"helm.sh/hook":
  // test-success` and tests/test-config.yaml l.8 `test`; grafana-community/helm-charts grafana-12.10.1
  // charts/grafana/templates/tests/*.yaml `testFramework.hookType | default "test"`;
  // prometheus-community/helm-charts prometheus-29.27.0 charts/alertmanager/values.yaml l.475
  // `test-success`; none in metallb v0.15.3 charts/ or metrics-server-helm-chart-3.13.0 charts/.
  // A Release runs hooks unless `disableWebhooks` (helm_release.go l.607, pulumi-kubernetes
  // 94977969d), so the releases are installed as `helm install` installs them.
  it("13.12 every chart is a release Helm installs with its hooks, as helm install does", () => {
    const releases = [ch3, ch5, ch6].flatMap((run) =>
      run.resources.filter((r) => r.type === RELEASE),
    );
    expect(releases.map((r) => inputsOf(r).name).sort()).toEqual([
      "grafana",
      "ingress-nginx",
      "jenkins",
      "metallb",
      "metallb",
      "metallb",
      "metrics-server",
      "prometheus",
    ]);
    for (const r of releases) {
      const i = inputsOf(r);
      expect([i.name, i.disableWebhooks ?? false, i.disableCRDHooks ?? false]).toEqual([
        i.name,
        false,
        false,
      ]);
    }
  });

  // metallb/metallb v0.15.3 charts/metallb/templates/controller.yaml l.118-122: the controller's
  // readinessProbe (`/metrics`); controller/main.go serves the validating webhook from the same
  // process (`-webhook-mode` `enabled`). helm/helm v3.20.2 (8fb76d6ab555) pkg/kube/ready.go
  // l.290-307 `deploymentReady`: ready replicas >= replicas - maxUnavailable, which `helm install
  // --wait` (a Release without skipAwait, helm_release.go l.608) waits for. A pool created at once
  // after the install is refused by the webhook (metallb/metallb#1597).
  it("13.13 MetalLB's pool and advertisement wait for the release, which Helm waits for", () => {
    for (const run of [ch3, ch5, ch6]) {
      const metallb = find(run, RELEASE, "metallb-release");
      expect(inputsOf(metallb).skipAwait ?? false).toBe(false);
      for (const [kind, name] of [
        ["IPAddressPool", "metallb-pool"],
        ["L2Advertisement", "metallb-l2"],
      ]) {
        expect(find(run, `kubernetes:metallb.io/v1beta1:${kind}`, name).dependsOn).toContain(
          metallb.urn,
        );
      }
    }
  });
});
