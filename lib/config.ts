/**
 * The one place where stack configuration is read, validated, typed and defaulted.
 *
 * Settings are flat keys in the `lab` namespace, one dot per level:
 * `pulumi config set lab:practice.activeColor blue`. Objects written with `--path` are accepted too.
 * Everything else in the program receives the typed `LabConfig` this module returns.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CH3, CH5, CLUSTER, COLORS, KIA, NETWORK, PRACTICE, type VmSize } from "./book";
import { type ChartName, chartArchive, helmPull } from "./charts";
import { ConfigError } from "./errors";
import { sdkInternals } from "./sdk";
import { VERSIONS } from "./versions";

/** Config namespace of every setting of this project. */
export const NAMESPACE = "lab";

/** How a chapter reaches Kubernetes (architecture section 3). */
export const CLUSTER_MODES = ["vagrant", "stack", "kubeconfig", "render"] as const;
export type ClusterMode = (typeof CLUSTER_MODES)[number];

/** A value that was set with `pulumi config set --secret`. It never prints its content. */
export class SecretSetting {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The value, for the one place that turns it into a secret Output. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return "[secret]";
  }
  toJSON(): string {
    return "[secret]";
  }
}

// ---- value types -------------------------------------------------------------------------------

const wholeNumber = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int({ error: `must be a whole number from ${min} to ${max}` })
      .min(min, { error: `must be a whole number from ${min} to ${max}` })
      .max(max, { error: `must be a whole number from ${min} to ${max}` }),
  );

const flag = z.preprocess(
  (v) => (v === "true" ? true : v === "false" ? false : v),
  z.boolean({ error: "must be true or false" }),
);

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of: ${values.join(", ")}` });

const text = (what: string) => z.string({ error: `must be ${what}` }).min(1, `must be ${what}`);

/** An image tag as Docker accepts it: up to 128 letters, digits, `_`, `.`, `-`, not starting with `.`/`-`. */
const imageTag = z
  .string({ error: "must be an image tag such as 1.11" })
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be an image tag such as 1.11");

/** The first three octets of an IPv4 network, e.g. `192.168.56`. */
const ipv4Prefix = z
  .string({ error: "must be three octets such as 192.168.56" })
  .refine(
    (s) => /^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(s) && s.split(".").every((o) => Number(o) <= 255),
    "must be three octets such as 192.168.56",
  );

/** A release number such as 1.36.0. */
const release = (example: string) =>
  z
    .string({ error: `must be a release number such as ${example}` })
    .regex(/^\d+\.\d+\.\d+$/, `must be a release number such as ${example}`);

/** A Vagrant box name, `owner/name`. */
const boxName = z
  .string({ error: "must be a Vagrant box such as bento/ubuntu-24.04" })
  .regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, "must be a Vagrant box such as bento/ubuntu-24.04");

/** A node name as Kubernetes accepts it. */
const nodeName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be node names such as w3-k8s");

/** A list of node names: `w2-k8s,w3-k8s`, or a list set with `--path`. */
const nodeList = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean)
      : v,
  z.array(nodeName, { error: "must be node names such as w3-k8s, separated by commas" }),
);

/** The last octets of an address range on the host-only network, e.g. `11-13`. */
const octetRange = z
  .string({ error: "must be a range of last octets such as 11-13" })
  .refine((s) => {
    const m = /^(\d{1,3})-(\d{1,3})$/.exec(s);
    return !!m && Number(m[1]) >= 1 && Number(m[1]) <= Number(m[2]) && Number(m[2]) <= 254;
  }, "must be a range of last octets such as 11-13");

/** An IPv4 address or a host name. */
const hostAddress = z
  .string({ error: "must be an IPv4 address or a host name" })
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, "must be an IPv4 address or a host name");

/** An absolute path on a Linux host. */
const absolutePath = z
  .string({ error: "must be an absolute path such as /nfs_shared" })
  .regex(/^\/[A-Za-z0-9._/-]*$/, "must be an absolute path such as /nfs_shared");

/** A git repository URL (https). */
const gitUrl = (example: string) =>
  z
    .string({ error: `must be an https git URL such as ${example}` })
    .regex(/^https:\/\/[^\s'"\\$`{}]+$/, `must be an https git URL such as ${example}`);

/** A path inside a repository. */
const repoPath = z
  .string({ error: "must be a path inside the repository, such as ch5/5.5.3/deployment.yaml" })
  .regex(
    /^[A-Za-z0-9._/-]+$/,
    "must be a path inside the repository, such as ch5/5.5.3/deployment.yaml",
  );

