/**
 * Keeps the dependency graphs in docs/*.md current: every block between
 * `<!-- plan:mermaid <stack> -->` and `<!-- /plan:mermaid -->` is replaced by the Mermaid graph of
 * that stack's offline plan.
 *
 *   npm run docs
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR, runStack } from "./mockRun";
import { planMermaid } from "./plan";

const BLOCK = /(<!-- plan:mermaid (\S+) -->\n)[\s\S]*?(<!-- \/plan:mermaid -->)/g;

/** The text of a document with its graph blocks brought up to date. */
export async function withCurrentGraphs(text: string): Promise<string> {
  const stacks = [...text.matchAll(BLOCK)].map((m) => m[2]);
  const graphs = new Map<string, string>();
  for (const stack of stacks) {
    if (!graphs.has(stack)) graphs.set(stack, planMermaid(await runStack({ stack })));
  }
  return text.replace(
    BLOCK,
    (_, open: string, stack: string, close: string) =>
      `${open}\`\`\`mermaid\n${graphs.get(stack)}\`\`\`\n${close}`,
  );
}

/** The documents with graph blocks. */
export function documents(): string[] {
  const dir = path.join(PROJECT_DIR, "docs");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .map((f) => path.join(dir, f))
    .filter((f) => fs.readFileSync(f, "utf8").includes("<!-- plan:mermaid "));
}

async function main() {
  for (const file of documents()) {
    const text = fs.readFileSync(file, "utf8");
    const updated = await withCurrentGraphs(text);
    if (updated !== text) {
      fs.writeFileSync(file, updated);
      console.log(`updated ${path.relative(PROJECT_DIR, file)}`);
    }
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
