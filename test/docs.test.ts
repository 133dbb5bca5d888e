/** The dependency graphs in docs/ are the stacks' current plans (`npm run docs` updates them). */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect, it } from "vitest";
import { documents, withCurrentGraphs } from "../tools/docs";

it("every Mermaid graph in docs/ matches its stack's offline plan", async () => {
  const docs = documents();
  expect(docs.map((d) => path.basename(d))).toContain("ch3.md");
  for (const file of docs) {
    const text = fs.readFileSync(file, "utf8");
    expect(await withCurrentGraphs(text), `${path.basename(file)}: run npm run docs`).toBe(text);
  }
});
