/**
 * Pure helpers for the cluster's certificates: the CA hash a worker pins when it joins, and the
 * admin kubeconfig built from the stack's own CA and client certificate.
 */
import { createHash } from "node:crypto";

/** The body of a PEM block as DER bytes. */
function pemToDer(pem: string): Buffer {
  const body = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "");
  return Buffer.from(body, "base64");
}

/**
 * `sha256:<hex>` of the CA's public key (SubjectPublicKeyInfo, DER), as `kubeadm join
 * --discovery-token-ca-cert-hash` expects; `publicKeyPem` is a `PUBLIC KEY` PEM.
 */
export function caCertHash(publicKeyPem: string): string {
  return `sha256:${createHash("sha256").update(pemToDer(publicKeyPem)).digest("hex")}`;
}

/** What an admin kubeconfig is made of. */
export interface KubeconfigParts {
  readonly clusterName: string;
  /** `https://<address>:6443`. */
  readonly server: string;
  readonly caCertPem: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** A kubeconfig with one cluster, one user and one context, as `kubeadm` writes admin.conf. */
export function kubeconfig(p: KubeconfigParts): string {
  const user = `${p.clusterName}-admin`;
  return JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: p.clusterName,
          cluster: { server: p.server, "certificate-authority-data": b64(p.caCertPem) },
        },
      ],
      users: [
        {
          name: user,
          user: {
            "client-certificate-data": b64(p.clientCertPem),
            "client-key-data": b64(p.clientKeyPem),
          },
        },
      ],
      contexts: [{ name: p.clusterName, context: { cluster: p.clusterName, user } }],
      "current-context": p.clusterName,
    },
    null,
    2,
  );
}
