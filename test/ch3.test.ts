/**
 * Chapter 3, section by section: the book's objects (catalog-book section 3) and each exercise as a
 * setting that changes exactly the objects it should.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { changed, find, inputsOf, runStack, type StackRun, urnName } from "./harness";
import { kubernetesObjects, schemaProblems } from "./k8sSchema";

const DEPLOY = "kubernetes:apps/v1:Deployment";
const SVC = "kubernetes:core/v1:Service";
const REMOTE = "command:remote:Command";
/** The book's `helm install`: a Helm release `helm list` shows (`helm.v3.Release`). */
const RELEASE = "kubernetes:helm.sh/v3:Release";
const CHART = "kubernetes:helm.sh/v4:Chart";

let base: StackRun;
beforeAll(async () => {
  base = await runStack({ stack: "ch3" });
});

const deploy = (run: StackRun, name: string) => inputsOf(find(run, DEPLOY, name));
const svc = (run: StackRun, name: string) => inputsOf(find(run, SVC, name));
const container = (run: StackRun, name: string) =>
  deploy(run, name).spec.template.spec.containers[0];
const changedNames = (a: StackRun, b: StackRun) => changed(a, b).map(urnName);
/** Changed resources other than the book-section groups. */
const changedObjects = (a: StackRun, b: StackRun) =>
  changedNames(a, b).filter((n) => !n.startsWith("k8sinfra:book:Section"));

describe("3.1.6 쿠버네티스 구성 요소의 기능 검증하기", () => {
  it("nginx-pod.yaml: Pod nginx-pod, container container-name, image nginx", () => {
    const pod = inputsOf(find(base, "kubernetes:core/v1:Pod", "nginx-pod"));
    expect(pod.metadata).toMatchObject({ name: "nginx-pod", namespace: "default" });
    expect(pod.spec.containers).toEqual([{ name: "container-name", image: "nginx" }]);
  });
});

describe("3.2.1-3.2.3 파드를 생성하는 방법 · 레플리카셋", () => {
  it("create deployment dpy-nginx --image=nginx, then scale to 3", () => {
    const d = deploy(base, "dpy-nginx");
    expect(d.spec.selector.matchLabels).toEqual({ app: "dpy-nginx" });
    expect(container(base, "dpy-nginx")).toEqual({ name: "nginx", image: "nginx" });
    expect(d.spec.replicas).toBe(3);
  });
});

describe("3.2.4-3.2.7 스펙을 지정해서 오브젝트 생성하기", () => {
  it("echo-hname.yaml: label app=nginx, 3 x sysnet4admin/echo-hname, container echo-hname", () => {
    const d = deploy(base, "echo-hname");
    expect(d.metadata.labels).toEqual({ app: "nginx" });
    expect(d.spec.selector.matchLabels).toEqual({ app: "nginx" });
    expect(d.spec.template.metadata.labels).toEqual({ app: "nginx" });
    expect(d.spec.replicas).toBe(3);
    expect(container(base, "echo-hname")).toEqual({
      name: "echo-hname",
      image: "sysnet4admin/echo-hname",
    });
  });

  it("sed replicas 3 -> 6 and apply: lab:ch3.replicas.echo-hname 6 changes echo-hname alone", async () => {
    const six = await runStack({ stack: "ch3", config: { "lab:ch3.replicas.echo-hname": "6" } });
    expect(changedNames(base, six)).toEqual([`${DEPLOY}::echo-hname`]);
    expect(deploy(six, "echo-hname").spec.replicas).toBe(6);
  });
});

