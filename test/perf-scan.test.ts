import { describe, expect, it } from "vitest";
import { lineBlocks, lineText, splitLines } from "../src/ingest/lines.js";
import { WarningLog } from "../src/ingest/warnings.js";
import { defaultLimits, type Limits } from "../src/limits.js";
import { foldBytes, KeywordAutomaton } from "../src/match/matcher-automaton.js";
import { LineMatcher } from "../src/match/matcher.js";
import type { Pattern } from "../src/match/pattern.js";
import { BundleCollector } from "../src/pipeline/collect.js";
import { errorishTriggers, type LineScanMode } from "../src/pipeline/collect-log.js";
import { SeededRandom } from "../src/tools/bench-random.js";

// The fast paths skip work: these tests check that what they skip could not have mattered,
// against the plain line-by-line reading, on adversarial input cut into random chunks.

function pattern(id: string, keywords: string[], regex: string, caseInsensitive = false): Pattern {
  return {
    id,
    title: id,
    area: "test",
    severity: "error",
    keywords,
    regex: new RegExp(regex, caseInsensitive ? "i" : ""),
    caseInsensitive,
    components: [],
    summary: id,
    explanation: id,
    fix: id,
    references: [],
    source: "test",
    examples: { match: [], noMatch: [] },
    file: `${id}.yaml`,
    user: true,
  };
}

const patterns: Pattern[] = [
  pattern("dial-8132", [":8132: "], "dial tcp (?<host>[0-9.]+):(?<port>8132): (?<reason>connect: [a-z ]+)"),
  pattern("no-space", ["database space exceeded"], "mvcc: database space exceeded"),
  pattern("oom", ["Out of memory: Kill"], "Out of memory: Killed process (?<pid>\\d+)"),
  pattern("took", ["took too long"], "took too long \\((?<took>[^)]+)\\)"),
  // Case-insensitive: a Kelvin sign lower-cases to "k", a dotted capital I to "i" + a dot.
  pattern("kube-proxy-ci", ["kube-proxy sync"], "ube-proxy sync failed", true),
  pattern("cni-ci", ["plugin cni"], "plugin cn. ", true),
  pattern("micro", ["µs slow"], "(?<n>\\d+)µs slow"),
];

/** One adversarial line: keywords anywhere, long lines, CR, non-ASCII, broken UTF-8. */
function line(r: SeededRandom): Buffer {
  const words = ["alpha", "beta", "ERROR", "error", "fail", "Warn", "timed out", "NOERROR", "x", "E0611 ", "W1231 ", "e1234 ", "\u00b5s", "ok"];
  const pick = r.int(16);
  if (pick === 0) return Buffer.alloc(0);
  if (pick === 1) return Buffer.from("\r");
  if (pick === 2) return Buffer.from(`${"y".repeat(r.between(250, 700))} dial tcp 10.0.0.1:8132: connect: connection refused ${"z".repeat(r.int(300))}`);
  if (pick === 3) return Buffer.from(`2025-06-11T08:16:06.123456789Z stderr F E0611 08:16:06.123456 1 x.go:1] "cannot connect" err="dial tcp 10.0.0.${r.int(255)}:8132: connect: no route to host"`);
  if (pick === 4) return Buffer.from(`Jun 11 08:16:0${r.int(10)} node-${r.int(3)} kernel: Out of memory: Killed process ${r.int(99999)} (java)`);
  if (pick === 5) return Buffer.from(`Jun 11 08:16:06 node-1 kube-proxy[1]: \u212Aube-proxy sync failed: ${r.int(99)}`);
  if (pick === 6) return Buffer.from(`{"level":"warn","ts":"2025-06-11T08:16:06.123Z","msg":"plugin CN\u0130 broken"}`);
  if (pick === 7) return Buffer.concat([Buffer.from("bad "), Buffer.from([0xff, 0xe2, 0x84]), Buffer.from(" mvcc: database space exceeded\r")]);
  if (pick === 8) return Buffer.from(`took too long (${r.int(900)}ms) ${r.int(99)}\u00b5s slow`);
  const parts: string[] = [];
  for (let i = r.between(1, 12); i > 0; i--) parts.push(r.pick(words));
  return Buffer.from(`I0611 08:16:${String(r.int(60)).padStart(2, "0")}.000001 1 a.go:2] ${parts.join(" ")}${r.chance(0.2) ? "\r" : ""}`);
}

function file(r: SeededRandom, lines: number): Buffer {
  const out: Buffer[] = [];
  // The first timestamp is searched in the first 50 lines only: put it near that edge.
  if (r.chance(0.5)) for (let i = r.between(45, 55); i > 0; i--) out.push(Buffer.from(r.chance(0.1) ? "" : "no stamp here"), Buffer.from("\n"));
  for (let i = 0; i < lines; i++) out.push(line(r), Buffer.from("\n"));
  if (r.chance(0.5)) out.pop(); // no newline at the end
  return Buffer.concat(out);
}

