/**
 * Inputs the real provider plugins check and the mocks do not. Each rule was found by the e2e under
 * the real plugin and is pinned here from the plugin's own source, so that the offline suite keeps
 * it too.
 */
import { describe, expect, it } from "vitest";
import { stackFiles } from "../tools/mockRun";
import { inputsOf, runStack } from "./harness";

/**
 * Key usages the TLS provider accepts: `keyUsages` and `extKeyUsages` of terraform-provider-tls
 * `internal/provider/common_cert.go` (the Terraform names; @pulumi/tls 5.6.1's doc comment lists
 * camelCase names, which its plugin rejects with "Invalid Attribute Value Match").
 */
const TLS_KEY_USAGES = new Set([
  "digital_signature",
  "content_commitment",
  "key_encipherment",
  "data_encipherment",
  "key_agreement",
  "cert_signing",
  "crl_signing",
  "encipher_only",
  "decipher_only",
  "any_extended",
  "server_auth",
  "client_auth",
  "code_signing",
  "email_protection",
  "ipsec_end_system",
  "ipsec_tunnel",
  "ipsec_user",
  "timestamping",
  "ocsp_signing",
  "microsoft_server_gated_crypto",
  "netscape_server_gated_crypto",
  "microsoft_commercial_code_signing",
  "microsoft_kernel_code_signing",
]);

const CERTIFICATES = new Set([
  "tls:index/selfSignedCert:SelfSignedCert",
  "tls:index/locallySignedCert:LocallySignedCert",
]);

describe("TLS certificates", () => {
  it("every allowedUses value of every stack is one the TLS provider accepts", async () => {
    const uses: string[] = [];
    for (const stack of stackFiles()) {
      const run = await runStack({ stack });
      for (const r of run.resources.filter((x) => CERTIFICATES.has(x.type))) {
        for (const use of inputsOf(r).allowedUses as string[])
          uses.push(`${stack} ${r.name}: ${use}`);
      }
    }
    // The lab cluster's CA, its admin certificate and the registry's certificate, at least.
    expect(uses.length).toBeGreaterThan(9);
    expect(uses.filter((u) => !TLS_KEY_USAGES.has(u.split(": ")[1]))).toEqual([]);
  });
});

describe("Kubernetes providers", () => {
  it("every stack's provider edits Secrets and ConfigMaps in place and takes back fields changed by hand", async () => {
    // pulumi-kubernetes replaces Secrets and ConfigMaps on any data change unless these are set
    // (provider/pkg/provider/provider.go, enableSecretMutable / enableConfigMapMutable); seen in
    // the e2e as "replace apikey" plus both webserver Deployments for one changed key. Without
    // enablePatchForce, a `kubectl scale` by hand made every later preview fail with a
    // server-side apply conflict on .spec.replicas.
    const seen: string[] = [];
    for (const stack of stackFiles()) {
      const run = await runStack({ stack });
      for (const p of run.resources.filter((r) => r.type === "pulumi:providers:kubernetes")) {
        const { enableSecretMutable, enableConfigMapMutable, enablePatchForce } = p.inputs;
        seen.push(
          `${stack} ${p.name}: ${enableSecretMutable} ${enableConfigMapMutable} ${enablePatchForce}`,
        );
      }
    }
    expect(seen.length).toBe(8); // every stack but ch2, which has no cluster
    expect(seen.filter((s) => !s.endsWith(": true true true"))).toEqual([]);
  });
});
