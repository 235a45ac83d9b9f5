import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
// The built modules: the scanning worker runs dist/pipeline/parallel-worker.js.
import { analyzeBundle, type AnalyzeOptions } from "../dist/pipeline/analyze.js";
import { loadLibrary, type PatternLibrary } from "../dist/match/load.js";
import { LineWorker } from "../dist/pipeline/line-work.js";
import { renderReport } from "../dist/report/render.js";
import { generateBundle } from "../dist/tools/bench-bundle.js";
import { makeTar, tempDir } from "./support/archives.js";

// Every way of reading a bundle must give the report the line-by-line reference gives, byte
// for byte: the block scan in this thread, and with the automaton in a worker, its ring made
// tiny so that it wraps and fills all the time (blocks too big for it are scanned here).
const modes: Record<string, Partial<AnalyzeOptions>> = {
  "block scan, no worker": { lineScan: "blocks", scanWorkers: 0, lineWork: false },
  "flagged lines inspected and the report built in a second thread": { lineScan: "blocks", scanWorkers: 0, lineWork: true },
  "outer gzip inflated in a thread of its own": { lineScan: "blocks", scanWorkers: 0, lineWork: false, gunzipThread: true },
  "all three threads: gunzip, scan, flagged lines": { lineScan: "blocks", scanWorkers: 0, lineWork: true, gunzipThread: true },
  "worker on every block, 64 KiB ring": { lineScan: "blocks", scanWorkers: 1, offloadTuning: { ringBytes: 64 * 1024, minBlockBytes: 1, minFileBytes: 0 } },
  "worker on blocks over 2 KiB of files over 30 KB, 16 KiB ring": { lineScan: "blocks", scanWorkers: 1, offloadTuning: { ringBytes: 16 * 1024, minBlockBytes: 2048, minFileBytes: 30_000 } },
};

let library: PatternLibrary;

async function report(bundle: string, options: Partial<AnalyzeOptions>): Promise<string> {
  return renderReport(await analyzeBundle(bundle, { library, ...options }), "json", true);
}

async function expectSameReports(bundle: string, extra: Partial<AnalyzeOptions> = {}): Promise<string> {
  const reference = await report(bundle, { ...extra, lineScan: "lines", scanWorkers: 0, gunzipThread: false });
  for (const [name, options] of Object.entries(modes)) {
    expect(await report(bundle, { ...extra, ...options }), name).toBe(reference);
  }
  return reference;
}

/** Log text with what the fast paths must not lose: long lines, CR, no timestamps up front, non-ASCII. */
function awkwardLog(seed: number): string {
  const lines: string[] = [];
  for (let i = 0; i < 48 + (seed % 5); i++) lines.push(i % 7 === 0 ? "" : `starting up, step ${i}`);
  for (let i = 0; i < 400; i++) {
    const n = (i * 7919 + seed) % 23;
    if (n === 0) lines.push(`2025-06-11T08:16:${String(i % 60).padStart(2, "0")}.000000001Z stderr F E0611 08:16:06.123456 1 clientset.go:204] "cannot connect once" err="dial tcp 10.0.0.10:8132: connect: connection refused"`);
    else if (n === 1) lines.push(`Jun 11 08:16:06 worker-0 kernel: Out of memory: Killed process ${1000 + i} (java) total-vm:1kB`);
    else if (n === 2) lines.push(`${"x".repeat(3000)} mvcc: database space exceeded`);
    else if (n === 3) lines.push(`W0611 08:16:06.000001 1 a.go:1] took 12\u00b5s, warning ${i}\r`);
    else if (n === 4) lines.push(`{"level":"error","ts":"2025-06-11T08:16:06.123Z","msg":"Reconciler error ${i % 3}","error":"boom"}`);
    else lines.push(`I0611 08:16:${String(i % 60).padStart(2, "0")}.000001 1 b.go:2] all good ${i} NOERROR`);
  }
  return `${lines.join("\n")}${seed % 2 ? "\n" : ""}`;
}

let dir: string;
let synthetic: string;
let awkward: string;

beforeAll(async () => {
  library = await loadLibrary([]);
  dir = await tempDir("ba-perf-");
  synthetic = (await generateBundle({ bytes: 2 * 1024 * 1024, logFiles: 80, seed: 5 }, dir, () => undefined)).path;
  const events = { apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "Event", metadata: { name: "e", namespace: "default" }, type: "Warning", reason: "OOMKilled", message: "Container app was OOMKilled", involvedObject: { kind: "Pod", name: "app-1", namespace: "default" }, lastTimestamp: "2025-06-11T08:16:06Z" }] };
  const tar = await makeTar([
    { name: "b/node-logs/worker-0/kubelet.log", content: awkwardLog(1) },
    { name: "b/link.log", type: "symlink", linkname: "kubelet.log" },
    { name: "b/cluster-resources/events/default.json", content: JSON.stringify(events) },
    { name: "b/node-logs/worker-1/containerd.log", content: awkwardLog(2) },
    { name: "b/node-logs/worker-1/rotated.log.1.gz", content: gzipSync(Buffer.from(awkwardLog(3))) },
    { name: "b/host-collectors/run-host/worker-1/sysctl.txt", content: "net.ipv4.ip_forward = 0\nnet.bridge.bridge-nf-call-iptables = 1\n" },
    { name: "b/node-logs/worker-2/empty.log", content: "" },
    { name: "b/node-logs/worker-2/app.log", content: awkwardLog(4) },
  ]);
  awkward = join(dir, "awkward.tar.gz");
  await writeFile(awkward, gzipSync(tar));
}, 120_000);

