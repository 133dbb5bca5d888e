/**
 * Facts of the book and of the study notes, kept in one place so that no name, port or address is
 * repeated as a literal elsewhere. Each group says where it comes from.
 */

/** Every lab object of the book lives in the `default` namespace unless the book says otherwise. */
export const BOOK_NAMESPACE = "default";

/** Host-only network (book 2.2.x, `config.sh`); see catalog.md for why the prefix differs. */
export const NETWORK = {
  /** VirtualBox >= 6.1.28 on Linux/macOS accepts only 192.168.56.0/21 without extra setup. */
  defaultPrefix: "192.168.56",
  /** The prefix printed in the book. */
  bookPrefix: "192.168.1",
} as const;

/** The two study-note colors of the blue/green practice. */
export const COLORS = ["blue", "green"] as const;
export type Color = (typeof COLORS)[number];

/**
 * The practice set (seed 004): "replicaset을 이용한 서비스 구축", "Deployment를 활용한 rollback 실습",
 * "GCP를 활용해 서비스 배포" (run on the lab cluster instead of GKE).
 */
export const PRACTICE = {
  replicaSet: {
    name: "replicaset-nginx",
    replicas: 3,
    podName: "my-nginx-pod",
    labels: { app: "my-nginx-pods-label" },
    container: "nginx",
    image: "nginx:latest",
    containerPort: 80,
  },
  rollout: {
    name: "my-nginx-deployment",
    replicas: 3,
    podName: "my-nginx-pod",
    labels: { app: "my-nginx" },
    container: "nginx",
    imageRepository: "nginx",
    /** `nginx:1.10` first, then `kubectl set image ... nginx=nginx:1.11 --record`. */
    tag: "1.10",
    containerPort: 80,
  },
  projectConfigMap: { name: "projectid", key: "project.id", value: "hello-docker" },
  apiKeySecret: { name: "apikey", idKey: "id", keyKey: "key" },
  webserver: {
    /** Deployments `webserver-blue` and `webserver-green`. */
    deploymentPrefix: "webserver",
    serviceName: "webserver",
    replicas: 3,
    /** Label shared by both colors; the Service adds `color: <active>`. */
    labels: { type: "webserver" },
    container: "webserver-container",
    portName: "http-server",
    containerPort: 80,
    servicePort: 80,
    activeColor: "green" as Color,
    env: { projectId: "PROJECT_ID", secretId: "SECRET_ID", secretKey: "SECRET_KEY" },
  },
} as const;
