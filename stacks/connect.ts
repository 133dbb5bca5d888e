/**
 * The one function that yields the cluster a chapter builds on, for each cluster mode of
 * architecture section 3: the lab cluster this stack builds (`vagrant`), the lab cluster another
 * stack built (`stack`), a cluster the reader has (`kubeconfig`), or none (`render`).
 */
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  type LabAccess,
  type LabCluster,
  PROVIDER_DEFAULTS,
  REDACTED,
  readContract,
} from "../lib/cluster";
import { type ClusterSettings, type LabConfig, localPath, NAMESPACE } from "../lib/config";
import { ConfigError, UnavailableError } from "../lib/errors";
import type { HostFacts } from "../lib/host";
import { editDistance, messages } from "../lib/messages";
import {
  claimFile,
  claimProblems,
  claimResource,
  type SharedPart,
  sharedParts,
  takeParts,
} from "../lib/sharedParts";
import { type LabNode, workDir } from "../lib/vagrant";
import { buildLabCluster, kubeconfigFilePath, kubectlOnMaster } from "./labCluster";

function kubeconfigSource(kubeconfig: ClusterSettings["kubeconfig"]): string {
  if (kubeconfig === undefined) return messages().kubeconfigDefaultSource();
  return typeof kubeconfig === "string" ? kubeconfig : messages().kubeconfigSecretSource();
}

/**
 * The lab cluster another stack of this project built: its kubeconfig, nodes and key, read once
 * from its output `labCluster` before anything is registered, so that `preview` already shows the
 * chapter's objects against the running cluster.
 */
async function clusterOfStack(config: LabConfig, host: HostFacts): Promise<LabCluster> {
  const other = config.cluster.stack;
  const m = messages();
  if (other === config.stack) {
    throw new ConfigError(config.stack, [`${NAMESPACE}:cluster.stack: ${m.buildsOnItself(other)}`]);
  }
  requireClusterStack(config, host);
  const reference = new pulumi.StackReference(`organization/${pulumi.getProject()}/${other}`);
  let details: { value?: unknown; secretValue?: unknown };
  try {
    details = await reference.getOutputDetails("labCluster");
  } catch (err) {
    throw new UnavailableError(
      m.clusterUnreadable(other, err instanceof Error ? err.message : String(err)),
    );
  }
  let contract: ReturnType<typeof readContract>;
  try {
    contract = readContract(other, details.secretValue ?? details.value);
  } catch {
    // A stack that was only previewed, or destroyed, exports no cluster.
    throw new UnavailableError(m.clusterNotBuilt(other, config.stack));
  }
  const parts = sharedParts(config);
  const problems = [
    ...problemsOnCluster(config, contract),
    ...claimProblems(host, config.stack, other, parts),
  ];
  if (problems.length > 0) throw new ConfigError(config.stack, problems);
  // `up` holds the parts before it registers anything; a preview only looks (above).
  const taken = pulumi.runtime.isDryRun() ? undefined : takeParts(host, config.stack, other, parts);
  if (taken && taken.problems.length > 0) throw new ConfigError(config.stack, taken.problems);
  // Held from the first up to the destroy; everything on the cluster waits for them (through the
  // providers and `ready`), so a destroy lets go of them last.
  const claimOf = new Map(
    parts.map((part) => [
      part,
      new command.local.Command(claimResource(part), {
        create: `node host/vm.js write ${claimFile(other, part)}`,
        delete: `node host/vm.js remove ${claimFile(other, part)}`,
        stdin: config.stack,
      }),
    ]),
  );
  const claims = [...claimOf.values()];
  if (taken) letGoUnlessRecorded(host, config.stack, other, taken.created, claimOf);
  const key = pulumi.secret(contract.sshPrivateKey);
  const nodes: LabNode[] = contract.nodes.map(({ endpoint: _e, ...n }) => n);
  const endpointOf = (node: LabNode) => {
    const found = contract.nodes.find((n) => n.name === node.name);
    if (!found) throw new Error(`${node.name} is not a node of stack ${other}`);
    return found.endpoint;
  };
  const lab: LabAccess = {
    nodes,
    connection: (node) => {
      const e = endpointOf(node);
      return {
        host: e.ssh.host,
        port: e.ssh.port,
        user: "root",
        privateKey: key,
        hostKey: e.hostKey,
        dialErrorLimit: 10,
        perDialTimeout: 10,
      };
    },
    endpoint: (node) => pulumi.output(endpointOf(node)),
    sshPrivateKey: key,
    workDir: workDir(config.stack),
    ready: claims,
  };
  const provider = new k8s.Provider(
    `lab-stack-${other}`,
    {
      ...PROVIDER_DEFAULTS,
      kubeconfig: pulumi.secret(contract.kubeconfig),
      // A chapter can still be reset when the cluster it was built on is gone.
      deleteUnreachable: true,
    },
    { dependsOn: claims },
  );
  return {
    mode: "stack",
    provider,
    lab,
    kubectl: kubectlOnMaster(lab),
    awaitLoadBalancers: config.cluster.awaitLoadBalancer ?? false,
    secretValue: (value) => value,
    description: messages().clusterOfStack(
      other,
      nodes.map((n) => n.name),
      contract.kubernetesVersion,
    ),
    outputs: {
      clusterStack: other,
      kubeconfigFile: kubeconfigFilePath(other),
      nodes: nodes.map(({ name, ip }) => ({ name, ip })),
    },
  };
}

