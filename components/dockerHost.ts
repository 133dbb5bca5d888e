import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { knownHostsEntry, type NodeEndpoint, pinnedSshOptions } from "../lib/cluster";

/** Arguments of a `DockerHost`. */
export interface DockerHostArgs {
  /** How this machine reaches the node's SSH, and the node's host key. */
  readonly endpoint: pulumi.Input<NodeEndpoint>;
  /** The private key, in OpenSSH form, that logs in as root. */
  readonly sshPrivateKey: pulumi.Input<string>;
  /** The stack's work folder (relative to the project), where the key and known_hosts files go. */
  readonly workDir: string;
  /** What must exist first (Docker on the node). */
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * A `@pulumi/docker` provider that reaches Docker on a lab node over SSH with the stack's key, so
 * that containers, volumes and images on the node are resources of the stack. The provider runs the
 * system `ssh`, which reads the key and the node's host key from files: they go into the stack's
 * work folder (ignored by git), readable by their owner only, and `ssh` refuses any other host key.
 */
export class DockerHost extends pulumi.ComponentResource {
  /** The provider for `docker.*` resources on the node. */
  public readonly provider: docker.Provider;
  /** The provider can connect once these are done. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: DockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:docker:DockerHost", name, {}, opts);
    const endpoint = pulumi.output(args.endpoint);
    const file = (id: string, path: string, text: pulumi.Input<string>, secret: boolean) =>
      new command.local.Command(
        `${name}-${id}`,
        {
          create: `node host/vm.js ${secret ? "write-key" : "write"} ${path}`,
          delete: `node host/vm.js remove ${path}`,
          stdin: secret ? pulumi.secret(text) : text,
          logging: secret ? "none" : undefined,
        },
        { parent: this },
      );
    const keyFile = `${args.workDir}/ssh/id_ed25519`;
    const knownHostsFile = `${args.workDir}/ssh/known_hosts`;
    const key = file("ssh-key-file", keyFile, args.sshPrivateKey, true);
    const knownHosts = file("known-hosts", knownHostsFile, endpoint.apply(knownHostsEntry), false);
    this.provider = new docker.Provider(
      `${name}-docker`,
      {
        host: endpoint.apply((e) => `ssh://root@${e.ssh.host}:${e.ssh.port}`),
        sshOpts: pinnedSshOptions(keyFile, knownHostsFile),
        // The node does not exist yet during the first preview.
        disableDockerDaemonCheck: true,
        // No API version to pin for Docker 29, which refuses clients below 1.44: the provider's
        // client asks the daemon first and speaks the lower of its own (1.51) and the daemon's
        // (terraform-provider-docker v4.5.0 internal/provider/config.go, bridged by @pulumi/docker 5).
      },
      { parent: this, dependsOn: [...args.dependsOn, key, knownHosts] },
    );
    this.ready = [...args.dependsOn, key, knownHosts];
    this.registerOutputs({});
  }
}