describe("3.2.8 노드 자원 보호하기 / 3.2.9 노드 유지보수하기", () => {
  it("kubectl cordon w3-k8s: one NodePatch and nothing else", async () => {
    const cordoned = await runStack({ stack: "ch3", config: { "lab:ch3.cordon": "w3-k8s" } });
    expect(changedObjects(base, cordoned)).toEqual(["kubernetes:core/v1:NodePatch::cordon-w3-k8s"]);
    const patch = inputsOf(find(cordoned, "kubernetes:core/v1:NodePatch", "cordon-w3-k8s"));
    expect(patch.metadata.name).toBe("w3-k8s");
    expect(patch.spec).toEqual({ unschedulable: true });
    expect(patch.metadata.annotations).toEqual({ "pulumi.com/patchForce": "true" });
    expect(cordoned.outputs.cordoned).toEqual(["w3-k8s"]);
  });

  it("kubectl drain w3-k8s --ignore-daemonsets: cordon, then a drain on the master", async () => {
    const drained = await runStack({ stack: "ch3", config: { "lab:ch3.drain": "w3-k8s" } });
    expect(changedObjects(base, drained).sort()).toEqual(
      [`${REMOTE}::drain-w3-k8s`, "kubernetes:core/v1:NodePatch::cordon-w3-k8s"].sort(),
    );
    const patch = find(drained, "kubernetes:core/v1:NodePatch", "cordon-w3-k8s");
    const cmd = find(drained, REMOTE, "drain-w3-k8s");
    expect(inputsOf(cmd).create).toBe(
      "KUBECONFIG=/etc/kubernetes/admin.conf kubectl drain w3-k8s --ignore-daemonsets --delete-emptydir-data --timeout=5m",
    );
    // On the master, through its forwarded SSH port (the book's 60010).
    expect(inputsOf(cmd).connection.port).toBe(60010);
    expect(cmd.dependsOn).toContain(patch.urn);
  });

  it("a node that is not in the cluster is refused, naming the nodes", async () => {
    await expect(
      runStack({ stack: "ch3", config: { "lab:ch3.cordon": "w9-k8s" } }),
    ).rejects.toThrow(
      /lab:ch3\.cordon: w9-k8s not in the cluster; nodes: m-k8s, w1-k8s, w2-k8s, w3-k8s/,
    );
  });
});

describe("3.2.10 파드 업데이트하고 복구하기", () => {
  it("rollout-nginx.yaml --record: 3 x nginx:1.15.12, label app=nginx, change-cause recorded", () => {
    const d = deploy(base, "rollout-nginx");
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.selector.matchLabels).toEqual({ app: "nginx" });
    expect(container(base, "rollout-nginx")).toEqual({ name: "nginx", image: "nginx:1.15.12" });
    expect(d.metadata.annotations["kubernetes.io/change-cause"]).toContain("nginx:1.15.12");
  });

  it("set image nginx=nginx:1.16.0 --record: only rollout-nginx changes", async () => {
    const next = await runStack({ stack: "ch3", config: { "lab:ch3.rolloutTag": "1.16.0" } });
    expect(changedNames(base, next)).toEqual([`${DEPLOY}::rollout-nginx`]);
    expect(container(next, "rollout-nginx").image).toBe("nginx:1.16.0");
  });

  it("the bad 1.17.23 ends pulumi up after a short timeout, not ten minutes", async () => {
    const bad = await runStack({ stack: "ch3", config: { "lab:ch3.rolloutTag": "1.17.23" } });
    const annotations = deploy(bad, "rollout-nginx").metadata.annotations;
    expect(Number(annotations["pulumi.com/timeoutSeconds"])).toBeLessThanOrEqual(180);
    const quick = await runStack({ stack: "ch3", config: { "lab:ch3.rolloutTimeout": "60" } });
    expect(deploy(quick, "rollout-nginx").metadata.annotations["pulumi.com/timeoutSeconds"]).toBe(
      "60",
    );
  });

  it("rollout undo: setting 1.15.12 again gives revision 1's object", async () => {
    const undone = await runStack({ stack: "ch3", config: { "lab:ch3.rolloutTag": "1.15.12" } });
    expect(changed(base, undone)).toEqual([]);
  });
});

describe("3.3.1 가장 간단하게 연결하는 노드포트", () => {
  it("np-pods (echo-hname) scaled to 3, np-svc NodePort http 80 -> 80 on node port 30000", () => {
    expect(deploy(base, "np-pods").spec.replicas).toBe(3);
    expect(container(base, "np-pods").image).toBe("sysnet4admin/echo-hname");
    const s = svc(base, "np-svc");
    expect(s.spec.type).toBe("NodePort");
    expect(s.spec.selector).toEqual({ app: "np-pods" });
    expect(s.spec.ports).toEqual([
      { name: "http", port: 80, targetPort: 80, protocol: "TCP", nodePort: 30000 },
    ]);
  });

  it("expose --type=NodePort --name=np-svc-v2 --port=80: a node port Kubernetes picks", () => {
    const s = svc(base, "np-svc-v2");
    expect(s.spec.type).toBe("NodePort");
    expect(s.spec.selector).toEqual({ app: "np-pods" });
    expect(s.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: "TCP" }]);
    expect(base.outputs.nodePort).toMatchObject({ "np-svc": "http://192.168.56.101:30000/" });
    // Until the API server has picked the port (a plan, render mode), the output says where to
    // read it instead of printing `:undefined`.
    expect(base.outputs.nodePort).toMatchObject({
      "np-svc-v2": "the node port the API server picks: kubectl get service np-svc-v2",
    });
  });
});

