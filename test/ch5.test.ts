/**
 * Chapter 5 (catalog-book section 5): MetalLB by Kustomize and by Helm, Jenkins on NFS by Helm,
 * its configuration as code, and the book's four jobs.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { groovy } from "../lib/jenkins";
import { PROJECT_DIR, Secret } from "../tools/mockRun";
import { planDocument } from "../tools/plan";
import { find, inputsOf, runStack, type StackRun } from "./harness";
import { kubernetesObjects, schemaProblems } from "./k8sSchema";

/** The book's `helm install`: a Helm release `helm list` shows (`helm.v3.Release`). */
const RELEASE = "kubernetes:helm.sh/v3:Release";
const REMOTE = "command:remote:Command";

let base: StackRun;
beforeAll(async () => {
  base = await runStack({ stack: "ch5" });
});

const values = (run: StackRun) => inputsOf(find(run, RELEASE, "jenkins-release")).values;
// biome-ignore lint/suspicious/noExplicitAny: the JCasC document is free-form YAML.
const casc = (run: StackRun): any =>
  YAML.parse(values(run).controller.JCasC.configScripts["k8sinfra-lab"]);
/** The Groovy single-quoted literal's content (the inverse of `groovy`). */
const unGroovy = (literal: string) =>
  literal.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
const jobScript = (run: StackRun) => casc(run).jobs[0].script as string;

describe("5.2.2 Kustomize로 MetalLB 배포하기", () => {
  const kustomize = (dir: string) => spawnSync("kubectl", ["kustomize", dir], { encoding: "utf8" });

  it("the pool kustomization: metallb-ip-range, .11-.19, in metallb-system (kubectl kustomize)", () => {
    const r = kustomize(path.join(PROJECT_DIR, "kustomize", "metallb-pool"));
    expect(r.status).toBe(0);
    const [pool, l2] = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(pool).toMatchObject({
      kind: "IPAddressPool",
      metadata: { name: "metallb-ip-range", namespace: "metallb-system" },
      spec: { addresses: ["192.168.56.11-192.168.56.19"] },
    });
    expect(l2).toMatchObject({
      kind: "L2Advertisement",
      spec: { ipAddressPools: ["metallb-ip-range"] },
    });
  });

  it("the MetalLB kustomization: namespace metallb-system and images pinned (kubectl kustomize, upstream stubbed)", () => {
    // The upstream manifest is fetched at `pulumi up`; offline a stand-in with the same images is used.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kustomize-"));
    const kustomization = fs.readFileSync(
      path.join(PROJECT_DIR, "kustomize", "metallb", "kustomization.yaml"),
      "utf8",
    );
    expect(kustomization).toMatch(
      /https:\/\/raw\.githubusercontent\.com\/metallb\/metallb\/v0\.15\.3\/config\/manifests\/metallb-native\.yaml/,
    );
    fs.writeFileSync(
      path.join(dir, "kustomization.yaml"),
      kustomization.replace(/https:\/\/\S+metallb-native\.yaml/, "upstream.yaml"),
    );
    const workload = (kind: string, name: string, image: string) => ({
      apiVersion: "apps/v1",
      kind,
      metadata: { name },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } },
      },
    });
    fs.writeFileSync(
      path.join(dir, "upstream.yaml"),
      [
        workload("Deployment", "controller", "quay.io/metallb/controller:main"),
        workload("DaemonSet", "speaker", "quay.io/metallb/speaker:main"),
      ]
        .map((o) => YAML.stringify(o))
        .join("---\n"),
    );
    const r = kustomize(dir);
    expect(r.stderr).toBe("");
    const objects = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(objects.map((o) => o.metadata.namespace)).toEqual(["metallb-system", "metallb-system"]);
    expect(objects.map((o) => o.spec.template.spec.containers[0].image).sort()).toEqual([
      "quay.io/metallb/controller:v0.15.3",
      "quay.io/metallb/speaker:v0.15.3",
    ]);
  });

  it("lab:ch5.metallb kustomize applies both kustomizations, the pool after MetalLB", async () => {
    const k = await runStack({ stack: "ch5", config: { "lab:ch5.metallb": "kustomize" } });
    const install = find(k, "kubernetes:kustomize/v2:Directory", "metallb-kustomize");
    const pool = find(k, "kubernetes:kustomize/v2:Directory", "metallb-pool-kustomize");
    expect(inputsOf(install).directory).toBe("kustomize/metallb");
    expect(inputsOf(pool).directory).toBe("kustomize/metallb-pool");
    expect(pool.dependsOn).toContain(install.urn);
    expect(k.resources.some((r) => r.name === "metallb-release")).toBe(false);
  });

  it("the pool file holds the default network, so another prefix needs Helm", async () => {
    await expect(
      runStack({
        stack: "ch5",
        config: { "lab:ch5.metallb": "kustomize", "lab:network.prefix": "192.168.1" },
      }),
    ).rejects.toThrow(
      /lab:ch5\.metallb: kustomize\/metallb-pool\/pool\.yaml holds 192\.168\.56\.11-19/,
    );
  });
});