async function* randomChunks(bytes: Buffer, r: SeededRandom): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; ) {
    const n = r.chance(0.3) ? r.between(1, 8) : r.between(1, 3000);
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

/** Where each line that `test()` (the one-line JavaScript check) flags ends, in `lines` joined by newlines. */
function endsOfLinesTestFlags(automaton: KeywordAutomaton, lines: readonly string[]): number[] {
  const ends: number[] = [];
  let at = 0;
  for (const l of lines) {
    at += Buffer.byteLength(l);
    if (automaton.test(Buffer.from(l))) ends.push(at);
    at += 1;
  }
  return ends;
}

describe("keyword automaton", () => {
  it.each([true, false])("finds exactly the (folded) keywords a brute-force search finds, in any block (WebAssembly: %s)", (wasm) => {
    const r = new SeededRandom(11);
    const keywords = Array.from({ length: 60 }, () => Buffer.from(Array.from({ length: r.between(1, 6) }, () => r.pick(["a", "b", "A", "1", "7", " ", "\u00e9"])).join("")));
    const automaton = new KeywordAutomaton(keywords, keywords.length, keywords.length, { wasm });
    expect(automaton.scanEngine()).toBe(wasm ? "wasm" : "js-per-byte");
    const folded = keywords.map((k) => Buffer.from(foldBytes(k)));
    for (let round = 0; round < 200; round++) {
      const text = Buffer.from(Array.from({ length: r.between(0, 40) }, () => r.pick(["a", "b", "B", "2", " ", "\u00e9", "c"])).join(""));
      const haystack = Buffer.from(foldBytes(text));
      const expected = folded.map((k, id) => (k.length > 0 && haystack.includes(k) ? id : -1)).filter((id) => id >= 0);
      expect(automaton.keywordsIn(text).sort((a, b) => a - b)).toEqual(expected);
      expect(automaton.test(text)).toBe(expected.length > 0);
    }
  });

  it("lists the same keywords through the per-byte table and, for automatons too big for it, the per-class one", () => {
    const r = new SeededRandom(13);
    // 1,200 keywords of 8 to 12 letters: over 8,192 states, so no per-byte table.
    const letters = "abcdefghij";
    const big = Array.from({ length: 1200 }, () => Buffer.from(Array.from({ length: r.between(8, 12) }, () => r.pick([...letters])).join("")));
    const small = big.slice(0, 40);
    for (const [keywords, wasm] of [[big, false], [small, false], [big, true]] as const) {
      const automaton = new KeywordAutomaton(keywords, keywords.length, keywords.length, { wasm });
      expect(automaton.states > 8192).toBe(keywords === big);
      expect(automaton.scanEngine()).toBe(wasm ? "wasm" : keywords === big ? "js-per-class" : "js-per-byte");
      for (let round = 0; round < 100; round++) {
        const text = Buffer.from(Array.from({ length: r.between(0, 200) }, () => (r.chance(0.5) ? r.pick(keywords).toString() : r.pick([..."abcXYZ \u00e9"]))).join(""));
        const haystack = text.toString().toLowerCase();
        const expected = keywords.map((k, id) => (haystack.includes(k.toString()) ? id : -1)).filter((id) => id >= 0);
        expect(automaton.keywordsIn(text).sort((x, y) => x - y)).toEqual(expected);
      }
    }
  });

  it.each([true, false])("flags exactly the lines that hold a keyword, with four streams or one (WebAssembly: %s)", (wasm) => {
    const r = new SeededRandom(12);
    const automaton = new KeywordAutomaton(["needle", "E0000 ", "x9"].map((k) => Buffer.from(k)), 3, 3, { wasm });
    for (let round = 0; round < 30; round++) {
      const lines = Array.from({ length: r.between(1, 2000) }, () => Array.from({ length: r.between(0, 30) }, () => r.pick(["a", "needle", "E1234 ", "x", "9", " ", "NEEDLE"])).join(""));
      const block = Buffer.from(`${lines.join("\n")}\n`);
      const hits: number[] = [];
      automaton.scanLines(block, 0, block.length, hits);
      expect(hits).toEqual(endsOfLinesTestFlags(automaton, lines));
    }
  });
});

describe("the WebAssembly scan loop", () => {
  it("flags what the JavaScript test flags, line by line, with the built-in library, in blocks of any size", async () => {
    const { loadLibrary } = await import("../src/match/load.js");
    const library = await loadLibrary([]);
    const matcher = new LineMatcher(library.patterns, { alsoFlag: errorishTriggers });
    const automaton = (matcher as unknown as { automaton: KeywordAutomaton }).automaton;
    expect(automaton.scanEngine()).toBe("wasm");
    const r = new SeededRandom(21);
    const words = ["connection refused", "OOMKilled", "all good", "dial tcp 10.0.0.1:8132", "etcdserver: mvcc: database space exceeded", "W0611 ", "warn", "Error", "\u00e9t\u00e9", "x".repeat(50), "no such host", "FailedMount", "ok"];
    const lines = Array.from({ length: 60_000 }, () => Array.from({ length: r.between(0, 8) }, () => r.pick(words)).join(" "));
    const block = Buffer.from(`${lines.join("\n")}\n`);
    // Over 3 MiB: the module's memory grows past its first block size on the way.
    expect(block.length).toBeGreaterThan(3 * 1024 * 1024);
    const expected = endsOfLinesTestFlags(automaton, lines);
    const js = new KeywordAutomaton([...words, "needle"].map((w) => Buffer.from(w)), 14, 14, { wasm: false });
    const inWasm = new KeywordAutomaton([...words, "needle"].map((w) => Buffer.from(w)), 14, 14);
    for (const [start, end] of [[0, block.length], [0, block.indexOf(10, 5000) + 1], [block.indexOf(10, 1_000_000) + 1, block.length]] as const) {
      const hits: number[] = [];
      matcher.scanLines(block, start, end, hits);
      expect(hits).toEqual(expected.filter((h) => h >= start && h < end));
      // The keywords of lines of the block just scanned are read from the module's copy of it.
      const found: number[] = [];
      inWasm.scanLines(block, start, end, found);
      for (const lineEnd of found.slice(0, 500)) {
        const lineStart = block.lastIndexOf(10, lineEnd - 1) + 1;
        const ids = inWasm.keywordsIn(block, lineStart, lineEnd);
        expect(ids).toEqual(js.keywordsIn(block, lineStart, lineEnd));
        expect(ids).toEqual(inWasm.keywordsIn(Buffer.from(block.subarray(lineStart, lineEnd))));
      }
    }
  });
});

describe("lineBlocks", () => {
  it("yields the same lines as splitLines, whatever the chunking, long lines included", async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = new SeededRandom(seed);
      const bytes = file(r, r.between(0, 200));
      const max = r.pick([16, 100, 400, 64 * 1024]);
      const reference: { text: string; long: boolean }[] = [];
      for await (const l of splitLines(randomChunks(bytes, new SeededRandom(seed)), max)) reference.push({ text: l.text, long: l.omittedBytes > 0 });
      const fast: { text: string; long: boolean }[] = [];
      for await (const b of lineBlocks(randomChunks(bytes, new SeededRandom(seed + 100)), max)) {
        for (let pos = b.start; pos < b.end; ) {
          const nl = b.bytes.indexOf(0x0a, pos);
          fast.push({ text: lineText(b.bytes, pos, nl, max), long: nl - pos + b.droppedBytes > max });
          pos = nl + 1;
        }
      }
      expect(fast).toEqual(reference);
    }
  });
});

