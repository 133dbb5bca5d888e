/**
 * Two functions of `@pulumi/pulumi` that its typings mark internal but that the program needs:
 * whether a config key was set with `--secret`, and waiting for outstanding registrations (used by
 * the offline plan). The SDK is pinned exactly in package.json; if an upgrade drops either, this
 * module fails loudly instead of silently treating secrets as plain values.
 */
import * as configRuntime from "@pulumi/pulumi/runtime/config";
import * as settingsRuntime from "@pulumi/pulumi/runtime/settings";

interface Internals {
  /** True when `key` (e.g. `lab:practice.apiKey`) was set with `pulumi config set --secret`. */
  isConfigSecret(key: string): boolean;
  /** Resolves when every resource registration sent so far has been answered. */
  waitForRPCs(): Promise<void>;
}

function required<T>(value: T | undefined, name: string): T {
  if (typeof value !== "function") {
    throw new Error(
      `@pulumi/pulumi no longer provides ${name}; update lib/sdk.ts for this SDK version`,
    );
  }
  return value;
}

const config = configRuntime as unknown as Partial<Internals>;
const settings = settingsRuntime as unknown as Partial<Internals>;

export const sdkInternals: Internals = {
  isConfigSecret: required(config.isConfigSecret, "runtime.isConfigSecret"),
  waitForRPCs: required(settings.waitForRPCs, "runtime.waitForRPCs"),
};
