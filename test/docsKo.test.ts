/**
 * The Korean chapter guides (docs/ko/<name>.md) say what the English ones (docs/<name>.md) say: the
 * same headings at the same levels, the same code (comments may be translated), the same `lab:*`
 * keys, commands, object names and addresses, the same tables and lists, the same generated graphs,
 * links to the same places; and README.ko.md leads to every one of them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { KOREAN, stacksIn, withCurrentGraphs } from "../tools/docs";
import { PROJECT_DIR } from "../tools/mockRun";

/** Every chapter guide, each in English and in Korean. */
const GUIDES = ["cluster", "ch2", "ch3", "ch4", "ch5", "ch6", "kia", "practice"];

const englishFile = (name: string) => path.join(PROJECT_DIR, "docs", `${name}.md`);
const koreanFile = (name: string) => path.join(PROJECT_DIR, "docs", "ko", `${name}.md`);

interface Fence {
  /** The info string: sh, powershell, text, mermaid, ... */
  info: string;
  /** Its lines, without the fence's own indentation. */
  lines: string[];
}

/** What the comparison looks at in a Markdown guide. */
interface Guide {
  headings: { level: number; text: string }[];
  fences: Fence[];
  /** Lines outside code fences. */
  prose: string[];
  /** Each table's cells per row, in order. */
  tables: number[][];
  /** Each list item's marker kind and indentation, in order: "-@0", "1.@3", ... */
  listItems: string[];
  /** Inline code spans outside fences, whitespace folded. */
  inlineCode: string[];
  /** Link targets: inline links, reference definitions and autolinks. */
  links: string[];
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*(\S*)\s*$/;

function parse(text: string): Guide {
  const guide: Guide = {
    headings: [],
    fences: [],
    prose: [],
    tables: [],
    listItems: [],
    inlineCode: [],
    links: [],
  };
  let open: { indent: number; mark: string; fence: Fence } | undefined;
  let table: number[] | undefined;
  for (const line of text.split("\n")) {
    if (open) {
      const close = FENCE.exec(line);
      if (close?.[2].startsWith(open.mark) && close[3] === "") {
        guide.fences.push(open.fence);
        open = undefined;
      } else {
        const indent = open.indent;
        open.fence.lines.push(line.slice(Math.min(indent, line.length - line.trimStart().length)));
      }
      continue;
    }
    const start = FENCE.exec(line);
    if (start) {
      open = { indent: start[1].length, mark: start[2], fence: { info: start[3], lines: [] } };
      table = undefined;
      continue;
    }
    guide.prose.push(line);
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) guide.headings.push({ level: heading[1].length, text: heading[2] });
    if (line.trimStart().startsWith("|")) {
      if (!table) {
        table = [];
        guide.tables.push(table);
      }
      table.push(tableCells(line));
    } else {
      table = undefined;
    }
    const item = /^(\s*)([-*+]|\d+\.)\s/.exec(line);
    if (item) guide.listItems.push(`${/\d/.test(item[2]) ? "1." : "-"}@${item[1].length}`);
  }
  expect(open, "a code fence is never closed").toBeUndefined();
  const prose = guide.prose.join("\n");
  guide.inlineCode = [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\s+/g, " "));
  // Code spans are not links: `[x](y)` inside backticks is text.
  const linkText = prose.replace(/`[^`]+`/g, "``");
  guide.links = [
    ...[...linkText.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]),
    ...[...linkText.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]),
    ...[...linkText.matchAll(/<(https?:\/\/[^>\s]+)>/g)].map((m) => m[1]),
  ];
  return guide;
}

/** Cells of a table row; `\|` is a pipe inside a cell. */
function tableCells(line: string): number {
  const inner = line
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "");
  return inner.split(/(?<!\\)\|/).length;
}

/**
 * A code block as the two languages must share it: comment lines dropped and trailing comments cut
 * (`#`, `//` after a space, `REM`), since only comments are translated. Mermaid blocks are generated
 * and compared whole.
 */
