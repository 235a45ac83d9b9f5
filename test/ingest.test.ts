import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ByteBudget, ReadLimitReached } from "../src/ingest/budget.js";
import { splitLines } from "../src/ingest/lines.js";
import { normalizeEntryPath } from "../src/ingest/paths.js";
import { sniffFormat } from "../src/ingest/sniff.js";
import { walkBundle, type WalkSummary } from "../src/ingest/walk.js";
import { WarningLog } from "../src/ingest/warnings.js";
import { defaultLimits, type Limits } from "../src/limits.js";
import { gzipSync } from "node:zlib";
import { makeTar, makeTarGz, tempDir, writeTemp } from "./support/archives.js";

async function walk(path: string, limits: Partial<Limits> = {}): Promise<{ files: Record<string, string>; warnings: WarningLog; summary: WalkSummary }> {
  const all: Limits = { ...defaultLimits, ...limits };
  const warnings = new WarningLog();
  const summary: WalkSummary = { container: "none" };
  const files: Record<string, string> = {};
  // Consume the way the collector does: a body that fails mid-read is that file's problem;
  // a read limit ends the walk with a warning.
  try {
    for await (const entry of walkBundle(path, { limits: all, warnings, budget: new ByteBudget(all) }, summary)) {
      const chunks: Buffer[] = [];
      try {
        for await (const c of entry.body) chunks.push(c);
        files[entry.path] = Buffer.concat(chunks).toString("utf8");
      } catch (err) {
        if (err instanceof ReadLimitReached) throw err;
      }
    }
  } catch (err) {
    if (!(err instanceof ReadLimitReached)) throw err;
    warnings.add({ code: err.code, message: err.message });
  }
  return { files, warnings, summary };
}

async function* chunksOf(...parts: string[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p);
}

describe("splitLines", () => {
  it("splits across chunk borders, strips CR, keeps a last line without newline", async () => {
    const lines = [];
    for await (const l of splitLines(chunksOf("a\r\nbb", "b\nc"), 100)) lines.push(l.text);
    expect(lines).toEqual(["a", "bbb", "c"]);
  });

  it("keeps only the first maxLineBytes of a huge line and counts the rest", async () => {
    const huge = "x".repeat(10_000);
    const out = [];
    for await (const l of splitLines(chunksOf(huge.slice(0, 3000), huge.slice(3000), "\nnext\n"), 64)) out.push(l);
    expect(out[0]?.text.length).toBe(64);
    expect(out[0]?.omittedBytes).toBe(10_000 - 64);
    expect(out[1]?.text).toBe("next");
    expect(out[1]?.number).toBe(2);
  });
});

describe("normalizeEntryPath", () => {
  it("flags traversal and absolute names and shows them relative", () => {
    expect(normalizeEntryPath("../../etc/passwd")).toEqual({ path: "etc/passwd", unsafe: true });
    expect(normalizeEntryPath("/var/log/x.log")).toEqual({ path: "var/log/x.log", unsafe: true });
    expect(normalizeEntryPath("./a/./b.log")).toEqual({ path: "a/b.log", unsafe: false });
  });

  it("makes terminal escape sequences visible instead of live", () => {
    expect(normalizeEntryPath("evil\x1b[31m.log").path).toBe("evil\\x1b[31m.log");
  });
});

describe("sniffFormat", () => {
  it("recognises containers by magic bytes, not names", async () => {
    expect(sniffFormat(gzipSync(Buffer.from("x")))).toBe("gzip");
    expect(sniffFormat(await makeTar([{ name: "a", content: "b" }]))).toBe("tar");
    expect(sniffFormat(Buffer.from("PK\x03\x04", "latin1"))).toBe("zip");
    expect(sniffFormat(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))).toBe("xz");
    expect(sniffFormat(Buffer.from("plain text log line\n"))).toBe("none");
  });
});

