/**
 * Parts of the lab cluster that several chapters install under the same names, each in its own
 * way: MetalLB (release `metallb` in `metallb-system`, with the pool of 3.3.4, 5.2.3 or the kia
 * stack) and the registry container of 4.4.2 (`registry` on m-k8s port 8443). The book removes
 * one chapter's before the next installs its own; two chapter stacks on one cluster would fight
 * over the same objects, and the first one's `destroy` would take the other's away.
 *
 * So a chapter claims each part it installs with a file in the cluster stack's work folder
 * (`.lab/<cluster>/claims/<part>`, holding the chapter stack's name) from its first `up` to its
 * `destroy`, and `preview` of another chapter that needs the same part stops and names the holder.
 * `up` takes the file in one step before anything is registered (`takeParts`), so that of two
 * chapters' `up` started together exactly one goes on.
 */
import { CH3_LB_SECTIONS, type ChapterSettings, type LabConfig } from "./config";
import type { HostFacts } from "./host";
import { messages } from "./messages";
import { workDir } from "./vagrant";

/** Each part, as the reader's messages name it. */
const SHARED_PARTS = {
  metallb: () => messages().metallbPart(),
  registry: () => messages().registryPart(),
} as const;
export type SharedPart = keyof typeof SHARED_PARTS;

/** The shared parts a chapter installs with these settings. */
export function sharedParts(config: LabConfig): SharedPart[] {
  switch (config.chapter) {
    case "ch3": {
      const sections = (config.settings as ChapterSettings<"ch3">).sections ?? [];
      return CH3_LB_SECTIONS.some((s) => sections.includes(s)) ? ["metallb"] : [];
    }
    case "ch4":
      return ["registry"];
    case "ch5":
      return (config.settings as ChapterSettings<"ch5">).metallb === "none"
        ? ["registry"]
        : ["metallb", "registry"];
    case "ch6":
      return ["metallb"];
    case "kia":
      return ["metallb", "registry"];
    default:
      return [];
  }
}

/** The file that says which chapter stack holds a part of the cluster of `clusterStack`. */
export function claimFile(clusterStack: string, part: SharedPart): string {
  return `${workDir(clusterStack)}/claims/${part}`;
}

/** The resource of a chapter stack that holds a part from `up` to `destroy`. */
export const claimResource = (part: SharedPart) => `claim-${part}`;

/** What stops a chapter when the claim file of `part` names `holder`, or undefined when nothing. */
function heldProblem(
  holder: string,
  stack: string,
  clusterStack: string,
  part: SharedPart,
): string | undefined {
  if (holder === stack) return undefined;
  const file = claimFile(clusterStack, part);
  const m = messages();
  if (holder === "") return m.claimNamesNoStack(SHARED_PARTS[part](), file);
  return m.sharedPartHeld(holder, SHARED_PARTS[part](), clusterStack, file, claimResource(part));
}

/** The parts another chapter stack holds, each with what to do. */
export function claimProblems(
  host: HostFacts,
  stack: string,
  clusterStack: string,
  parts: readonly SharedPart[],
): string[] {
  return parts.flatMap((part) => {
    const holder = host.readFile(claimFile(clusterStack, part))?.trim();
    if (holder === undefined) return [];
    return heldProblem(holder, stack, clusterStack, part) ?? [];
  });
}

/** What `takeParts` took, or why it took nothing. */
export interface TakenParts {
  /** The parts other stacks hold, each with what to do; when there are some, nothing is taken. */
  readonly problems: readonly string[];
  /** The claim files this call made (not those the stack already held), by part. */
  readonly created: readonly SharedPart[];
}

/**
 * Takes every part for `stack` during `up`: each claim file in one step (`HostFacts.takeClaim`),
 * so that when two chapters' ups check at the same moment, only one finds the file missing and
 * makes it. A file naming `stack` already is its own (an earlier up), kept as it is. When another
 * stack holds any part, this call lets go of those it made and takes nothing.
 */
export function takeParts(
  host: HostFacts,
  stack: string,
  clusterStack: string,
  parts: readonly SharedPart[],
): TakenParts {
  const { takeClaim } = host;
  if (!takeClaim) return { problems: [], created: [] };
  const created: SharedPart[] = [];
  const problems: string[] = [];
  for (const part of parts) {
    const taken = takeClaim(claimFile(clusterStack, part), stack);
    if (taken.created) created.push(part);
    const problem = heldProblem(taken.holder, stack, clusterStack, part);
    if (problem) problems.push(problem);
  }
  if (problems.length === 0) return { problems, created };
  for (const part of created) host.releaseClaim?.(claimFile(clusterStack, part), stack);
  return { problems, created: [] };
}
