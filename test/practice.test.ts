/**
 * The practice set (seed 004), step by step. Expected values are the notes' own YAML.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { changed, find, inputsOf, runStack, type StackRun, urnName } from "./harness";
import { kubernetesObjects, schemaProblems } from "./k8sSchema";

const RS = "kubernetes:apps/v1:ReplicaSet";
const DEPLOY = "kubernetes:apps/v1:Deployment";
const SVC = "kubernetes:core/v1:Service";
const CM = "kubernetes:core/v1:ConfigMap";
const SECRET = "kubernetes:core/v1:Secret";

let base: StackRun;
beforeAll(async () => {
  base = await runStack({ stack: "practice" });
});

describe("replicaset을 이용한 서비스 구축 및 replica 수 변경 적용 실습", () => {
  it("replicaset-nginx.yaml: 3 nginx:latest pods labelled app=my-nginx-pods-label, port 80", () => {
    const rs = inputsOf(find(base, RS, "replicaset-nginx"));
    expect(rs.metadata).toMatchObject({ name: "replicaset-nginx", namespace: "default" });
    expect(rs.spec.replicas).toBe(3);
    expect(rs.spec.selector).toEqual({ matchLabels: { app: "my-nginx-pods-label" } });
    expect(rs.spec.template.metadata).toEqual({
      name: "my-nginx-pod",
      labels: { app: "my-nginx-pods-label" },
    });
    expect(rs.spec.template.spec.containers).toEqual([
      { name: "nginx", image: "nginx:latest", ports: [{ containerPort: 80 }] },
    ]);
  });

  it("replicaset-nginx-4pods.yaml: replicas 4 changes only the ReplicaSet's replica count", async () => {
    const four = await runStack({
      stack: "practice",
      config: { "lab:practice.replicaSetReplicas": "4" },
    });
    expect(changed(base, four).map(urnName)).toEqual([`${RS}::replicaset-nginx`]);
    const rs = inputsOf(find(four, RS, "replicaset-nginx"));
    expect(rs.spec.replicas).toBe(4);
    expect(rs.spec.selector).toEqual(inputsOf(find(base, RS, "replicaset-nginx")).spec.selector);
  });
});

describe("Deployment를 활용한 rollback 실습", () => {
  it("deployment-nginx.yaml --record: my-nginx-deployment, 3 x nginx:1.10, app=my-nginx, cause recorded", () => {
    const d = inputsOf(find(base, DEPLOY, "my-nginx-deployment"));
    expect(d.metadata.name).toBe("my-nginx-deployment");
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.selector).toEqual({ matchLabels: { app: "my-nginx" } });
    expect(d.spec.template.metadata).toEqual({ name: "my-nginx-pod", labels: { app: "my-nginx" } });
    expect(d.spec.template.spec.containers).toEqual([
      { name: "nginx", image: "nginx:1.10", ports: [{ containerPort: 80 }] },
    ]);
    expect(d.metadata.annotations["kubernetes.io/change-cause"]).toContain("nginx:1.10");
  });

  it("set image deployment my-nginx-deployment nginx=nginx:1.11 --record: new image and cause, nothing else", async () => {
    const next = await runStack({ stack: "practice", config: { "lab:practice.nginxTag": "1.11" } });
    expect(changed(base, next).map(urnName)).toEqual([`${DEPLOY}::my-nginx-deployment`]);
    const d = inputsOf(find(next, DEPLOY, "my-nginx-deployment"));
    expect(d.spec.template.spec.containers[0].image).toBe("nginx:1.11");
    expect(d.metadata.annotations["kubernetes.io/change-cause"]).toContain("nginx:1.11");
    // Only the pod template's image moves, so the Deployment controller makes revision 2.
    const before = inputsOf(find(base, DEPLOY, "my-nginx-deployment"));
    expect({ ...d.spec.template.spec.containers[0], image: "" }).toEqual({
      ...before.spec.template.spec.containers[0],
      image: "",
    });
  });

  it("rollout undo --to-revision=1: setting 1.10 again gives exactly revision 1's object", async () => {
    const undone = await runStack({
      stack: "practice",
      config: { "lab:practice.nginxTag": "1.10" },
    });
    expect(changed(base, undone)).toEqual([]);
  });
});

describe("GCP를 활용해 서비스 배포, on the stack's cluster", () => {
  it("configmap.yaml: ConfigMap projectid with project.id hello-docker", () => {
    const cm = inputsOf(find(base, CM, "projectid"));
    expect(cm.metadata.name).toBe("projectid");
    expect(cm.data).toEqual({ "project.id": "hello-docker" });
  });

  it("secret.yaml: Secret apikey is Opaque with id and key from secret config", async () => {
    const run = await runStack({
      stack: "practice",
      secrets: { "lab:practice.apiKeyId": "asa", "lab:practice.apiKey": "aBcD123" },
    });
    const s = find(run, SECRET, "apikey");
    expect(inputsOf(s).type).toBe("Opaque");
    expect(inputsOf(s).stringData).toEqual({ id: "asa", key: "aBcD123" });
    // The values travel as secrets: the state keeps them encrypted and the plan prints [secret].
    expect(JSON.stringify(s.inputs)).not.toMatch(/asa|aBcD123/);
    expect(run.resources.some((r) => r.type.startsWith("random:"))).toBe(false);
  });

  it("without secret config, id and key are generated and exported only as secrets", () => {
    const generated = base.resources.filter(
      (r) => r.type === "random:index/randomPassword:RandomPassword",
    );
    expect(generated.map((r) => r.name).sort()).toEqual(["apikey-id", "apikey-key"]);
    const stringData = inputsOf(find(base, SECRET, "apikey")).stringData;
    expect(stringData.id).toMatch(/^mock/);
    expect(JSON.stringify(base.outputs.apiKey)).toBe('{"id":"[secret]","key":"[secret]"}');
  });

  for (const color of ["blue", "green"]) {
    it(`deployment-${color}.yaml: webserver-${color}, 3 pods labelled type=webserver color=${color}, env from projectid and apikey`, () => {
      const d = inputsOf(find(base, DEPLOY, `webserver-${color}`));
      expect(d.spec.replicas).toBe(3);
      expect(d.spec.template.metadata.labels).toEqual({ type: "webserver", color });
      expect(d.spec.selector.matchLabels).toEqual({ type: "webserver", color });
      const [c] = d.spec.template.spec.containers;
      expect(c.name).toBe("webserver-container");
      expect(c.ports).toEqual([{ containerPort: 80, name: "http-server" }]);
      expect(c.env).toEqual(
        expect.arrayContaining([
          {
            name: "PROJECT_ID",
            valueFrom: { configMapKeyRef: { name: "projectid", key: "project.id" } },
          },
          { name: "SECRET_ID", valueFrom: { secretKeyRef: { name: "apikey", key: "id" } } },
          { name: "SECRET_KEY", valueFrom: { secretKeyRef: { name: "apikey", key: "key" } } },
        ]),
      );
    });
  }

  it("the web page names the color and the ConfigMap's project id", () => {
    const page = inputsOf(find(base, CM, "webserver-page")).data["default.conf.template"];
    expect(page).toContain("listen 80;");
    expect(page).toMatch(/webserver-\$\{COLOR\}/);
    expect(page).toMatch(/\$\{PROJECT_ID\}/);
    const d = inputsOf(find(base, DEPLOY, "webserver-green"));
    expect(d.spec.template.spec.containers[0].env).toContainEqual({
      name: "COLOR",
      value: "green",
    });
    expect(d.spec.template.spec.containers[0].volumeMounts).toContainEqual(
      expect.objectContaining({ mountPath: "/etc/nginx/templates" }),
    );
  });

  it("service.yaml: Service webserver, LoadBalancer 80 -> 80 TCP, selecting type=webserver color=green", () => {
    const svc = inputsOf(find(base, SVC, "webserver"));
    expect(svc.metadata.name).toBe("webserver");
    expect(svc.spec.type).toBe("LoadBalancer");
    expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: "TCP" }]);
    expect(svc.spec.selector).toEqual({ type: "webserver", color: "green" });
    expect(base.outputs.blueGreen).toMatchObject({ service: "webserver", activeColor: "green" });
  });

  it("switching to blue changes only the Service selector; both colors keep running", async () => {
    const blue = await runStack({
      stack: "practice",
      config: { "lab:practice.activeColor": "blue" },
    });
    expect(changed(base, blue).map(urnName)).toEqual([`${SVC}::webserver`]);
    const svc = inputsOf(find(blue, SVC, "webserver"));
    expect(svc.spec.selector).toEqual({ type: "webserver", color: "blue" });
    expect(find(blue, SVC, "webserver").dependsOn).toContain(
      find(blue, DEPLOY, "webserver-blue").urn,
    );
  });

  it("a kubeconfig cluster may have no load balancer: the Service does not hold up pulumi up", async () => {
    const svc = inputsOf(find(base, SVC, "webserver"));
    expect(svc.metadata.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
    const waiting = await runStack({
      stack: "practice",
      config: { "lab:cluster.awaitLoadBalancer": "true" },
    });
    expect(inputsOf(find(waiting, SVC, "webserver")).metadata.annotations).toBeUndefined();
  });
});

describe("a LoadBalancer without an address (kind, minikube, the lab cluster before MetalLB)", () => {
  it("the output says how to reach webserver anyway, for the cluster the stack is on", async () => {
    // The mock cluster gives the Service no status, as kind and minikube leave it <pending>.
    const kind = await runStack({
      stack: "practice",
      config: { "lab:cluster.mode": "kubeconfig" },
      secrets: { "lab:cluster.kubeconfig": "apiVersion: v1\nkind: Config\n" },
    });
    const url = (kind.outputs.blueGreen as { url: string }).url;
    expect(url).toContain("kubectl port-forward service/webserver 8080:80");
    expect(url).toContain("minikube tunnel");
    expect(url).toContain("cloud-provider-kind");
    const lab = (base.outputs.blueGreen as { url: string }).url;
    expect(lab).toContain("MetalLB");
    expect(lab).toContain("kubectl port-forward service/webserver 8080:80");
  });
});

describe("the practice stack as a whole", () => {
  it("every Kubernetes object passes the Kubernetes OpenAPI schema", () => {
    const objects = kubernetesObjects(base.resources);
    expect(objects.length).toBe(8);
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });

  it("every Kubernetes object is created through the stack's own provider, in namespace default", () => {
    const provider = base.resources.find((r) => r.type === "pulumi:providers:kubernetes");
    // On the lab cluster of the stack `cluster` (Pulumi.practice.yaml's lab:cluster.mode stack).
    expect(provider?.name).toBe("lab-stack-cluster");
    for (const r of kubernetesObjects(base.resources)) {
      expect(r.provider, r.name).toBe(provider?.urn);
      expect(inputsOf(r).metadata.namespace, r.name).toBe("default");
    }
  });

  it("objects sit under the section of the notes they come from", () => {
    const section = (name: string) => find(base, "k8sinfra:book:Section", name).urn;
    expect(find(base, RS, "replicaset-nginx").parent).toBe(section("practice-replicaset"));
    expect(find(base, DEPLOY, "my-nginx-deployment").parent).toBe(section("practice-rollback"));
    expect(find(base, SECRET, "apikey").parent).toBe(section("practice-blue-green"));
    expect(find(base, "k8sinfra:k8s:BlueGreen", "webserver").parent).toBe(
      section("practice-blue-green"),
    );
  });

  it("the web pods wait for the ConfigMaps and the Secret they read", () => {
    const d = find(base, DEPLOY, "webserver-blue");
    for (const [type, name] of [
      [CM, "projectid"],
      [CM, "webserver-page"],
      [SECRET, "apikey"],
    ]) {
      expect(d.dependsOn).toContain(find(base, type, name).urn);
    }
  });
});
