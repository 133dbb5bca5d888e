/**
 * What several chapter stacks build the same way: book-section groups, Docker on the master and the
 * lab registry (chapter 4's, reused by chapters 5 and 6 and the kia stack).
 */
import type * as pulumi from "@pulumi/pulumi";
import { BookSection } from "../components/bookSection";
import { DockerHost } from "../components/dockerHost";
import { PrivateRegistry } from "../components/privateRegistry";
import { CH4 } from "../lib/book";
import type { LabCluster } from "../lib/cluster";

/** The lab cluster's parts a chapter builds on (present in vagrant mode). */
export type Lab = NonNullable<LabCluster["lab"]>;

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

/** Docker on m-k8s with a provider over SSH (book 4.2, 4.3.4). */
export function dockerOnMaster(lab: Lab, opts: pulumi.ComponentResourceOptions): DockerHost {
  const [master] = lab.nodes;
  return new DockerHost(
    master.name,
    {
      connection: lab.connection(master),
      address: master.ip,
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