/** The sections of chapter 3 a stack can build, in book order. */
export const CH3_SECTIONS = [
  "3.1.6",
  "3.2.1",
  "3.2.4",
  "3.2.10",
  "3.3.1",
  "3.3.2",
  "3.3.4",
  "3.3.5",
  "3.4.2",
  "3.4.3",
  "3.4.4",
] as const;
export type Ch3Section = (typeof CH3_SECTIONS)[number];

/** The Deployments and StatefulSets of chapter 3 whose replicas are a setting. */
export const CH3_SCALABLE = {
  [CH3.dpyNginx.name]: CH3.dpyNginx.replicas,
  [CH3.echoHname.name]: CH3.echoHname.replicas,
  [CH3.rolloutNginx.name]: CH3.rolloutNginx.replicas,
  [CH3.nodePort.deployment]: CH3.nodePort.replicas,
  [CH3.loadBalancer.hname.deployment]: CH3.loadBalancer.hname.replicas,
  [CH3.loadBalancer.ip.deployment]: CH3.loadBalancer.ip.replicas,
  [CH3.nfs.deploy.name]: CH3.nfs.deploy.replicas,
  [CH3.nfs.ip.name]: CH3.nfs.ip.replicas,
  [CH3.sts.name]: CH3.sts.replicas,
} as const;

/** A folder inside the project, written relative to it. */
const projectFolder = z
  .string({ error: "must be a folder inside the project, such as rendered/dev" })
  .refine(
    (s) => s.length > 0 && !s.startsWith("/") && !s.split(/[\\/]/).includes(".."),
    "must be a folder inside the project, such as rendered/dev",
  );

/** A secret: only accepted when set with `--secret`, so it is stored encrypted. */
const secretText = z
  .custom<SecretSetting>((v) => v instanceof SecretSetting, {
    error: "must be set as a secret (pulumi config set --secret ...)",
  })
  .refine((s) => s.reveal().length > 0, "must not be empty")
  .transform((s) => pulumi.secret(s.reveal()));

/**
 * A kubeconfig: a file path in plain text, or the file's contents, which carry credentials and so
 * are only accepted as a secret.
 */
const kubeconfigSetting = z
  .union([z.instanceof(SecretSetting), z.string()], { error: "must be a kubeconfig file path" })
  .superRefine((v, ctx) => {
    if (typeof v !== "string") return;
    if (v.length === 0) ctx.addIssue({ code: "custom", message: "must be a kubeconfig file path" });
    else if (v.includes("\n") || /apiVersion\s*:/.test(v)) {
      ctx.addIssue({
        code: "custom",
        message:
          "holds kubeconfig contents, which carry credentials: give a file path, or set it with --secret",
      });
    }
  })
  .transform((v) => (v instanceof SecretSetting ? pulumi.secret(v.reveal()) : v));

const optionalSecret = secretText.optional();
const optionalKubeconfig = kubeconfigSetting.optional();
/** Setting types that keep a `SecretSetting` and whose values are never shown in messages. */
const secretCapable: ReadonlySet<unknown> = new Set([optionalSecret, optionalKubeconfig]);

// ---- the settings ------------------------------------------------------------------------------

type Spec = { readonly [key: string]: z.ZodType | Spec };
type Infer<S extends Spec> = {
  -readonly [K in keyof S]: S[K] extends z.ZodType
    ? z.output<S[K]>
    : S[K] extends Spec
      ? Infer<S[K]>
      : never;
};

