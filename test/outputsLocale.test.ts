/**
 * What a reader sees after `up` (the stack outputs) and from `npm run plan` follows the locale as
 * the configuration errors do: under a Korean locale no English sentence is left in them, and the
 * commands, keys and names inside them stay exactly as in English, so that they can be copied.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { planTree } from "../tools/plan";
import { runStack, type StackRun } from "./harness";

/** The runs whose outputs carry the sentences a reader meets. */
const RUNS: readonly { name: string; stack: string; config?: Record<string, string> }[] = [
  { name: "cluster", stack: "cluster" },
  { name: "ch2", stack: "ch2" },
  { name: "ch3 on the lab cluster", stack: "ch3" },
  {
    name: "ch3 rendered, with a cordon",
    stack: "ch3",
    config: {
      "lab:cluster.mode": "render",
      "lab:ch3.cordon": "w3-k8s",
    },
  },
  { name: "ch4", stack: "ch4" },
  { name: "ch5", stack: "ch5" },
  { name: "ch6", stack: "ch6" },
  { name: "kia", stack: "kia" },
  { name: "practice on the lab cluster", stack: "practice" },
  {
    name: "practice on a kubeconfig",
    stack: "practice",
    config: { "lab:cluster.mode": "kubeconfig", "lab:cluster.kubeconfig": "package.json" },
  },
  { name: "practice rendered", stack: "practice", config: { "lab:cluster.mode": "render" } },
  { name: "dev", stack: "dev" },
];

function locale(lang: "en" | "ko") {
  vi.stubEnv("LC_ALL", lang === "en" ? "C.UTF-8" : "");
  vi.stubEnv("LC_MESSAGES", "");
  vi.stubEnv("LANG", lang === "en" ? "C.UTF-8" : "ko_KR.UTF-8");
}

/** Every string among the outputs, by its path. */
function leaves(value: unknown, at = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === "string") out.set(at, value);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      for (const [p, s] of leaves(v, `${at}.${k}`)) out.set(p, s);
    }
  }
  return out;
}

const HANGUL = /[\uac00-\ud7a3]/;
/** A command or an address, which stays as it is in every language. */
const VERBATIM =
  /^(-----BEGIN|kubectl|npm run|curl|cd |vagrant|helm|ssh|docker|\.\/|exit$|https?:\/\/|\[)/;

/** The English sentences of a text a Korean reader would still meet. */
function englishLeft(text: string): string[] {
  const found: string[] = [];
  // A placeholder a reader replaces (`<node address>`) is a phrase too.
  for (const m of text.matchAll(/<([^<>]* [^<>]*)>/g)) {
    if (!HANGUL.test(m[1])) found.push(m[0]);
  }
  const [command, ...comment] = text.split(/\s+#\s/);
  if (comment.length > 0 && !HANGUL.test(comment.join(" "))) found.push(comment.join(" "));
  if (!VERBATIM.test(command) && /[A-Za-z]{3,} [A-Za-z]{3,}/.test(command) && !HANGUL.test(command))
    found.push(command);
  return found;
}

/** The commands and keys inside a text, which both languages carry unchanged. */
function verbatimParts(text: string): string[] {
  const parts = [
    ...text.matchAll(/lab:[A-Za-z0-9.]+/g),
    ...text.matchAll(/(?:kubectl|npm run lab --)[ a-z0-9\-/:.=]+/g),
  ].map((m) => m[0].trim().replace(/\.$/, ""));
  return parts.sort();
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("outputs a reader sees follow the locale", () => {
  for (const r of RUNS) {
    it(`${r.name}: Korean sentences around the same commands and keys`, async () => {
      locale("en");
      const en = leaves((await runStack({ stack: r.stack, config: r.config })).outputs);
      locale("ko");
      const ko = leaves((await runStack({ stack: r.stack, config: r.config })).outputs);
      expect([...ko.keys()].sort()).toEqual([...en.keys()].sort());
      const left = [...ko].flatMap(([p, s]) => englishLeft(s).map((e) => `${p}: ${e}`));
      expect(left, "English left in the Korean outputs").toEqual([]);
      for (const [p, s] of en) {
        expect(verbatimParts(ko.get(p) as string), p).toEqual(verbatimParts(s));
      }
    });
  }

  it("the checks above can fail: English prose, an English placeholder or comment is found", () => {
    expect(englishLeft("off (lab:ch4.failureLabs true turns them on)")).not.toEqual([]);
    expect(englishLeft("http://<node address>:30000/")).toEqual(["<node address>"]);
    expect(englishLeft("npm run lab -- ch3 up   # or any other chapter")).not.toEqual([]);
    expect(englishLeft("kubectl get service kubia-http")).toEqual([]);
    expect(englishLeft("꺼짐 (lab:ch4.failureLabs를 true로 하면 켜집니다)")).toEqual([]);
  });
});

describe("npm run plan's tree follows the locale", () => {
  async function tree(lang: "en" | "ko"): Promise<string> {
    locale(lang);
    const run: StackRun = await runStack({ stack: "practice" });
    return planTree(run);
  }

  it("the header, the outputs' title and the footer are Korean under a Korean locale", async () => {
    const en = (await tree("en")).split("\n");
    const ko = (await tree("ko")).split("\n");
    expect(ko.length).toBe(en.length);
    for (const line of [ko[0], ...ko.slice(-4)].filter((l) => /[A-Za-z]{3,} [a-z]{3,}/.test(l))) {
      // The lines the plan tool writes itself (not the outputs' JSON, checked above).
      if (line.startsWith("  ")) continue;
      expect(line, "a line of the tree's frame").toMatch(HANGUL);
    }
    expect(ko).toContain("출력:");
    expect(ko[0]).toMatch(/^스택 practice: /);
    expect(en[0]).toMatch(/^Stack practice: chapter practice, \d+ resources \(\d+ components\)$/);
    expect(en.at(-2)).toMatch(/^Planned offline in \d+\.\d s; nothing was changed\.$/);
  });
});