describe("switching MetalLB as the book does: delete one, then install the other", () => {
  it("lab:ch5.metallb none removes MetalLB, and Jenkins then does not wait for an address", async () => {
    const none = await runStack({ stack: "ch5", config: { "lab:ch5.metallb": "none" } });
    expect(none.resources.some((r) => r.name.startsWith("metallb"))).toBe(false);
    expect(inputsOf(find(none, RELEASE, "jenkins-release")).skipAwait).toBe(true);
  });

  it("Jenkins' LoadBalancer waits for MetalLB's pool, with Helm or with Kustomize", async () => {
    expect(find(base, RELEASE, "jenkins-release").dependsOn).toContain(
      find(base, "kubernetes:metallb.io/v1beta1:IPAddressPool", "metallb-pool").urn,
    );
    expect(inputsOf(find(base, RELEASE, "jenkins-release")).skipAwait).toBe(false);
    const k = await runStack({ stack: "ch5", config: { "lab:ch5.metallb": "kustomize" } });
    expect(find(k, RELEASE, "jenkins-release").dependsOn).toContain(
      find(k, "kubernetes:kustomize/v2:Directory", "metallb-pool-kustomize").urn,
    );
  });
});

describe("5.2.3 Helm으로 MetalLB 배포하기", () => {
  it("the MetalLB chart with pool metallb-ip-range .11-.29 (kept for chapters 5 and 6)", () => {
    expect(inputsOf(find(base, RELEASE, "metallb-release")).namespace).toBe("metallb-system");
    const pool = inputsOf(
      find(base, "kubernetes:metallb.io/v1beta1:IPAddressPool", "metallb-pool"),
    );
    expect(pool.metadata.name).toBe("metallb-ip-range");
    expect(pool.spec.addresses).toEqual(["192.168.56.11-192.168.56.29"]);
  });
});

describe("helm install metallb, helm install jenkins: releases that helm list shows", () => {
  // The book's `helm install metallb edu/metallb --namespace=metallb-system` (5.2.3) and
  // `helm install jenkins edu/jenkins` (5.3.1, release `jenkins` in `default`).
  it("the releases metallb in metallb-system and jenkins in default, nothing rendered client-side", () => {
    const releases = base.resources
      .filter((r) => r.type === RELEASE)
      .map((r) => [inputsOf(r).name, inputsOf(r).namespace])
      .sort();
    expect(releases).toEqual([
      ["jenkins", "default"],
      ["metallb", "metallb-system"],
    ]);
    expect(base.resources.filter((r) => r.type.startsWith("kubernetes:helm.sh/v4"))).toEqual([]);
  });

  it("Helm waits for Jenkins (its plugins download first) up to ten minutes", () => {
    expect(inputsOf(find(base, RELEASE, "jenkins-release")).timeout).toBe(600);
  });
});