describe("3.3.2 사용 목적별로 연결하는 인그레스", () => {
  it("in-hname-pod and in-ip-pod, exposed on 80 and 443 as hname-svc-default and ip-svc", () => {
    expect(container(base, "in-hname-pod").image).toBe("sysnet4admin/echo-hname");
    expect(container(base, "in-ip-pod").image).toBe("sysnet4admin/echo-ip");
    for (const [name, app] of [
      ["hname-svc-default", "in-hname-pod"],
      ["ip-svc", "in-ip-pod"],
    ]) {
      const s = svc(base, name);
      expect(s.spec.type).toBe("ClusterIP");
      expect(s.spec.selector).toEqual({ app });
      expect(s.spec.ports.map((p: { port: number }) => p.port)).toEqual([80, 443]);
    }
  });

  it("the controller listens on node ports 30100 (http) and 30101 (https)", () => {
    const chart = inputsOf(find(base, RELEASE, "ingress-nginx-release"));
    expect(chart.chart).toBe("ingress-nginx");
    expect(chart.name).toBe("ingress-nginx");
    expect(chart.repositoryOpts.repo).toBe("https://kubernetes.github.io/ingress-nginx");
    expect(chart.namespace).toBe("ingress-nginx");
    expect(chart.values.controller.service).toEqual({
      type: "NodePort",
      nodePorts: { http: 30100, https: 30101 },
    });
  });

  it("ingress-config.yaml: / to hname-svc-default:80, /ip to ip-svc:80, rewrite-target /", () => {
    const ing = inputsOf(find(base, "kubernetes:networking.k8s.io/v1:Ingress", "ingress-nginx"));
    expect(ing.metadata.annotations["nginx.ingress.kubernetes.io/rewrite-target"]).toBe("/");
    expect(ing.spec.rules[0].http.paths).toEqual([
      {
        path: "/",
        pathType: "Prefix",
        backend: { service: { name: "hname-svc-default", port: { number: 80 } } },
      },
      {
        path: "/ip",
        pathType: "Prefix",
        backend: { service: { name: "ip-svc", port: { number: 80 } } },
      },
    ]);
    expect(base.outputs.ingress).toEqual({
      http: "http://192.168.56.101:30100/",
      ip: "http://192.168.56.101:30100/ip",
      https: "https://192.168.56.101:30101/",
    });
  });
});

describe("3.3.4 온프레미스에서 로드밸런서를 제공하는 MetalLB", () => {
  it("MetalLB from its chart in metallb-system, pool nginx-ip-range, layer 2", () => {
    const chart = find(base, RELEASE, "metallb-release");
    expect(inputsOf(chart)).toMatchObject({
      chart: "metallb",
      name: "metallb",
      namespace: "metallb-system",
      version: "0.15.3",
    });
    const pool = find(base, "kubernetes:metallb.io/v1beta1:IPAddressPool", "metallb-pool");
    expect(inputsOf(pool).metadata).toEqual({
      name: "nginx-ip-range",
      namespace: "metallb-system",
    });
    expect(inputsOf(pool).spec.addresses).toEqual(["192.168.56.11-192.168.56.19"]);
    // The pool waits for the release, installed once MetalLB's controller (the webhook) is ready
    // (metallb/metallb#1597).
    expect(pool.dependsOn).toContain(chart.urn);
    const l2 = inputsOf(find(base, "kubernetes:metallb.io/v1beta1:L2Advertisement", "metallb-l2"));
    expect(l2.spec).toEqual({ ipAddressPools: ["nginx-ip-range"] });
  });

  it("lb-hname-pods and lb-ip-pods x3 behind LoadBalancer Services on port 80", () => {
    for (const [d, s, image] of [
      ["lb-hname-pods", "lb-hname-svc", "sysnet4admin/echo-hname"],
      ["lb-ip-pods", "lb-ip-svc", "sysnet4admin/echo-ip"],
    ]) {
      expect(deploy(base, d).spec.replicas).toBe(3);
      expect(container(base, d).image).toBe(image);
      expect(svc(base, s).spec).toMatchObject({ type: "LoadBalancer", selector: { app: d } });
      expect(svc(base, s).spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: "TCP" }]);
      expect(find(base, SVC, s).dependsOn).toContain(
        find(base, "kubernetes:metallb.io/v1beta1:IPAddressPool", "metallb-pool").urn,
      );
    }
  });
});

