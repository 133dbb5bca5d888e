import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChartSource } from "../lib/charts";
import { helmInstall } from "../lib/helmInstall";
import { bookMeta } from "../lib/k8s";

/** Arguments of a `Jenkins`. */
export interface JenkinsArgs {
  /** Which chart to install: its repository, or an archive of `lab:charts.dir`. */
  readonly chart: ChartSource;
  /** Helm release name; also the Service and ServiceAccount name (the book's `jenkins`). */
  readonly release: string;
  /** PersistentVolumeClaim holding /var/jenkins_home (the book's `jenkins`). */
  readonly existingClaim: pulumi.Input<string>;
  /** The node the controller runs on (the book's `m-k8s`), with the control-plane toleration. */
  readonly node: string;
  /** uid and gid of the controller (the book's 1000, matching the NFS folder's owner). */
  readonly uid: number;
  readonly gid: number;
  /** LoadBalancer port (the book's 80) and the address MetalLB gives it. */
  readonly servicePort: number;
  readonly address: string;
  /** `-Duser.timezone=...` (the book's Asia/Seoul). */
  readonly timezone: string;
  /** Arguments of Jenkins itself (the book's session timeout and eviction). */
  readonly jenkinsOpts: string;
  readonly adminUser: string;
  /** Admin password (secret). */
  readonly adminPassword: pulumi.Input<string>;
  /** The configuration-as-code document. */
  readonly casc: pulumi.Input<string>;
  /**
   * Plugins besides the chart's own, each pinned as `<name>:<version>` (Job DSL for the jobs, Slack
   * when configured); nothing is resolved to "latest".
   */
  readonly plugins: readonly string[];
  /** Do not wait for the chart's objects (no load balancer to give its Service an address). */
  readonly skipAwait?: boolean;
  /** Environment of the controller from Secret keys (the Slack token for JCasC). */
  readonly secretEnv?: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * Jenkins from its official chart as the book's `helm install jenkins` makes it, the Helm release
 * `jenkins` in `default`, with the book's settings in today's value names, its admin password in a
 * Secret, configuration as code from the project, and the RBAC its agents need to deploy: a Role in
 * `default` for the objects the book's jobs create, not the book's cluster-admin.
 */
export class Jenkins extends pulumi.ComponentResource {
  /** The Jenkins URL. */
  public readonly url: string;

  constructor(name: string, args: JenkinsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:k8s:Jenkins", name, {}, opts);
    const child = { parent: this };
    const after = opts?.dependsOn;
    const adminSecret = new k8s.core.v1.Secret(
      `${name}-admin`,
      {
        metadata: bookMeta(`${args.release}-admin`),
        type: "Opaque",
        stringData: {
          "jenkins-admin-user": args.adminUser,
          "jenkins-admin-password": args.adminPassword,
        },
      },
      child,
    );
    const envSecret = args.secretEnv
      ? new k8s.core.v1.Secret(
          `${name}-env`,
          { metadata: bookMeta(`${args.release}-env`), type: "Opaque", stringData: args.secretEnv },
          child,
        )
      : undefined;

    const release = helmInstall(
      name,
      {
        source: args.chart,
        release: args.release,
        namespace: "default",
        skipAwait: args.skipAwait,
        values: {
          persistence: { existingClaim: args.existingClaim },
          controller: {
            // `admin.createSecret` stays at its default, true: the chart hands the existing
            // Secret's keys to JCasC as `${chart-admin-username}` / `${chart-admin-password}` only then.
            admin: {
              existingSecret: adminSecret.metadata.name,
              userKey: "jenkins-admin-user",
              passwordKey: "jenkins-admin-password",
            },
            nodeSelector: { "kubernetes.io/hostname": args.node },
            tolerations: [
              {
                key: "node-role.kubernetes.io/control-plane",
                operator: "Exists",
                effect: "NoSchedule",
              },
            ],
            runAsUser: args.uid,
            fsGroup: args.gid,
            containerSecurityContext: { runAsUser: args.uid, runAsGroup: args.gid },
            serviceType: "LoadBalancer",
            servicePort: args.servicePort,
            // The book's Jenkins got the pool's first address; asking for it keeps the URL known.
            serviceAnnotations: { "metallb.io/loadBalancerIPs": args.address },
            jenkinsOpts: args.jenkinsOpts,
            javaOpts: `-Duser.timezone=${args.timezone}`,
            // Plugins as pinned: the chart's and ours at their versions, their dependencies at the
            // lowest versions they need, not the newest (which may need a newer Jenkins).
            installLatestPlugins: false,
            installLatestSpecifiedPlugins: false,
            additionalPlugins: [...args.plugins],
            // The chart reads `controller.numExecutors` and `agent.enabled` only in its default
            // JCasC, which is off; the executors are set in the project's JCasC (lib/jenkins.ts).
            JCasC: { defaultConfig: false, configScripts: { "k8sinfra-lab": args.casc } },
            containerEnv: envSecret
              ? Object.keys(args.secretEnv ?? {}).map((key) => ({
                  name: key,
                  valueFrom: { secretKeyRef: { name: envSecret.metadata.name, key } },
                }))
              : [],
          },
          serviceAccount: { create: true, name: args.release },
        },
      },
      { parent: this, dependsOn: after },
    );

    // 5.3.4 gave the agents cluster-admin; the book's jobs only create and expose Deployments
    // and ConfigMaps in `default`, and wait on their pods.
    const role = new k8s.rbac.v1.Role(
      `${name}-deployer`,
      {
        metadata: bookMeta(`${args.release}-deployer`),
        rules: [
          {
            apiGroups: ["apps"],
            resources: ["deployments", "replicasets"],
            verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
          },
          {
            apiGroups: [""],
            resources: ["services", "configmaps"],
            verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
          },
          { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
        ],
      },
      child,
    );
    new k8s.rbac.v1.RoleBinding(
      `${name}-deployer`,
      {
        metadata: bookMeta(`${args.release}-deployer`),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: args.release, namespace: "default" }],
      },
      { parent: this, dependsOn: [release] },
    );

    this.url = `http://${args.address}${args.servicePort === 80 ? "" : `:${args.servicePort}`}`;
    this.registerOutputs({ url: this.url });
  }
}