async function collect(bytes: Buffer, mode: LineScanMode, seed: number, limits: Limits): Promise<unknown> {
  const warnings = new WarningLog();
  const matcher = new LineMatcher(patterns, { alsoFlag: errorishTriggers });
  const collector = new BundleCollector(matcher, limits, warnings, mode);
  await collector.add({ path: "logs/app.log", declaredSize: bytes.length, mtime: new Date("2025-06-12T00:00:00Z"), body: randomChunks(bytes, new SeededRandom(seed)) });
  const { signals, unclassified, files, totalLines, totalBytes } = collector.result();
  return { signals: signals.byPattern, unclassified: unclassified.clusters, files, totalLines, totalBytes, warnings: warnings.list() };
}

describe("block scan against the line-by-line reference", () => {
  it("records the same signals, clusters, file facts and warnings", async () => {
    for (let seed = 1; seed <= 25; seed++) {
      const bytes = file(new SeededRandom(seed), new SeededRandom(seed).between(1, 400));
      const limits: Limits = { ...defaultLimits, maxLineBytes: new SeededRandom(seed).pick([64, 300, 64 * 1024]) };
      const reference = await collect(bytes, "lines", seed, limits);
      expect(await collect(bytes, "blocks", seed + 1, limits)).toEqual(reference);
    }
  });

  it("finds case-insensitive keywords hidden behind characters that lower-case to ASCII", async () => {
    const bytes = Buffer.from("Jun 11 08:16:06 n kube-proxy[1]: \u212Aube-proxy sync failed: 1\nplugin CN\u0130 broken\n");
    const result = (await collect(bytes, "blocks", 1, defaultLimits)) as { signals: Map<string, { count: number }> };
    expect(result.signals.get("kube-proxy-ci")?.count).toBe(1);
    expect(result.signals.get("cni-ci")?.count).toBe(1);
  });
});
