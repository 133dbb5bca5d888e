/**
 * Schemas of the custom resources this project creates, which the Kubernetes OpenAPI schema does not
 * cover. Written from the projects' API references (MetalLB `metallb.io/v1beta1`); strict, so a
 * misspelt field fails.
 */
import { z } from "zod";

const metadata = z.object({ name: z.string().min(1), namespace: z.string().min(1) }).passthrough();
const ipv4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
const addressRange = z.string().refine((a) => {
  const [from, to, ...rest] = a.split("-");
  if (rest.length) return false;
  if (to === undefined) return /^[0-9a-fA-F:.]+\/\d+$/.test(from);
  return ipv4.test(from) && ipv4.test(to);
}, "must be a CIDR or first-last addresses");

/** Schemas by `apiVersion/kind`. */
export const CUSTOM_RESOURCE_SCHEMAS: Record<string, z.ZodType> = {
  "metallb.io/v1beta1/IPAddressPool": z.strictObject({
    apiVersion: z.literal("metallb.io/v1beta1"),
    kind: z.literal("IPAddressPool"),
    metadata,
    spec: z.strictObject({
      addresses: z.array(addressRange).min(1),
      autoAssign: z.boolean().optional(),
      avoidBuggyIPs: z.boolean().optional(),
    }),
  }),
  "metallb.io/v1beta1/L2Advertisement": z.strictObject({
    apiVersion: z.literal("metallb.io/v1beta1"),
    kind: z.literal("L2Advertisement"),
    metadata,
    spec: z.strictObject({
      ipAddressPools: z.array(z.string().min(1)).optional(),
      interfaces: z.array(z.string()).optional(),
    }),
  }),
};
