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
   * with a ConfigMap, ingress-nginx 0.30 `mandatory.yaml`, metrics-server 0.3.6). `verified` says
   * where each version was found to exist (the chart research of the project: bare snapshots of the
   * chart repositories, `git show <tag>:<file>`); pin only versions that can be found there.
   * `release` is the Helm release name where the book's `kubectl get` shows the chart's objects
   * (the chart names them `<release>-<component>`); without it the provider would make one up from
   * the resource's name and a random suffix.
   */
  charts: {
    metallb: {
      chart: "metallb",
      version: "0.15.3",
      repo: "https://metallb.github.io/metallb",
      /** Deployment `metallb-controller`, DaemonSet `metallb-speaker`. */
      release: "metallb",
      verified: {
        source: "metallb/metallb",
        tag: "v0.15.3",
        commit: "85bfb4f0e0d35090c514e1e5e1a21a8bbd253518",
        file: "charts/metallb/Chart.yaml (version: 0.15.3)",
      },
    },
    ingressNginx: {
      chart: "ingress-nginx",
      version: "4.14.1",
      repo: "https://kubernetes.github.io/ingress-nginx",
      /** Deployment and Service `ingress-nginx-controller`. */
      release: "ingress-nginx",
      verified: {
        source: "kubernetes/ingress-nginx",
        tag: "helm-chart-4.14.1",
        commit: "e832d044efc57ccae15e93ea26a169f64238bf6b",
        file: "charts/ingress-nginx/Chart.yaml (version: 4.14.1, appVersion: 1.14.1)",
      },
    },
    metricsServer: {
      chart: "metrics-server",
      version: "3.13.0",
      repo: "https://kubernetes-sigs.github.io/metrics-server/",
      /** Deployment, Service and ServiceAccount `metrics-server`. */
      release: "metrics-server",
      /**
       * The chart's `defaultArgs` at this version (values.yaml). Its Deployment passes
       * `--secure-port`, then these, then `args`, without removing repeated flags, so a flag of the
       * book that is one of these replaces it here instead of going into `args`.
       */
      defaultArgs: [
        "--cert-dir=/tmp",
        "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
        "--kubelet-use-node-status-port",
        "--metric-resolution=15s",
      ],
      verified: {
        source: "kubernetes-sigs/metrics-server",
        tag: "metrics-server-helm-chart-3.13.0",
        commit: "1a64100c33acf2d7dfa4439f20c75bc64d86983f",
        file: "charts/metrics-server/Chart.yaml (version: 3.13.0, appVersion: 0.8.0)",
      },
    },
    /**
     * Replaces the book's `edu/jenkins` 2.7.1 with Jenkins 2.249.3 and ~60 pinned plugins: Jenkins
     * 2.568.2 (`jenkins/jenkins:2.568.2-jdk21`, the chart's appVersion and `tagLabel`).
     */
    jenkins: {
      chart: "jenkins",
      version: "5.9.53",
      repo: "https://charts.jenkins.io",
      verified: {
        source: "jenkinsci/helm-charts",
        tag: "jenkins-5.9.53",
        commit: "22055414e808938d0fc0585c4920d57661acce90",
        file: "charts/jenkins/Chart.yaml (version: 5.9.53, appVersion: 2.568.2)",
      },
    },
    /**
     * Replaces the book's `edu/prometheus` 11.6.0 (Prometheus 2.19): Prometheus v3.14.0 with the
     * alertmanager chart 1.42.0. 29.27.2 could not be confirmed (the newest tag in the snapshot is
     * prometheus-29.27.0; 29.27.1 exists as a release; 29.27.2 only in third-party notes), so this
     * pins 29.27.0, whose Chart.yaml and dependencies were read.
     */
    prometheus: {
      chart: "prometheus",
      version: "29.27.0",
      repo: "https://prometheus-community.github.io/helm-charts",
      verified: {
        source: "prometheus-community/helm-charts",
        tag: "prometheus-29.27.0",
        commit: "ca06aaef8a20ca639f06523f467cb0ef8a114feb",
        file: "charts/prometheus/Chart.yaml (version: 29.27.0, appVersion: v3.14.0, alertmanager 1.42.*)",
      },
    },
    /**
     * Replaces the book's `edu/grafana` 5.3.0 (Grafana 7.0): Grafana 13.1.1. The chart moved to
     * grafana-community on 2026-01-30; grafana.github.io/helm-charts stops at 10.5.15.
     */
    grafana: {
      chart: "grafana",
      version: "12.10.1",
      repo: "https://grafana-community.github.io/helm-charts",
      verified: {
        source: "grafana-community/helm-charts",
        tag: "grafana-12.10.1",
        commit: "91f5742ceaca6ed9975787ce7516fa4c5329440c",
        file: "charts/grafana/Chart.yaml (version: 12.10.1, appVersion: 13.1.1); gh-pages index.yaml",
      },
    },
  },
  /**
   * The helm CLI on m-k8s, in place of the book's v3.2.1 from `get-helm-3` (5.2.3): the Helm 3
   * release whose library the Kubernetes provider embeds to install the chapters' charts
   * (`helm.sh/helm/v3 v3.20.2` in pulumi/pulumi-kubernetes provider/go.mod), so that `helm list`
   * and `helm history` read the releases it writes (Secrets `sh.helm.release.v1.<release>.v<n>`).
   * `sha256` is each archive's checksum as the release lists it (`helm-<version>-linux-<arch>.tar.gz`).
   */
  helm: {
    version: "v3.20.2",
    sha256: {
      amd64: "258e830a9e613c8a7a302d6059b4bb3b9758f2f3e1bb8ea0d707ce10a9a72fea",
      arm64: "5ea2d6bc2cda3f8edf985e028809f5a9278f404fb8ab24044de9b7cb9b79a691",
    },
    verified: {
      source: "helm/helm",
      tag: "v3.20.2",
      commit: "8fb76d6ab555577e98e23b7500009537a471feee",
      file: "release notes of v3.20.2 (get.helm.sh/helm-v3.20.2-linux-<arch>.tar.gz.sha256sum)",
    },
  },
  /**
   * Plugins installed besides the Jenkins chart's own, pinned (`controller.installLatestPlugins`
   * is off). Both need Jenkins >= 2.479.3 (their pom.xml `jenkins.version`), which 2.568.2 is.
   */
  jenkinsPlugins: {
    /** The jobs as code (jenkinsci/job-dsl-plugin tag 3654.vdf58f53e2d15). */
    jobDsl: "job-dsl:3654.vdf58f53e2d15",
    /** 5.5.2's notices (jenkinsci/slack-plugin tag 795.v4b_9705b_e6d47). */
    slack: "slack:795.v4b_9705b_e6d47",
  },
} as const;
