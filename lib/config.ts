/**
 * The one place where stack configuration is read, validated, typed and defaulted.
 *
 * Settings are flat keys in the `lab` namespace, one dot per level:
 * `pulumi config set lab:practice.activeColor blue`. Objects written with `--path` are accepted too.
 * Everything else in the program receives the typed `LabConfig` this module returns.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CH3, CH5, CLUSTER, COLORS, KIA, NETWORK, PRACTICE, type VmSize } from "./book";
import { type ChartName, chartArchive, helmPull } from "./charts";
import { ConfigError } from "./errors";
import { editDistance, type Messages, messages } from "./messages";
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

/**
 * A zod error option whose text is worded when a value is checked, not when this module loads, so
 * that it follows the reader's locale (lib/messages.ts).
 */
const say = (text: (m: Messages) => string) => ({ error: () => text(messages()) });

const wholeNumber = (min: number, max: number) => {
  const error = say((m) => m.wholeNumber(min, max));
  return z.preprocess(
    (v) => (typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z.number(error).int(error).min(min, error).max(max, error),
  );
};

const flag = z.preprocess(
  (v) => (v === "true" ? true : v === "false" ? false : v),
  z.boolean(say((m) => m.trueOrFalse())),
);

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(
    values,
    say((m) => m.oneOf(values)),
  );

const text = (what: (m: Messages) => string) => z.string(say(what)).min(1, say(what));

/** An image tag as Docker accepts it: up to 128 letters, digits, `_`, `.`, `-`, not starting with `.`/`-`. */
const imageTag = z.string(say((m) => m.imageTag())).regex(
  /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
  say((m) => m.imageTag()),
);

/** The first three octets of an IPv4 network, e.g. `192.168.56`. */
const ipv4Prefix = z.string(say((m) => m.ipv4Prefix())).refine(
  (s) => /^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(s) && s.split(".").every((o) => Number(o) <= 255),
  say((m) => m.ipv4Prefix()),
);

/** A release number such as 1.36.0. */
const release = (example: string) =>
  z.string(say((m) => m.release(example))).regex(
    /^\d+\.\d+\.\d+$/,
    say((m) => m.release(example)),
  );

/** A Vagrant box name, `owner/name`. */
const boxName = z.string(say((m) => m.boxName())).regex(
  /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/,
  say((m) => m.boxName()),
);

/** A node name as Kubernetes accepts it. */
const nodeName = z.string(say((m) => m.nodeName())).regex(
  /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
  say((m) => m.nodeName()),
);

/** A comma-separated list, or a list set with `--path`. */
const commaList = (v: unknown) =>
  typeof v === "string"
    ? v
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : v;

/** A list of node names: `w2-k8s,w3-k8s`, or a list set with `--path`. */
const nodeList = z.preprocess(
  commaList,
  z.array(
    nodeName,
    say((m) => m.nodeList()),
  ),
);

/** The last octets of an address range on the host-only network, e.g. `11-13`. */
const octetRange = z.string(say((m) => m.octetRange())).refine(
  (s) => {
    const m = /^(\d{1,3})-(\d{1,3})$/.exec(s);
    return !!m && Number(m[1]) >= 1 && Number(m[1]) <= Number(m[2]) && Number(m[2]) <= 254;
  },
  say((m) => m.octetRange()),
);

/** An IPv4 address or a host name. */
const hostAddress = z.string(say((m) => m.hostAddress())).regex(
  /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/,
  say((m) => m.hostAddress()),
);

/** An absolute path on a Linux host. */
const absolutePath = z.string(say((m) => m.absolutePath())).regex(
  /^\/[A-Za-z0-9._/-]*$/,
  say((m) => m.absolutePath()),
);

/** A git repository URL (https). */
const gitUrl = (example: string) =>
  z.string(say((m) => m.gitUrl(example))).regex(
    /^https:\/\/[^\s'"\\$`{}]+$/,
    say((m) => m.gitUrl(example)),
  );

/** A path inside a repository. */
const repoPath = z.string(say((m) => m.repoPath())).regex(
  /^[A-Za-z0-9._/-]+$/,
  say((m) => m.repoPath()),
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
const projectFolder = z.string(say((m) => m.projectFolder())).refine(
  (s) => s.length > 0 && !s.startsWith("/") && !s.split(/[\\/]/).includes(".."),
  say((m) => m.projectFolder()),
);

/** A secret: only accepted when set with `--secret`, so it is stored encrypted. */
const secretText = z
  .custom<SecretSetting>(
    (v) => v instanceof SecretSetting,
    say((m) => m.secretRequired()),
  )
  .refine(
    (s) => s.reveal().length > 0,
    say((m) => m.notEmpty()),
  )
  .transform((s) => pulumi.secret(s.reveal()));

/**
 * A kubeconfig: a file path in plain text, or the file's contents, which carry credentials and so
 * are only accepted as a secret.
 */
const kubeconfigSetting = z
  .union(
    [z.instanceof(SecretSetting), z.string()],
    say((m) => m.kubeconfigPath()),
  )
  .superRefine((v, ctx) => {
    if (typeof v !== "string") return;
    if (v.length === 0) ctx.addIssue({ code: "custom", message: messages().kubeconfigPath() });
    else if (v.includes("\n") || /apiVersion\s*:/.test(v)) {
      ctx.addIssue({ code: "custom", message: messages().kubeconfigContents() });
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
      .string(say((m) => m.stackName()))
      .regex(
        /^[A-Za-z0-9_.-]+$/,
        say((m) => m.stackName()),
      )
      .default("cluster"),
    /** kubeconfig mode: a kubeconfig path (or its contents, as a secret); default `$KUBECONFIG` or `~/.kube/config`. */
    kubeconfig: optionalKubeconfig,
    /** kubeconfig mode: the context to use; default the current context. */
    context: text((m) => m.kubeconfigContext()).optional(),
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
    dir: text((m) => m.chartsDir()).optional(),
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
        commaList,
        z.array(
          z.enum(
            CH3_SECTIONS,
            say((m) => m.ch3Sections(CH3_SECTIONS)),
          ),
          say((m) => m.ch3Sections(CH3_SECTIONS)),
        ),
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
    /** 3.4.3 `limits-pvc.yaml` and `quota-pvc.yaml`, in a namespace of their own (`ch3-storage`). */
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
    slackTeam: text((m) => m.slackWorkspace()).optional(),
    /** 5.5.2 Slack channel. */
    slackChannel: text((m) => m.slackChannel("#jenkins")).default("#jenkins"),
  },
  ch6: {
    /** Grafana's admin password; generated when unset (the book's was `admin`). */
    grafanaPassword: optionalSecret,
    /** 6.5.1 Slack incoming webhook URL; the Slack receiver exists only when it is set. */
    slackWebhook: optionalSecret,
    /** 6.5.1 Slack channel (the book's `#monitoring`). */
    slackChannel: text((m) => m.slackChannel("#monitoring")).default("#monitoring"),
    /**
     * 6.5.1's NodeDown: a worker of the lab cluster whose kubelet `up` stops (the book powers the
     * VM off), so that its scrape target goes down and the alert fires; unset again, `up` starts it.
     */
    nodeDown: text((m) => m.workerName()).optional(),
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
      .string(say((m) => m.projectId()))
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
        say((m) => m.projectId()),
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

/**
 * Places every `lab:*` entry into one nested object; secrets become `SecretSetting`s. Keys whose
 * namespace is `lab` in other letters (`LAB:`, `Lab:`) go to `slips`: Pulumi hands them over as
 * written, and the program would otherwise pass them by.
 */
function expand(raw: Readonly<Record<string, RawSetting>>, problems: string[], slips: string[]) {
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
        problems.push(`${key(path)}: ${messages().conflictsWith(key(path.slice(0, i + 1)))}`);
        return;
      }
      node = node[path[i]] as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    if (node[last] !== undefined) {
      problems.push(`${key(path)}: ${messages().setTwice()}`);
      return;
    }
    node[last] = secret
      ? new SecretSetting(typeof value === "string" ? value : JSON.stringify(value))
      : value;
  };

  for (const [fullKey, { value, secret }] of Object.entries(raw)) {
    const [ns, name] = splitKey(fullKey);
    if (ns !== NAMESPACE && ns.toLowerCase() === NAMESPACE) slips.push(fullKey);
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

/** The paths of the values under `value`, itself at `path`. */
function leafPaths(value: unknown, path: readonly PropertyKey[]): (readonly PropertyKey[])[] {
  if (
    value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    !(value instanceof SecretSetting)
  ) {
    const entries = Object.entries(value);
    if (entries.length > 0) return entries.flatMap(([k, v]) => leafPaths(v, [...path, k]));
  }
  return [path];
}

/** Keys in a namespace that is `lab` in other letters, each with the key meant. */
function slipProblems(slips: readonly string[], known: readonly string[], stack: string): string[] {
  return slips.map((slip) => {
    const name = splitKey(slip)[1];
    const written = `${NAMESPACE}:${name}`;
    const meant = known.find((k) => k.toLowerCase() === written.toLowerCase()) ?? written;
    return `${slip}: ${messages().namespaceCase(meant, stack, slip)}`;
  });
}

function splitKey(fullKey: string): [string, string] {
  const i = fullKey.indexOf(":");
  return i < 0 ? ["", fullKey] : [fullKey.slice(0, i), fullKey.slice(i + 1)];
}

function valueAt(tree: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = tree;
  for (const p of path)
    v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function shown(tree: unknown, path: readonly PropertyKey[]): string {
  const v = valueAt(tree, path);
  if (v instanceof SecretSetting) return "[secret]";
  if (v === undefined) return messages().nothing();
  return JSON.stringify(v);
}

function specAt(spec: Spec, path: readonly PropertyKey[]): z.ZodType | Spec | undefined {
  let node: z.ZodType | Spec | undefined = spec;
  for (const p of path) node = node && isSpec(node) ? node[String(p)] : undefined;
  return node;
}

/**
 * The setting an issue belongs to: an issue about one item of a list (`lab:ch3.sections`) has the
 * item's index in its path, which is no key a reader can set.
 */
function settingPath(spec: Spec, path: readonly PropertyKey[]): readonly PropertyKey[] {
  let node: z.ZodType | Spec | undefined = spec;
  for (let i = 0; i < path.length; i++) {
    node = node && isSpec(node) ? node[String(path[i])] : undefined;
    if (node === undefined) break;
    if (!isSpec(node)) return path.slice(0, i + 1);
  }
  return path;
}

/** Keys close to a key that is not a setting: a small misspelling, or the right name in another group. */
function closeKeys(badKey: string, candidates: readonly string[]): string[] {
  const name = badKey.slice(NAMESPACE.length + 1).toLowerCase();
  const leaf = name.split(".").pop() ?? name;
  // Short names are close to too much; a leaf of three letters only matches exactly.
  const leafSlack = leaf.length >= 7 ? 2 : leaf.length >= 4 ? 1 : 0;
  const wholeSlack = Math.min(4, Math.floor(name.length / 3));
  const scored = candidates.flatMap((k) => {
    const other = k.slice(NAMESPACE.length + 1).toLowerCase();
    const whole = editDistance(name, other);
    const byLeaf = editDistance(leaf, other.split(".").pop() ?? other);
    const score = Math.min(
      whole <= wholeSlack ? whole : Number.POSITIVE_INFINITY,
      byLeaf <= leafSlack ? byLeaf + 0.5 : Number.POSITIVE_INFINITY,
    );
    return Number.isFinite(score) ? [{ k, score, whole }] : [];
  });
  const best = Math.min(...scored.map((s) => s.score));
  return scored
    .filter((s) => s.score === best)
    .sort((a, b) => a.whole - b.whole)
    .slice(0, 3)
    .map((s) => s.k);
}

/** Every chapter's own settings, as full keys, with the chapter they belong to. */
const CHAPTER_KEYS: readonly { key: string; chapter: ChapterName }[] = CHAPTERS.flatMap((c) =>
  leafKeys(chapterSpecs[c]).map((k) => ({ key: `${NAMESPACE}:${c}.${k}`, chapter: c })),
);

/** Every setting of every chapter, as full keys. */
const ALL_KEYS: readonly string[] = [
  ...leafKeys(commonSpec).map((k) => `${NAMESPACE}:${k}`),
  ...CHAPTER_KEYS.map((k) => k.key),
];

function unknownKeyProblem(badKey: string, known: readonly string[], chapter: string): string {
  const m = messages();
  const name = badKey.slice(NAMESPACE.length + 1);
  const owner = CHAPTERS.filter((c) => Object.keys(chapterSpecs[c]).length > 0).find(
    (c) => name === c || name.startsWith(`${c}.`),
  );
  if (owner && owner !== chapter) return `${badKey}: ${m.otherChapter(owner, chapter)}`;
  let guesses = closeKeys(badKey, known);
  if (guesses.length === 0) {
    // A setting of another chapter, written without its chapter: name the chapter it is in.
    const elsewhere = CHAPTER_KEYS.filter((k) => k.chapter !== chapter);
    guesses = closeKeys(
      badKey,
      elsewhere.map((k) => k.key),
    ).map((g) => m.settingOfChapter(g, elsewhere.find((k) => k.key === g)?.chapter ?? ""));
  }
  const guess = guesses.length > 0 ? m.didYouMean(guesses) : "";
  return `${badKey}: ${m.notASetting(guess, known)}`;
}

/**
 * Clusters a reader may already run, which this project reaches through their kubeconfig, with the
 * context name each tool gives its first cluster.
 */
const LOCAL_CLUSTERS: Readonly<Record<string, string>> = {
  kind: "kind-kind",
  minikube: "minikube",
  k3d: "k3d-k3s-default",
  k3s: "default",
  microk8s: "microk8s",
  "docker-desktop": "docker-desktop",
  "rancher-desktop": "rancher-desktop",
  orbstack: "orbstack",
};

/** A `lab:cluster.mode` problem, with the way to use a kind/minikube/... cluster when one was named. */
function modeProblem(problem: string, value: unknown, chapter: ChapterName): string {
  if (typeof value !== "string") return problem;
  const tool = value
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-");
  const context = LOCAL_CLUSTERS[tool];
  if (context === undefined) return problem;
  const m = messages();
  return CHAPTER_KIND[chapter] === "kubernetes"
    ? m.localClusterMode(problem, value, context)
    : m.localClusterNotForChapter(problem, value, chapter);
}

/** kubeadm's pre-flight check refuses a control plane with less memory than this (MB). */
const KUBEADM_MIN_MEMORY = 1700;
/**
 * What `lab:cluster.masterMemory` must be at least: the system in a VM sees somewhat less than the
 * VM is given (the kernel's own share), so a VM of 1700 MB fails kubeadm's check. 2048 MB is the
 * book's smallest master (2.2.1) and the 2 GB that kubeadm's installation guide asks for.
 */
export const MIN_MASTER_MEMORY = 2048;
/** pkgs.k8s.io, where install_pkg.sh gets kubeadm, kubelet and kubectl, has no minor older than this. */
export const OLDEST_KUBERNETES = { major: 1, minor: 24 } as const;
/**
 * The lab cluster's Service network: master_node.sh passes no `--service-cidr`, so it is kubeadm's
 * default.
 */
export const SERVICE_CIDR = "10.96.0.0/12";

/** The first and last address of an IPv4 CIDR block, as numbers. */
function cidrRange(cidr: string): [number, number] {
  const [address, bits] = cidr.split("/");
  const start = address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const first = start - (start % size);
  return [first, first + size - 1];
}

const overlaps = (a: string, b: string) => {
  const [a1, a2] = cidrRange(a);
  const [b1, b2] = cidrRange(b);
  return a1 <= b2 && b1 <= a2;
};

/**
 * A path as the Kubernetes provider and an unquoted shell word read it: `~` is the home folder.
 * Commands get it resolved, since a shell leaves a quoted `~` as it is.
 */
export function localPath(file: string): string {
  return file === "~" || file.startsWith("~/") || file.startsWith("~\\")
    ? path.join(os.homedir(), file.slice(1))
    : path.resolve(file);
}

/**
 * Problems with the VMs' settings that only show once the VMs boot: a master kubeadm refuses, a
 * box the scripts cannot provision, a Kubernetes release no repository serves, a host-only network
 * that the cluster's own networks hide.
 */
function vmProblems(
  data: Common,
  tree: unknown,
  kind: (typeof CHAPTER_KIND)[ChapterName],
  master: VmSize,
): string[] {
  const m = messages();
  const problems: string[] = [];
  const bootsKubernetes = kind !== "vms";
  if (bootsKubernetes && master.cpus < 2) {
    // kubeadm's preflight refuses a control plane with fewer than two CPUs.
    problems.push(
      `${key(["cluster", "masterCpus"])}: ${m.got(m.masterCpus(), String(master.cpus))}`,
    );
  }
  if (bootsKubernetes && master.memory < MIN_MASTER_MEMORY) {
    problems.push(
      `${key(["cluster", "masterMemory"])}: ${m.masterMemory(master.memory, MIN_MASTER_MEMORY, KUBEADM_MIN_MEMORY)}`,
    );
  }
  // config.sh and install_pkg.sh use apt, systemd and Docker's Ubuntu repository (by codename).
  if (!/ubuntu/i.test(data.versions.box)) {
    problems.push(
      `${key(["versions", "box"])}: ${m.boxNotUbuntu(shown(tree, ["versions", "box"]), VERSIONS.box)}`,
    );
  }
  const [major, minor] = data.versions.kubernetes.split(".").map(Number);
  if (major !== OLDEST_KUBERNETES.major || minor < OLDEST_KUBERNETES.minor) {
    problems.push(
      `${key(["versions", "kubernetes"])}: ${m.kubernetesTooOld(
        shown(tree, ["versions", "kubernetes"]),
        `${OLDEST_KUBERNETES.major}.${OLDEST_KUBERNETES.minor}`,
        VERSIONS.kubernetes,
      )}`,
    );
  }
  if (bootsKubernetes) {
    const network = `${data.network.prefix}.0/24`;
    for (const [which, cidr] of [
      ["pod", CLUSTER.podCidr],
      ["service", SERVICE_CIDR],
    ] as const) {
      if (overlaps(network, cidr)) {
        problems.push(
          `${key(["network", "prefix"])}: ${m.networkOverlap(network, which, cidr, NETWORK.defaultPrefix)}`,
        );
      }
    }
  }
  return problems;
}

/** A kubeconfig file that is not there: the provider would take its path for the file's contents. */
function kubeconfigProblem(file: string): string | undefined {
  const m = messages();
  const resolved = localPath(file);
  const named = resolved === file ? file : `${file} (${resolved})`;
  if (!fs.existsSync(resolved))
    return `${key(["cluster", "kubeconfig"])}: ${m.kubeconfigMissing(named)}`;
  if (!fs.statSync(resolved).isFile())
    return `${key(["cluster", "kubeconfig"])}: ${m.kubeconfigIsFolder(named)}`;
  return undefined;
}

/** Where a pod finds the token that makes in-cluster configuration possible. */
const IN_CLUSTER_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/**
 * No `lab:cluster.kubeconfig`: the Kubernetes provider finds none either, and rather than fail it
 * takes the cluster for unreachable and plans without it. The Node SDK hands it `$KUBECONFIG` as
 * its kubeconfig when set (@pulumi/kubernetes provider.js: `args.kubeconfig ??
 * getEnv("KUBECONFIG")`), which the provider reads as one file if there is one at that path and
 * as kubeconfig text otherwise (pulumi/pulumi-kubernetes v4.32.0, the closest tag to 4.34.2 in
 * the snapshot: provider/pkg/provider/util.go:135-168 parseKubeconfigString); without it, client-go's
 * default rules read ~/.kube/config (provider.go:892-903; kubernetes/client-go v0.36.1, the
 * provider's: tools/clientcmd/loader.go:160-180, missing files skipped at 226-231), then
 * in-cluster configuration (merged_client_builder.go:96-124), and else the cluster is unreachable
 * (provider.go:945-960).
 */
function ambientKubeconfigProblem(stack: string): string | undefined {
  const m = messages();
  const env = process.env;
  const isFile = (file: string) => fs.existsSync(file) && fs.statSync(file).isFile();
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && isFile(IN_CLUSTER_TOKEN)) {
    return undefined;
  }
  const named = env.KUBECONFIG;
  if (named) {
    if (isFile(localPath(named))) return undefined;
    const list = named.includes(path.delimiter);
    return `${key(["cluster", "kubeconfig"])}: ${m.kubeconfigEnvNotFile(named, stack, list)}`;
  }
  const home = path.join(os.homedir(), ".kube", "config");
  if (isFile(home)) return undefined;
  return `${key(["cluster", "kubeconfig"])}: ${m.kubeconfigNowhere(home, stack)}`;
}

/**
 * Validates raw config entries (keys like `lab:practice.activeColor`) for a stack and returns the
 * typed configuration with the book's defaults filled in. Throws `ConfigError` listing every
 * problem, each with its key, the value given and what is allowed, in the reader's language.
 */
export function parseLabConfig(
  stack: string,
  raw: Readonly<Record<string, RawSetting>>,
): LabConfig {
  const m = messages();
  const problems: string[] = [];

  const slips: string[] = [];
  const tree = expand(raw, problems, slips);
  const chosen = tree.chapter ?? stack;
  if (
    chosen instanceof SecretSetting ||
    typeof chosen !== "string" ||
    !(CHAPTERS as string[]).includes(chosen)
  ) {
    const why =
      tree.chapter === undefined ? m.chapterNotSet(stack) : m.notAChapter(shown(tree, ["chapter"]));
    problems.push(`${key(["chapter"])}: ${m.knownChapters(why, CHAPTERS)}`);
    problems.push(...slipProblems(slips, ALL_KEYS, stack));
    throw new ConfigError(stack, problems, setHint(stack));
  }
  const chapter = chosen as ChapterName;

  // A chapter with no settings of its own adds no namespace (the `cluster` chapter's name is also
  // that of the common `lab:cluster.*` settings).
  const own: Spec = chapterSpecs[chapter];
  const spec: Spec = Object.keys(own).length > 0 ? { ...commonSpec, [chapter]: own } : commonSpec;
  plainWhereNotSecret(tree, spec);
  const known = leafKeys(spec).map((k) => `${NAMESPACE}:${k}`);
  problems.push(...slipProblems(slips, known, stack));
  const result = toSchema(spec).safeParse(tree, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") {
        // A group that is no setting (lab:Practice.activeColor) is named by the keys given under
        // it, so that the key meant can be found for each.
        for (const k of issue.keys) {
          for (const leaf of leafPaths(valueAt(tree, [...issue.path, k]), [...issue.path, k])) {
            problems.push(unknownKeyProblem(key(leaf), known, chapter));
          }
        }
        continue;
      }
      const at = settingPath(spec, issue.path);
      const value = secretCapable.has(specAt(spec, at))
        ? m.hiddenValue()
        : at.length < issue.path.length && issue.input !== undefined
          ? JSON.stringify(issue.input)
          : shown(tree, issue.path);
      const message =
        issue.code === "invalid_type" && issue.expected === "object"
          ? m.group(key(at))
          : issue.message;
      const problem = `${key(at)}: ${m.got(message, value)}`;
      problems.push(
        key(at) === key(["cluster", "mode"])
          ? modeProblem(problem, valueAt(tree, at), chapter)
          : problem,
      );
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
    const why =
      kind === "lab"
        ? m.chapterNeedsLab(chapter)
        : kind === "vms"
          ? m.chapterBuildsVms(chapter)
          : m.chapterBuildsCluster(chapter);
    problems.push(`${key(["cluster", "mode"])}: ${m.got(why, shown(tree, ["cluster", "mode"]))}`);
  }
  problems.push(...settingsOfOtherModes(tree, cluster.mode, data.cluster.stack));
  if (cluster.mode === "vagrant") problems.push(...vmProblems(data, tree, kind, master));
  if (cluster.mode === "kubeconfig" && typeof cluster.kubeconfig === "string") {
    const problem = kubeconfigProblem(cluster.kubeconfig);
    if (problem) problems.push(problem);
  }
  if (cluster.mode === "kubeconfig" && cluster.kubeconfig === undefined) {
    const problem = ambientKubeconfigProblem(stack);
    if (problem) problems.push(problem);
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
        `${key(["ch5", "metallb"])}: ${m.kustomizePool(`${NETWORK.defaultPrefix}.11-19`, data.network.prefix)}`,
      );
    }
    if (ch5.slackToken && !ch5.slackTeam) {
      problems.push(`${key(["ch5", "slackTeam"])}: ${m.slackTeam()}`);
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
    .filter(
      ([name, modes]) => !modes.includes(mode) && valueAt(tree, name.split(".")) !== undefined,
    )
    .map(([name, modes]) => {
      const k = key(name.split("."));
      const m = messages();
      return `${k}: ${mode === "stack" ? m.settingOfClusterStack(k, clusterStack) : m.settingOfOtherMode(modes, mode)}`;
    });
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
  const m = messages();
  if (!fs.existsSync(dir)) return [`${key(["charts", "dir"])}: ${m.chartsDirMissing(dir)}`];
  return charts
    .filter((c) => !fs.existsSync(path.resolve(dir, chartArchive(c))))
    .map(
      (c) =>
        `${key(["charts", "dir"])}: ${m.chartMissing(path.join(dir, chartArchive(c)), helmPull(c, dir))}`,
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
  const m = messages();
  const problems: string[] = [];
  const nfsServer =
    s.nfsServer ?? (mode === "kubeconfig" ? undefined : `${prefix}.${CLUSTER.masterHost}`);
  const needsNfs = (x: Ch3Section) => x === "3.4.3" || x === "3.4.4";
  if (s.sections === undefined) {
    // Without an NFS server a kubeconfig cluster builds everything but the storage sections.
    s.sections = CH3_SECTIONS.filter((x) => nfsServer !== undefined || !needsNfs(x));
  } else if (nfsServer === undefined && s.sections.some(needsNfs)) {
    problems.push(`${key(["ch3", "nfsServer"])}: ${m.nfsServerNeeded()}`);
  }
  s.nfsServer = nfsServer;
  if (s.sections.includes("3.4.4") && !s.sections.includes("3.4.3")) {
    problems.push(`${key(["ch3", "sections"])}: ${m.needsNfsPvc()}`);
  }
  for (const field of ["cordon", "drain"] as const) {
    const unknown = s[field].filter((n) => nodeNames && !nodeNames.includes(n));
    if (unknown.length > 0) {
      problems.push(`${key(["ch3", field])}: ${m.nodesNotInCluster(unknown, nodeNames ?? [])}`);
    }
  }
  const [first, last] = s.lbRange.split("-").map(Number);
  const size = last - first + 1;
  const needed = s.sections.reduce((n, x) => n + (CH3_LOAD_BALANCERS[x] ?? 0), 0);
  if (needed > size) {
    problems.push(`${key(["ch3", "lbRange"])}: ${m.poolTooSmall(s.lbRange, size, needed)}`);
  }
  const taken = [
    CLUSTER.masterHost,
    ...Array.from({ length: workers }, (_, i) => CLUSTER.workerHost(i + 1)),
  ];
  const clash = mode === "vagrant" ? taken.filter((h) => h >= first && h <= last) : [];
  if (clash.length > 0) {
    problems.push(`${key(["ch3", "lbRange"])}: ${m.poolHasVms(s.lbRange, clash)}`);
  }
  return problems;
}

function setHint(stack: string): string {
  return messages().setHint(stack);
}

/** This machine's memory in MB. */
export function hostMemoryMb(): number {
  return Math.floor(os.totalmem() / 2 ** 20);
}

/**
 * What may go wrong with a valid configuration on this machine, for `pulumi preview` to warn about
 * without stopping: VMs that together want more memory than the machine has can still start when
 * they do not all use it, so this is no error.
 */
export function configWarnings(config: LabConfig, hostMemory: number): string[] {
  if (config.cluster.mode !== "vagrant") return [];
  const { master, worker, workers } = config.cluster;
  const total = master.memory + workers * worker.memory;
  return total > hostMemory
    ? [messages().hostMemory(total, master.memory, workers, worker.memory, hostMemory)]
    : [];
}

/**
 * Reads the running stack's configuration from the Pulumi runtime and validates it; what it only
 * warns about is logged as a Pulumi warning.
 */
export function readLabConfig(hostMemory: number = hostMemoryMb()): LabConfig {
  const raw: Record<string, RawSetting> = {};
  for (const [k, value] of Object.entries(pulumi.runtime.allConfig())) {
    raw[k] = { value, secret: sdkInternals.isConfigSecret(k) };
  }
  const config = parseLabConfig(pulumi.getStack(), raw);
  for (const warning of configWarnings(config, hostMemory)) pulumi.log.warn(warning);
  return config;
}
