import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BundleAnalyzeError } from "../src/errors.js";
import { loadLibrary, type PatternLibrary } from "../src/match/load.js";
import { analyzeBundle } from "../src/pipeline/analyze.js";
import { renderReport } from "../src/report/render.js";
import { renderTerminalSummary } from "../src/report/terminal.js";
import { makeTar, makeZip, tempDir, type TarItem } from "./support/archives.js";
import { repoRoot } from "./support/cli.js";
import { propertyRuns } from "./support/property.js";

/**
 * Random and mutated archives thrown at the whole pipeline (ingest, detect, every parser,
 * matching, diagnosis, every renderer): the only error allowed out is BundleAnalyzeError
 * (exit 2 with one line); anything else would be a crash. Memory is checked after each
 * run against a ceiling far above a normal run and far below the 1 GiB the issue allows.
 */
const memoryCeiling = 768 * 1024 * 1024;
/** Small limits so that hitting them is common in random input. */
const limits = { maxEntries: 200, maxTotalBytes: 8 * 1024 * 1024, maxNestingDepth: 2, maxLineBytes: 4096, maxFactFileBytes: 256 * 1024, maxCompressionRatio: 50 };

function fixture(path: string): string {
  return readFileSync(join(repoRoot, "test", "fixtures", path), "utf8");
}
const realFiles: [string, string][] = [
  ["ctrl-0/sos_commands/networking/ip_-d_address", fixture("konnectivity/ctrl-0/sos_commands/networking/ip_-d_address")],
  ["ctrl-0/sos_commands/kernel/sysctl_-a", fixture("konnectivity/ctrl-0/sos_commands/kernel/sysctl_-a")],
  ["ctrl-0/journalctl_k0scontroller.log", fixture("konnectivity/ctrl-0/journalctl_k0scontroller.log").slice(0, 20_000)],
  ["ctrl-0/hostname", "ctrl-0\n"],
  ["cluster-resources/nodes.json", fixture("nllb/cluster-resources/nodes.json")],
  ["host-collectors/k0s-config/k0s.yaml", fixture("nllb/host-collectors/k0s-config/k0s.yaml")],
  ["cluster/apiservices.json", fixture("konnectivity/cluster/apiservices.json")],
];

const nameArb = fc.oneof(
  fc.constantFrom(...realFiles.map(([name]) => name)),
  fc.string({ minLength: 1, maxLength: 80 }),
  fc.array(fc.constantFrom("..", "/", "a", "node-1", "var", "log", "pods", "x.log", "\u001b[31m", "<script>", "é", " ", "C:"), { minLength: 1, maxLength: 6 }).map((p) => p.join("/")),
);
const contentArb: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.constantFrom(...realFiles.map(([, content]) => content)),
  fc.string({ maxLength: 2000 }),
  fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
  fc.array(fc.constantFrom("E0505 16:48:03.213218 1 clientset.go:204] \"cannot connect once\" err=\"dial tcp 192.168.1.41:8132: connect: no route to host\"", "net.ipv4.ip_forward = 0", "x509: certificate has expired", '{"level":"error","msg":"boom"}', "password=hunter2", "\u001b]0;x\u0007", "<img src=x onerror=alert(1)>"), { maxLength: 40 }).map((l) => l.join("\n")),
);
const itemArb: fc.Arbitrary<TarItem> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ name: nameArb, content: contentArb }) },
  { weight: 1, arbitrary: fc.record({ name: nameArb, type: fc.constantFrom("symlink", "link", "fifo", "character-device", "directory") as fc.Arbitrary<TarItem["type"]>, linkname: fc.constantFrom("/etc/passwd", "../../x", "a") }) },
);

type Container = "tar" | "tar.gz" | "zip" | "gz" | "nested" | "xz";
let xzAvailable = false;

async function build(items: TarItem[], container: Container): Promise<Buffer> {
  const files = items.filter((i) => (i.type ?? "file") === "file");
  switch (container) {
    case "tar":
      return makeTar(items);
    case "tar.gz":
      return gzipSync(await makeTar(items));
    case "zip":
      return makeZip(files.map((f) => ({ name: f.name, ...(f.content !== undefined ? { content: f.content } : {}) })));
    case "gz":
      return gzipSync(files[0]?.content ?? "");
    case "xz":
      return execFileSync("xz", ["-c", "-z", "-0"], { input: await makeTar(items) });
    case "nested": {
      const inner = gzipSync(await makeTar(items));
      return makeTar([{ name: "node1/inner.tar.gz", content: inner }, { name: "node2/inner.zip", content: makeZip(files.slice(0, 2).map((f) => ({ name: f.name, ...(f.content !== undefined ? { content: f.content } : {}) }))) }, { name: "kubelet.log.gz", content: gzipSync("E0505 16:48:03.000001 1 x.go:1] failed\n") }]);
    }
  }
}