function withoutComments(fence: Fence): string[] {
  if (fence.info === "mermaid") return fence.lines;
  return fence.lines
    .filter((l) => !/^\s*(#(?!!)|\/\/|REM\b)/i.test(l))
    .map((l) => l.replace(/\s+(#|\/\/).*$/, "").trimEnd());
}

/** The `lab:*` configuration keys a text names. */
function labKeys(text: string): string[] {
  const keys = [...text.matchAll(/\blab:[A-Za-z][A-Za-z0-9_.*-]*/g)].map((m) =>
    m[0].replace(/\.+$/, ""),
  );
  return [...new Set(keys)].sort();
}

/** A placeholder such as `<name>` or `<a pod's IP>` may be translated; everything else may not. */
const withoutPlaceholders = (code: string) => code.replace(/<[^<>]*>/g, "<…>");

/** An inline code span that is a command a reader types (a command word and its arguments). */
const COMMAND =
  /^(npm|npx|node|kubectl|vagrant|helm|curl|curl\.exe|docker|cd|export|sudo|git|ssh|pulumi|openssl|kustomize|config (set|rm)|\$env:\S+)\s+\S/;

function inlineCommands(guide: Guide): string[] {
  return guide.inlineCode
    .filter((c) => COMMAND.test(c))
    .map(withoutPlaceholders)
    .sort();
}

/** Book section numbers (3.1.3, 4.2) named in a heading. */
const sectionNumbers = (heading: string) => heading.match(/\b\d\.\d{1,2}(\.\d{1,2})?\b/g) ?? [];

/** Hangul syllables in a text. */
const hangul = (text: string) => text.match(/[\uac00-\ud7a3]/g)?.length ?? 0;
/** Latin letters in a text. */
const latin = (text: string) => text.match(/[A-Za-z]/g)?.length ?? 0;

/**
 * GitHub's anchor of a heading, as github-slugger reproduces it: lower case; symbols, controls and
 * punctuation other than `-` and `_` dropped; each space a hyphen; letters of every script kept, so
 * a Korean heading keeps its Hangul (Flet/github-slugger@2.0.0: index.js lines 73-77,
 * script/generate-regex.js lines 8-31, test/fixtures.json lines 198-199 and 273-274).
 */
function anchor(heading: string): string {
  return heading
    .replace(/`/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/**
 * Where a link leads, relative to the project and without its anchor; a Korean guide's link to
 * another Korean guide leads to "the guide <name>", as the English guide's link to the English one.
 */
function destination(fromFile: string, target: string): string {
  if (isExternal(target)) return target;
  const file = target.split("#")[0];
  if (file === "") return "#";
  const resolved = path.relative(PROJECT_DIR, path.resolve(path.dirname(fromFile), file));
  const guide = /^docs\/(?:ko\/)?([^/]+)\.md$/.exec(resolved);
  return guide && GUIDES.includes(guide[1]) ? `guide ${guide[1]}` : resolved;
}

function read(file: string): string {
  expect(fs.existsSync(file), `${path.relative(PROJECT_DIR, file)} is missing`).toBe(true);
  return fs.readFileSync(file, "utf8");
}

describe("the chapter guides", () => {
  it("are the eight of the list: a new English guide needs its Korean version here too", () => {
    const english = fs
      .readdirSync(path.join(PROJECT_DIR, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => f.replace(/\.md$/, ""))
      .sort();
    expect(english).toEqual([...GUIDES].sort());
  });

  it.each(GUIDES)("README.ko.md links docs/ko/%s.md and not the English guide", (name) => {
    const readme = read(path.join(PROJECT_DIR, "README.ko.md"));
    expect(readme).toContain(`](docs/ko/${name}.md)`);
    expect(readme).not.toMatch(new RegExp(`\\]\\(docs/${name}\\.md[#)]`));
  });
});

describe.each(GUIDES)("docs/ko/%s.md", (name) => {
  const load = () => {
    const en = read(englishFile(name));
    const ko = read(koreanFile(name));
    return { en, ko, english: parse(en), korean: parse(ko) };
  };

  it("exists beside the English guide and is written in Korean", () => {
    const { korean } = load();
    // The words a reader reads: no code, link targets, link definitions or HTML comments.
    const prose = korean.prose
      .join("\n")
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/^\s*\[[^\]]+\]:.*$/gm, "")
      .replace(/`[^`]*`/g, "")
      .replace(/\]\([^)]*\)/g, "]")
      .replace(/<https?:[^>]*>/g, "");
    // A copy of the English guide has the same shape: the Korean one has more Hangul than Latin.
    expect(hangul(prose), "Hangul syllables against Latin letters").toBeGreaterThan(latin(prose));
    const untranslated = korean.headings.filter((h) => hangul(h.text) === 0).map((h) => h.text);
    expect(untranslated, "headings without Korean").toEqual([]);
  });

  it("has the same headings, at the same levels, in the same order, with the book's section numbers", () => {
    const { english, korean } = load();
    expect(korean.headings.map((h) => h.level)).toEqual(english.headings.map((h) => h.level));
    expect(korean.headings.map((h) => sectionNumbers(h.text))).toEqual(
      english.headings.map((h) => sectionNumbers(h.text)),
    );
  });

  it("has the same code blocks in the same order; only comments differ", () => {
    const { english, korean } = load();
    const code = (g: Guide) => g.fences.map((f) => ({ info: f.info, lines: withoutComments(f) }));
    expect(code(korean)).toEqual(code(english));
  });

  it("shows the same generated graphs", () => {
    const { english, korean } = load();
    const graphs = (g: Guide) => g.fences.filter((f) => f.info === "mermaid").map((f) => f.lines);
    expect(graphs(english).length).toBeGreaterThan(0);
    expect(graphs(korean)).toEqual(graphs(english));
  });

  it("is kept current by npm run docs: the stack's graph under the legend in Korean", async () => {
    const { en, ko } = load();
    expect(stacksIn(ko)).toEqual(stacksIn(en));
    expect(ko, "run npm run docs").toBe(await withCurrentGraphs(ko, KOREAN));
    for (const stack of stacksIn(ko)) expect(ko).toContain(KOREAN.below(stack));
  });

  it("names the same lab:* keys", () => {
    const { en, ko } = load();
    expect(labKeys(en).length).toBeGreaterThan(0);
    expect(labKeys(ko)).toEqual(labKeys(en));
  });

  it("gives the same commands in inline code, as many times", () => {
    const { english, korean } = load();
    expect(inlineCommands(korean)).toEqual(inlineCommands(english));
  });

  it("keeps every inline code of the English guide verbatim, as often (object names, addresses, ports, versions)", () => {
    const { english, korean } = load();
    const counts = (g: Guide) => {
      const n = new Map<string, number>();
      for (const c of g.inlineCode.map(withoutPlaceholders)) n.set(c, (n.get(c) ?? 0) + 1);
      return n;
    };
    const kept = counts(korean);
    const lost = [...counts(english)]
      .filter(([code, n]) => (kept.get(code) ?? 0) < n)
      .map(([code, n]) => `${code} (${kept.get(code) ?? 0} of ${n})`);
    expect(lost).toEqual([]);
  });

  it("has the same tables (rows and columns) and the same lists", () => {
    const { english, korean } = load();
    expect(korean.tables).toEqual(english.tables);
    expect(korean.listItems).toEqual(english.listItems);
  });

  it("links to the same places: Korean guides for guides, existing files, existing headings", () => {
    const { english, korean } = load();
    const en = englishFile(name);
    const ko = koreanFile(name);
    const places = (g: Guide, file: string) => [
      ...new Set(g.links.map((t) => destination(file, t))),
    ];
    expect(places(korean, ko).sort()).toEqual(places(english, en).sort());
    for (const target of korean.links.filter((t) => !isExternal(t))) {
      const [file, hash] = target.split("#");
      const resolved = file === "" ? ko : path.resolve(path.dirname(ko), file);
      const shown = `${target} (from docs/ko/${name}.md)`;
      expect(fs.existsSync(resolved), `${shown}: no such file`).toBe(true);
      expect(path.relative(PROJECT_DIR, resolved), `${shown}: the English guide`).not.toMatch(
        new RegExp(`^docs/(${GUIDES.join("|")})\\.md$`),
      );
      if (hash !== undefined) {
        const anchors = parse(fs.readFileSync(resolved, "utf8")).headings.map((h) =>
          anchor(h.text),
        );
        expect(anchors, `${shown}: no heading with this anchor`).toContain(hash);
      }
    }
  });
});
