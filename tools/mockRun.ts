/**
 * Runs a stack of this project under Pulumi's mock runtime: no CLI, no plugins, no cluster. It loads
 * the stack's real `Pulumi.<stack>.yaml`, records every registration the engine would receive (type,
 * name, parent, dependencies, provider, inputs) and resolves the stack outputs. The plan tool and
 * the tests both run stacks through here.
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { CLUSTER, NETWORK } from "../lib/book";
import { type HostFacts, plannedHost } from "../lib/host";
import { sdkInternals } from "../lib/sdk";
import { labNodes } from "../lib/vagrant";
import { VERSIONS } from "../lib/versions";
import { PROJECT_DIR } from "./stackFiles";

export { PROJECT_DIR, stackFiles } from "./stackFiles";

/** A value the program marked secret; prints as `[secret]`, `value` holds the content for tests. */
export class Secret {
  constructor(readonly value: unknown) {}
  toJSON(): string {
    return "[secret]";
  }
}

/** One resource registration, as the Pulumi engine would receive it. */
export interface CapturedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** False for component resources. */
  readonly custom: boolean;
  /** URN of the parent resource, if any. */
  readonly parent?: string;
  /** URNs this resource waits for: explicit `dependsOn` plus those implied by its inputs. */
  readonly dependsOn: readonly string[];
  /** URN of the explicit provider, if any (otherwise the engine would use a default provider). */
  readonly provider?: string;
  /** Inputs as registered; secret values are wrapped in `Secret`. */
  readonly inputs: Record<string, unknown>;
  /** Outputs the mocks answered with (inputs plus computed properties). */
  readonly outputs: Record<string, unknown>;
  /** Properties whose change replaces the resource rather than updating it. */
  readonly replaceOnChanges?: readonly string[];
  /** Whether a replacement deletes the old resource first. */
  readonly deleteBeforeReplace?: boolean;
}

/** What a stack would build. */
export interface StackRun {
  readonly stack: string;
  readonly resources: readonly CapturedResource[];
  /** Stack outputs, fully resolved; secret outputs are wrapped in `Secret`. */
  readonly outputs: Record<string, unknown>;
  /** Milliseconds from the start of the program to the last registration. */
  readonly elapsedMs: number;
}

/** Options of `runStack`. */
export interface RunOptions {
  /** Stack name; its settings come from `Pulumi.<stack>.yaml` when that file exists. */
  readonly stack: string;
  /** Plain settings laid over the stack file, e.g. `{"lab:practice.activeColor": "blue"}`. */
  readonly config?: Readonly<Record<string, string>>;
  /** Settings laid over the stack file as if set with `--secret`. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** What the machine has; by default one with Vagrant and VirtualBox (`plannedHost`). */
  readonly host?: HostFacts;
  /** Run as `pulumi preview` does (`pulumi.runtime.isDryRun()`); default as `pulumi up`. */
  readonly preview?: boolean;
}

/** The Pulumi project name from `Pulumi.yaml`. */
export function projectName(): string {
  const project = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
  return String(project.name);
}

/**
 * The settings of `Pulumi.<stack>.yaml` as Pulumi hands them to the program: strings, objects as
 * JSON. Encrypted (`secure:`) values cannot be decrypted offline and become a placeholder secret.
 */
export function stackConfig(stack: string): {
  config: Record<string, string>;
  secretKeys: string[];
} {
  const file = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  if (!fs.existsSync(file)) return { config, secretKeys };
  const doc = YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
  for (const [key, value] of Object.entries<unknown>(doc.config ?? {})) {
    let secret = false;
    const placeholder = (v: unknown): unknown => {
      if (v && typeof v === "object" && !Array.isArray(v)) {
        const entries = Object.entries(v);
        if (entries.length === 1 && entries[0][0] === "secure") {
          secret = true;
          return `encrypted-in-Pulumi.${stack}.yaml`;
        }
        return Object.fromEntries(entries.map(([k, x]) => [k, placeholder(x)]));
      }
      return Array.isArray(v) ? v.map(placeholder) : v;
    };
    const v = placeholder(value);
    config[key] = typeof v === "string" ? v : JSON.stringify(v);
    if (secret) secretKeys.push(key);
  }
  return { config, secretKeys };
}

/** Turns deserialized registration inputs into plain data with `Secret` wrappers. */
function plain(value: unknown, raw?: unknown): unknown {
  const at = (k: string | number) =>
    raw && typeof raw === "object" ? (raw as Record<string, unknown>)[k] : undefined;
  if (Array.isArray(value)) return value.map((v, i) => plain(v, at(i)));
  // An asset or archive keeps its path only as a promise; the request itself has it in plain text.
  if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) {
    const { path, text, uri } = (raw ?? {}) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries({ path, text, uri }).filter(([, v]) => v !== undefined),
    );
  }
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
      return new Secret(plain(obj.value, at("value")));
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plain(v, at(k))]));
  }
  return value;
}

/** Resolves Outputs inside a value; secret Outputs become `Secret`. */
/** What a preview shows for an output only `pulumi up` knows. */
export const UNKNOWN = "[unknown]";