type Mutation = { kind: "none" } | { kind: "truncate"; at: number } | { kind: "flip"; at: number[]; xor: number } | { kind: "splice"; at: number; garbage: Uint8Array } | { kind: "repeat"; from: number; length: number };
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: "none" as const }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }).map((m) => ({ kind: m.kind, at: m.at })),
  fc.record({ kind: fc.constant("flip" as const), at: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 16 }), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("splice" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), garbage: fc.uint8Array({ minLength: 1, maxLength: 600 }) }),
  fc.record({ kind: fc.constant("repeat" as const), from: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 4096 }) }),
) as fc.Arbitrary<Mutation>;

function mutate(data: Buffer, m: Mutation): Buffer {
  const pos = (f: number): number => Math.min(data.length, Math.floor(f * data.length));
  switch (m.kind) {
    case "none":
      return data;
    case "truncate":
      return data.subarray(0, pos(m.at));
    case "flip": {
      const out = Buffer.from(data);
      for (const f of m.at) if (out.length > 0) out[Math.min(out.length - 1, pos(f))] ^= m.xor;
      return out;
    }
    case "splice":
      return Buffer.concat([data.subarray(0, pos(m.at)), Buffer.from(m.garbage), data.subarray(pos(m.at))]);
    case "repeat": {
      const from = pos(m.from);
      const chunk = data.subarray(from, from + m.length);
      return Buffer.concat([data.subarray(0, from), chunk, chunk, chunk, data.subarray(from)]);
    }
  }
}

describe("the whole pipeline on random and mutated archives", () => {
  let library: PatternLibrary;
  let dir: string;
  beforeAll(async () => {
    library = await loadLibrary();
    dir = await tempDir();
    try {
      execFileSync("xz", ["--version"]);
      xzAvailable = true;
    } catch {
      xzAvailable = false;
    }
  });

  it("gives a report or one clear error, never a crash, in bounded memory", async () => {
    let n = 0;
    const containers: Container[] = ["tar", "tar.gz", "zip", "gz", "nested", "xz"];
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb, { minLength: 0, maxLength: 8 }), fc.constantFrom(...containers), mutationArb, fc.boolean(), async (items, container, mutation, obfuscate) => {
        const archive = mutate(await build(items, container === "xz" && !xzAvailable ? "tar.gz" : container), mutation);
        const path = join(dir, `bundle-${n++}.bin`);
        await writeFile(path, archive);
        let report;
        try {
          report = await analyzeBundle(path, { library, limits, scanWorkers: 0 });
        } catch (err) {
          // The one allowed failure: a typed error the CLI prints as one line (exit 2).
          expect(err).toBeInstanceOf(BundleAnalyzeError);
          return;
        }
        for (const format of ["md", "json", "html"] as const) {
          const text = renderReport(report, format, true, { obfuscate });
          expect(text.length).toBeGreaterThan(0);
          if (format === "json") JSON.parse(text);
        }
        renderTerminalSummary(report, { color: true, width: 80 });
        expect(process.memoryUsage().rss).toBeLessThan(memoryCeiling);
      }),
      propertyRuns(120),
    );
  });

  it("reads a damaged archive's intact entries: what precedes the damage is never lost", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0.5, max: 1, noNaN: true }), fc.constantFrom<Container>("tar", "tar.gz"), async (cut, container) => {
        const first: TarItem = { name: "first.log", content: "E0505 16:48:03.000001 1 x.go:1] failed first\n" };
        const rest: TarItem[] = Array.from({ length: 20 }, (_, i) => ({ name: `later${i}.log`, content: `E0505 16:48:03.000001 1 y.go:1] later ${i} ${"x".repeat(2000)}\n` }));
        const whole = await build([first, ...rest], container);
        const path = join(dir, `cut-${n++}.bin`);
        await writeFile(path, whole.subarray(0, Math.floor(whole.length * cut)));
        const report = await analyzeBundle(path, { library, limits: { ...limits, maxEntries: 1000 }, scanWorkers: 0 });
        expect(report.unclassified.some((u) => u.example.file === "first.log")).toBe(true);
      }),
      propertyRuns(20),
    );
  });
});