describe("5.3.1 젠킨스 설치: NFS", () => {
  it("/nfs_shared/jenkins exported and owned by 1000:1000", () => {
    const exp = inputsOf(find(base, REMOTE, "nfs-export-nfs-shared-jenkins"));
    expect(exp.create).toMatch(
      /^export EXPORT_PATH=\/nfs_shared\/jenkins EXPORT_NETWORK=192\.168\.56\.0\/24 EXPORT_OPTIONS=rw,sync,no_root_squash EXPORT_OWNER=1000:1000 /,
    );
    expect(exp.create).toContain('chown "$EXPORT_OWNER" "$EXPORT_PATH"');
  });

  it("jenkins-volume.yaml: PV and PVC jenkins, 10Gi, RWX, Retain", () => {
    const pv = inputsOf(find(base, "kubernetes:core/v1:PersistentVolume", "jenkins"));
    expect(pv.spec).toMatchObject({
      capacity: { storage: "10Gi" },
      accessModes: ["ReadWriteMany"],
      persistentVolumeReclaimPolicy: "Retain",
      nfs: { server: "192.168.56.10", path: "/nfs_shared/jenkins" },
    });
    const pvc = inputsOf(find(base, "kubernetes:core/v1:PersistentVolumeClaim", "jenkins"));
    expect(pvc.spec).toMatchObject({
      accessModes: ["ReadWriteMany"],
      resources: { requests: { storage: "10Gi" } },
    });
  });
});