describe("walkBundle", () => {
  it("streams a .tar.gz whatever its extension says", async () => {
    const path = await writeTemp("bundle.bin", await makeTarGz([{ name: "b/x.log", content: "hello\n" }, { name: "b/", type: "directory" }]));
    const { files, summary } = await walk(path);
    expect(files).toEqual({ "b/x.log": "hello\n" });
    expect(summary.container).toBe("gzip");
  });

  it("skips links, devices and FIFOs with a warning and never follows them", async () => {
    const path = await writeTemp("b.tar", await makeTar([
      { name: "link", type: "symlink", linkname: "/etc/shadow" },
      { name: "hard", type: "link", linkname: "../../etc/passwd" },
      { name: "fifo", type: "fifo" },
      { name: "ok.log", content: "fine\n" },
    ]));
    const { files, warnings } = await walk(path);
    expect(Object.keys(files)).toEqual(["ok.log"]);
    expect(warnings.count("skipped-link")).toBe(2);
    expect(warnings.count("skipped-special")).toBe(1);
  });

  it("reads path-traversal entries as bundle content, with a warning", async () => {
    const path = await writeTemp("b.tgz", await makeTarGz([{ name: "../../../tmp/pwned.log", content: "x\n" }]));
    const { files, warnings } = await walk(path);
    expect(files["tmp/pwned.log"]).toBe("x\n");
    expect(warnings.count("unsafe-path")).toBe(1);
  });

  it("opens nested archives and compressed members in-stream", async () => {
    const inner = await makeTar([{ name: "var/log/kubelet.log", content: "inner\n" }]);
    const path = await writeTemp("b.tar.gz", await makeTarGz([
      { name: "bundle/node1/archive.tar", content: inner },
      { name: "bundle/kubelet.log.1.gz", content: gzipSync(Buffer.from("rotated\n")) },
    ]));
    const { files } = await walk(path);
    expect(files["bundle/node1/archive.tar/var/log/kubelet.log"]).toBe("inner\n");
    expect(files["bundle/kubelet.log.1"]).toBe("rotated\n");
  });

  it("stops at the nesting limit with a warning", async () => {
    let archive = await makeTar([{ name: "deep.log", content: "deep\n" }]);
    for (let i = 0; i < 5; i++) archive = await makeTar([{ name: `level${i}.tar`, content: archive }]);
    const path = await writeTemp("nested.tar", archive);
    const { files, warnings } = await walk(path, { maxNestingDepth: 2 });
    expect(Object.keys(files)).toEqual([]);
    expect(warnings.count("limit-nesting")).toBe(1);
  });

  it("gives a partial result and a warning for a truncated .tar.gz", async () => {
    const big = "line of log text that repeats\n".repeat(20_000);
    const whole = await makeTarGz([{ name: "a.log", content: "first file\n" }, { name: "b.log", content: big }]);
    const path = await writeTemp("cut.tar.gz", whole.subarray(0, Math.floor(whole.length * 0.6)));
    const { files, warnings } = await walk(path);
    expect(files["a.log"]).toBe("first file\n");
    expect(warnings.list().some((w) => w.code === "truncated-archive" || w.code === "corrupt-entry")).toBe(true);
  });

  it("stops at the total-bytes limit (decompression bomb) with a warning", async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x61));
    const path = await writeTemp("bomb.gz", bomb);
    const { warnings } = await walk(path, { maxTotalBytes: 8 * 1024 * 1024 });
    expect(warnings.count("limit-total-bytes") + warnings.count("decompression-bomb")).toBe(1);
  });

  it("walks a folder in sorted order and skips symlinks", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "sub"));
    await writeFile(join(dir, "sub", "b.log"), "b\n");
    await writeFile(join(dir, "a.log"), "a\n");
    await symlink("/etc/passwd", join(dir, "passwd"));
    const { files, warnings, summary } = await walk(dir);
    expect(Object.keys(files)).toEqual(["a.log", "sub/b.log"]);
    expect(warnings.count("skipped-link")).toBe(1);
    expect(summary.container).toBe("directory");
  });

  it("refuses a missing or empty input with a typed error", async () => {
    await expect(walk("/nonexistent/bundle.tar.gz")).rejects.toMatchObject({ code: "E_INPUT_NOT_FOUND" });
    await expect(walk(await writeTemp("empty.tar.gz", ""))).rejects.toMatchObject({ code: "E_NOTHING_READABLE" });
  });
});
