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

/** The parts another chapter stack holds, each with what to do. */
export function claimProblems(
  host: HostFacts,
  stack: string,
  clusterStack: string,
  parts: readonly SharedPart[],
): string[] {
  const problems: string[] = [];
  for (const part of parts) {
    const file = claimFile(clusterStack, part);
    const holder = host.readFile(file)?.trim();
    if (!holder || holder === stack) continue;
    problems.push(messages().sharedPartHeld(holder, SHARED_PARTS[part](), clusterStack, file));
  }
  return problems;
}