async function settle(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    const output = value as pulumi.Output<unknown>;
    const secret = await pulumi.isSecret(output);
    // In a preview, `apply` never runs for a value the engine does not know yet.
    const known = await (output as unknown as { isKnown: Promise<boolean> }).isKnown;
    if (!known) return UNKNOWN;
    const inner = await new Promise<unknown>((resolve) => output.apply(resolve));
    const resolved = await settle(inner);
    return secret ? new Secret(resolved) : resolved;
  }
  if (value instanceof Promise) return settle(await value);
  if (Array.isArray(value)) return Promise.all(value.map(settle));
  if (value && typeof value === "object" && !pulumi.Resource.isInstance(value)) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]) => [k, await settle(v)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

/** Keys generated once per resource name, so that repeated plans compare equal. */
const keys = new Map<
  string,
  { privateKeyPem: string; publicKeyPem: string; publicKeyOpenssh: string }
>();

/** An SSH wire-format string: a 4-byte length, then the bytes. */
function sshField(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function mockKey(args: pulumi.runtime.MockResourceArgs) {
  const algorithm = String(args.inputs.algorithm);
  const id = `${args.name}/${algorithm}/${args.inputs.rsaBits ?? ""}`;
  let key = keys.get(id);
  if (!key) {
    const pair =
      algorithm === "RSA"
        ? // Real keys, but small: the tests check the requested size in the inputs, not here.
          generateKeyPairSync("rsa", { modulusLength: 1024 })
        : algorithm === "ECDSA"
          ? generateKeyPairSync("ec", { namedCurve: "P-256" })
          : generateKeyPairSync("ed25519");
    const publicKeyPem = String(pair.publicKey.export({ type: "spki", format: "pem" }));
    const spki = pair.publicKey.export({ type: "spki", format: "der" });
    const openssh =
      algorithm === "ED25519"
        ? `ssh-ed25519 ${Buffer.concat([sshField(Buffer.from("ssh-ed25519")), sshField(spki.subarray(-32))]).toString("base64")}`
        : `mock-${algorithm.toLowerCase()} ${createHash("sha256").update(spki).digest("base64")}`;
    key = {
      privateKeyPem: String(pair.privateKey.export({ type: "pkcs8", format: "pem" })),
      publicKeyPem,
      publicKeyOpenssh: `${openssh}\n`,
    };
    keys.set(id, key);
  }
  return { ...key, privateKeyOpenssh: key.privateKeyPem };
}

const mockPem = (kind: string, name: string) =>
  `-----BEGIN ${kind}-----\n${Buffer.from(`mock ${kind.toLowerCase()} of ${name}`).toString("base64")}\n-----END ${kind}-----\n`;

/**
 * Output-only properties the mocks fill in, by resource type, so that programs reading them see
 * a value of the right shape (the real providers compute these). Keys are real keys, so that
 * what the program derives from them (the CA hash a worker pins) can be checked.
 */
const computed: Record<string, (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown>> =
  {
    "random:index/randomPassword:RandomPassword": (args) => ({
      result: `mock${args.name.replace(/[^A-Za-z0-9]/g, "")}`.padEnd(
        Number(args.inputs.length ?? 16),
        "x",
      ),
    }),
    "random:index/randomString:RandomString": (args) => ({
      result: createHash("sha256")
        .update(args.name)
        .digest("hex")
        .slice(0, Number(args.inputs.length ?? 16)),
    }),
    "tls:index/privateKey:PrivateKey": mockKey,
    "tls:index/selfSignedCert:SelfSignedCert": (args) => ({
      certPem: mockPem("CERTIFICATE", args.name),
    }),
    "tls:index/certRequest:CertRequest": (args) => ({
      certRequestPem: mockPem("CERTIFICATE REQUEST", args.name),
    }),
    "tls:index/locallySignedCert:LocallySignedCert": (args) => ({
      certPem: mockPem("CERTIFICATE", args.name),
    }),
    "command:local:Command": plannedVmEndpoint,
    "pulumi:pulumi:StackReference": plannedClusterOutputs,
  };

/** The `lab-vm` line `host/vm.js up` prints, for a VM definition: its forwarded ports, a host key. */
function plannedVmEndpoint(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const create = String(args.inputs.create ?? "");
  if (!/^node host\/vm\.js up /.test(create)) return {};
  const definition = String(args.inputs.stdin ?? "");
  const port = (guest: number) =>
    Number(new RegExp(`guest: ${guest}, host: (\\d+)`).exec(definition)?.[1]) || undefined;
  const ssh = port(22);
  const api = port(6443);
  const hostKey = mockKey({ ...args, inputs: { algorithm: "ED25519" } }).publicKeyOpenssh.trim();
  const endpoint = {
    ssh: { host: "127.0.0.1", port: ssh },
    ...(api ? { api: { host: "127.0.0.1", port: api } } : {}),
    hostKey,
  };
  return { stdout: `lab-vm ${JSON.stringify(endpoint)}\n`, stderr: "" };
}

/**
 * What a stack that built the lab cluster exports (`labCluster`), as if the `cluster` stack had run:
 * the book's nodes on the default network, reached through the book's forwarded SSH ports.
 */
function plannedClusterOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const stack = String(args.inputs.name ?? args.name)
    .split("/")
    .pop();
  const nodes = labNodes(
    NETWORK.defaultPrefix,
    CLUSTER.workers,
    CLUSTER.kubernetesSizes.master,
    CLUSTER.kubernetesSizes.worker,
  ).map((n) => ({
    ...n,
    endpoint: {
      ssh: { host: "127.0.0.1", port: n.sshPort },
      hostKey: mockKey({
        ...args,
        name: n.name,
        inputs: { algorithm: "ED25519" },
      }).publicKeyOpenssh.trim(),
    },
  }));
  return {
    outputs: {
      labCluster: {
        version: 1,
        stack,
        network: NETWORK.defaultPrefix,
        kubernetesVersion: VERSIONS.kubernetes,
        kubeconfig: `{"apiVersion":"v1","kind":"Config","clusters":[{"name":"k8sinfra-lab","cluster":{"server":"https://127.0.0.1:60443"}}]}`,
        sshPrivateKey: mockPem("OPENSSH PRIVATE KEY", "lab-ssh-key"),
        nodes,
      },
    },
    secretOutputNames: ["labCluster"],
  };
}

const mocks: pulumi.runtime.Mocks = {
  newResource(args) {
    return {
      id: args.custom ? `${args.name}-id` : undefined,
      state: { ...args.inputs, ...computed[args.type]?.(args) },
    };
  },
  call(args) {
    // A forgotten invoke must fail loudly rather than return nothing.
    throw new Error(`The program called ${args.token}, which the mock runtime does not answer.`);
  },
};

type Struct = Parameters<typeof pulumi.runtime.deserializeProperties>[0];
type Callback = (err: Error | null, resp?: { getUrn(): string; getObject(): Struct }) => void;
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getDependenciesList(): string[];
  getProvider(): string;
  getObject(): unknown;
  getReplaceonchangesList(): string[];
  getDeletebeforereplace(): boolean;
}

let lastRun: CapturedResource[] = [];

/**
 * What the most recent `runStack` registered, after waiting for registrations still in flight; for
 * showing that a failed run registered nothing.
 */
export async function lastRegistrations(): Promise<readonly CapturedResource[]> {
  await sdkInternals.waitForRPCs();
  return lastRun;
}

/**
 * Runs one stack of the project under mocks and returns what it would register. Errors the program
 * throws (for example a `ConfigError`) are rethrown unchanged.
 */
export async function runStack(options: RunOptions): Promise<StackRun> {
  const { stack } = options;
  const project = projectName();
  const resources: CapturedResource[] = [];
  lastRun = resources;

  // Registrations of an earlier program in this process must not reach the new monitor.
  await sdkInternals.waitForRPCs();
  await pulumi.runtime.setMocks(mocks, project, stack, options.preview ?? false);
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, cb: Callback): void;
  };
  const register = monitor.registerResource.bind(monitor);
  // `MockResourceArgs` carries neither parent nor dependencies (pulumi/pulumi#14421), so the
  // request itself is read here.
  monitor.registerResource = (req, cb) =>
    register(req, (err, resp) => {
      if (!err && resp) {
        const provider = req.getProvider();
        resources.push({
          urn: resp.getUrn(),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: req.getParent() || undefined,
          replaceOnChanges: req.getReplaceonchangesList(),
          deleteBeforeReplace: req.getDeletebeforereplace(),
          dependsOn: req.getDependenciesList(),
          provider: provider ? provider.slice(0, provider.lastIndexOf("::")) : undefined,
          inputs: plain(
            pulumi.runtime.deserializeProperties(req.getObject() as Struct),
            (req.getObject() as { toJavaScript(): unknown }).toJavaScript(),
          ) as Record<string, unknown>,
          outputs: plain(pulumi.runtime.deserializeProperties(resp.getObject())) as Record<
            string,
            unknown
          >,
        });
      }
      cb(err, resp);
    });

  const fromFile = stackConfig(stack);
  const config = { ...fromFile.config, ...options.config, ...options.secrets };
  const secretKeys = [
    ...fromFile.secretKeys.filter((k) => !(options.config && k in options.config)),
    ...Object.keys(options.secrets ?? {}),
  ];
  pulumi.runtime.setAllConfig(config, secretKeys);

  const started = performance.now();
  // Imported after the mocks are in place, as `pulumi` itself loads the program after connecting.
  const { runLab } = await import("../stacks/lab.js");
  const outputs = (await settle(runLab(options.host ?? plannedHost))) as Record<string, unknown>;
  await sdkInternals.waitForRPCs();
  const elapsedMs = performance.now() - started;
  return { stack, resources, outputs, elapsedMs };
}

/** Reveals the content of `Secret` wrappers, e.g. to validate a Kubernetes object. */
export function reveal(value: unknown): unknown {
  if (value instanceof Secret) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}
