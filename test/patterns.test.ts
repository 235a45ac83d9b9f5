import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinPatternDir, loadPatternDir } from "../src/match/load.js";
import { LineMatcher } from "../src/match/matcher.js";

// The library is data; this suite is what makes it trustworthy. Every example of every
// pattern runs through the same matcher the analyzer uses, prefilter included.
const patterns = await loadPatternDir(builtinPatternDir, false);

describe("pattern library", () => {
  it("loads every file in patterns/ (one pattern per file, grouped by area)", () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.ya?ml$/.test(name)) files.push(full);
      }
    };
    walk(builtinPatternDir);
    expect(patterns.length).toBe(files.length);
    expect(new Set(patterns.map((p) => p.id)).size).toBe(patterns.length);
  });

  it("cites a source and a reference or doc line for every pattern", () => {
    for (const p of patterns) {
      expect(p.source, p.id).toMatch(/^(https?:\/\/|[\w.-]+\/[\w.-]+ )/);
      expect(p.explanation.trim().length, p.id).toBeGreaterThan(20);
      expect(p.fix.trim().length, p.id).toBeGreaterThan(20);
    }
  });

  for (const pattern of patterns) {
    describe(pattern.id, () => {
      const matcher = new LineMatcher([pattern]);
      it.each(pattern.examples.match.map((m) => [m.line, m.captures] as const))("matches %s", (line, captures) => {
        const hits = matcher.match(line);
        expect(hits.map((h) => h.pattern.id), "a keyword must occur in the line and the regex must match").toEqual([pattern.id]);
        if (captures) {
          for (const [name, value] of Object.entries(captures)) expect(hits[0]?.captures[name], `capture ${name}`).toBe(value);
        }
      });
      it.each(pattern.examples.noMatch.map((l) => [l]))("does not match %s", (line) => {
        expect(pattern.regex.test(line)).toBe(false);
      });
      const recovery = pattern.recovery;
      if (recovery) {
        const hasKeyword = (line: string): boolean => {
          const text = pattern.caseInsensitive ? line.toLowerCase() : line;
          return recovery.keywords.some((k) => text.includes(k));
        };
        it.each(recovery.examples.match.map((l) => [l]))("counts %s as recovery", (line) => {
          expect(hasKeyword(line), "a recovery keyword must occur in the line").toBe(true);
          expect(recovery.regex.test(line)).toBe(true);
          expect(pattern.regex.test(line), "a recovery line must not also be the failure").toBe(false);
        });
        it.each(recovery.examples.noMatch.map((l) => [l]))("does not count %s as recovery", (line) => {
          expect(hasKeyword(line) && recovery.regex.test(line)).toBe(false);
        });
      }
      it("explains only patterns that exist", () => {
        for (const other of pattern.explains) expect(patterns.some((p) => p.id === other), other).toBe(true);
      });
    });
  }
});
