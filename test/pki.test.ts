/** The CA hash a worker pins, checked against openssl, as the kubeadm documentation computes it. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { caCertHash, kubeconfig } from "../lib/pki";

describe("kubeadm join --discovery-token-ca-cert-hash", () => {
  it("is sha256 of the CA's public key in DER, as openssl computes it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pki-"));
    const key = path.join(dir, "ca.key");
    const run = (args: string[], input?: Buffer | string) =>
      spawnSync("openssl", args, { input, cwd: dir });
    expect(run(["genrsa", "-out", key, "2048"]).status).toBe(0);
    const publicPem = run(["rsa", "-in", key, "-pubout"]).stdout.toString();
    const der = run(["pkey", "-pubin", "-outform", "der"], publicPem).stdout;
    const expected = run(["dgst", "-sha256", "-hex"], der)
      .stdout.toString()
      .trim()
      .split(/\s+/)
      .pop();
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
    expect(caCertHash(publicPem)).toBe(`sha256:${expected}`);
  });
});

describe("admin kubeconfig", () => {
  it("has one cluster, user and context, with the certificates base64-encoded", () => {
    const doc = JSON.parse(
      kubeconfig({
        clusterName: "lab",
        server: "https://192.168.56.10:6443",
        caCertPem: "CA",
        clientCertPem: "CERT",
        clientKeyPem: "KEY",
      }),
    );
    expect(doc["current-context"]).toBe("lab");
    expect(doc.clusters[0].cluster).toEqual({
      server: "https://192.168.56.10:6443",
      "certificate-authority-data": "Q0E=",
    });
    expect(doc.users[0].user).toEqual({
      "client-certificate-data": "Q0VSVA==",
      "client-key-data": "S0VZ",
    });
  });
});