describe("fast paths give the reference report, byte for byte", () => {
  it("on a synthetic bundle with planted failures", async () => {
    const json = await expectSameReports(synthetic);
    const ids = (JSON.parse(json) as { findings: { id: string }[] }).findings.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(["konnectivity-agent-unreachable", "etcd-database-space-exceeded", "kernel-oom-kill"]));
  });

  it("on awkward logs (long lines, CR, late timestamps, non-ASCII), facts and links between them", async () => {
    const json = await expectSameReports(awkward, { limits: { maxLineBytes: 2048 } });
    expect(json).toContain("limit-line-length");
    expect(json).toContain("skipped-link");
  });

  it("on a member cut short (a damaged rotated log inside the bundle)", async () => {
    const log = gzipSync(Buffer.from(awkwardLog(5).repeat(40)));
    const tar = await makeTar([
      { name: "b/node-logs/worker-0/kubelet.log", content: awkwardLog(6) },
      { name: "b/node-logs/worker-0/kubelet.log.2.gz", content: log.subarray(0, Math.floor(log.length * 0.6)) },
      { name: "b/node-logs/worker-1/kubelet.log", content: awkwardLog(7) },
    ]);
    const damaged = join(dir, "damaged-member.tar.gz");
    await writeFile(damaged, gzipSync(tar));
    expect(await expectSameReports(damaged)).toContain("could not be read completely");
  });

  it("on a bundle file cut short or damaged in the middle (the outer gzip stream)", async () => {
    const whole = await readFile(synthetic);
    const cut = join(dir, "cut.tar.gz");
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.55)));
    expect(await expectSameReports(cut)).toContain("truncated-archive");
    const damaged = Buffer.from(whole);
    damaged.fill(0xff, Math.floor(whole.length * 0.4), Math.floor(whole.length * 0.4) + 64);
    const bad = join(dir, "bad.tar.gz");
    await writeFile(bad, damaged);
    expect(await expectSameReports(bad)).toMatch(/corrupt-archive|truncated-archive/);
  });

  it("when a read limit stops the bundle in the middle of a file", async () => {
    expect(await expectSameReports(synthetic, { limits: { maxTotalBytes: 900_000 } })).toContain("limit-total-bytes");
  });
});

describe("the line-work thread", () => {
  it("gets the events and the hosts right: matched events, a file's last-line host after its flagged lines' hosts", async () => {
    const events = {
      apiVersion: "v1",
      kind: "List",
      items: [1, 2, 3].map((i) => ({ apiVersion: "v1", kind: "Event", metadata: { name: `e${i}`, namespace: "default" }, type: "Warning", reason: "FailedScheduling", message: `0/3 nodes are available: ${i} Insufficient cpu.`, involvedObject: { kind: "Pod", name: `web-${i}`, namespace: "default" }, lastTimestamp: `2025-06-11T08:1${i}:00Z` })),
    };
    // Flagged lines name hosts a-0..a-8 (only 8 are kept); the last line, not flagged, names z-9.
    const journal = [
      ...Array.from({ length: 9 }, (_, i) => `Jun 11 08:16:0${i} a-${i} kernel: Out of memory: Killed process ${100 + i} (java) total-vm:1kB`),
      "Jun 11 08:17:00 z-9 systemd[1]: Started Session 4 of user root.",
    ].join("\n");
    const tar = await makeTar([
      { name: "b/cluster-resources/events/default.json", content: JSON.stringify(events) },
      { name: "b/journal/kern.log", content: `${journal}\n` },
      { name: "b/journal/other.log", content: "Jun 11 08:18:00 y-1 kernel: Out of memory: Killed process 7 (x) total-vm:1kB\nJun 11 08:18:01 y-2 systemd[1]: Stopped.\n" },
    ]);
    const bundle = join(dir, "events-hosts.tar.gz");
    await writeFile(bundle, gzipSync(tar));
    const json = await expectSameReports(bundle);
    const parsed = JSON.parse(json) as { findings: { id: string; count: number }[]; inventory: { nodes: { name: string }[] } };
    expect(parsed.findings.find((f) => f.id === "failed-scheduling-insufficient-resources")?.count).toBe(3);
    // kern.log: a-0..a-7 from flagged lines fill its 8 slots, so z-9 is not added; other.log: y-1, then y-2.
    expect(parsed.inventory.nodes.map((n) => n.name)).toEqual(["a-0", "a-1", "a-2", "a-3", "a-4", "a-5", "a-6", "a-7", "y-1", "y-2"]);
  });

  it("fails the analysis with a message, never hangs, when the thread fails", async () => {
    const worker = new LineWorker(library.patterns);
    try {
      // A context the worker cannot use (no year reference): inspecting throws there.
      worker.take({ path: "x.log", format: "journald", ref: null as never, file: 0 }, 1, "Jun 11 08:16:06 n1 kubelet[1]: E0611 08:16:06.000000 1 a.go:1] boom error");
      await worker.drain();
      await expect(worker.finish({ name: "x", container: "tar", facts: {} as never, files: [], totalLines: 1, totalBytes: 1, warnings: [] })).rejects.toThrow(/the line-work thread failed: .*BUNDLE_ANALYZE_ONE_THREAD=1/);
    } finally {
      await worker.close();
    }
  });
});
