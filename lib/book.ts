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
 * The practice set: "replicaset을 이용한 서비스 구축", "Deployment를 활용한 rollback 실습",
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

/** A VM size: virtual CPUs and memory in MB. */
export interface VmSize {
  readonly cpus: number;
  readonly memory: number;
}

/**
 * The book's VMs (2.2.3 Vagrantfile, 3.1.3 Vagrantfile): names, last octets of the host-only
 * addresses, SSH port forwards and sizes.
 */
export const CLUSTER = {
  master: "m-k8s",
  /** `w#{i}-k8s`. */
  workerName: (i: number) => `w${i}-k8s`,
  /** `N = 3` in every Vagrantfile of the book; 3.4.1 sets `N = 4` to add `w4-k8s`. */
  workers: 3,
  /** `192.168.1.10` for the master. */
  masterHost: 10,
  /**
   * `192.168.1.10#{i}` for worker i, which is host 100 + i while i <= 9; beyond nine workers the
   * book's string pattern stops being an address, and 100 + i keeps going.
   */
  workerHost: (i: number) => 100 + i,
  /** Guest 22 forwarded to host 60010 on the master. */
  masterSshPort: 60010,
  /** `"6010#{i}"`, which is 60100 + i while i <= 9. */
  workerSshPort: (i: number) => 60100 + i,
  /** 2.2.1 / 2.2.3: m-k8s 2 CPU / 2048 MB, workers 1 CPU / 1024 MB. */
  ch2Sizes: { master: { cpus: 2, memory: 2048 }, worker: { cpus: 1, memory: 1024 } },
  /** 3.1.3: m-k8s 2 CPU / 3072 MB, workers 1 CPU / 2560 MB (used for every Kubernetes chapter). */
  kubernetesSizes: { master: { cpus: 2, memory: 3072 }, worker: { cpus: 1, memory: 2560 } },
  /** `kubeadm init --pod-network-cidr=172.16.0.0/16` (3.1.3 `master_node.sh`). */
  podCidr: "172.16.0.0/16",
  /** The API server port `work_nodes.sh` joins (`192.168.1.10:6443`). */
  apiServerPort: 6443,
  /** `ping_2_nds.sh` pings each worker three times. */
  pingCount: 3,
  /** The book's companion repository, cloned on the master by `install_pkg.sh` (3.1.3, `Main`). */
  bookRepository: "https://github.com/sysnet4admin/_Book_k8sInfra.git",
} as const;

/** The book's demo images (catalog-book 3.5), untagged as the book uses them. */
export const IMAGES = {
  nginx: "nginx",
  echoHname: "sysnet4admin/echo-hname",
  echoIp: "sysnet4admin/echo-ip",
  auditTrail: "sysnet4admin/audit-trail",
} as const;

