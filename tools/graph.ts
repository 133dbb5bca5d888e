/**
 * Shape of a planned dependency graph: what a resource waits for, how long the longest chain is,
 * and the graph drawn for a reader (Mermaid), whole or as a chapter's readable summary.
 */
import type { CapturedResource, StackRun } from "./mockRun";

/** What a resource waits for directly: its dependencies and its provider. */
const waitsFor = (r: CapturedResource | undefined): string[] =>
  r ? [...r.dependsOn, ...(r.provider ? [r.provider] : [])] : [];

/** Every resource that `urn` waits for, directly or through others. */
export function ancestors(run: StackRun, urn: string): Set<string> {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const seen = new Set<string>();
  const visit = (u: string) => {
    for (const d of waitsFor(byUrn.get(u))) {
      if (!seen.has(d)) {
        seen.add(d);
        visit(d);
      }
    }
  };
  visit(urn);
  return seen;
}

/**
 * Number of resources on the longest chain of dependencies: the steps `pulumi up` must take one
 * after another however many it runs in parallel.
 */
export function graphDepth(run: StackRun): number {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const memo = new Map<string, number>();
  const depth = (u: string): number => {
    const known = memo.get(u);
    if (known !== undefined) return known;
    const deps = waitsFor(byUrn.get(u)).filter((d) => byUrn.has(d));
    const value = 1 + Math.max(0, ...deps.map(depth));
    memo.set(u, value);
    return value;
  };
  return Math.max(0, ...run.resources.map((r) => depth(r.urn)));
}

// ---- drawn graphs ------------------------------------------------------------------------------

/** A box of a drawn graph. */
export interface GraphNode {
  readonly id: string;
  /** Lines of its label. */
  readonly label: readonly string[];
  /** The group it is drawn in, if any. */
  readonly group?: string;
  /** The cluster a chapter builds on is drawn apart from the chapter's own resources. */
  readonly shape: "box" | "cluster";
}

/** A box around other boxes: a book section, or a component in the whole graph. */
export interface GraphGroup {
  readonly id: string;
  readonly label: string;
  readonly parent?: string;
}

/**
 * An arrow from what must exist first to what uses it. `dependsOn`: waits for it (an explicit
 * dependency, or a value it reads). `provider`: is created through it, or runs on its machines.
 */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: "dependsOn" | "provider";
}

