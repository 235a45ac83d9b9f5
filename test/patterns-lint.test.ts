import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { KeywordShare, lintPatterns } from "../src/match/lint.js";
import { loadLibrary, loadPatternDir } from "../src/match/load.js";
import { tempDir } from "./support/archives.js";
import { runCli } from "./support/cli.js";

function patternYaml(id: string, keyword: string, regex: string, line: string, flags = ""): string {
  return [
    `id: ${id}`,
    `title: ${id}`,
    "area: demo",
    "severity: warning",
    "keywords:",
    `  - ${JSON.stringify(keyword)}`,
    `regex: ${JSON.stringify(regex)}`,
    ...(flags ? [`flags: ${flags}`] : []),
    "summary: s",
    "explanation: e",
    "fix: f",
    "source: https://example.com/issue/1",
    "examples:",
    "  match:",
    `    - line: ${JSON.stringify(line)}`,
    "  noMatch:",
    '    - "nothing to see"',
    "",
  ].join("\n");
}

async function userDir(): Promise<string> {
  const dir = await tempDir("ba-lint-");
  await mkdir(join(dir, "demo"));
  await writeFile(join(dir, "demo", "short-keyword.yaml"), patternYaml("short-keyword", "OOM", "OOM in (?<unit>\\w+)", "OOM in worker"));
  await writeFile(join(dir, "demo", "common-word.yaml"), patternYaml("common-word", "failed", "failed to mount (?<vol>\\S+)", "failed to mount data"));
  await writeFile(join(dir, "demo", "accented.yaml"), patternYaml("accented", "échec", "échec de (?<what>\\w+)", "échec de montage", "i"));
  await writeFile(join(dir, "demo", "fine.yaml"), patternYaml("fine", "volume mount timed out", "volume mount timed out for (?<vol>\\S+)", "volume mount timed out for data"));
  return dir;
}

describe("patterns lint", () => {
  it("finds nothing to report in the built-in library", async () => {
    expect(lintPatterns((await loadLibrary()).patterns)).toEqual([]);
  });

  it("reports short, common and non-ASCII case-insensitive keywords, and passes the good one", async () => {
    const issues = lintPatterns(await loadPatternDir(await userDir(), true));
    expect(issues.map((i) => [i.id, i.keyword, i.problem.split(":")[0]])).toEqual([
      ["accented", "échec", "case-insensitive with non-ASCII letters"],
      ["common-word", "failed", "a word most log lines of some component have"],
      ["short-keyword", "OOM", "shorter than 5 characters"],
    ]);
  });

  it("measures on sample lines how much each pattern's keywords bring in for nothing", async () => {
    const patterns = (await loadLibrary()).patterns;
    const share = new KeywordShare(patterns);
    // Healthy probes: the probe patterns used to take every one of them as a candidate.
    for (let i = 0; i < 90; i++) share.add(`I0611 00:12:24.194970    6551 prober.go:107] "Probe succeeded" probeType="Readiness" pod="default/cache-${i}" containerName="proxy"`);
    for (let i = 0; i < 10; i++) share.add(`I0611 00:12:25.000000    6551 prober.go:107] "Probe failed" probeType="Readiness" pod="default/web-${i}" podUID="u" containerName="app" probeResult="failure"`);
    expect(share.lines).toBe(100);
    expect(share.hits.get("readiness-probe-failed")).toBe(10);
    expect(share.matches.get("readiness-probe-failed")).toBe(10);
    // Matching lines are the keyword's purpose, not waste.
    expect(share.over(0.01)).toEqual([]);
  });

  it("is a CLI command: exit 1 with one line per problem, --sample reads plain and gzipped logs", async () => {
    const dir = await userDir();
    const r = runCli(["patterns", "lint", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('(short-keyword): keyword "OOM": shorter than 5 characters');
    expect(r.stdout).toMatch(/4 patterns: 3 problems\n$/);

    const fine = await tempDir("ba-lint-fine-");
    await mkdir(join(fine, "demo"));
    await writeFile(join(fine, "demo", "fine.yaml"), patternYaml("fine", "volume mount", "volume mount timed out for (?<vol>\\S+)", "volume mount timed out for data"));
    const sample = join(fine, "sample.log.gz");
    await writeFile(sample, gzipSync(`${Array.from({ length: 50 }, (_, i) => `volume mount ok for vol-${i}`).join("\n")}\nvolume mount timed out for data\n`));
    const measured = runCli(["patterns", "lint", join(fine), "--sample", sample]);
    expect(measured.code).toBe(1);
    expect(measured.stdout).toContain('(fine): keywords "volume mount" are in 100.00% of the sample\'s lines, the regex matches 1.96%');
    expect(measured.stdout).toContain("51 sample lines, 1 pattern over 1.0%");
    expect(runCli(["patterns", "lint", "--max-share", "2"]).code).toBe(2);
  });
});
