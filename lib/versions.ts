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
} as const;
