/**
 * Images and versions this project chooses where the book's own no longer work, pinned here and
 * nowhere else (config can override the cluster versions: `lab:versions.*`). The book's own images
 * (for example `nginx:1.10`) stay in `book.ts`.
 */
export const VERSIONS = {
  /**
   * Stands in for the practice notes' `gcr.io/<project>/imageview:{blue,green}`, which were pushed to
   * a private Google registry and cannot be pulled. The official nginx image renders
   * `/etc/nginx/templates/*.template` with the container's environment at start.
   */
  webserverImage: "nginx:1.28-alpine",
  /**
   * Replaces `sysnet4admin/CentOS-k8s` (CentOS 7, end of life, x86_64 only): Ubuntu 24.04 with
   * VirtualBox builds for amd64 and arm64 hosts.
   */
  box: "bento/ubuntu-24.04",
  /** Replaces Kubernetes 1.18.4: kubeadm, kubelet and kubectl from pkgs.k8s.io (`<version>-1.1`). */
  kubernetes: "1.36.0",
  /** pkgs.k8s.io names its packages `<version>-1.1`. */
  kubernetesPackageRevision: "1.1",
  /** Replaces the book's Calico 3.9 manifest; its `calico.yaml` with the book's pod CIDR. */
  calico: "3.31.2",
  /** MetalLB release of the Kustomize lab (its `metallb-native.yaml`), the chart's app version. */
  metallb: "0.15.3",
  /**
   * Charts from their official repositories, in place of the book's copied manifests (MetalLB 0.8
   * with a ConfigMap, ingress-nginx 0.30 `mandatory.yaml`, metrics-server 0.3.6).
   */
  charts: {
    metallb: { chart: "metallb", version: "0.15.3", repo: "https://metallb.github.io/metallb" },
    ingressNginx: {
      chart: "ingress-nginx",
      version: "4.14.1",
      repo: "https://kubernetes.github.io/ingress-nginx",
    },
    metricsServer: {
      chart: "metrics-server",
      version: "3.13.0",
      repo: "https://kubernetes-sigs.github.io/metrics-server/",
    },
    /** Replaces the book's `edu/jenkins` 2.7.1 with Jenkins 2.249.3 and ~60 pinned plugins. */
    jenkins: { chart: "jenkins", version: "5.7.12", repo: "https://charts.jenkins.io" },
    /** Replaces the book's `edu/prometheus` 11.6.0 (Prometheus 2.19). */
    prometheus: {
      chart: "prometheus",
      version: "29.27.2",
      repo: "https://prometheus-community.github.io/helm-charts",
    },
    /** Replaces the book's `edu/grafana` 5.3.0 (Grafana 7.0). */
    grafana: {
      chart: "grafana",
      version: "12.10.1",
      repo: "https://grafana.github.io/helm-charts",
    },
  },
} as const;