/** Chapter 3's objects (catalog-book section 3), by book section. */
export const CH3 = {
  /** 3.1.6 `nginx-pod.yaml`. */
  nginxPod: { name: "nginx-pod", container: "container-name", image: IMAGES.nginx },
  /** 3.2.1-3.2.3 `kubectl create deployment dpy-nginx --image=nginx`, then `scale --replicas=3`. */
  dpyNginx: { name: "dpy-nginx", image: IMAGES.nginx, replicas: 3 },
  /** 3.2.4-3.2.9 `echo-hname.yaml`: label `app: nginx`, 3 replicas (scaled to 6, 9, 3 in the book). */
  echoHname: {
    name: "echo-hname",
    labels: { app: "nginx" },
    container: "echo-hname",
    image: IMAGES.echoHname,
    replicas: 3,
  },
  /** 3.2.10 `rollout-nginx.yaml`: `nginx:1.15.12`, then `set image` 1.16.0, the bad 1.17.23, `undo`. */
  rolloutNginx: {
    name: "rollout-nginx",
    labels: { app: "nginx" },
    container: "nginx",
    imageRepository: "nginx",
    tag: "1.15.12",
    replicas: 3,
  },
  /** 3.3.1 `np-pods`, `nodeport.yaml` (`np-svc`, nodePort 30000) and `expose ... --name=np-svc-v2`. */
  nodePort: {
    deployment: "np-pods",
    image: IMAGES.echoHname,
    replicas: 3,
    service: "np-svc",
    portName: "http",
    nodePort: 30000,
    serviceV2: "np-svc-v2",
  },
  /** 3.3.2 the ingress lab. */
  ingress: {
    hname: { deployment: "in-hname-pod", image: IMAGES.echoHname, service: "hname-svc-default" },
    ip: { deployment: "in-ip-pod", image: IMAGES.echoIp, service: "ip-svc" },
    /** `kubectl expose ... --port=80,443`. */
    servicePorts: [80, 443],
    name: "ingress-nginx",
    namespace: "ingress-nginx",
    /** `ingress.yaml`: http 80 -> nodePort 30100, https 443 -> nodePort 30101. */
    httpNodePort: 30100,
    httpsNodePort: 30101,
    ipPath: "/ip",
  },
  /** 3.3.4 MetalLB and two LoadBalancer Services. */
  loadBalancer: {
    hname: {
      deployment: "lb-hname-pods",
      image: IMAGES.echoHname,
      service: "lb-hname-svc",
      replicas: 3,
    },
    ip: { deployment: "lb-ip-pods", image: IMAGES.echoIp, service: "lb-ip-svc", replicas: 3 },
    namespace: "metallb-system",
    /** `metallb-l2config.yaml`: pool `nginx-ip-range`, 192.168.1.11-192.168.1.13. */
    poolName: "nginx-ip-range",
    poolRange: "11-13",
    /** 3.4.2: `sed 's/11/21/;s/13/23/'`. */
    changedPoolRange: "21-23",
  },
  /** 3.3.5 HPA: requests 10m / limits 50m, `autoscale --min=1 --max=30 --cpu-percent=50`. */
  hpa: {
    deployment: "hpa-hname-pods",
    image: IMAGES.echoHname,
    service: "hpa-hname-svc",
    requestCpu: "10m",
    limitCpu: "50m",
    min: 1,
    max: 30,
    cpuPercent: 50,
    /** The opt-in load (`lab:ch3.loadGenerator`): this project's, not the book's. */
    load: {
      job: "hpa-load-generator",
      image: "busybox:1.37",
      script: "apps/hpa-load/load.sh",
      workers: 3,
      seconds: 300,
    },
  },
  /** metrics-server's extra flags in the book's `metrics-server.yaml`. */
  metricsServerArgs: ["--kubelet-insecure-tls", "--kubelet-preferred-address-types=InternalIP"],
  /** 3.4.2 `cfgmap` behind `cfgmap-svc`. */
  cfgmap: { deployment: "cfgmap", image: IMAGES.echoHname, service: "cfgmap-svc" },
  /** 3.4.3 NFS. */
  nfs: {
    exportRoot: "/nfs_shared",
    /** `/etc/exports`: `/nfs_shared 192.168.1.0/24(rw,sync,no_root_squash)`. */
    exportOptions: "rw,sync,no_root_squash",
    pv: { name: "nfs-pv", capacity: "100Mi", accessMode: "ReadWriteMany", reclaim: "Retain" },
    pvc: { name: "nfs-pvc", request: "10Mi", accessMode: "ReadWriteMany" },
    deploy: {
      name: "nfs-pvc-deploy",
      container: "audit-trail",
      image: IMAGES.auditTrail,
      replicas: 4,
      volume: "nfs-vol",
      mountPath: "/audit",
      service: "nfs-pvc-deploy-svc",
    },
    ip: {
      name: "nfs-ip",
      container: "audit-trail",
      image: IMAGES.auditTrail,
      replicas: 4,
      volume: "nfs-vol",
      mountPath: "/audit",
    },
    /** `limits-pvc.yaml` and `quota-pvc.yaml`. */
    limitRange: { name: "storagelimits", max: "5Mi", min: "1Mi" },
    quota: { name: "storagequota", pvcs: "5", storage: "25Mi" },
    /**
     * Where the two stand here; the book put them in `default` and removed them before chapter 5,
     * whose Jenkins claim (10Gi), like chapter 6's, they would refuse there.
     */
    limitsNamespace: "ch3-storage",
  },
  /** 3.4.4 StatefulSet on the same claim. */
  sts: {
    name: "nfs-pvc-sts",
    container: "audit-trail",
    image: IMAGES.auditTrail,
    replicas: 4,
    serviceName: "sts-svc-domain",
    service: "nfs-pvc-sts-svc",
    mountPath: "/audit",
  },
} as const;