/** A graph ready to be drawn. */
export interface Graph {
  readonly groups: readonly GraphGroup[];
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** The type of a book section's component (`components/bookSection.ts`). */
export const SECTION_TYPE = "k8sinfra:book:Section";

/** Id of the one box that stands for the cluster in a chapter's graph. */
export const CLUSTER_NODE = "lab_cluster";

/**
 * Types that log in to the lab cluster's VMs over SSH. In `stack` mode the login comes from the
 * other stack's outputs, which the engine records as no dependency at all, so without this they
 * would look as if they ran nowhere.
 */
const RUNS_ON_NODES = ["command:remote:", "pulumi:providers:docker"];

/** How a reader names a resource's type: the Kubernetes kind, or the package and type. */
export function kindOf(type: string): string {
  const [pkg, module = "", name = type] = type.split(":");
  if (pkg === "pulumi" && module === "providers") return `${name} provider`;
  if (type === "kubernetes:helm.sh/v4:Chart") return "Helm chart";
  if (type === "kubernetes:helm.sh/v3:Release") return "Helm release";
  if (module.startsWith("kustomize")) return "Kustomize directory";
  if (pkg === "kubernetes") return name;
  if (pkg === "k8sinfra") return name;
  if (pkg === "command") return `${module} ${name}`;
  return `${pkg} ${name}`;
}

/** The name a reader sees: the Kubernetes object's, the Docker object's, else Pulumi's. */
export function nameOf(r: CapturedResource): string {
  const metadata = r.inputs.metadata as { name?: unknown } | undefined;
  if (typeof metadata?.name === "string") return metadata.name;
  const isNamed = r.type.startsWith("docker:") || r.type.startsWith("kubernetes:helm.sh/");
  if (isNamed && typeof r.inputs.name === "string") return r.inputs.name;
  return r.name;
}

/** A book section's number (`3.2.10` of `book 3.2.10`); the practice set's parts have none. */
const sectionNumber = (r: CapturedResource): string =>
  /^book (\S+)$/.exec(String(r.inputs.source ?? ""))?.[1] ?? "";

/** The label of a book section: its number and the heading the book prints. */
function sectionLabel(r: CapturedResource): string {
  const title = typeof r.inputs.title === "string" ? r.inputs.title : r.name;
  const number = sectionNumber(r);
  return number ? `${number} ${title}` : title;
}

/** Mermaid ids from resource types and names, unique and the same on every run. */
function idMaker() {
  const used = new Set<string>([CLUSTER_NODE]);
  const byUrn = new Map<string, string>();
  return (r: CapturedResource): string => {
    const known = byUrn.get(r.urn);
    if (known) return known;
    const base = `${r.type.split(":").pop()}_${r.name}`.replace(/[^A-Za-z0-9_]/g, "_");
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    byUrn.set(r.urn, id);
    return id;
  };
}

/** Resources in a stable order, so that the same stack always gives the same ids. */
const byUrnOrder = (run: StackRun) =>
  [...run.resources].sort((a, b) => a.urn.localeCompare(b.urn, "en", { numeric: true }));

/** The children of each resource (undefined: the top level). */
function childrenOf(resources: readonly CapturedResource[]) {
  const children = new Map<string | undefined, CapturedResource[]>();
  const urns = new Set(resources.map((r) => r.urn));
  for (const r of resources) {
    const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  return children;
}

/** Edges between boxes, from each resource's dependencies and provider mapped to their boxes. */
function edgesBetween(
  run: StackRun,
  boxOf: (urn: string) => string | undefined,
  runsOnCluster?: string,
): GraphEdge[] {
  const edges = new Map<string, GraphEdge>();
  const add = (from: string | undefined, to: string | undefined, kind: GraphEdge["kind"]) => {
    if (!from || !to || from === to) return;
    const key = `${from} ${to}`;
    // A dependency says more than a provider: it is drawn when both hold.
    if (edges.get(key)?.kind !== "dependsOn") edges.set(key, { from, to, kind });
  };
  for (const r of run.resources) {
    const to = boxOf(r.urn);
    for (const d of r.dependsOn) add(boxOf(d), to, "dependsOn");
    if (r.provider) add(boxOf(r.provider), to, "provider");
    if (runsOnCluster && RUNS_ON_NODES.some((t) => r.type.startsWith(t))) {
      add(runsOnCluster, to, "provider");
    }
  }
  return [...edges.values()];
}

/**
 * Every resource of the stack: components are groups (a component with no recorded children, such
 * as a Helm chart, is a box), arrows for dependencies and providers.
 */
export function fullGraph(run: StackRun): Graph {
  const id = idMaker();
  const resources = byUrnOrder(run);
  const ids = new Map(resources.map((r) => [r.urn, id(r)]));
  const children = childrenOf(resources);
  const groups: GraphGroup[] = [];
  const nodes: GraphNode[] = [];
  for (const r of resources) {
    const group = r.parent ? ids.get(r.parent) : undefined;
    const self = ids.get(r.urn) as string;
    if (!r.custom && (children.get(r.urn)?.length ?? 0) > 0) {
      const label = r.type === SECTION_TYPE ? sectionLabel(r) : `${kindOf(r.type)} ${nameOf(r)}`;
      groups.push({ id: self, label, parent: group });
    } else {
      nodes.push({ id: self, label: [kindOf(r.type), nameOf(r)], group, shape: "box" });
    }
  }
  // A dependency on a component with children is drawn to its group, which Mermaid allows.
  return { groups, nodes, edges: edgesBetween(run, (u) => ids.get(u)) };
}

/** How many names of one kind a component's box lists, and how long a line of them grows. */
const MAX_NAMES = 6;
const LINE_LENGTH = 60;

/** The label of a component drawn as one box: its name, then what is in it, by kind. */
function componentLabel(component: CapturedResource, members: CapturedResource[]): string[] {
  const kinds = new Map<string, string[]>();
  for (const m of members) {
    const kind = kindOf(m.type);
    kinds.set(kind, [...(kinds.get(kind) ?? []), nameOf(m)]);
  }
  // Names tell a reader more than counts (the four builds, the trust on each node); past a few
  // they no longer fit a box.
  const lines = [...kinds.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([kind, names]) => {
      const unique = [...new Set(names)].sort();
      if (unique.length > MAX_NAMES) return [`${kind} ×${names.length}`];
      const rows: string[] = [];
      for (const name of unique) {
        const last = rows.length - 1;
        if (last >= 0 && rows[last].length + name.length + 2 <= LINE_LENGTH) {
          rows[last] = `${rows[last]}, ${name}`;
        } else {
          rows.push(name);
        }
      }
      return [`${kind} ${rows[0]}`, ...rows.slice(1)];
    });
  // A component named after one of its objects (a Deployment and its Service, a chart and its
  // pool) is that object with its companions; its own name would only repeat it.
  const named = members.some((m) => nameOf(m) === nameOf(component));
  return named ? lines : [`${kindOf(component.type)} ${nameOf(component)}`, ...lines];
}

/**
 * A chapter's graph as a learner reads it: one box for the cluster it builds on (the VMs, kubeadm,
 * the connection and the provider, which the chapter does not teach), one group per book section,
 * one box per object or per component (a Deployment with its Service, MetalLB with its pool), and
 * arrows from the cluster to whatever is created through it or runs on its machines. A stack with
 * no book sections (the cluster itself, chapter 2) is the whole graph.
 */
export function chapterGraph(run: StackRun, clusterLabel: readonly string[]): Graph {
  const resources = byUrnOrder(run);
  const children = childrenOf(resources);
  const top = children.get(undefined) ?? [];
  const sections = top.filter((r) => r.type === SECTION_TYPE);
  if (sections.length === 0) return fullGraph(run);

  const id = idMaker();
  const descendants = (r: CapturedResource): CapturedResource[] =>
    (children.get(r.urn) ?? []).flatMap((c) => [c, ...descendants(c)]);
  /** The box each resource is drawn in. */
  const box = new Map<string, string>();
  for (const r of top.filter((t) => t.type !== SECTION_TYPE)) {
    for (const p of [r, ...descendants(r)]) box.set(p.urn, CLUSTER_NODE);
  }
  const groups: GraphGroup[] = [];
  const nodes: GraphNode[] = [{ id: CLUSTER_NODE, label: clusterLabel, shape: "cluster" }];
  // In book order: by section number, else (the practice set has none) as the stack made them.
  const made = (r: CapturedResource) => run.resources.indexOf(r);
  const sorted = [...sections].sort(
    (a, b) =>
      sectionNumber(a).localeCompare(sectionNumber(b), "en", { numeric: true }) ||
      made(a) - made(b),
  );
  for (const section of sorted) {
    const group = id(section);
    groups.push({ id: group, label: sectionLabel(section) });
    box.set(section.urn, group);
    for (const r of children.get(section.urn) ?? []) {
      // What a reader sees of a component: its objects, not its helper resources' nesting. A
      // component with no recorded children (a Helm chart) is one object.
      const members = [r, ...descendants(r)].filter(
        (m) => m.custom || (children.get(m.urn)?.length ?? 0) === 0,
      );
      const shown = members.length === 1 ? members[0] : r;
      const node = id(shown);
      nodes.push({
        id: node,
        label:
          members.length > 1 ? componentLabel(r, members) : [kindOf(shown.type), nameOf(shown)],
        group,
        shape: "box",
      });
      for (const m of [r, ...descendants(r)]) box.set(m.urn, node);
    }
  }
  return { groups, nodes, edges: edgesBetween(run, (u) => box.get(u), CLUSTER_NODE) };
}

/** How the cluster box of a chapter is labelled, from the stack's outputs. */
export function clusterLabel(run: StackRun): string[] {
  const description = String(run.outputs.cluster ?? "");
  const mode = description.split(":")[0];
  switch (mode) {
    case "stack":
      return ["the lab cluster", `(stack ${String(run.outputs.clusterStack ?? "cluster")})`];
    case "vagrant":
      return ["the lab cluster", "VMs and kubeadm of this stack"];
    case "kubeconfig":
      return ["your cluster", "from your kubeconfig"];
    case "render":
      return ["no cluster", "manifests written to files"];
    default:
      return ["the cluster"];
  }
}

/**
 * The same graph without the dependency arrows that a longer path already implies: what must come
 * before what is unchanged, and a reader sees the order rather than every shortcut. Provider arrows
 * stay, so that every object still shows what it is created through.
 */
export function withoutShortcuts(graph: Graph): Graph {
  const out = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const reaches = (skip: GraphEdge): boolean => {
    const seen = new Set<string>();
    const next = (out.get(skip.from) ?? []).filter((e) => e !== skip).map((e) => e.to);
    while (next.length > 0) {
      const n = next.pop() as string;
      if (n === skip.to) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const e of out.get(n) ?? []) next.push(e.to);
    }
    return false;
  };
  return { ...graph, edges: graph.edges.filter((e) => e.kind === "provider" || !reaches(e)) };
}

/** Mermaid text of a graph: the same graph always gives the same text. */
export function toMermaid(graph: Graph): string {
  const text = (lines: readonly string[]) => lines.join("<br/>").replace(/"/g, "'");
  const lines = ["graph LR"];
  const emit = (parent: string | undefined, indent: string) => {
    for (const n of graph.nodes.filter((x) => x.group === parent).sort(byId)) {
      const label = text(n.label);
      lines.push(
        n.shape === "cluster" ? `${indent}${n.id}(["${label}"])` : `${indent}${n.id}["${label}"]`,
      );
    }
    for (const g of graph.groups.filter((x) => x.parent === parent)) {
      lines.push(`${indent}subgraph ${g.id}["${text([g.label])}"]`);
      emit(g.id, `${indent}  `);
      lines.push(`${indent}end`);
    }
  };
  emit(undefined, "  ");
  const arrows = graph.edges
    .map((e) => `  ${e.from} ${e.kind === "provider" ? "-.->" : "-->"} ${e.to}`)
    .sort();
  return `${[...lines, ...arrows].join("\n")}\n`;
}

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

/** Boxes and arrows of Mermaid text written by `toMermaid` (or the plan tool), for checks. */
export function readMermaid(text: string): {
  nodes: string[];
  groups: string[];
  edges: { from: string; to: string; kind: GraphEdge["kind"] }[];
} {
  const nodes: string[] = [];
  const groups: string[] = [];
  const edges: { from: string; to: string; kind: GraphEdge["kind"] }[] = [];
  for (const line of text.split("\n")) {
    const group = /^\s*subgraph (\S+?)\[/.exec(line);
    const edge = /^\s*(\S+) (-->|-\.->) (\S+)$/.exec(line);
    const node = /^\s*([A-Za-z0-9_]+)(\["|\(\[")/.exec(line);
    if (group) groups.push(group[1]);
    else if (edge)
      edges.push({
        from: edge[1],
        to: edge[3],
        kind: edge[2] === "-->" ? "dependsOn" : "provider",
      });
    else if (node) nodes.push(node[1]);
  }
  return { nodes, groups, edges };
}