describe("3.3.5 부하에 따라 자동으로 파드 수를 조절하는 HPA", () => {
  it("metrics-server with the book's two kubelet flags", () => {
    const chart = inputsOf(find(base, RELEASE, "metrics-server-release"));
    expect(chart).toMatchObject({
      chart: "metrics-server",
      name: "metrics-server",
      namespace: "kube-system",
    });
    // The chart (3.13.0) appends `args` to `defaultArgs` without removing repeats, so the book's
    // address types replace the chart's default one and only the other flag is added.
    expect(chart.values.defaultArgs).toContain("--kubelet-preferred-address-types=InternalIP");
    expect(chart.values.args).toEqual(["--kubelet-insecure-tls"]);
  });

  it("hpa-hname-pods: requests 10m, limits 50m, pulled always, replicas left to the HPA", () => {
    const d = deploy(base, "hpa-hname-pods");
    expect(d.spec.replicas).toBeUndefined();
    expect(container(base, "hpa-hname-pods")).toMatchObject({
      name: "echo-hname",
      imagePullPolicy: "Always",
      resources: { requests: { cpu: "10m" }, limits: { cpu: "50m" } },
    });
    expect(svc(base, "hpa-hname-svc").spec.type).toBe("LoadBalancer");
  });

  it("autoscale --min=1 --max=30 --cpu-percent=50", () => {
    const hpa = inputsOf(
      find(base, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "hpa-hname-pods"),
    );
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "hpa-hname-pods" },
      minReplicas: 1,
      maxReplicas: 30,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } },
        },
      ],
    });
  });
});

describe("3.4.1 데몬셋", () => {
  it("MetalLB's speaker runs on every node, the master included", () => {
    // The chart (0.15.3) tolerates the control plane itself while `speaker.tolerateMaster` is true,
    // its default; no extra toleration, which it would render a second time.
    const speaker = inputsOf(find(base, RELEASE, "metallb-release")).values?.speaker;
    expect(speaker?.tolerateMaster ?? true).toBe(true);
    expect(speaker?.tolerations ?? []).toEqual([]);
  });

  it("N = 4: lab:cluster.workers 4 adds w4-k8s and leaves every Kubernetes object as it was", async () => {
    // On a chapter's own VMs (vagrant mode); on the shared cluster the same setting goes to the
    // stack that builds it (test/cluster.test.ts).
    const own = { "lab:cluster.mode": "vagrant" };
    const three = await runStack({ stack: "ch3", config: own });
    const four = await runStack({ stack: "ch3", config: { ...own, "lab:cluster.workers": "4" } });
    expect(find(four, "command:local:Command", "lab-w4-k8s")).toBeDefined();
    expect(find(four, REMOTE, "lab-join-w4-k8s")).toBeDefined();
    const objects = changed(three, four, { inputsOnly: true })
      .map(urnName)
      .filter((n) => n.startsWith("kubernetes:"));
    expect(objects).toEqual([]);
  });
});