describe("5.3.1 젠킨스 설치: the chart's values, one by one", () => {
  it("the official chart, pinned", () => {
    const chart = inputsOf(find(base, RELEASE, "jenkins-release"));
    expect(chart).toMatchObject({
      chart: "jenkins",
      repositoryOpts: { repo: "https://charts.jenkins.io" },
      name: "jenkins",
      namespace: "default",
    });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    // Pinned plugins only (jenkinsci/helm-charts jenkins-5.9.53 values.yaml: the default `true`
    // would fetch the newest dependencies).
    expect(chart.values.controller.installLatestPlugins).toBe(false);
    expect(chart.values.controller.additionalPlugins).toEqual(["job-dsl:3654.vdf58f53e2d15"]);
  });
  it("persistence.existingClaim=jenkins", () =>
    expect(values(base).persistence.existingClaim).toBe("jenkins"));
  it("nodeSelector kubernetes.io/hostname=m-k8s with the control-plane toleration", () => {
    expect(values(base).controller.nodeSelector).toEqual({ "kubernetes.io/hostname": "m-k8s" });
    expect(values(base).controller.tolerations).toEqual([
      { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
    ]);
  });
  it("runAsUser=1000, runAsGroup=1000", () => {
    expect(values(base).controller).toMatchObject({
      runAsUser: 1000,
      fsGroup: 1000,
      containerSecurityContext: { runAsUser: 1000, runAsGroup: 1000 },
    });
  });
  it("serviceType=LoadBalancer, servicePort=80", () => {
    expect(values(base).controller).toMatchObject({ serviceType: "LoadBalancer", servicePort: 80 });
  });
  it("jenkinsOpts --sessionTimeout=1440 --sessionEviction=86400, javaOpts -Duser.timezone=Asia/Seoul", () => {
    expect(values(base).controller.jenkinsOpts).toBe(
      "--sessionTimeout=1440 --sessionEviction=86400",
    );
    expect(values(base).controller.javaOpts).toContain("-Duser.timezone=Asia/Seoul");
  });
  it("configuration as code from the project, not from a URL", () => {
    expect(values(base).controller.JCasC.defaultConfig).toBe(false);
    expect(JSON.stringify(values(base))).not.toContain("casc.jenkins.config");
  });
  it("the admin password comes from a Secret, generated here, never `admin`", () => {
    expect(values(base).controller.admin).toMatchObject({
      existingSecret: "jenkins-admin",
      passwordKey: "jenkins-admin-password",
    });
    const secret = find(base, "kubernetes:core/v1:Secret", "jenkins-admin");
    expect(secret.inputs.stringData).toBeInstanceOf(Secret);
    expect(inputsOf(secret).stringData["jenkins-admin-password"]).not.toBe("admin");
    expect(
      inputsOf(find(base, "random:index/randomPassword:RandomPassword", "jenkins-admin-password"))
        .length,
    ).toBeGreaterThanOrEqual(16);
    const plan = JSON.stringify(planDocument(base));
    expect(plan).not.toMatch(/"adminPassword"\s*:\s*"admin"|password:\s*admin\b/);
    expect((base.outputs.jenkins as { adminPassword: unknown }).adminPassword).toBeInstanceOf(
      Secret,
    );
  });
  it("a password set with --secret is used instead, and stays secret", async () => {
    const set = await runStack({
      stack: "ch5",
      secrets: { "lab:ch5.adminPassword": "S3t-By-Reader-42" },
    });
    expect(
      inputsOf(find(set, "kubernetes:core/v1:Secret", "jenkins-admin")).stringData[
        "jenkins-admin-password"
      ],
    ).toBe("S3t-By-Reader-42");
    expect(JSON.stringify(planDocument(set))).not.toContain("S3t-By-Reader-42");
  });
});

describe("5.3.1 jenkins-config.yaml as code", () => {
  it("parses as YAML; controller runs no builds itself (numExecutors 0)", () => {
    const doc = casc(base);
    expect(doc.jenkins.numExecutors).toBe(0);
    expect(doc.unclassified.location.url).toBe("http://192.168.56.11");
  });

  it("the Kubernetes cloud: namespace default, Jenkins and its agent tunnel by Service name", () => {
    const cloud = casc(base).jenkins.clouds[0].kubernetes;
    expect(cloud).toMatchObject({
      name: "kubernetes",
      namespace: "default",
      serverUrl: "https://kubernetes.default",
      jenkinsUrl: "http://jenkins:80",
      jenkinsTunnel: "jenkins-agent:50000",
    });
  });

  it("the pod template builds with Docker and deploys with kubectl, as the book's agents (hostPath mounts)", () => {
    const [template] = casc(base).jenkins.clouds[0].kubernetes.templates;
    expect(template.serviceAccount).toBe("jenkins");
    expect(
      template.volumes.map(
        (v: { hostPathVolume: { hostPath: string } }) => v.hostPathVolume.hostPath,
      ),
    ).toEqual([
      "/var/run/docker.sock",
      "/usr/bin/docker",
      "/usr/libexec/docker/cli-plugins",
      "/usr/bin/kubectl",
    ]);
    expect(template.nodeSelector).toBe("kubernetes.io/hostname=m-k8s");
  });

  // Where Docker's Debian packages put buildx: docker/docker-ce-packaging 2f12fe8861d6
  // deb/common/rules l.29-38 (built with CGO_ENABLED=0, so it runs in any agent image) and l.115
  // `install ... debian/docker-buildx-plugin/usr/libexec/docker/cli-plugins/docker-buildx`.
  // Where the docker CLI looks for plugins: docker/cli v29.7.2 cli-plugins/manager/manager.go
  // l.42-52 (the config file's cliPluginsExtraDirs, then ~/.docker/cli-plugins, then) and
  // manager_unix.go l.15-20 (the system folders below); a plugin is a file `docker-<name>`
  // (manager.go l.77-86). cmd/docker/builder.go l.111-128: `docker build` runs the buildx plugin;
  // when it finds none, the CLI prints `DEPRECATED: The legacy builder is deprecated ...` (l.22-24)
  // and builds with the legacy builder. The same folders and the same fallback at v29.0.0.
  it("Docker 29: m-k8s's buildx plugin is in the agent where the docker CLI looks for plugins, read-only", () => {
    const pluginDirs = [
      "/usr/local/lib/docker/cli-plugins",
      "/usr/local/libexec/docker/cli-plugins",
      "/usr/lib/docker/cli-plugins",
      "/usr/libexec/docker/cli-plugins",
    ];
    const buildxOnNode = "/usr/libexec/docker/cli-plugins/docker-buildx";
    expect(fs.readFileSync(path.join(PROJECT_DIR, "scripts", "docker_install.sh"), "utf8")).toMatch(
      /apt-get install .*\bdocker-buildx-plugin\b/,
    );
    const [template] = casc(base).jenkins.clouds[0].kubernetes.templates;
    const mounts: { hostPath: string; mountPath: string; readOnly?: boolean }[] =
      template.volumes.map((v: { hostPathVolume: unknown }) => v.hostPathVolume);
    // The agent container's view of a file of m-k8s: under the hostPath of a volume, at its mountPath.
    const mount = mounts.find(
      (m) => buildxOnNode === m.hostPath || buildxOnNode.startsWith(`${m.hostPath}/`),
    );
    expect(mount, `no hostPath volume brings ${buildxOnNode} into the agent`).toBeDefined();
    const inAgent = path.posix.join(
      mount?.mountPath ?? "",
      path.posix.relative(mount?.hostPath ?? "", buildxOnNode),
    );
    expect(pluginDirs).toContain(path.posix.dirname(inAgent));
    expect(path.posix.basename(inAgent)).toBe("docker-buildx");
    // jenkinsci/kubernetes-plugin 4423.vb_59f230b_ce53 volumes/HostPathVolume.java l.44-52, l.77
    // (`hostPathVolume` with hostPath, mountPath, readOnly) and PodTemplateBuilder.java l.201-205:
    // `readOnly` reaches the agent container's volumeMount.
    expect(mount?.readOnly).toBe(true);
  });

  it("defines the four jobs: fs-echo-ip, pl-bulk-prod, the blue-green pipeline and dpy-pl-gitops", () => {
    const script = jobScript(base);
    expect(script).toContain("freeStyleJob('fs-echo-ip')");
    expect(script).toContain("pipelineJob('pl-bulk-prod')");
    expect(script).toContain("pipelineJob('pl-blue-green')");
    expect(script).toContain("pipelineJob('dpy-pl-gitops')");
    expect((base.outputs.jenkins as { jobs: string[] }).jobs).toEqual([
      "fs-echo-ip",
      "pl-bulk-prod",
      "pl-blue-green",
      "dpy-pl-gitops",
    ]);
  });

  it("5.4.1 fs-echo-ip: build and push to the lab registry, deployment + LoadBalancer 8080 -> 80", () => {
    const script = jobScript(base);
    const shell = unGroovy(/steps \{ shell\(('(?:[^'\\]|\\.)*')\) \}/.exec(script)?.[1] ?? "''");
    expect(shell.split("\n")).toEqual([
      "docker build -t 192.168.56.10:8443/echo-ip .",
      "docker push 192.168.56.10:8443/echo-ip",
      "kubectl create deployment fs-echo-ip --image=192.168.56.10:8443/echo-ip --dry-run=client -o yaml | kubectl apply -f -",
      "kubectl expose deployment fs-echo-ip --type=LoadBalancer --name=fs-echo-ip-svc --port=8080 --target-port=80 --dry-run=client -o yaml | kubectl apply -f -",
    ]);
    expect(script).toContain("url('https://github.com/iac-source/echo-ip.git')");
  });

  const pipelineOf = (name: string) => {
    const m = new RegExp(
      `pipelineJob\\('${name}'\\) \\{[\\s\\S]*?script\\(('(?:[^'\\\\]|\\\\.)*')\\)`,
    ).exec(jobScript(base));
    return unGroovy(m?.[1] ?? "''");
  };

  it("5.4.2 pl-bulk-prod: the same flow as a pipeline", () => {
    const p = pipelineOf("pl-bulk-prod");
    expect(p).toContain("stage('docker build and push')");
    expect(p).toContain("docker push 192.168.56.10:8443/echo-ip");
    expect(p).toContain(
      "kubectl create deployment pl-bulk-prod --image=192.168.56.10:8443/echo-ip",
    );
    expect(p).toContain("--name=pl-bulk-prod-svc");
  });

  it("5.4.3 blue-green: odd builds blue, even green, pl-blue / pl-green behind pl-blue-green-svc", () => {
    const p = pipelineOf("pl-blue-green");
    expect(p).toContain("(env.BUILD_NUMBER as int) % 2 == 1 ? 'blue' : 'green'");
    expect(p).toContain("nameSuffix: -$TAG");
    expect(p).toContain("kubectl delete deployment --selector=app=dashboard,deploy!=$TAG");
    expect(p).toContain("pl-blue-green-svc");
    expect(p).toContain("docker push 192.168.56.10:8443/dashboard:$TAG");
    expect(p).toContain("newName: 192.168.56.10:8443/dashboard");
    expect(p).toContain("https://github.com/iac-source/blue-green.git");
  });

  it("5.5.1 dpy-pl-gitops: polls SCM every 10 minutes and applies the repository's manifests", () => {
    expect(jobScript(base)).toContain("scmpoll_spec('*/10 * * * *')");
    const p = pipelineOf("dpy-pl-gitops");
    expect(p).toContain("git url: 'https://github.com/sysnet4admin/_Book_k8sInfra.git'");
    expect(p).toContain("kubectl apply -f ch5/5.5.3/deployment.yaml");
    expect(p).not.toContain("slackSend");
  });

  it("5.5.2 Slack: with a token set as a secret, notices go out and the token stays out of the plan", async () => {
    const slack = await runStack({
      stack: "ch5",
      config: { "lab:ch5.slackTeam": "k8sinfra" },
      secrets: { "lab:ch5.slackToken": "xoxb-not-a-real-token-7731" },
    });
    const doc = casc(slack);
    expect(doc.unclassified.slackNotifier).toEqual({
      teamDomain: "k8sinfra",
      tokenCredentialId: "slack-key",
    });
    expect(doc.credentials.system.domainCredentials[0].credentials[0].string).toMatchObject({
      id: "slack-key",
      secret: "${SLACK_TOKEN}",
    });
    expect(values(slack).controller.additionalPlugins).toContain("slack:795.v4b_9705b_e6d47");
    expect(jobScript(slack)).toContain("slackSend(channel: \\'#jenkins\\'");
    expect(JSON.stringify(planDocument(slack))).not.toContain("xoxb-not-a-real-token-7731");
  });

  it("repositories come from config", async () => {
    const own = await runStack({
      stack: "ch5",
      config: {
        "lab:ch5.gitopsRepo": "https://github.com/reader/gitops.git",
        "lab:ch5.gitopsPath": "deployment.yaml",
      },
    });
    expect(jobScript(own)).toContain("https://github.com/reader/gitops.git");
    await expect(
      runStack({
        stack: "ch5",
        config: { "lab:ch5.gitopsRepo": "git@github.com:reader/gitops.git" },
      }),
    ).rejects.toThrow(/lab:ch5\.gitopsRepo: must be an https git URL/);
  });

  it("Groovy string literals survive any text (quotes, backslashes, $, newlines)", () => {
    for (const text of ["it's", "a\\nb", "${x} $y", "line1\nline2", "'\\'"]) {
      expect(unGroovy(groovy(text))).toBe(text);
    }
  });
});

describe("5.3.4 the agents' permissions", () => {
  it("a Role in default for the jobs' objects, bound to the jenkins ServiceAccount (not cluster-admin)", () => {
    const role = inputsOf(
      find(base, "kubernetes:rbac.authorization.k8s.io/v1:Role", "jenkins-deployer"),
    );
    expect(role.metadata.namespace).toBe("default");
    expect(role.rules.flatMap((r: { resources: string[] }) => r.resources).sort()).toEqual(
      ["configmaps", "deployments", "pods", "replicasets", "services"].sort(),
    );
    const binding = inputsOf(
      find(base, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "jenkins-deployer"),
    );
    expect(binding.subjects).toEqual([
      { kind: "ServiceAccount", name: "jenkins", namespace: "default" },
    ]);
    expect(JSON.stringify(base.resources.map((r) => r.inputs))).not.toContain("cluster-admin");
  });
});

describe("chapter 5 as a whole", () => {
  it("runs with chapter 4's registry and every Kubernetes object passes its schema", () => {
    expect(base.outputs.registry).toBe("https://192.168.56.10:8443");
    expect(find(base, "docker:index/container:Container", "registry-container")).toBeDefined();
    expect(kubernetesObjects(base.resources).flatMap(schemaProblems)).toEqual([]);
  });

  it("outputs: the Jenkins URL, admin user, secret password and job names", () => {
    expect(base.outputs.jenkins).toMatchObject({ url: "http://192.168.56.11", adminUser: "admin" });
    expect(values(base).controller.serviceAnnotations).toEqual({
      "metallb.io/loadBalancerIPs": "192.168.56.11",
    });
  });
});
