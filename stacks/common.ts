/**
 * What several chapter stacks build the same way: book-section groups, Docker on the master and the
 * lab registry (chapter 4's, reused by chapters 5 and 6 and the kia stack).
 */
import type * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import { BookSection } from "../components/bookSection";
import { DockerHost } from "../components/dockerHost";
import type { ImageBuilds } from "../components/imageBuilds";
import { PrivateRegistry } from "../components/privateRegistry";
import { CH4 } from "../lib/book";
import type { LabCluster } from "../lib/cluster";
import { nodeStep } from "../lib/nodeStep";
import * as scripts from "../lib/scripts";

/** The lab cluster's parts a chapter builds on (present in vagrant and stack modes). */
export type Lab = NonNullable<LabCluster["lab"]>;

/**
 * The host-only network's first three octets: the lab cluster's own (in stack mode another
 * stack's, whatever this stack's `lab:network.prefix` says), else the setting.
 */
export function networkPrefix(
  config: { network: { prefix: string } },
  cluster: LabCluster,
): string {
  const master = cluster.lab?.nodes[0];
  return master ? master.ip.split(".").slice(0, 3).join(".") : config.network.prefix;
}

/** The configuration with the lab cluster's own network (see `networkPrefix`). */
export function onClusterNetwork<C extends { network: { prefix: string } }>(
  config: C,
  cluster: LabCluster,
): C {
  return { ...config, network: { ...config.network, prefix: networkPrefix(config, cluster) } };
}

/**
 * Groups objects under book sections: `section("3.3.4", "...")` gives options whose parent is that
 * section's `BookSection`, created once, with the chapter's Kubernetes provider.
 */
export function bookSections(chapter: string, cluster: LabCluster) {
  const sections = new Map<string, BookSection>();
  return (id: string, title: string): { parent: pulumi.Resource } => {
    let section = sections.get(id);
    if (!section) {
      section = new BookSection(
        `${chapter}-${id}`,
        { title, source: `book ${id}` },
        { providers: [cluster.provider] },
      );
      sections.set(id, section);
    }
    return { parent: section };
  };
}

/** The Docker provider of m-k8s over SSH (Docker itself comes with the lab cluster, 4.3.4). */
export function dockerOnMaster(lab: Lab, opts: pulumi.ComponentResourceOptions): DockerHost {
  const [master] = lab.nodes;
  return new DockerHost(
    master.name,
    {
      endpoint: lab.endpoint(master),
      sshPrivateKey: lab.sshPrivateKey,
      workDir: lab.workDir,
      dependsOn: lab.ready,
    },
    opts,
  );
}

/** The lab registry of 4.4.2 on m-k8s, trusted by every node. */
export function labRegistry(
  lab: Lab,
  docker: DockerHost,
  opts: pulumi.ComponentResourceOptions,
): PrivateRegistry {
  const r = CH4.registry;
  const [master] = lab.nodes;
  return new PrivateRegistry(
    "registry",
    {
      host: { name: master.name, address: master.ip, connection: lab.connection(master) },
      nodes: Object.fromEntries(lab.nodes.map((n) => [n.name, lab.connection(n)])),
      docker: docker.provider,
      port: r.port,
      containerPort: r.containerPort,
      image: r.image,
      containerName: r.container,
      dataDir: r.dataDir,
      certDir: r.certDir,
      certMount: r.certMount,
      subject: r.subject,
      rsaBits: r.rsaBits,
      days: r.days,
      dependsOn: docker.ready,
    },
    opts,
  );
}

/**
 * 4.4.2 `docker tag` and `docker push` of a built image to the lab registry, under its content tag
 * (what workloads run, so that an edited app rolls out) and under the book's bare name.
 */
export function pushImage(
  lab: Lab,
  registry: PrivateRegistry,
  builds: ImageBuilds,
  name: string,
  opts: pulumi.CustomResourceOptions & { parent: pulumi.Resource },
): { target: string; latest: string; push: command.remote.Command } {
  const [master] = lab.nodes;
  const latest = `${registry.endpoint}/${name}`;
  const target = `${latest}:${builds.contentTag}`;
  const push = nodeStep(
    `push-${name}`,
    {
      connection: lab.connection(master),
      create: scripts.dockerPush(builds.refs[name], target, latest),
      // A rebuilt image is pushed again.
      triggers: [builds.images[name].id],
    },
    { ...opts, dependsOn: [...registry.ready, builds.images[name]] },
  );
  return { target, latest, push };
}
