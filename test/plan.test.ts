/**
 * The offline plan tool, run as a reader runs it: `npm run --silent plan -- <stack> ...`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parseArgs, planDocument, planMermaid, planTree } from "../tools/plan";
import { type CliResult, runTool } from "./cli";
import { runStack } from "./harness";

const SECRET_ID = "IdValue-7f3a91";
const SECRET_KEY = "KeyValue-c0ffee-5521";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
const mermaidFile = path.join(tmp, "practice.mmd");
/** The messages asserted are the English ones, whatever the locale of the machine running them. */
const english: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C.UTF-8" };
const korean: NodeJS.ProcessEnv = {
  ...process.env,
  LC_ALL: "",
  LC_MESSAGES: "",
  LANG: "ko_KR.UTF-8",
};
const plan = (args: string[], env = english) => runTool("plan", args, env);
beforeEach(() => {
  vi.stubEnv("LC_ALL", "C.UTF-8");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

let json: CliResult;
let purple: CliResult;
let tree: CliResult;
let usage: CliResult;
let large: CliResult;
let noNamespace: CliResult;
let badMermaid: CliResult;
let purpleKorean: CliResult;
let upperNamespace: CliResult;
let twice: CliResult;
/** The JSON documents of ch2 and ch3, made by the same function the CLI prints with. */
let ch2: { code: number; stdout: string };
let ch3: { code: number; stdout: string };
beforeAll(async () => {
  [json, purple, tree, usage, large, noNamespace, badMermaid, purpleKorean, upperNamespace, twice] =
    await Promise.all([
      plan([
        "practice",
        "--json",
        "--secret",
        `lab:practice.apiKeyId=${SECRET_ID}`,
        "--secret",
        `lab:practice.apiKey=${SECRET_KEY}`,
      ]),
      plan(["practice", "--config", "lab:practice.activeColor=purple"]),
      plan([
        "practice",
        "--config",
        "lab:cluster.mode=render",
        "--mermaid",
        mermaidFile,
        "--secret",
        `lab:practice.apiKey=${SECRET_KEY}`,
      ]),
      plan([]),
      // Chapter 5 on its own VMs: the lab cluster and the chapter, the largest plan.
      plan(["ch5", "--json", "--config", "lab:cluster.mode=vagrant"]),
      plan(["practice", "--config", "practice.activeColor=blue"]),
      plan(["practice", "--mermaid", path.join(tmp, "no-such-folder", "practice.mmd")]),
      plan(["practice", "--config", "lab:practice.activeColor=purple"], korean),
      plan(["practice", "--config", "LAB:practice.activeColor=blue"]),
      plan([
        "practice",
        "-c",
        "lab:practice.activeColor=blue",
        "-c",
        "lab:practice.activeColor=green",
      ]),
    ]);
}, 60_000);

describe("plan --json", () => {
  it("prints exactly one JSON document {stack, chapter, resources, outputs}", () => {
    expect(json.code).toBe(0);
    expect(json.stderr).toBe("");
    const doc = JSON.parse(json.stdout);
    expect(Object.keys(doc)).toEqual(["stack", "chapter", "resources", "outputs"]);
    expect(doc.stack).toBe("practice");
    expect(doc.chapter).toBe("practice");
    for (const r of doc.resources) {
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining(["type", "name", "parent", "dependsOn", "inputs"]),
      );
    }
  });

  it("lists component resources and every practice object with parents and dependencies", () => {
    const doc = JSON.parse(json.stdout);
    const names = doc.resources.map((r: { type: string; name: string }) => `${r.type} ${r.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        "k8sinfra:book:Section practice-replicaset",
        "k8sinfra:book:Section practice-rollback",
        "k8sinfra:book:Section practice-blue-green",
        "k8sinfra:k8s:BlueGreen webserver",
        "kubernetes:apps/v1:ReplicaSet replicaset-nginx",
        "kubernetes:apps/v1:Deployment my-nginx-deployment",
        "kubernetes:core/v1:ConfigMap projectid",
        "kubernetes:core/v1:Secret apikey",
        "kubernetes:apps/v1:Deployment webserver-blue",
        "kubernetes:apps/v1:Deployment webserver-green",
        "kubernetes:core/v1:Service webserver",
      ]),
    );
    const urns = new Set(doc.resources.map((r: { urn: string }) => r.urn));
    for (const r of doc.resources) {
      if (r.parent !== null) expect(urns).toContain(r.parent);
      for (const d of r.dependsOn) expect(urns).toContain(d);
    }
  });

  it("masks secrets: the configured id and key appear nowhere, Secret data shows [secret]", () => {
    expect(json.stdout).not.toContain(SECRET_ID);
    expect(json.stdout).not.toContain(SECRET_KEY);
    const doc = JSON.parse(json.stdout);
    const secret = doc.resources.find((r: { name: string }) => r.name === "apikey");
    expect(secret.inputs.stringData).toBe("[secret]");
    expect(doc.outputs.apiKey).toEqual({ id: "[secret]", key: "[secret]" });
  });
});

beforeAll(async () => {
  const doc = async (stack: string) => ({
    code: 0,
    stdout: JSON.stringify(planDocument(await runStack({ stack }))),
  });
  ch2 = await doc("ch2");
  ch3 = await doc("ch3");
});

describe("plan of a large stack", () => {
  it("prints the whole document through a pipe (well over 64 KiB)", () => {
    expect(large.code).toBe(0);
    expect(large.stdout.length).toBeGreaterThan(65536);
    expect(JSON.parse(large.stdout).chapter).toBe("ch5");
  });
});

describe("plan ch2 --json", () => {
  it("includes the Vagrantfile's text in the inputs of the resource that writes it", () => {
    expect(ch2.code).toBe(0);
    const doc = JSON.parse(ch2.stdout);
    const writer = doc.resources.find((r: { name: string }) => r.name === "ch2-file-Vagrantfile");
    expect(writer.type).toBe("command:local:Command");
    expect(writer.inputs.stdin).toContain('Vagrant.configure("2") do |config|');
    expect(doc.outputs.nodes.map((n: { name: string }) => n.name)).toEqual([
      "m-k8s",
      "w1-k8s",
      "w2-k8s",
      "w3-k8s",
    ]);
  });
});

describe("plan ch3 --json", () => {
  it("lists every object of chapter 3 by the book's name", () => {
    expect(ch3.code).toBe(0);
    const names = new Set(JSON.parse(ch3.stdout).resources.map((r: { name: string }) => r.name));
    const book = [
      "nginx-pod",
      "dpy-nginx",
      "echo-hname",
      "rollout-nginx",
      "np-pods",
      "np-svc",
      "np-svc-v2",
      "in-hname-pod",
      "in-ip-pod",
      "hname-svc-default",
      "ip-svc",
      "ingress-nginx",
      "lb-hname-pods",
      "lb-ip-pods",
      "lb-hname-svc",
      "lb-ip-svc",
      "hpa-hname-pods",
      "hpa-hname-svc",
      "cfgmap",
      "cfgmap-svc",
      "nfs-pv",
      "nfs-pvc",
      "nfs-pvc-deploy",
      "nfs-pvc-deploy-svc",
      "nfs-ip",
      "nfs-pvc-sts",
      "sts-svc-domain",
      "nfs-pvc-sts-svc",
      "metallb-pool",
      "metallb-l2",
      "metrics-server-release",
      "ingress-nginx-release",
      "metallb-release",
    ];
    expect(book.filter((n) => !names.has(n))).toEqual([]);
  });
});

describe("plan with bad configuration", () => {
  it("--config lab:practice.activeColor=purple fails, naming the key and the allowed values", () => {
    expect(purple.code).toBe(2);
    expect(purple.stdout).toBe("");
    expect(purple.stderr).toContain(
      'lab:practice.activeColor: must be one of: blue, green (got "purple")',
    );
    expect(purple.stderr).not.toMatch(/\bat .*\.ts:\d+/); // a message, not a stack trace
  });

  it("without a stack it prints the usage and the stacks", () => {
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("usage: npm run --silent plan -- <stack>");
    expect(usage.stderr).toMatch(/stacks: .*dev.*practice/);
  });

  it("--config practice.activeColor=blue, without the lab: namespace, is refused, not ignored", () => {
    expect(noNamespace.code).toBe(2);
    expect(noNamespace.stdout).toBe("");
    expect(noNamespace.stderr).toBe(
      "--config practice.activeColor=blue: the key has no namespace, so the program would never read it; this project's settings are lab:<setting>, e.g. --config lab:practice.activeColor=blue\n",
    );
    // A secret's value is not repeated.
    let refusal = "";
    try {
      parseArgs(["practice", "--secret", "practice.apiKey=s3cr3t"]);
    } catch (e) {
      refusal = (e as Error).message;
    }
    expect(refusal).toContain("--secret practice.apiKey=...: the key has no namespace");
    expect(refusal).not.toContain("s3cr3t");
    expect(parseArgs(["practice", "--config", "kubernetes:context=kind"]).config).toEqual({
      "kubernetes:context": "kind",
    });
  });

  it("--config LAB:practice.activeColor=blue, a namespace in other letters, stops with the key meant", () => {
    expect(upperNamespace.code).toBe(2);
    expect(upperNamespace.stdout).toBe("");
    expect(upperNamespace.stderr).toContain(
      "LAB:practice.activeColor: not read: Pulumi hands keys to the program as written, and this project's settings are in the namespace lab, in lowercase. Did you mean lab:practice.activeColor?",
    );
  });

  it("--mermaid into a folder that does not exist is one line naming the path, and no plan", () => {
    const file = path.join(tmp, "no-such-folder", "practice.mmd");
    expect(badMermaid.code).toBe(2);
    expect(badMermaid.stdout).toBe("");
    expect(badMermaid.stderr).toBe(
      `--mermaid ${file}: cannot write the file (the folder ${path.dirname(file)} does not exist)\n`,
    );
  });

  it("a Korean locale gets the refusal in Korean, with the key and the values verbatim", () => {
    expect(purpleKorean.code).toBe(2);
    expect(purpleKorean.stderr).toContain('스택 "practice"의 설정이 올바르지 않습니다:');
    expect(purpleKorean.stderr).toContain(
      'lab:practice.activeColor: 다음 값 중 하나여야 합니다: blue, green (입력값: "purple")',
    );
    expect(purpleKorean.stderr).toContain("값을 바꾸려면: npm run lab -- practice config set");
    vi.stubEnv("LC_ALL", "ko_KR.UTF-8");
    expect(() => parseArgs(["practice", "--config", "practice.activeColor=blue"])).toThrow(
      "--config practice.activeColor=blue: 키에 네임스페이스가 없어 프로그램이 읽지 않습니다. 이 프로젝트의 설정은 lab:<설정> 형식입니다. 예: --config lab:practice.activeColor=blue",
    );
    expect(() => parseArgs([])).toThrow(/^사용법: npm run --silent plan -- <stack>[\s\S]*\n스택: /);
  });

  it("the same key twice stops and names it: only one value could count", () => {
    expect(() =>
      parseArgs([
        "practice",
        "--config",
        "lab:practice.activeColor=blue",
        "--config",
        "lab:practice.activeColor=green",
      ]),
    ).toThrow(
      "lab:practice.activeColor is given twice (--config lab:practice.activeColor=blue and --config lab:practice.activeColor=green); only one value can count, and the other would be dropped without a word: give it once",
    );
    // As a setting and as a secret: the secret's value is not repeated.
    let refusal = "";
    try {
      parseArgs([
        "practice",
        "--secret",
        "lab:practice.apiKey=s3cr3t",
        "-c",
        "lab:practice.apiKey=x",
      ]);
    } catch (e) {
      refusal = (e as Error).message;
    }
    expect(refusal).toContain(
      "lab:practice.apiKey is given twice (--secret lab:practice.apiKey=... and -c lab:practice.apiKey=x)",
    );
    expect(refusal).not.toContain("s3cr3t");
    expect(twice.code).toBe(2);
    expect(twice.stdout).toBe("");
    expect(twice.stderr).toContain("lab:practice.activeColor is given twice");
  });

  it("rejects malformed options", () => {
    expect(() => parseArgs(["dev", "--config", "novalue"])).toThrow(/--config needs key=value/);
    expect(() => parseArgs(["dev", "--bogus"])).toThrow(/unknown option --bogus/);
    expect(() => parseArgs(["dev", "practice"])).toThrow(/one stack at a time/);
  });
});

describe("plan as a tree and as a Mermaid graph", () => {
  it("the default output is a tree of the book's sections, the outputs and the time taken", () => {
    expect(tree.code).toBe(0);
    expect(tree.stdout).toContain("Stack practice: chapter practice");
    expect(tree.stdout).toMatch(/├─ k8sinfra:book:Section practice-replicaset {2}"replicaset을/);
    expect(tree.stdout).toMatch(/│ {2}└─ kubernetes:apps\/v1:ReplicaSet replicaset-nginx/);
    expect(tree.stdout).toMatch(/Planned offline in \d+\.\d s; nothing was changed\./);
  });

  it("--mermaid writes the graph: sections as subgraphs, arrows from a dependency to its user", () => {
    const graph = fs.readFileSync(mermaidFile, "utf8");
    expect(graph.startsWith("graph LR\n")).toBe(true);
    expect(graph).toContain(
      'subgraph Section_practice_blue_green["Section<br/>practice-blue-green"]',
    );
    expect(graph).toContain('Secret_apikey["Secret<br/>apikey"]');
    expect(graph).toContain("Secret_apikey --> Deployment_webserver_blue");
  });

  it("no secret reaches the tree, the graph or the log", () => {
    for (const text of [tree.stdout, tree.stderr, fs.readFileSync(mermaidFile, "utf8")]) {
      expect(text).not.toContain(SECRET_KEY);
    }
  });

  it("tree and graph are built from the same registrations as the JSON", async () => {
    const run = await runStack({ stack: "practice" });
    const lines = planTree(run)
      .split("\n")
      .filter((l) => /[├└]─ /.test(l));
    expect(lines).toHaveLength(run.resources.length);
    const edges = planMermaid(run)
      .split("\n")
      .filter((l) => l.includes("-->"));
    expect(edges).toHaveLength(run.resources.reduce((n, r) => n + r.dependsOn.length, 0));
  });
});