describe("3.4.2 컨피그맵", () => {
  it("cfgmap (echo-hname) behind the LoadBalancer cfgmap-svc on port 80", () => {
    expect(container(base, "cfgmap").image).toBe("sysnet4admin/echo-hname");
    expect(svc(base, "cfgmap-svc").spec).toMatchObject({
      type: "LoadBalancer",
      selector: { app: "cfgmap" },
    });
  });

  it("sed 's/11/21/;s/13/23/': the pool moves to .21-.23 and the LoadBalancer Services are re-created", async () => {
    const sections = "3.3.4,3.4.2";
    const book = await runStack({
      stack: "ch3",
      config: { "lab:ch3.sections": sections, "lab:ch3.lbRange": "11-13" },
    });
    const moved = await runStack({
      stack: "ch3",
      config: { "lab:ch3.sections": sections, "lab:ch3.lbRange": "21-23" },
    });
    expect(changedNames(book, moved).sort()).toEqual(
      [
        "kubernetes:metallb.io/v1beta1:IPAddressPool::metallb-pool",
        `${SVC}::cfgmap-svc`,
        `${SVC}::lb-hname-svc`,
        `${SVC}::lb-ip-svc`,
      ].sort(),
    );
    expect(
      inputsOf(find(moved, "kubernetes:metallb.io/v1beta1:IPAddressPool", "metallb-pool")).spec
        .addresses,
    ).toEqual(["192.168.56.21-192.168.56.23"]);
    for (const name of ["cfgmap-svc", "lb-hname-svc", "lb-ip-svc"]) {
      const r = find(moved, SVC, name);
      expect(r.replaceOnChanges).toEqual(['metadata.annotations["k8sinfra-lab/address-pool"]']);
      expect(r.deleteBeforeReplace).toBe(true);
    }
  });

  it("a pool too small for the chosen sections is refused before anything is created", async () => {
    await expect(
      runStack({ stack: "ch3", config: { "lab:ch3.lbRange": "11-13" } }),
    ).rejects.toThrow(
      /lab:ch3\.lbRange: 11-13 holds 3 addresses, but the chosen sections have 6 LoadBalancer Services/,
    );
    await expect(runStack({ stack: "ch3", config: { "lab:ch3.lbRange": "5-15" } })).rejects.toThrow(
      /includes the VMs' addresses \.10/,
    );
  });
});

describe("3.4.3 PV와 PVC", () => {
  it("the master exports /nfs_shared to the host-only network (rw,sync,no_root_squash), idempotently", async () => {
    const exp = find(base, REMOTE, "nfs-export-nfs-shared");
    expect(inputsOf(exp).connection.port).toBe(60010);
    expect(inputsOf(exp).create).toMatch(
      /^export EXPORT_PATH=\/nfs_shared EXPORT_NETWORK=192\.168\.56\.0\/24 EXPORT_OPTIONS=rw,sync,no_root_squash /,
    );
    expect(inputsOf(exp).create).toContain("exportfs -ra");
    // Destroying the chapter stops the export and removes the folder.
    expect(inputsOf(exp).delete).toContain('rm -rf "$EXPORT_PATH"');
    // The server and the client tools come with the lab cluster (the stack `cluster`), on every node.
    const cluster = await runStack({ stack: "cluster" });
    expect(inputsOf(find(cluster, REMOTE, "lab-nfs-server")).create).toContain("nfs-kernel-server");
    for (const node of ["m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"]) {
      expect(inputsOf(find(cluster, REMOTE, `lab-nfs-client-${node}`)).create).toContain(
        "nfs-common",
      );
    }
    expect(base.resources.filter((r) => r.name.startsWith("lab-nfs"))).toEqual([]);
  });

  it("nfs-pv 100Mi RWX Retain on 192.168.56.10:/nfs_shared; nfs-pvc RWX 10Mi bound to it", () => {
    const pv = inputsOf(find(base, "kubernetes:core/v1:PersistentVolume", "nfs-pv"));
    expect(pv.spec).toMatchObject({
      capacity: { storage: "100Mi" },
      accessModes: ["ReadWriteMany"],
      persistentVolumeReclaimPolicy: "Retain",
      nfs: { server: "192.168.56.10", path: "/nfs_shared" },
    });
    const pvc = inputsOf(find(base, "kubernetes:core/v1:PersistentVolumeClaim", "nfs-pvc"));
    expect(pvc.spec).toMatchObject({
      accessModes: ["ReadWriteMany"],
      resources: { requests: { storage: "10Mi" } },
      volumeName: "nfs-pv",
    });
    expect(base.outputs.nfs).toMatchObject({ export: "192.168.56.10:/nfs_shared" });
  });

  it("nfs-pvc-deploy: 4 x audit-trail mounting nfs-pvc at /audit, exposed as nfs-pvc-deploy-svc", () => {
    const d = deploy(base, "nfs-pvc-deploy");
    expect(d.spec.replicas).toBe(4);
    expect(d.spec.template.spec.volumes).toEqual([
      { name: "nfs-vol", persistentVolumeClaim: { claimName: "nfs-pvc" } },
    ]);
    expect(container(base, "nfs-pvc-deploy")).toEqual({
      name: "audit-trail",
      image: "sysnet4admin/audit-trail",
      volumeMounts: [{ name: "nfs-vol", mountPath: "/audit" }],
    });
    expect(svc(base, "nfs-pvc-deploy-svc").spec.type).toBe("LoadBalancer");
  });

  it("nfs-ip: 4 x audit-trail with the NFS export inline", () => {
    const d = deploy(base, "nfs-ip");
    expect(d.spec.replicas).toBe(4);
    expect(d.spec.template.spec.volumes).toEqual([
      { name: "nfs-vol", nfs: { server: "192.168.56.10", path: "/nfs_shared" } },
    ]);
  });

  it("limits-pvc.yaml and quota-pvc.yaml only when asked, in a namespace of their own (test/storageLimits.test.ts)", async () => {
    expect(base.resources.some((r) => r.type === "kubernetes:core/v1:LimitRange")).toBe(false);
    const limited = await runStack({ stack: "ch3", config: { "lab:ch3.storageLimits": "true" } });
    const lr = find(limited, "kubernetes:core/v1:LimitRange", "storagelimits");
    expect(inputsOf(lr).spec.limits).toEqual([
      { type: "PersistentVolumeClaim", max: { storage: "5Mi" }, min: { storage: "1Mi" } },
    ]);
    const rq = inputsOf(find(limited, "kubernetes:core/v1:ResourceQuota", "storagequota"));
    expect(rq.spec.hard).toEqual({ persistentvolumeclaims: "5", "requests.storage": "25Mi" });
    // The book's nfs-pvc stays in default, where 3.4.3's deployments mount it.
    const pvc = inputsOf(find(limited, "kubernetes:core/v1:PersistentVolumeClaim", "nfs-pvc"));
    expect(pvc.metadata.namespace).toBe("default");
    expect(inputsOf(lr).metadata.namespace).not.toBe("default");
    expect(rq.metadata.namespace).toBe(inputsOf(lr).metadata.namespace);
  });
});

