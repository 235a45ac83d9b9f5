import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprintPatternDir, readCompiledLibrary, writeCompiledLibrary } from "../src/match/compiled-library.js";
import { builtinPatternDir, loadLibrary, loadPatternDir } from "../src/match/load.js";
import type { Pattern } from "../src/match/pattern.js";
import { tempDir } from "./support/archives.js";

function plain(patterns: readonly Pattern[]): unknown[] {
  return patterns.map((p) => ({ ...p, regex: `/${p.regex.source}/${p.regex.flags}` }));
}

describe("the precompiled built-in library", () => {
  it("gives exactly the patterns the YAML gives", async () => {
    const dir = await tempDir("ba-compiled-");
    const file = join(dir, "patterns.json");
    const fromYaml = await loadPatternDir(builtinPatternDir, false);
    await writeCompiledLibrary(builtinPatternDir, fromYaml, file);
    const compiled = readCompiledLibrary(builtinPatternDir, file);
    expect(compiled).toBeDefined();
    expect(plain(compiled ?? [])).toEqual(plain(fromYaml));
    // Compiled regexes behave the same on the library's own examples.
    for (const p of compiled ?? []) for (const e of p.examples.match) expect(p.regex.test(e.line), `${p.id}: ${e.line}`).toBe(true);
  });

  it("is ignored once a YAML file changes, is added or removed: the folder is read again", async () => {
    const dir = await tempDir("ba-compiled-stale-");
    const patterns = join(dir, "patterns");
    await cp(builtinPatternDir, patterns, { recursive: true });
    const file = join(dir, "patterns.json");
    await writeCompiledLibrary(patterns, await loadPatternDir(patterns, false), file);
    expect(readCompiledLibrary(patterns, file)).toBeDefined();

    const oom = join(patterns, "kernel", "kernel-oom-kill.yaml");
    const text = await readFile(oom, "utf8");
    await writeFile(oom, text.replace(/^title: .*$/m, "title: Edited after the build"));
    expect(readCompiledLibrary(patterns, file)).toBeUndefined();
    // The loader falls back to the YAML, edit included.
    const library = await loadLibrary([], patterns);
    expect(library.patterns.find((p) => p.id === "kernel-oom-kill")?.title).toBe("Edited after the build");

    await writeFile(oom, text);
    expect(readCompiledLibrary(patterns, file)).toBeDefined();
    await writeFile(join(patterns, "kernel", "new-one.yaml"), "id: new-one\n");
    expect(readCompiledLibrary(patterns, file)).toBeUndefined();
  });

  it("is ignored when missing or damaged", async () => {
    const dir = await tempDir("ba-compiled-bad-");
    expect(readCompiledLibrary(builtinPatternDir, join(dir, "none.json"))).toBeUndefined();
    await writeFile(join(dir, "bad.json"), '{"format":1,"fingerprint":');
    expect(readCompiledLibrary(builtinPatternDir, join(dir, "bad.json"))).toBeUndefined();
    await writeFile(join(dir, "old.json"), JSON.stringify({ format: 0, fingerprint: fingerprintPatternDir(builtinPatternDir), patterns: [] }));
    expect(readCompiledLibrary(builtinPatternDir, join(dir, "old.json"))).toBeUndefined();
  });
});
