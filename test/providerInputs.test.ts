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