describe("3.4.4 스테이풀셋", () => {
  it("nfs-pvc-sts: 4 x audit-trail on nfs-pvc, serviceName sts-svc-domain", () => {
    const sts = inputsOf(find(base, "kubernetes:apps/v1:StatefulSet", "nfs-pvc-sts"));
    expect(sts.spec).toMatchObject({
      replicas: 4,
      serviceName: "sts-svc-domain",
      selector: { matchLabels: { app: "nfs-pvc-sts" } },
    });
    expect(sts.spec.template.spec.volumes).toEqual([
      { name: "nfs-vol", persistentVolumeClaim: { claimName: "nfs-pvc" } },
    ]);
    expect(sts.spec.template.spec.containers[0]).toMatchObject({
      name: "audit-trail",
      image: "sysnet4admin/audit-trail",
    });
  });

  it("the headless sts-svc-domain and the LoadBalancer nfs-pvc-sts-svc, both on port 80", () => {
    expect(svc(base, "sts-svc-domain").spec).toMatchObject({
      clusterIP: "None",
      selector: { app: "nfs-pvc-sts" },
    });
    expect(svc(base, "nfs-pvc-sts-svc").spec).toMatchObject({
      type: "LoadBalancer",
      selector: { app: "nfs-pvc-sts" },
    });
    expect(svc(base, "nfs-pvc-sts-svc").spec.ports).toEqual([
      { port: 80, targetPort: 80, protocol: "TCP" },
    ]);
  });

  it("3.4.4 needs 3.4.3's claim", async () => {
    await expect(
      runStack({ stack: "ch3", config: { "lab:ch3.sections": "3.4.4" } }),
    ).rejects.toThrow(/lab:ch3\.sections: 3\.4\.4 mounts nfs-pvc from 3\.4\.3; add 3\.4\.3/);
  });
});

