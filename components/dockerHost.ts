import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as scripts from "../lib/scripts";

/** Arguments of a `DockerHost`. */
export interface DockerHostArgs {
  /** How to log in to the node as root. */
  readonly connection: command.types.input.remote.ConnectionArgs;
  /** The node's address. */
  readonly address: string;
  /** The stack's private key, in OpenSSH form, that logs in as root. */
  readonly sshPrivateKey: pulumi.Input<string>;
  /** The stack's work folder (relative to the project), where the key file and known_hosts live. */
  readonly workDir: string;
  /** What must exist first (the node). */
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * Docker on a lab node, and a `@pulumi/docker` provider that reaches it over SSH with the stack's
 * key, so that containers, volumes and images on the node are resources of the stack.
 */
export class DockerHost extends pulumi.ComponentResource {
  /** The provider for `docker.*` resources on the node. */
  public readonly provider: docker.Provider;
  /** Docker runs once these are done. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: DockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:docker:DockerHost", name, {}, opts);
    const install = new command.remote.Command(
      `${name}-install`,
      { connection: args.connection, create: scripts.dockerInstall() },
      { parent: this, dependsOn: [...args.dependsOn] },
    );
    // The Docker provider runs the system `ssh`, which reads the key from a file: it goes into the
    // stack's work folder (ignored by git), readable by its owner only, like Vagrant's own keys.
    const keyFile = `${args.workDir}/ssh/id_ed25519`;
    const key = new command.local.Command(
      `${name}-ssh-key-file`,
      {
        create: `node host/vm.js write-key ${keyFile}`,
        delete: `node host/vm.js remove ${keyFile}`,
        stdin: pulumi.secret(args.sshPrivateKey),
        logging: "none",
      },
      { parent: this },
    );
    this.provider = new docker.Provider(
      `${name}-docker`,
      {
        host: `ssh://root@${args.address}`,
        sshOpts: [
          "-i",
          keyFile,
          "-o",
          "IdentitiesOnly=yes",
          "-o",
          "StrictHostKeyChecking=accept-new",
          "-o",
          `UserKnownHostsFile=${args.workDir}/ssh/known_hosts`,
        ],
        // The node does not exist yet during the first preview.
        disableDockerDaemonCheck: true,
      },
      { parent: this, dependsOn: [install, key] },
    );
    this.ready = [install, key];
    this.registerOutputs({});
  }
}