/** Settings every stack has. */
const commonSpec = {
  /** Which chapter the stack builds; defaults to the stack name. */
  chapter: z.string().optional(),
  cluster: {
    /**
     * `vagrant` builds the book's VMs; `stack` builds on the lab cluster another stack of this
     * project built (`lab:cluster.stack`); `kubeconfig` uses a cluster you have; `render` writes YAML.
     */
    mode: oneOf(CLUSTER_MODES).default("vagrant"),
    /** stack mode: the stack whose lab cluster the chapter builds on. */
    stack: z
      .string({ error: "must be a stack name such as cluster" })
      .regex(/^[A-Za-z0-9_.-]+$/, "must be a stack name such as cluster")
      .default("cluster"),
    /** kubeconfig mode: a kubeconfig path (or its contents, as a secret); default `$KUBECONFIG` or `~/.kube/config`. */
    kubeconfig: optionalKubeconfig,
    /** kubeconfig mode: the context to use; default the current context. */
    context: text("a kubeconfig context name").optional(),
    /** render mode: where manifests are written; default `rendered/<stack>`. */
    renderDir: projectFolder.optional(),
    /**
     * Wait for LoadBalancer Services to get an address. Default: yes on the lab cluster (MetalLB),
     * no on a kubeconfig cluster, which may have no load balancer and would wait ten minutes.
     */
    awaitLoadBalancer: flag.optional(),
    /** kubeconfig mode: the cluster's node names, to check node settings (cordon, drain) against. */
    nodes: nodeList.optional(),
    /** vagrant mode: number of workers `w1-k8s`..`wN-k8s` (the book's `N`). */
    workers: wholeNumber(1, 100).default(CLUSTER.workers),
    /** vagrant mode: virtual CPUs of `m-k8s`; default the chapter's Vagrantfile. */
    masterCpus: wholeNumber(1, 16).optional(),
    /** vagrant mode: memory of `m-k8s` in MB; default the chapter's Vagrantfile. */
    masterMemory: wholeNumber(512, 65536).optional(),
    /** vagrant mode: virtual CPUs of each worker; default the chapter's Vagrantfile. */
    workerCpus: wholeNumber(1, 16).optional(),
    /** vagrant mode: memory of each worker in MB; default the chapter's Vagrantfile. */
    workerMemory: wholeNumber(512, 65536).optional(),
  },
  versions: {
    /** The Vagrant box of every VM. */
    box: boxName.default(VERSIONS.box),
    /** kubeadm, kubelet and kubectl. */
    kubernetes: release("1.36.0").default(VERSIONS.kubernetes),
    /** Calico, the pod network. */
    calico: release("3.31.2").default(VERSIONS.calico),
  },
  network: {
    /** Host-only network of the VMs; the book's is `192.168.1`. */
    prefix: ipv4Prefix.default(NETWORK.defaultPrefix),
  },
  charts: {
    /**
     * A folder of chart archives (`<chart>-<version>.tgz`, as `helm pull` saves them) rendered
     * instead of the charts' repositories: behind a proxy, offline, or in the e2e. Relative to the
     * project.
     */
    dir: text("a folder of chart archives such as charts").optional(),
  },
} satisfies Spec;