describe("the charts as the book installs them: Helm releases that helm list shows", () => {
  // pulumi/pulumi-kubernetes 94977969d (v4.32.0 and 27 commits), provider/pkg/provider/
  // helm_release.go: l.607-608 `client.DisableHooks = newRelease.DisableWebhooks`, `client.Wait =
  // !newRelease.SkipAwait` (an install with hooks and --wait); l.64 `defaultTimeoutSeconds = 300`
  // for the whole release, where await.go l.306 gave each rendered object `10 * time.Minute`.
  it("ingress-nginx, metallb and metrics-server: releases with the book's names and namespaces, awaited", () => {
    const releases = base.resources
      .filter((r) => r.type === RELEASE)
      .map((r) => {
        const i = inputsOf(r);
        return [i.name, i.namespace, i.chart, i.skipAwait ?? false, i.timeout];
      })
      .sort();
    expect(releases).toEqual([
      ["ingress-nginx", "ingress-nginx", "ingress-nginx", false, 600],
      ["metallb", "metallb-system", "metallb", false, 600],
      ["metrics-server", "kube-system", "metrics-server", false, 600],
    ]);
    // Nothing is rendered client-side on a cluster: what helm list does not show.
    expect(base.resources.filter((r) => r.type === CHART)).toEqual([]);
  });

  it("on a kubeconfig cluster too, and from lab:charts.dir: the archive's path as the chart", async () => {
    // The archives as `helm pull` names them (the configuration checks that they are there).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "charts-"));
    for (const archive of ["ingress-nginx-4.14.1", "metallb-0.15.3", "metrics-server-3.13.0"]) {
      fs.writeFileSync(path.join(dir, `${archive}.tgz`), "");
    }
    const kube = await runStack({
      stack: "ch3",
      config: { "lab:cluster.mode": "kubeconfig", "lab:charts.dir": dir },
    });
    const metallb = inputsOf(find(kube, RELEASE, "metallb-release"));
    expect(metallb).toMatchObject({
      chart: path.join(dir, "metallb-0.15.3.tgz"),
      name: "metallb",
      namespace: "metallb-system",
    });
    expect(metallb.repositoryOpts).toBeUndefined();
    expect(metallb.version).toBeUndefined();
  });

  // helm_release.go (as above) has no render mode: Create installs on the cluster the provider
  // reaches, or fails "can't create Helm Release with unreachable cluster" (l.990-991); render mode
  // gives the provider no kubeconfig, so a Release would go to whatever ~/.kube/config names.
  it("render mode (dev) renders the same charts with the same release names, namespaces and values", async () => {
    const dev = await runStack({ stack: "dev" });
    expect(dev.resources.filter((r) => r.type === RELEASE)).toEqual([]);
    for (const name of ["ingress-nginx", "metallb", "metrics-server"]) {
      // The SDK's Release also sends `compat: "true"` (@pulumi/kubernetes helm/v3/release.js).
      const { timeout, compat, ...release } = inputsOf(find(base, RELEASE, `${name}-release`));
      expect([timeout, compat]).toEqual([600, "true"]);
      expect(inputsOf(find(dev, CHART, `${name}-chart`))).toEqual(release);
    }
  });
});

