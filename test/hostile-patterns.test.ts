import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BundleAnalyzeError } from "../src/errors.js";
import { backtrackingRisk } from "../src/match/backtracking.js";
import { loadLibrary, loadPatternDir } from "../src/match/load.js";
import { validatePattern } from "../src/match/validate.js";
import { makeTarGz, tempDir, writeTemp } from "./support/archives.js";
import { runCli } from "./support/cli.js";

/** A user pattern that is valid in every respect but its regex. */
function patternYaml(id: string, regex: string): string {
  return [
    `id: ${id}`,
    "title: user pattern",
    "area: custom",
    "severity: error",
    "keywords: [boom]",
    `regex: '${regex.replace(/'/g, "''")}'`,
    "summary: boom happened",
    "explanation: boom",
    "fix: stop the boom",
    "source: https://example.invalid/boom",
    "examples:",
    "  match:",
    "    - line: 'boom aaaa'",
    "  noMatch:",
    "    - 'quiet'",
    "",
  ].join("\n");
}

function patternDoc(regex: string): Record<string, unknown> {
  return {
    id: "user-boom",
    title: "user pattern",
    area: "custom",
    severity: "error",
    keywords: ["boom"],
    regex,
    summary: "s",
    explanation: "e",
    fix: "f",
    source: "https://example.invalid/boom",
    examples: { match: ["boom aaaa"], noMatch: ["quiet"] },
  };
}

describe("regexes that backtrack catastrophically", () => {
  // Each of these takes seconds to hours on one near-miss line in V8.
  const exponential: [string, string][] = [
    ["nested quantifier", "boom(a+)+$"],
    ["identical alternatives", "boom(a|a)*b"],
    ["word/space shape", "boom(\\w+\\s?)+$"],
    ["optional parts in a loop", "boom(a?b?)*c"],
    ["star of star", "boom(a*)*b"],
    ["prefix-overlapping alternatives", "boom(a|ab|b)*c"],
    ["overlapping classes", "boom(?:\\d+|\\w+)*!"],
    ["range of counts in a loop", "boom(?:x{2,3})+y"],
    ["large count of an optional part", "boom(?:a?){30}a{30}"],
    ["inside a lookahead", "boom(?=(a|a)*b)"],
  ];
  it.each(exponential)("finds exponential backtracking: %s", (_name, regex) => {
    expect(backtrackingRisk(regex, false)?.kind).toBe("exponential");
  });

  const polynomial: [string, string][] = [
    ["three dot-stars", "boom.*a.*b.*c"],
    ["three word loops", "boom\\w*\\w*\\w*!"],
    ["counted group of a dot-star", "boom(.*a){3}x"],
    ["bounded but long ranges", "boom[^\\n]{0,200}[^\\n]{0,200}[^\\n]{0,200}x"],
  ];
  it.each(polynomial)("finds high-degree polynomial backtracking: %s", (_name, regex) => {
    expect(backtrackingRisk(regex, false)?.kind).toBe("polynomial");
  });

  // Shapes the shipped library relies on; refusing them would make patterns unwritable.
  const safe = [
    '"(?<msg>(?:[^"\\\\]|\\\\.)*)"',
    "(ab|ac)*",
    "(a+b)+",
    "\\d{1,3}(?:\\.\\d{1,3}){3}",
    "(?:\\d{2})+x",
    "[^\\n]{0,200}?FailedDiscoveryCheck",
    "foo.*bar.*baz",
    "(\\w+,)*x",
    "(?:µs|ms|s)+",
    "(?:.|\\n)*x",
    "x=[^,]*,y=[^,]*,z=[^,]*,w=\\S*",
    "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
  ];
  it.each(safe)("accepts %s", (regex) => {
    expect(backtrackingRisk(regex, false)).toBeUndefined();
  });

  it("distinguishes case-sensitive classes that only overlap under the i flag", () => {
    expect(backtrackingRisk("(?:[a-z]|[A-Z])*!", false)).toBeUndefined();
    expect(backtrackingRisk("(?:[a-z]|[A-Z])*!", true)?.kind).toBe("exponential");
  });

  it("names the offending part of the regex", () => {
    expect(backtrackingRisk("^start (\\w+\\s?)+ end$", false)?.fragment).toBe("(\\w+\\s?)+");
    expect(backtrackingRisk("x(a|a)*y", false)?.fragment).toBe("(a|a)*");
  });

  // Two overlapping loops in a row are quadratic per start position. Shipped patterns keep
  // such neighbours exclusive, or bound the first loop ({0,N}: linear times N); the hostile
  // 64 KiB lines in test/pattern-hostile-lines.test.ts exercise them.
  it("no shipped pattern has two unbounded overlapping loops in a row", async () => {
    const library = await loadLibrary();
    const risky = library.patterns.filter((p) => {
      const risk = backtrackingRisk(p.regex.source, p.caseInsensitive, { overlappingLoops: 1 });
      return risk !== undefined && !/\{0,\d+\}/.test(risk.fragment);
    });
    expect(risky.map((p) => p.id)).toEqual([]);
  });

  it("every shipped pattern passes the check", async () => {
    const library = await loadLibrary();
    const risky = library.patterns.filter((p) => backtrackingRisk(p.regex.source, p.caseInsensitive));
    expect(risky.map((p) => p.id)).toEqual([]);
  });
});

describe("validatePattern with a catastrophic user regex", () => {
  it("refuses it with a message naming the file, the field, the pattern and the part", () => {
    let error: unknown;
    try {
      validatePattern(patternDoc("boom(\\w+\\s?)+$"), "my-patterns/custom/user-boom.yaml", {}, true);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BundleAnalyzeError);
    const message = (error as BundleAnalyzeError).message;
    expect((error as BundleAnalyzeError).code).toBe("E_PATTERN_INVALID");
    expect(message).toContain("my-patterns/custom/user-boom.yaml");
    expect(message).toContain('field "regex"');
    expect(message).toContain('"user-boom"');
    expect(message).toContain("(\\\\w+\\\\s?)+");
  });

  it("loads the same pattern once rewritten without the ambiguity", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "custom"));
    await writeFile(join(dir, "custom", "user-boom.yaml"), patternYaml("user-boom", "boom(\\w+)(?:\\s\\w+)*$"));
    const patterns = await loadPatternDir(dir, true);
    expect(patterns.map((p) => p.id)).toEqual(["user-boom"]);
  });
});

describe("CLI with a catastrophic --patterns regex", () => {
  it("exits 2 with one line naming the pattern file and field, before reading the bundle", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "custom"));
    const file = join(dir, "custom", "user-boom.yaml");
    await writeFile(file, patternYaml("user-boom", "boom (a|a)*b"));
    // The line that would make the regex run for hours if it were ever tried.
    const bundle = await writeTemp("b.tar.gz", await makeTarGz([{ name: "x.log", content: `boom ${"a".repeat(40)}\n` }]));
    const run = runCli([bundle, "--patterns", dir, "-q"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toContain('field "regex"');
    expect(lines[0]).toContain("user-boom");
    expect(lines[0]).not.toMatch(/\n\s+at /);
  });
});