/** Settings of each chapter, under `lab:<chapter>.*`. */
const chapterSpecs = {
  /** The VMs of 2.2.3 alone; everything is in `lab:cluster.*`. */
  ch2: {},
  /**
   * The lab cluster of 3.1.3 alone (VMs, kubeadm, Docker and the NFS server on the master), for the
   * chapters to build on (`lab:cluster.mode stack`); everything is in `lab:cluster.*`.
   */
  cluster: {},
  ch3: {
    /** Which book sections to build (default: all that the cluster mode can run), e.g. `3.3.4,3.3.5`. */
    sections: z
      .preprocess(
        (v) =>
          typeof v === "string"
            ? v
                .split(",")
                .map((x) => x.trim())
                .filter(Boolean)
            : v,
        z.array(oneOf(CH3_SECTIONS)),
      )
      .optional(),
    /** Replicas of each Deployment/StatefulSet: `lab:ch3.replicas.echo-hname 6` is `kubectl scale`. */
    replicas: Object.fromEntries(
      Object.keys(CH3_SCALABLE).map((name) => [name, wholeNumber(0, 50).optional()]),
    ) as Record<keyof typeof CH3_SCALABLE, z.ZodOptional<ReturnType<typeof wholeNumber>>>,
    /** `rollout-nginx` image tag: 1.15.12, then `set image` 1.16.0, the bad 1.17.23, `undo`. */
    rolloutTag: imageTag.default(CH3.rolloutNginx.tag),
    /** How long `pulumi up` waits for `rollout-nginx` before it reports the rollout as failed. */
    rolloutTimeout: wholeNumber(30, 1800).default(180),
    /** `kubectl cordon`: nodes that take no new pods. */
    cordon: nodeList.default([]),
    /** `kubectl drain --ignore-daemonsets`: nodes emptied of pods (and cordoned). */
    drain: nodeList.default([]),
    /** MetalLB pool, last octets on the host-only network. */
    lbRange: octetRange.default("11-19"),
    /** 3.4.3 `limits-pvc.yaml` and `quota-pvc.yaml` in namespace default (after `nfs-pvc` exists). */
    storageLimits: flag.default(false),
    /** NFS server of 3.4.3: default the master on the lab cluster; required for a kubeconfig cluster. */
    nfsServer: hostAddress.optional(),
    /** Exported folder of 3.4.3. */
    nfsPath: absolutePath.default(CH3.nfs.exportRoot),
    /**
     * 3.3.5's load: a Job that requests `hpa-hname-svc` without pause for a few minutes, so that the
     * HPA scales out and, after it ends, back in (the book's load came from the reader's PC).
     */
    loadGenerator: flag.default(false),
  },
  ch4: {
    /**
     * 4.4.1's failure labs: `failure1` (ErrImagePull), `failure2` (ErrImageNeverPull) and `success1`
     * (the image on w3-k8s only). Off by default; when on, `pulumi up` does not wait for them.
     */
    failureLabs: flag.default(false),
  },
  ch5: {
    /**
     * Which MetalLB the stack keeps: 5.2.2's Kustomize (.11-.19), 5.2.3's Helm (.11-.29, kept in the
     * book), or none, the step between them (the book deletes one before installing the other).
     */
    metallb: oneOf(["kustomize", "helm", "none"] as const).default("helm"),
    /** Jenkins' admin password; generated when unset (the book's was `admin`). */
    adminPassword: optionalSecret,
    /** 5.4.1/5.4.2 source repository. */
    echoIpRepo: gitUrl("https://github.com/iac-source/echo-ip.git").default(
      CH5.repositories.echoIp,
    ),
    /** 5.4.3 source repository. */
    blueGreenRepo: gitUrl("https://github.com/iac-source/blue-green.git").default(
      CH5.repositories.blueGreen,
    ),
    /** 5.5 GitOps repository (the book has readers make their own from its ch5/5.5.x files). */
    gitopsRepo: gitUrl("https://github.com/<you>/gitops.git").default(CH5.repositories.gitops),
    /** What the GitOps job applies, relative to its repository. */
    gitopsPath: repoPath.default(CH5.repositories.gitopsPath),
    /** 5.5.2 Slack: a bot token turns on the notices. */
    slackToken: optionalSecret,
    /** 5.5.2 Slack workspace (team domain); needed with a token. */
    slackTeam: text("a Slack workspace name").optional(),
    /** 5.5.2 Slack channel. */
    slackChannel: text("a Slack channel such as #jenkins").default("#jenkins"),
  },
  ch6: {
    /** Grafana's admin password; generated when unset (the book's was `admin`). */
    grafanaPassword: optionalSecret,
    /** 6.5.1 Slack incoming webhook URL; the Slack receiver exists only when it is set. */
    slackWebhook: optionalSecret,
    /** 6.5.1 Slack channel (the book's `#monitoring`). */
    slackChannel: text("a Slack channel such as #monitoring").default("#monitoring"),
    /**
     * 6.5.1's NodeDown: a worker of the lab cluster whose kubelet `up` stops (the book powers the
     * VM off), so that its scrape target goes down and the alert fires; unset again, `up` starts it.
     */
    nodeDown: text("a worker's name such as w3-k8s").optional(),
  },
  kia: {
    /** `kubectl scale rc kubia --replicas=3`. */
    replicas: wholeNumber(1, 20).default(KIA.replicas),
  },
  practice: {
    /** `replicaset-nginx` replicas: 3 in `replicaset-nginx.yaml`, 4 in `replicaset-nginx-4pods.yaml`. */
    replicaSetReplicas: wholeNumber(0, 20).default(PRACTICE.replicaSet.replicas),
    /** `my-nginx-deployment` image tag: 1.10, then `set image ... nginx:1.11`, then undo. */
    nginxTag: imageTag.default(PRACTICE.rollout.tag),
    /** ConfigMap `projectid`, key `project.id`; the web page prints it, so no quotes or spaces. */
    projectId: z
      .string({ error: "must be letters, digits, '.', '_' or '-', such as hello-docker" })
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
        "must be letters, digits, '.', '_' or '-', such as hello-docker",
      )
      .default(PRACTICE.projectConfigMap.value),
    /** Secret `apikey`, key `id`; generated when unset. */
    apiKeyId: optionalSecret,
    /** Secret `apikey`, key `key`; generated when unset. */
    apiKey: optionalSecret,
    /** Which color Service `webserver` sends traffic to. */
    activeColor: oneOf(COLORS).default(PRACTICE.webserver.activeColor),
  },
} satisfies Record<string, Spec>;

/** The chapters a stack can build. */
export type ChapterName = keyof typeof chapterSpecs;
export const CHAPTERS = Object.keys(chapterSpecs) as ChapterName[];

/**
 * What a chapter runs on: `vms` builds the VMs only (chapter 2), `cluster` builds the lab cluster
 * for others, `lab` needs the lab cluster itself (Docker and the registry on its master),
 * `kubernetes` needs a cluster in any of the cluster modes.
 */
export const CHAPTER_KIND: Readonly<Record<ChapterName, "vms" | "cluster" | "lab" | "kubernetes">> =
  {
    ch2: "vms",
    cluster: "cluster",
    ch3: "kubernetes",
    ch4: "lab",
    ch5: "lab",
    ch6: "lab",
    kia: "lab",
    practice: "kubernetes",
  };