describe("chapter 3 on every kind of cluster", () => {
  it("on the lab cluster every Kubernetes object passes its schema, and LoadBalancers are awaited", () => {
    const objects = kubernetesObjects(base.resources);
    expect(objects.length).toBeGreaterThan(30);
    expect(objects.flatMap(schemaProblems)).toEqual([]);
    expect(svc(base, "lb-hname-svc").metadata.annotations).toEqual({
      "k8sinfra-lab/address-pool": "192.168.56.11-192.168.56.19",
    });
  });

  it("on a kubeconfig cluster: node names from config, no NFS server unless given, LoadBalancers not awaited", async () => {
    const kube = await runStack({
      stack: "ch3",
      config: {
        "lab:cluster.mode": "kubeconfig",
        "lab:cluster.nodes": "kind-control-plane,kind-worker",
        "lab:ch3.cordon": "kind-worker",
      },
    });
    expect(kube.outputs.sections).not.toContain("3.4.3");
    expect(kube.resources.some((r) => r.type.startsWith("command:remote"))).toBe(false);
    expect(
      inputsOf(find(kube, "kubernetes:core/v1:NodePatch", "cordon-kind-worker")).metadata.name,
    ).toBe("kind-worker");
    expect(svc(kube, "lb-hname-svc").metadata.annotations["pulumi.com/skipAwait"]).toBe("true");
    expect(kubernetesObjects(kube.resources).flatMap(schemaProblems)).toEqual([]);

    const withNfs = await runStack({
      stack: "ch3",
      config: {
        "lab:cluster.mode": "kubeconfig",
        "lab:ch3.nfsServer": "10.0.0.5",
        "lab:ch3.nfsPath": "/srv/nfs",
      },
    });
    expect(
      inputsOf(find(withNfs, "kubernetes:core/v1:PersistentVolume", "nfs-pv")).spec.nfs,
    ).toEqual({ server: "10.0.0.5", path: "/srv/nfs" });
  });

  it("drain on a kubeconfig cluster runs the reader's kubectl with the stack's context", async () => {
    const kube = await runStack({
      stack: "ch3",
      config: {
        "lab:cluster.mode": "kubeconfig",
        "lab:cluster.context": "kind-lab",
        "lab:ch3.drain": "kind-worker",
      },
    });
    expect(inputsOf(find(kube, "command:local:Command", "drain-kind-worker")).create).toBe(
      'kubectl --context "kind-lab" drain kind-worker --ignore-daemonsets --delete-emptydir-data --timeout=5m',
    );
  });

  it("drain with lab:cluster.kubeconfig ~/...: the reader's kubectl gets the home folder, not a quoted ~", async () => {
    // The provider reads `~` as the home folder; a shell does not expand it inside quotes, so kubectl
    // was given "~/.kube/lab-config" literally and could not find the file.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "lab-home-"));
    fs.mkdirSync(path.join(home, ".kube"));
    fs.writeFileSync(path.join(home, ".kube", "lab config"), "apiVersion: v1\nkind: Config\n");
    const before = process.env.HOME;
    process.env.HOME = home;
    try {
      const kube = await runStack({
        stack: "ch3",
        config: {
          "lab:cluster.mode": "kubeconfig",
          "lab:cluster.kubeconfig": "~/.kube/lab config",
          "lab:ch3.drain": "kind-worker",
        },
      });
      expect(inputsOf(find(kube, "command:local:Command", "drain-kind-worker")).create).toBe(
        `kubectl --kubeconfig "${path.join(home, ".kube", "lab config")}" drain kind-worker --ignore-daemonsets --delete-emptydir-data --timeout=5m`,
      );
    } finally {
      process.env.HOME = before;
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it("in render mode (the dev stack) every object renders, and nothing runs on a host", async () => {
    const dev = await runStack({ stack: "dev" });
    expect(dev.resources.filter((r) => r.type.startsWith("command:"))).toEqual([]);
    expect(kubernetesObjects(dev.resources).flatMap(schemaProblems)).toEqual([]);
    expect(dev.outputs.sections).toContain("3.4.4");
  });
});

describe("3.3.5 load on demand (lab:ch3.loadGenerator)", () => {
  const JOB = "kubernetes:batch/v1:Job";

  it("off by default", () => {
    expect(base.resources.filter((r) => r.type === JOB)).toEqual([]);
  });

  it("a Job requests hpa-hname-svc by name for five minutes, and up does not wait for it", async () => {
    const run = await runStack({ stack: "ch3", config: { "lab:ch3.loadGenerator": "true" } });
    const job = inputsOf(find(run, JOB, "hpa-load-generator"));
    expect(job.metadata.annotations["pulumi.com/skipAwait"]).toBe("true");
    const [container] = job.spec.template.spec.containers;
    expect(container.env).toEqual([
      { name: "TARGET", value: "http://hpa-hname-svc" },
      { name: "SECONDS_OF_LOAD", value: "300" },
    ]);
    // The loop a reader can open: apps/hpa-load/load.sh, run as it is.
    expect(container.command[2]).toBe(fs.readFileSync("apps/hpa-load/load.sh", "utf8"));
    expect(job.spec.template.spec.restartPolicy).toBe("Never");
    const app = find(run, "kubernetes:apps/v1:Deployment", "hpa-hname-pods");
    expect(find(run, JOB, "hpa-load-generator").dependsOn).toContain(app.urn);
  });
});
