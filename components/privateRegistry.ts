import { createHash } from "node:crypto";
import type * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { nodeStep } from "../lib/nodeStep";
import * as scripts from "../lib/scripts";

type Connection = command.types.input.remote.ConnectionArgs;

/** Arguments of a `PrivateRegistry`. */
export interface PrivateRegistryArgs {
  /** The node that runs the registry (the master). */
  readonly host: {
    readonly name: string;
    readonly address: string;
    readonly connection: Connection;
  };
  /** Every node that pulls from it (their containerd trusts the certificate), by node name. */
  readonly nodes: Readonly<Record<string, Connection>>;
  /** The Docker provider of the host. */
  readonly docker: docker.Provider;
  /** Host port of the registry (the book's 8443). */
  readonly port: number;
  /** The registry's own port in the container (the book's 443). */
  readonly containerPort: number;
  /** Registry image (the book's `registry:2`). */
  readonly image: string;
  /** Container name (the book's `registry`). */
  readonly containerName: string;
  /** Host folder of the registry's data (the book's `/registry-image`). */
  readonly dataDir: string;
  /** Host folder of the certificate and key (the book's `/etc/docker/certs`). */
  readonly certDir: string;
  /** Where the container sees the certificate folder (the book's `/docker-in-certs`). */
  readonly certMount: string;
  /** Certificate subject besides the CN, which is the host's address (the book's `tls.csr`). */
  readonly subject: {
    readonly country: string;
    readonly province: string;
    readonly locality: string;
    readonly organization: string;
    readonly organizationalUnit: string;
  };
  /** RSA key size (the book's 4096). */
  readonly rsaBits: number;
  /** Validity in days (the book's 365). */
  readonly days: number;
  /** What must exist first (Docker on the host). */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** `sha256` fingerprint of a certificate, `AA:BB:...` as `openssl x509 -fingerprint -sha256` prints it. */
export function certificateFingerprint(certPem: string): string {
  const der = Buffer.from(
    certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, ""),
    "base64",
  );
  return (createHash("sha256").update(der).digest("hex").toUpperCase().match(/../g) ?? []).join(
    ":",
  );
}

/**
 * The book's `create-registry.sh` as resources: a self-signed certificate for the host's address
 * (from `@pulumi/tls` instead of `openssl req`), trusted by Docker on the host and by containerd on
 * every node (instead of `sshpass scp`), and the `registry:2` container serving it on 8443.
 * A new certificate is distributed again, because it is the input of every trust step.
 */
export class PrivateRegistry extends pulumi.ComponentResource {
  /** `<address>:<port>`, the prefix of pushed images. */
  public readonly endpoint: string;
  /** `https://<address>:<port>`. */
  public readonly url: string;
  /** The certificate (public part, PEM). */
  public readonly certificate: pulumi.Output<string>;
  /** Its SHA-256 fingerprint. */
  public readonly fingerprint: pulumi.Output<string>;
  /** The registry serves and every node trusts it once these are done. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: PrivateRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:docker:PrivateRegistry", name, {}, opts);
    const child = { parent: this };
    this.endpoint = `${args.host.address}:${args.port}`;
    this.url = `https://${this.endpoint}`;

    const key = new tls.PrivateKey(
      `${name}-key`,
      { algorithm: "RSA", rsaBits: args.rsaBits },
      child,
    );
    const cert = new tls.SelfSignedCert(
      `${name}-cert`,
      {
        privateKeyPem: key.privateKeyPem,
        subject: { ...args.subject, commonName: args.host.address },
        dnsNames: [args.host.name],
        ipAddresses: [args.host.address],
        validityPeriodHours: args.days * 24,
        // tls.csr [v3_req]: keyUsage keyEncipherment, dataEncipherment; extendedKeyUsage serverAuth.
        allowedUses: ["key_encipherment", "data_encipherment", "server_auth"],
      },
      child,
    );
    this.certificate = cert.certPem;
    this.fingerprint = cert.certPem.apply(certificateFingerprint);

    const files = nodeStep(
      `${name}-certificate`,
      {
        connection: args.host.connection,
        create: scripts.registryCertificate(args.certDir, args.dataDir),
        // The chapter's registry goes with it: its certificate, key and the images pushed to it.
        delete: scripts.removeRegistry(args.certDir, args.dataDir),
        stdin: pulumi.secret(pulumi.interpolate`${cert.certPem}\n${key.privateKeyPem}\n`),
      },
      { parent: this, dependsOn: [...args.dependsOn] },
    );
    const trust = Object.entries(args.nodes).map(([node, connection]) =>
      nodeStep(
        `${name}-trust-${node}`,
        {
          connection,
          create: scripts.trustRegistry({
            registry: this.endpoint,
            docker: node === args.host.name,
          }),
          delete: scripts.untrustRegistry(this.endpoint),
          stdin: cert.certPem,
        },
        { parent: this, dependsOn: [...args.dependsOn] },
      ),
    );

    const image = new docker.RemoteImage(
      `${name}-image`,
      { name: args.image, keepLocally: true },
      { parent: this, provider: args.docker },
    );
    const container = new docker.Container(
      `${name}-container`,
      {
        name: args.containerName,
        image: image.imageId,
        restart: "always",
        ports: [{ internal: args.containerPort, external: args.port }],
        envs: [
          `REGISTRY_HTTP_ADDR=0.0.0.0:${args.containerPort}`,
          `REGISTRY_HTTP_TLS_CERTIFICATE=${args.certMount}/tls.crt`,
          `REGISTRY_HTTP_TLS_KEY=${args.certMount}/tls.key`,
        ],
        volumes: [
          { hostPath: args.certDir, containerPath: args.certMount, readOnly: true },
          { hostPath: args.dataDir, containerPath: "/var/lib/registry" },
        ],
        // A new certificate needs a registry that has read it.
        labels: [{ label: "k8sinfra-lab/certificate", value: this.fingerprint }],
      },
      { parent: this, provider: args.docker, dependsOn: [files] },
    );
    this.ready = [container, ...trust];
    this.registerOutputs({ url: this.url, fingerprint: this.fingerprint });
  }
}