type Common = Infer<typeof commonSpec>;
export type ClusterSettings = Common["cluster"];
export type NetworkSettings = Common["network"];
export type VersionSettings = Common["versions"];
export type ChartSettings = Common["charts"];

/** Cluster settings with the chapter's VM sizes filled in. */
export type ResolvedClusterSettings = Omit<
  ClusterSettings,
  "masterCpus" | "masterMemory" | "workerCpus" | "workerMemory" | "renderDir"
> & {
  readonly renderDir: string;
  readonly master: VmSize;
  readonly worker: VmSize;
};
export type ChapterSettings<C extends ChapterName> = Infer<(typeof chapterSpecs)[C]>;

/** The validated configuration of one stack. */
export interface LabConfig<C extends ChapterName = ChapterName> {
  readonly stack: string;
  readonly chapter: C;
  readonly cluster: ResolvedClusterSettings;
  readonly network: NetworkSettings;
  readonly versions: VersionSettings;
  readonly charts: ChartSettings;
  /** The chapter's own settings (`lab:<chapter>.*`). */
  readonly settings: ChapterSettings<C>;
  /** The cluster's node names when known (the lab cluster's, or `lab:cluster.nodes`). */
  readonly nodeNames?: readonly string[];
}

/** One raw config entry as Pulumi hands it to the program. */
export interface RawSetting {
  readonly value: string;
  readonly secret: boolean;
}

// ---- parsing ------------------------------------------------------------------------------------

const isSpec = (v: z.ZodType | Spec): v is Spec => !(v instanceof z.ZodType);

function toSchema(spec: Spec): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(spec)) {
    shape[k] = isSpec(v) ? toSchema(v).prefault({}) : v;
  }
  return z.strictObject(shape);
}

function leafKeys(spec: Spec, prefix = ""): string[] {
  return Object.entries(spec).flatMap(([k, v]) =>
    isSpec(v) ? leafKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

const key = (path: readonly PropertyKey[]) => `${NAMESPACE}:${path.map(String).join(".")}`;

/** Places every `lab:*` entry into one nested object; secrets become `SecretSetting`s. */
function expand(raw: Readonly<Record<string, RawSetting>>, problems: string[]) {
  const tree: Record<string, unknown> = {};
  const place = (path: string[], value: unknown, secret: boolean) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) place([...path, k], v, secret);
      return;
    }
    let node = tree;
    for (let i = 0; i < path.length - 1; i++) {
      const next = node[path[i]];
      if (next === undefined) node[path[i]] = {};
      else if (typeof next !== "object" || next instanceof SecretSetting) {
        problems.push(`${key(path)}: conflicts with ${key(path.slice(0, i + 1))}`);
        return;
      }
      node = node[path[i]] as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    if (node[last] !== undefined) {
      problems.push(`${key(path)}: set twice (once as a flat key, once inside an object)`);
      return;
    }
    node[last] = secret
      ? new SecretSetting(typeof value === "string" ? value : JSON.stringify(value))
      : value;
  };

  for (const [fullKey, { value, secret }] of Object.entries(raw)) {
    const [ns, name] = splitKey(fullKey);
    if (ns !== NAMESPACE || name === "") continue;
    let parsed: unknown = value;
    // `pulumi config set --path lab:practice.activeColor blue` stores an object under `lab:practice`.
    if (value.startsWith("{")) {
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = value;
      }
    }
    place(name.split("."), parsed, secret);
  }
  return tree;
}

/**
 * A `--path --secret` value makes Pulumi mark the whole object secret, so its plain siblings arrive as
 * secrets too; they are not secret by nature and are handed to their plain setting types.
 */
function plainWhereNotSecret(node: Record<string, unknown>, spec: Spec): void {
  for (const [k, v] of Object.entries(node)) {
    const s = spec[k];
    if (s === undefined) continue;
    if (isSpec(s)) {
      if (v && typeof v === "object" && !(v instanceof SecretSetting))
        plainWhereNotSecret(v as Record<string, unknown>, s);
    } else if (v instanceof SecretSetting && !secretCapable.has(s)) {
      node[k] = v.reveal();
    }
  }
}

function splitKey(fullKey: string): [string, string] {
  const i = fullKey.indexOf(":");
  return i < 0 ? ["", fullKey] : [fullKey.slice(0, i), fullKey.slice(i + 1)];
}

function shown(tree: unknown, path: readonly PropertyKey[]): string {
  let v: unknown = tree;
  for (const p of path)
    v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  if (v instanceof SecretSetting) return "[secret]";
  if (v === undefined) return "nothing";
  return JSON.stringify(v);
}