/** Chapter 4 (catalog-book section 4): Docker on the master, four images, the private registry. */
export const CH4 = {
  /** 4.2: `docker run` of nginx three ways. */
  containers: {
    image: IMAGES.nginx,
    exposed: { name: "nginx-exposed", hostPort: 8080 },
    bindMounts: { name: "nginx-bind-mounts", hostPort: 8081, hostPath: "/root/html" },
    volume: { name: "nginx-volume", hostPort: 8082, volume: "nginx-volume" },
    htmlRoot: "/usr/share/nginx/html",
  },
  /** 4.3.1-4.3.4: image tags, Dockerfile styles and the host ports the book runs them on. */
  images: [
    { tag: "basic-img", style: "basic", port: 60431, container: "basic-run" },
    { tag: "optimal-img", style: "optimal", port: 60432, container: "optimal-run" },
    { tag: "nohost-img", style: "nohost", port: 60433, container: "nohost-run" },
    { tag: "multistage-img", style: "multistage", port: 60434, container: "multistage-run" },
  ],
  /** The jar the book's Maven build names (`finalName` app-in-host). */
  jar: "target/app-in-host.jar",
  /** 4.4.2 `create-registry.sh`. */
  registry: {
    container: "registry",
    image: "registry:2",
    port: 8443,
    containerPort: 443,
    dataDir: "/registry-image",
    certDir: "/etc/docker/certs",
    certMount: "/docker-in-certs",
    /** `tls.csr`: C=KR, ST=SEOUL, L=SEOUL, O=gilbut, OU=Book_k8sInfra, CN=<master>; SAN DNS m-k8s. */
    subject: {
      country: "KR",
      province: "SEOUL",
      locality: "SEOUL",
      organization: "gilbut",
      organizationalUnit: "Book_k8sInfra",
    },
    rsaBits: 4096,
    days: 365,
    pushed: "multistage-img",
  },
  /** 4.4.1 and 4.4.3: the deployments of the registry lab. */
  deployments: {
    failure1: { name: "failure1" },
    failure2: { name: "failure2" },
    success1: { name: "success1", replicas: 3, node: "w3-k8s" },
    success2: { name: "success2", replicas: 3 },
  },
} as const;

/** Chapter 5 (catalog-book section 5): MetalLB two ways, Jenkins on NFS, the jobs of 5.4 and 5.5. */
export const CH5 = {
  metallb: {
    namespace: "metallb-system",
    /** The book's pool name in `metallb-l2config.yaml` and the `edu/metallb` chart. */
    poolName: "metallb-ip-range",
    /** 5.2.2 Kustomize: 192.168.1.11-192.168.1.19. */
    kustomizeRange: "11-19",
    /** 5.2.3 Helm: `configmap.ipRange=192.168.1.11-192.168.1.29`. */
    helmRange: "11-29",
  },
  jenkins: {
    /** `helm install jenkins ...` in namespace default. */
    release: "jenkins",
    /** `nfs-exporter.sh jenkins` and `chown 1000:1000`. */
    nfsDir: "/nfs_shared/jenkins",
    owner: "1000:1000",
    /** `jenkins-volume.yaml`: PV and PVC `jenkins`, 10Gi RWX Retain. */
    volume: { name: "jenkins", size: "10Gi" },
    uid: 1000,
    gid: 1000,
    /** `master.nodeSelector."kubernetes\.io/hostname"=m-k8s`. */
    node: "m-k8s",
    servicePort: 80,
    /** The Jenkins Service got the first address of the pool in the book (192.168.1.11). */
    addressHost: 11,
    timezone: "Asia/Seoul",
    jenkinsOpts: "--sessionTimeout=1440 --sessionEviction=86400",
    adminUser: "admin",
    /** The agents' ServiceAccount (`--serviceaccount=default:jenkins` in 5.3.4). */
    serviceAccount: "jenkins",
    agentPort: 50000,
  },
  jobs: {
    freestyle: {
      name: "fs-echo-ip",
      deployment: "fs-echo-ip",
      service: "fs-echo-ip-svc",
      port: 8080,
      targetPort: 80,
    },
    pipeline: {
      name: "pl-bulk-prod",
      deployment: "pl-bulk-prod",
      service: "pl-bulk-prod-svc",
      port: 8080,
      targetPort: 80,
    },
    blueGreen: {
      name: "pl-blue-green",
      deployments: ["pl-blue", "pl-green"],
      service: "pl-blue-green-svc",
      app: "dashboard",
      image: "sysnet4admin/dashboard",
    },
    gitops: { name: "dpy-pl-gitops", poll: "*/10 * * * *", deployment: "gitops-nginx" },
    /** The pushed image of 5.4. */
    image: "echo-ip",
  },
  repositories: {
    echoIp: "https://github.com/iac-source/echo-ip.git",
    blueGreen: "https://github.com/iac-source/blue-green.git",
    /** 5.5.1 starts the reader's repository from the book's `ch5/5.5.x` files. */
    gitops: "https://github.com/sysnet4admin/_Book_k8sInfra.git",
    gitopsPath: "ch5/5.5.3/deployment.yaml",
  },
} as const;

