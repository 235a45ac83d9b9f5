import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { makeTar, makeTarGz, makeZip, writeTemp } from "./support/archives.js";
import { runCli } from "./support/cli.js";
import { expectOneLineError, hasStackTrace, patchTarHeader, tarField } from "./support/hostile.js";

/**
 * Damaged input (issue 5, part 1): a partial report with warnings naming each damaged
 * entry, or exit 2 with one clear line when nothing is readable. Never a stack trace,
 * never a hang (the test timeout is the hang detector).
 */
const line = (n: number, text: string): string => `E0505 16:48:${String(n % 60).padStart(2, "0")}.000001 1 x.go:1] ${text}`;
const goodLog = `${line(1, "first file failed once")}\n${line(2, "first file failed twice")}\n`;
const bigLog = Array.from({ length: 30_000 }, (_, i) => line(i, `later file failed with code ${i}`)).join("\n");

function analyseJson(path: string, extra: string[] = []): { code: number; report?: Report; stderr: string } {
  const run = runCli([path, "-f", "json", "-q", ...extra]);
  expect(hasStackTrace(run.stderr), run.stderr).toBe(false);
  expect(expectOneLineError(run)).toBeUndefined();
  return { code: run.code, stderr: run.stderr, ...(run.code === 0 ? { report: JSON.parse(run.stdout) as Report } : {}) };
}

const codes = (r: Report | undefined): string[] => (r?.warnings ?? []).map((w) => w.code);

describe("damaged archives give a partial report that names the damage", () => {
  it("a file named .tar.gz holding no archive (an error page saved as the download) is an error, not a healthy report", async () => {
    const page = await writeTemp("support-bundle.tar.gz", "<html><body>502 Bad Gateway</body></html>\n");
    const run = runCli([page, "-q"]);
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toBeUndefined();
    expect(run.stderr).toContain("support-bundle.tar.gz is named like an archive but its content is not one (a broken download or a renamed file?)");
    expect(run.stdout).toBe("");
    // The same text under a log's name is a log.
    expect(runCli([await writeTemp("kubelet.log", "<html><body>502 Bad Gateway</body></html>\n"), "-q"]).code).toBe(0);
  });

  it("truncated .tar.gz: the entries before the cut are analysed, the warning says how far it got", async () => {
    const whole = await makeTarGz([{ name: "a.log", content: goodLog }, { name: "b.log", content: bigLog }]);
    const path = await writeTemp("cut.tar.gz", whole.subarray(0, Math.floor(whole.length * 0.5)));
    const { code, report } = analyseJson(path);
    expect(code).toBe(0);
    expect(report?.inventory.filesByKind.log).toBeGreaterThanOrEqual(1);
    const damage = report?.warnings.find((w) => w.code === "truncated-archive" || w.code === "corrupt-entry" || w.code === "corrupt-archive");
    expect(damage?.message).toMatch(/after \d+ entr|damaged|ends early/);
  });

  it("corrupt gzip (bytes flipped in the middle): partial report, warning, no crash", async () => {
    const whole = Buffer.from(await makeTarGz([{ name: "a.log", content: goodLog }, { name: "b.log", content: bigLog }]));
    for (let i = Math.floor(whole.length / 2); i < Math.floor(whole.length / 2) + 64; i++) whole[i] = (whole[i] ?? 0) ^ 0x5a;
    const { code, report } = analyseJson(await writeTemp("flipped.tar.gz", whole));
    expect(code).toBe(0);
    expect(codes(report).some((c) => /truncated-archive|corrupt-/.test(c))).toBe(true);
  });

  it("truncated plain tar, cut inside the second entry's data", async () => {
    const whole = await makeTar([{ name: "a.log", content: goodLog }, { name: "b.log", content: bigLog }]);
    const { code, report } = analyseJson(await writeTemp("cut.tar", whole.subarray(0, 2048 + 4096)));
    expect(code).toBe(0);
    expect(codes(report)).toEqual(expect.arrayContaining([expect.stringMatching(/truncated-archive|corrupt-/)]));
  });

  it("a corrupt second tar header (bad checksum) keeps the first entry", async () => {
    const whole = await makeTar([{ name: "a.log", content: goodLog }, { name: "b.log", content: "x\n" }]);
    const headerOfB = 512 + Math.ceil(Buffer.byteLength(goodLog) / 512) * 512;
    const broken = Buffer.from(whole);
    broken.write("garbage!", headerOfB + 148, "latin1");
    const { code, report } = analyseJson(await writeTemp("badsum.tar", broken));
    expect(code).toBe(0);
    expect(report?.unclassified.some((u) => u.example.file === "a.log")).toBe(true);
    expect(codes(report).some((c) => /corrupt-archive|truncated-archive/.test(c))).toBe(true);
  });

  it("corrupt zip member: the others are read, the damaged one is named", async () => {
    const zip = makeZip([{ name: "a.log", content: goodLog }, { name: "b.log", content: bigLog }]);
    const broken = Buffer.from(zip);
    const at = zip.indexOf("b.log") + 5 + 200;
    for (let i = at; i < at + 64; i++) broken[i] = (broken[i] ?? 0) ^ 0xff;
    const { code, report } = analyseJson(await writeTemp("bad.zip", broken));
    expect(code).toBe(0);
    expect(report?.unclassified.some((u) => u.example.file === "a.log")).toBe(true);
    expect(report?.warnings.some((w) => (w.path ?? "").includes("b.log") || w.message.includes("b.log"))).toBe(true);
  });

  it("truncated xz: damage reported, nothing escapes", async () => {
    let xz: Buffer;
    try {
      xz = execFileSync("xz", ["-c", "-z"], { input: await makeTar([{ name: "a.log", content: goodLog }, { name: "b.log", content: bigLog }]) });
    } catch {
      return; // no xz tool to make the archive with: covered by the property tests' mutated inputs
    }
    const { code, report } = analyseJson(await writeTemp("cut.tar.xz", xz.subarray(0, Math.floor(xz.length * 0.6))));
    expect([0, 2]).toContain(code);
    if (code === 0) expect(codes(report).some((c) => /truncated-archive|corrupt-/.test(c))).toBe(true);
  });
});