function specAt(spec: Spec, path: readonly PropertyKey[]): z.ZodType | Spec | undefined {
  let node: z.ZodType | Spec | undefined = spec;
  for (const p of path) node = node && isSpec(node) ? node[String(p)] : undefined;
  return node;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

function unknownKeyProblem(badKey: string, known: readonly string[], chapter: string): string {
  const name = badKey.slice(NAMESPACE.length + 1);
  const owner = CHAPTERS.filter((c) => Object.keys(chapterSpecs[c]).length > 0).find(
    (c) => name === c || name.startsWith(`${c}.`),
  );
  if (owner && owner !== chapter) {
    return `${badKey}: belongs to chapter ${owner}, but this stack builds ${chapter}`;
  }
  const best = [...known].sort((x, y) => editDistance(badKey, x) - editDistance(badKey, y))[0];
  const guess = best && editDistance(badKey, best) <= 4 ? ` Did you mean ${best}?` : "";
  return `${badKey}: not a setting of this stack.${guess} Settings: ${known.join(", ")}`;
}

/**
 * Validates raw config entries (keys like `lab:practice.activeColor`) for a stack and returns the
 * typed configuration with the book's defaults filled in. Throws `ConfigError` listing every
 * problem, each with its key, the value given and what is allowed.
 */
export function parseLabConfig(
  stack: string,
  raw: Readonly<Record<string, RawSetting>>,
): LabConfig {
  const problems: string[] = [];

  const tree = expand(raw, problems);
  const chosen = tree.chapter ?? stack;
  if (
    chosen instanceof SecretSetting ||
    typeof chosen !== "string" ||
    !(CHAPTERS as string[]).includes(chosen)
  ) {
    const why =
      tree.chapter === undefined
        ? `not set, and the stack name "${stack}" is not a chapter`
        : `${shown(tree, ["chapter"])} is not a chapter`;
    problems.push(`${key(["chapter"])}: ${why}; known chapters: ${CHAPTERS.join(", ")}`);
    throw new ConfigError(stack, problems, setHint(stack));
  }
  const chapter = chosen as ChapterName;

  // A chapter with no settings of its own adds no namespace (the `cluster` chapter's name is also
  // that of the common `lab:cluster.*` settings).
  const own: Spec = chapterSpecs[chapter];
  const spec: Spec = Object.keys(own).length > 0 ? { ...commonSpec, [chapter]: own } : commonSpec;
  plainWhereNotSecret(tree, spec);
  const known = leafKeys(spec).map((k) => `${NAMESPACE}:${k}`);
  const result = toSchema(spec).safeParse(tree);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const k of issue.keys)
          problems.push(unknownKeyProblem(key([...issue.path, k]), known, chapter));
      } else {
        const value = secretCapable.has(specAt(spec, issue.path))
          ? "a value that is not shown"
          : shown(tree, issue.path);
        problems.push(`${key(issue.path)}: ${issue.message} (got ${value})`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(stack, problems, setHint(stack));

  const data = (result as { data: Record<string, unknown> }).data as Common &
    Record<string, unknown>;
  const { masterCpus, masterMemory, workerCpus, workerMemory, ...cluster } = data.cluster;
  const kind = CHAPTER_KIND[chapter];
  const sizes = kind === "vms" ? CLUSTER.ch2Sizes : CLUSTER.kubernetesSizes;
  const master = {
    cpus: masterCpus ?? sizes.master.cpus,
    memory: masterMemory ?? sizes.master.memory,
  };
  const worker = {
    cpus: workerCpus ?? sizes.worker.cpus,
    memory: workerMemory ?? sizes.worker.memory,
  };
  const allowed: readonly ClusterMode[] =
    kind === "kubernetes" ? CLUSTER_MODES : kind === "lab" ? ["vagrant", "stack"] : ["vagrant"];
  if (!allowed.includes(cluster.mode)) {
    const got = shown(tree, ["cluster", "mode"]);
    const why =
      kind === "lab"
        ? "builds on the lab cluster's master, so it needs vagrant or stack"
        : `builds the ${kind === "vms" ? "VMs" : "lab cluster"} itself, so it needs vagrant`;
    problems.push(`${key(["cluster", "mode"])}: chapter ${chapter} ${why} (got ${got})`);
  }
  problems.push(...settingsOfOtherModes(tree, cluster.mode, data.cluster.stack));
  if (kind !== "vms" && cluster.mode === "vagrant" && master.cpus < 2) {
    // kubeadm's preflight refuses a control plane with fewer than two CPUs.
    problems.push(
      `${key(["cluster", "masterCpus"])}: kubeadm needs at least 2 on the control plane (got ${master.cpus})`,
    );
  }
  const settings = (Object.keys(own).length > 0 ? data[chapter] : {}) as Record<string, unknown>;
  // In stack mode the nodes are the other stack's; they are checked once it answers.
  const nodeNames =
    cluster.mode === "vagrant"
      ? labNodeNames(cluster.workers)
      : cluster.mode === "kubeconfig"
        ? cluster.nodes
        : undefined;
  if (chapter === "ch5") {
    const ch5 = settings as ChapterSettings<"ch5">;
    if (ch5.metallb === "kustomize" && data.network.prefix !== NETWORK.defaultPrefix) {
      problems.push(
        `${key(["ch5", "metallb"])}: kustomize/metallb-pool/pool.yaml holds ${NETWORK.defaultPrefix}.11-19, like the book's file holds its addresses; with lab:network.prefix ${data.network.prefix} use helm, or edit that file`,
      );
    }
    if (ch5.slackToken && !ch5.slackTeam) {
      problems.push(
        `${key(["ch5", "slackTeam"])}: needed with lab:ch5.slackToken (the Slack workspace name)`,
      );
    }
  }
  if (chapter === "ch3") {
    problems.push(
      ...resolveCh3(
        settings as ChapterSettings<"ch3">,
        cluster.mode,
        nodeNames,
        data.network.prefix,
        cluster.workers,
      ),
    );
  }
  if (data.charts.dir !== undefined) {
    problems.push(...missingCharts(data.charts.dir, chartsUsed(chapter, settings)));
  }
  if (problems.length > 0) throw new ConfigError(stack, problems, setHint(stack));

  return {
    stack,
    chapter,
    cluster: { ...cluster, renderDir: cluster.renderDir ?? `rendered/${stack}`, master, worker },
    network: data.network,
    versions: data.versions,
    charts: data.charts,
    settings: settings as ChapterSettings<typeof chapter>,
    nodeNames,
  };
}

/** Settings that mean something in some cluster modes only. */
const MODE_SETTINGS: Readonly<Record<string, readonly ClusterMode[]>> = {
  "cluster.workers": ["vagrant"],
  "cluster.masterCpus": ["vagrant"],
  "cluster.masterMemory": ["vagrant"],
  "cluster.workerCpus": ["vagrant"],
  "cluster.workerMemory": ["vagrant"],
  "versions.box": ["vagrant"],
  "versions.kubernetes": ["vagrant"],
  "versions.calico": ["vagrant"],
  "network.prefix": ["vagrant", "kubeconfig", "render"],
  "cluster.kubeconfig": ["kubeconfig"],
  "cluster.context": ["kubeconfig"],
  "cluster.nodes": ["kubeconfig"],
  "cluster.renderDir": ["render"],
  "cluster.stack": ["stack"],
};

/**
 * A setting given for another cluster mode would be silently ignored: it is refused instead, and in
 * stack mode the reader is sent to the stack that builds the cluster.
 */
function settingsOfOtherModes(tree: unknown, mode: ClusterMode, clusterStack: string): string[] {
  return Object.entries(MODE_SETTINGS)
    .filter(([name, modes]) => !modes.includes(mode) && shown(tree, name.split(".")) !== "nothing")
    .map(([name, modes]) =>
      mode === "stack"
        ? `${key(name.split("."))}: the lab cluster of stack ${clusterStack} decides this; set it there (npm run lab -- ${clusterStack} config set ${key(name.split("."))} ...), or remove it here`
        : `${key(name.split("."))}: used only in ${modes.join(" and ")} mode, and lab:cluster.mode is ${mode}; remove it or change the mode`,
    );
}

/** `m-k8s`, `w1-k8s`, ... for a worker count. */
function labNodeNames(workers: number): string[] {
  return [CLUSTER.master, ...Array.from({ length: workers }, (_, i) => CLUSTER.workerName(i + 1))];
}

/** Chapter 3 sections with LoadBalancer Services: MetalLB comes with the first of them. */
export const CH3_LB_SECTIONS: readonly Ch3Section[] = ["3.3.4", "3.3.5", "3.4.2", "3.4.3", "3.4.4"];

/** The charts a chapter renders with these settings. */
function chartsUsed(chapter: ChapterName, settings: Record<string, unknown>): ChartName[] {
  switch (chapter) {
    case "ch3": {
      const sections = (settings as ChapterSettings<"ch3">).sections ?? [];
      const on = (x: Ch3Section) => sections.includes(x);
      return [
        ...(CH3_LB_SECTIONS.some(on) ? (["metallb"] as const) : []),
        ...(on("3.3.2") ? (["ingressNginx"] as const) : []),
        ...(on("3.3.5") ? (["metricsServer"] as const) : []),
      ];
    }
    case "ch5":
      return (settings as ChapterSettings<"ch5">).metallb === "helm"
        ? ["metallb", "jenkins"]
        : ["jenkins"];
    case "ch6":
      return ["metallb", "prometheus", "grafana"];
    default:
      return [];
  }
}

/** Archives missing from the chart folder, each with the command that saves it. */
function missingCharts(dir: string, charts: readonly ChartName[]): string[] {
  if (!fs.existsSync(dir)) {
    return [
      `${key(["charts", "dir"])}: the folder ${dir} does not exist (relative to the project)`,
    ];
  }
  return charts
    .filter((c) => !fs.existsSync(path.resolve(dir, chartArchive(c))))
    .map(
      (c) =>
        `${key(["charts", "dir"])}: ${path.join(dir, chartArchive(c))} is missing; save it once with: ${helmPull(c, dir)}`,
    );
}

/** LoadBalancer Services each chapter 3 section creates (the pool must hold them all). */
const CH3_LOAD_BALANCERS: Partial<Record<Ch3Section, number>> = {
  "3.3.4": 2,
  "3.3.5": 1,
  "3.4.2": 1,
  "3.4.3": 1,
  "3.4.4": 1,
};

/**
 * Fills in chapter 3's default sections and checks what spans several settings: nodes that exist,
 * a pool large enough and clear of the VMs' addresses, an NFS server where one is needed.
 */
function resolveCh3(
  s: ChapterSettings<"ch3">,
  mode: ClusterMode,
  nodeNames: readonly string[] | undefined,
  prefix: string,
  workers: number,
): string[] {
  const problems: string[] = [];
  const nfsServer =
    s.nfsServer ?? (mode === "kubeconfig" ? undefined : `${prefix}.${CLUSTER.masterHost}`);
  const needsNfs = (x: Ch3Section) => x === "3.4.3" || x === "3.4.4";
  if (s.sections === undefined) {
    // Without an NFS server a kubeconfig cluster builds everything but the storage sections.
    s.sections = CH3_SECTIONS.filter((x) => nfsServer !== undefined || !needsNfs(x));
  } else if (nfsServer === undefined && s.sections.some(needsNfs)) {
    problems.push(
      `${key(["ch3", "nfsServer"])}: sections 3.4.3 and 3.4.4 need an NFS server on a kubeconfig cluster; set its address, or leave those sections out of lab:ch3.sections`,
    );
  }
  s.nfsServer = nfsServer;
  if (s.sections.includes("3.4.4") && !s.sections.includes("3.4.3")) {
    problems.push(`${key(["ch3", "sections"])}: 3.4.4 mounts nfs-pvc from 3.4.3; add 3.4.3`);
  }
  for (const field of ["cordon", "drain"] as const) {
    const unknown = s[field].filter((n) => nodeNames && !nodeNames.includes(n));
    if (unknown.length > 0) {
      problems.push(
        `${key(["ch3", field])}: ${unknown.join(", ")} not in the cluster; nodes: ${nodeNames?.join(", ")}`,
      );
    }
  }
  const [first, last] = s.lbRange.split("-").map(Number);
  const size = last - first + 1;
  const needed = s.sections.reduce((n, x) => n + (CH3_LOAD_BALANCERS[x] ?? 0), 0);
  if (needed > size) {
    problems.push(
      `${key(["ch3", "lbRange"])}: ${s.lbRange} holds ${size} addresses, but the chosen sections have ${needed} LoadBalancer Services; widen it (e.g. 11-19) or choose fewer lab:ch3.sections`,
    );
  }
  const taken = [
    CLUSTER.masterHost,
    ...Array.from({ length: workers }, (_, i) => CLUSTER.workerHost(i + 1)),
  ];
  const clash = mode === "vagrant" ? taken.filter((h) => h >= first && h <= last) : [];
  if (clash.length > 0) {
    problems.push(
      `${key(["ch3", "lbRange"])}: ${s.lbRange} includes the VMs' addresses .${clash.join(", .")}`,
    );
  }
  return problems;
}

function setHint(stack: string): string {
  return `Change a value with: npm run lab -- ${stack} config set <key> <value>  (add --secret for passwords and keys)`;
}

/** Reads the running stack's configuration from the Pulumi runtime and validates it. */
export function readLabConfig(): LabConfig {
  const raw: Record<string, RawSetting> = {};
  for (const [k, value] of Object.entries(pulumi.runtime.allConfig())) {
    raw[k] = { value, secret: sdkInternals.isConfigSecret(k) };
  }
  return parseLabConfig(pulumi.getStack(), raw);
}