/**
 * The stack a chapter builds on, looked up before the StackReference is registered: the engine's
 * read of a stack that is not there fails the run with its own `unknown stack "organization/lab/
 * cluster"`, and the program's words never reach the reader. With the project's file backend (or
 * another file backend) the stack's state file says; with another backend only the engine can
 * tell, and its read decides as before.
 */
function requireClusterStack(config: LabConfig, host: HostFacts): void {
  const other = config.cluster.stack;
  if (host.stackInState?.(pulumi.getProject(), other) !== false) return;
  const m = messages();
  const stacks = (host.listDir(".") ?? [])
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
  if (stacks.includes(other)) throw new UnavailableError(m.clusterNotBuilt(other, config.stack));
  const guess = closest(other, stacks);
  throw new ConfigError(
    config.stack,
    [
      `${NAMESPACE}:cluster.stack: ${m.clusterStackUnknown(other, stacks, guess ? m.didYouMeanStack(guess) : "")}`,
    ],
    m.setHint(config.stack),
  );
}

/**
 * The one name a slip of a letter or two was meant to be (clutser: cluster), as npm run lab guesses
 * a stack; none when several are as close (ch9: ch2 to ch6).
 */
function closest(name: string, names: readonly string[]): string | undefined {
  const near = names
    .map((n) => ({ n, d: editDistance(name.toLowerCase(), n.toLowerCase()) }))
    .filter(({ d }) => d <= Math.min(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d);
  return near.length > 0 && near[1]?.d !== near[0].d ? near[0].n : undefined;
}

/**
 * A claim file this `up` made is let go of when the program ends before the engine recorded its
 * claim resource (the plugin could not be loaded, the program stopped): nothing of the chapter is
 * on the cluster then, and no destroy of this stack would remove the file. Recorded, it stays
 * until the destroy. A claim the stack held before this up is left as it is.
 */
function letGoUnlessRecorded(
  host: HostFacts,
  stack: string,
  clusterStack: string,
  created: readonly SharedPart[],
  claims: ReadonlyMap<SharedPart, command.local.Command>,
): void {
  const { releaseClaim } = host;
  if (created.length === 0 || !releaseClaim) return;
  const recorded = new Set<SharedPart>();
  for (const part of created) {
    claims.get(part)?.id.apply((id) => {
      if (id) recorded.add(part);
    });
  }
  const letGo = () => {
    for (const part of created) {
      if (!recorded.has(part)) releaseClaim(claimFile(clusterStack, part), stack);
    }
  };
  process.once("exit", letGo);
  // The language host stops a run the engine gave up on with SIGINT (pulumi/pulumi v3.259.0
  // sdk/nodejs/cmd/pulumi-language-nodejs/main.go, cmd.Cancel), whose default ends Node without
  // "exit": let go, then end as that default would.
  process.once("SIGINT", () => {
    letGo();
    process.kill(process.pid, "SIGINT");
  });
}

/**
 * What a chapter's settings say about nodes and addresses, checked against the lab cluster of
 * another stack as `resolveCh3` checks them against this stack's own VMs: chapter 3's cordon and
 * drain name its nodes, and its MetalLB pool stays clear of their addresses.
 */
function problemsOnCluster(config: LabConfig, contract: ReturnType<typeof readContract>): string[] {
  if (config.chapter !== "ch3") return [];
  const s = config.settings as { cordon: string[]; drain: string[]; lbRange: string };
  const m = messages();
  const names = contract.nodes.map((n) => n.name);
  const problems: string[] = [];
  for (const field of ["cordon", "drain"] as const) {
    const unknown = s[field].filter((n) => !names.includes(n));
    if (unknown.length > 0) {
      problems.push(`${NAMESPACE}:ch3.${field}: ${m.nodesNotInCluster(unknown, names)}`);
    }
  }
  const [first, last] = s.lbRange.split("-").map(Number);
  const clash = contract.nodes
    .map((n) => Number(n.ip.split(".")[3]))
    .filter((h) => h >= first && h <= last);
  if (clash.length > 0) {
    problems.push(`${NAMESPACE}:ch3.lbRange: ${m.poolHasVms(s.lbRange, clash)}`);
  }
  return problems;
}

/** Connects a chapter to its cluster, or says why it cannot. */
export async function connectCluster(
  config: LabConfig,
  host: HostFacts,
): Promise<{ cluster: LabCluster; outputs: Record<string, unknown> }> {
  const { cluster } = config;
  switch (cluster.mode) {
    case "render": {
      const provider = new k8s.Provider("lab-render", {
        ...PROVIDER_DEFAULTS,
        renderYamlToDirectory: cluster.renderDir,
        enableServerSideApply: true,
      });
      return {
        cluster: {
          mode: "render",
          provider,
          awaitLoadBalancers: false,
          renderDir: cluster.renderDir,
          secretValue: () => REDACTED,
          description: messages().clusterRendered(cluster.renderDir),
          outputs: {},
        },
        outputs: {},
      };
    }
    case "kubeconfig": {
      const kubeconfig = cluster.kubeconfig;
      const provider = new k8s.Provider("lab-kubeconfig", {
        ...PROVIDER_DEFAULTS,
        kubeconfig: cluster.kubeconfig,
        context: cluster.context,
        // `pulumi destroy` must still reset the stack after the reader deleted the cluster itself.
        deleteUnreachable: true,
      });
      return {
        cluster: {
          mode: "kubeconfig",
          provider,
          awaitLoadBalancers: cluster.awaitLoadBalancer ?? false,
          secretValue: (value) => value,
          // Runs the reader's own kubectl; kubeconfig contents held as a secret cannot be passed to it.
          kubectl:
            typeof kubeconfig === "object"
              ? undefined
              : (name, args, opts) => {
                  const flags = [
                    kubeconfig ? `--kubeconfig "${localPath(kubeconfig)}"` : "",
                    cluster.context ? `--context "${cluster.context}"` : "",
                  ].filter(Boolean);
                  const line = (a?: readonly string[]) =>
                    a && ["kubectl", ...flags, ...a].join(" ");
                  return new command.local.Command(
                    name,
                    { create: line(args.create), delete: line(args.delete) },
                    opts,
                  );
                },
          description: messages().clusterOfKubeconfig(
            cluster.context,
            kubeconfigSource(cluster.kubeconfig),
          ),
          outputs: {},
        },
        outputs: {},
      };
    }
    case "stack":
      return { cluster: await clusterOfStack(config, host), outputs: {} };
    case "vagrant": {
      const built = buildLabCluster(config, host);
      // A chapter that builds its own lab cluster can be built on too.
      return { cluster: built.cluster, outputs: { labCluster: built.contract } };
    }
  }
}