describe("input with nothing readable exits 2 with one clear line", () => {
  it("an empty file", async () => {
    const { code, stderr } = analyseJson(await writeTemp("empty.tar.gz", ""));
    expect(code).toBe(2);
    expect(stderr).toMatch(/empty/);
  });

  it("a missing file", () => {
    const { code, stderr } = analyseJson("/nonexistent/bundle.tar.gz");
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot open/);
  });

  // Input that holds nothing readable (no entries, only empty or binary files) exits 2 and says why.
  it("a gzip stream of nothing", async () => {
    const { code, stderr } = analyseJson(await writeTemp("nothing.gz", gzipSync(Buffer.alloc(0))));
    expect(code).toBe(2);
    expect(stderr).toMatch(/nothing|empty/i);
  });

  it("an archive without entries (plain and gzipped)", async () => {
    for (const archive of [await makeTar([]), await makeTarGz([])]) {
      const { code, stderr } = analyseJson(await writeTemp("empty-archive.tar.gz", archive));
      expect(code).toBe(2);
      expect(stderr).toMatch(/nothing|no entries|empty/i);
    }
  });

  it("a file that is no archive: random bytes", async () => {
    const random = Buffer.alloc(64 * 1024);
    let x = 2463534242;
    for (let i = 0; i < random.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      random[i] = x & 0xff;
    }
    const { code, stderr } = analyseJson(await writeTemp("upload.bin", random));
    expect(code).toBe(2);
    expect(stderr).toMatch(/no text|not .*archive|binary/i);
  });
});

describe("binary files and invalid UTF-8 inside a bundle", () => {
  it("are classified or read with replacement characters, never crash the run", async () => {
    const invalid = Buffer.concat([Buffer.from(line(1, "error bytes ")), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]), Buffer.from("\n")]);
    const binary = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) & 0xff));
    const path = await writeTemp("mixed.tar.gz", await makeTarGz([{ name: "n/invalid.log", content: invalid }, { name: "n/core.dump", content: binary }, { name: "n/ok.log", content: goodLog }]));
    const { code, report } = analyseJson(path);
    expect(code).toBe(0);
    expect(report?.stats.files).toBe(3);
    const example = report?.unclassified.find((u) => u.example.file === "n/invalid.log")?.example.text ?? "";
    expect(example).toContain("error bytes");
    expect(example).toContain("\ufffd");
  });
});

describe("absurd tar header values", () => {
  const twoFiles = (): Promise<Buffer> => makeTar([{ name: "a.log", content: goodLog }, { name: "b.log", content: "x\n" }]);

  it.each([
    ["an 8 GiB octal size", tarField.size, Buffer.from("77777777777\0", "latin1")],
    ["a base-256 size of 2^62", tarField.size, Buffer.from([0x80, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0])],
    ["a negative base-256 size", tarField.size, Buffer.alloc(12, 0xff)],
    ["a garbage size", tarField.size, Buffer.from("zz#%&*()!@~\0", "latin1")],
  ])("%s: bounded work, one clear line or a partial report", async (_name, offset, bytes) => {
    const path = await writeTemp("absurd.tar", patchTarHeader(await twoFiles(), offset, bytes));
    const { code, report, stderr } = analyseJson(path);
    expect([0, 2]).toContain(code);
    if (code === 2) expect(stderr).toMatch(/could be read|ends early|damaged/);
    else expect(codes(report).some((c) => /truncated-archive|corrupt-/.test(c))).toBe(true);
  });

  it.each([
    ["a negative base-256 mtime", tarField.mtime, Buffer.alloc(12, 0xff)],
    ["a garbage mtime", tarField.mtime, Buffer.from("zzzzzzzzzzz\0", "latin1")],
    ["a huge base-256 mtime", tarField.mtime, Buffer.from([0x80, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
    ["a garbage mode and uid", tarField.mode, Buffer.from("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", "latin1")],
  ])("%s: the entries are still read", async (_name, offset, bytes) => {
    const path = await writeTemp("absurd-time.tar", patchTarHeader(await twoFiles(), offset, bytes));
    const { code, report } = analyseJson(path);
    expect([0, 2]).toContain(code);
    if (code === 0) expect(report?.stats.files).toBeGreaterThanOrEqual(1);
    expect(existsSync(path)).toBe(true);
  });
});