/** Chapter 6 (catalog-book section 6): Prometheus, Grafana, Alertmanager on NFS. */
export const CH6 = {
  /** Chapter 6 uses MetalLB from Helm with 5.2.3's pool, .11-.29. */
  poolRange: "11-29",
  nfs: {
    owner: "1000:1000",
    server: { dir: "/nfs_shared/prometheus/server", volume: "prometheus-server" },
    alertmanager: { dir: "/nfs_shared/prometheus/alertmanager", volume: "prometheus-alertmanager" },
    grafana: { dir: "/nfs_shared/grafana", volume: "grafana" },
    size: "10Gi",
  },
  prometheus: {
    release: "prometheus",
    /** `server.service.loadBalancerIP="192.168.1.12"`. */
    serverHost: 12,
    /** `alertmanager.service.loadBalancerIP="192.168.1.14"`. */
    alertmanagerHost: 14,
    uid: 1000,
    gid: 1000,
    extraFlag: "storage.tsdb.no-lockfile",
    /** The in-cluster address Grafana's data source uses in 6.4. */
    url: "http://prometheus-server.default.svc.cluster.local",
  },
  /** 6.5.1 `values.yaml` / alerting rules: group Node, alert NodeDown. */
  nodeDown: {
    group: "Node",
    alert: "NodeDown",
    expr: 'up{job="kubernetes-nodes"} == 0',
    for: "1m",
  },
  /** 6.5.1 `alert-notifier.yaml`: receiver and route. */
  alertmanager: {
    receiver: "slack-notifier",
    channel: "#monitoring",
    groupWait: "10s",
    groupInterval: "1m",
    repeatInterval: "5m",
  },
  grafana: { release: "grafana", host: 13, uid: 1000, gid: 1000, adminUser: "admin" },
  /** 6.2.3 `nginx-status-metrics.yaml`. */
  nginxStatus: {
    deployment: "nginx",
    image: "sysnet4admin/nginx-status",
    exporter: {
      name: "nginx-exporter",
      image: "nginx/nginx-prometheus-exporter:0.8.0",
      port: 9113,
      scrapeUri: "http://localhost:80/stub_status",
    },
  },
} as const;

/** Kubernetes in Action chapter 2: kubia. */
export const KIA = {
  app: "kubia",
  /** `kubectl run kubia --port=8080 --generator=run/v1` made a ReplicationController labelled run=kubia. */
  labels: { run: "kubia" },
  port: 8080,
  /** `kubectl scale rc kubia --replicas=3`. */
  replicas: 3,
  /** `kubectl expose rc kubia --type=LoadBalancer --name kubia-http`. */
  service: "kubia-http",
  /** The pool kia's MetalLB gives out (the lab's usual first addresses). */
  poolRange: "11-19",
} as const;
