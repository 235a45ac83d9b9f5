import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import type { Finding } from "../src/diagnose/finding.js";
import type { Evidence } from "../src/match/evidence.js";
import type { Pattern } from "../src/match/pattern.js";
import { SignalSet, TimeHistogram } from "../src/match/signals.js";
import type { Report } from "../src/report/model.js";
import { buildTimeline } from "../src/report/timeline-build.js";
import { axisTicks, formatDuration } from "../src/report/timeline-scale.js";
import { makeTarGz, writeTemp } from "./support/archives.js";
import { repoRoot, runCli } from "./support/cli.js";

const ms = (iso: string): number => Date.parse(iso);

describe("TimeHistogram", () => {
  it("keeps at most 64 buckets however wide the span, and loses no count", () => {
    const h = new TimeHistogram();
    const start = ms("2025-05-05T15:00:00Z");
    for (let i = 0; i < 5000; i++) h.add(start + i * 37_000);
    expect(h.counts.size).toBeLessThanOrEqual(TimeHistogram.maxBuckets);
    expect([...h.counts.values()].reduce((a, b) => a + b, 0)).toBe(5000);
    // Width is one second times a power of two: grids of different histograms line up.
    expect(Math.log2(h.widthMs / 1000) % 1).toBe(0);
  });

  it("re-bins exactly onto a coarser grid and refuses a finer one", () => {
    const h = new TimeHistogram();
    h.add(ms("2025-05-05T15:00:00Z"));
    h.add(ms("2025-05-05T15:00:01Z"));
    h.add(ms("2025-05-05T15:00:05Z"));
    const coarse = h.rebin(4000);
    expect([...coarse.values()].reduce((a, b) => a + b, 0)).toBe(3);
    expect(coarse.size).toBe(2);
    expect(() => new TimeHistogram().rebin(500)).toThrow(RangeError);
  });
});

function pattern(id: string): Pattern {
  return { id, title: id, area: "t", severity: "error", keywords: ["x"], regex: /x/, caseInsensitive: false, components: [], summary: "", explanation: "", fix: "", references: [], source: "", examples: { match: [], noMatch: [] }, file: "", user: false };
}

function finding(id: string, patterns: string[], severity: Finding["severity"] = "error"): Finding {
  return { id, title: `title of ${id}`, severity, confidence: "high", summary: "", cause: "", fix: "", missingProof: [], evidence: [], count: 0, nodes: [], files: [], references: [], patterns, keyValues: {} };
}

function line(file: string, timestamp: string | undefined, host?: string): Evidence {
  return { file, text: "x", ...(timestamp ? { timestamp } : {}), ...(host ? { host } : {}) };
}

const nodeOf = (s: { file: string; host?: string }): string | undefined => s.host ?? /^(worker-\d|ctrl-\d)\//.exec(s.file)?.[1];

describe("buildTimeline", () => {
  const signals = new SignalSet();
  const a = pattern("agent-dial");
  const b = pattern("apiserver-no-agent");
  for (let i = 0; i < 30; i++) signals.add({ pattern: a, captures: {} }, line("worker-1/agent.log", new Date(ms("2025-05-05T15:03:47Z") + i * 60_000).toISOString()));
  for (let i = 0; i < 4; i++) signals.add({ pattern: b, captures: {} }, line("ctrl-0/k0s.log", new Date(ms("2025-05-05T15:10:00Z") + i * 600_000).toISOString()));
  signals.add({ pattern: b, captures: {} }, line("ctrl-0/k0s.log", undefined));
  const files = [
    { path: "worker-1/var/log/pods/kube-system_konnectivity-agent-sh4hz_0b7e/konnectivity-agent/1.log", firstSeen: "2025-05-05T15:03:44.000Z" },
    { path: "worker-1/var/log/pods/kube-system_konnectivity-agent-sh4hz_0b7e/konnectivity-agent/0.log", firstSeen: "2025-05-05T14:00:00.000Z" },
    { path: "worker-1/var/log/pods/kube-system_coredns-7d4f_1a2b/coredns/3.log", firstSeen: "2025-05-01T00:00:00.000Z" },
  ];
  const input = { findings: [finding("konnectivity", ["agent-dial", "apiserver-no-agent"]), finding("from-facts", [])], signals: signals.byPattern, unclassified: [], files, nodeOf };

  it("gives each finding one row per node with its first, last and count, earliest first", () => {
    const t = buildTimeline(input);
    const entry = t.entries[0];
    expect(entry?.ref).toBe("konnectivity");
    expect(entry?.spans.map((s) => [s.nodes, s.first, s.last, s.count])).toEqual([
      [["worker-1"], "2025-05-05T15:03:47.000Z", "2025-05-05T15:32:47.000Z", 30],
      [["ctrl-0"], "2025-05-05T15:10:00.000Z", "2025-05-05T15:40:00.000Z", 5],
    ]);
    expect(entry?.first).toBe("2025-05-05T15:03:47.000Z");
    expect(entry?.count).toBe(35);
  });

  it("puts every timestamped line in exactly one bucket of a shared grid", () => {
    const t = buildTimeline(input);
    const spans = t.entries[0]?.spans ?? [];
    expect(spans[0]?.histogram.reduce((x, y) => x + y, 0)).toBe(30);
    expect(spans[1]?.histogram.reduce((x, y) => x + y, 0)).toBe(4);
    const buckets = (ms(t.end as string) - ms(t.start as string)) / 1000 / (t.bucketSeconds as number);
    for (const s of spans) expect(s.histogram.length).toBe(buckets);
    expect(buckets).toBeLessThanOrEqual(60);
  });

  it("lists a container restart just before the start, not the first instance nor an old restart", () => {
    const t = buildTimeline(input);
    expect(t.events).toHaveLength(1);
    expect(t.events[0]).toMatchObject({ kind: "container-start", node: "worker-1", at: "2025-05-05T15:03:44.000Z" });
    expect(t.events[0]?.text).toContain("konnectivity-agent");
    expect(t.entries[0]?.nearStart).toEqual([0]);
  });

  it("tells a container stop from troubleshoot.sh's -previous.log just before a start", () => {
    const t = buildTimeline({
      ...input,
      files: [{ path: "sb/cluster-resources/pods/logs/kube-system/konnectivity-agent-sh4hz/konnectivity-agent-previous.log", firstSeen: "2025-05-05T14:00:00.000Z", lastSeen: "2025-05-05T15:01:00.000Z", lines: 42 }],
    });
    expect(t.events).toEqual([
      { at: "2025-05-05T15:01:00.000Z", kind: "container-stop", text: "container konnectivity-agent of pod kube-system/konnectivity-agent-sh4hz stopped and was restarted (last line of its previous instance)", file: "sb/cluster-resources/pods/logs/kube-system/konnectivity-agent-sh4hz/konnectivity-agent-previous.log", line: 42 },
    ]);
  });

  it("names another finding's first line as an event around a start", () => {
    const s2 = new SignalSet();
    s2.add({ pattern: a, captures: {} }, line("worker-1/agent.log", "2025-05-05T15:03:47.000Z"));
    s2.add({ pattern: b, captures: {} }, line("ctrl-0/k0s.log", "2025-05-05T15:01:00.000Z"));
    const t = buildTimeline({ ...input, signals: s2.byPattern, files: [], findings: [finding("dial", ["agent-dial"]), finding("no-agent", ["apiserver-no-agent"], "warning")] });
    const dial = t.entries.find((e) => e.ref === "dial");
    const near = dial?.nearStart.map((i) => t.events[i]);
    expect(near).toEqual([{ at: "2025-05-05T15:01:00.000Z", kind: "finding-start", node: "ctrl-0", text: "first line of: title of no-agent", ref: "no-agent" }]);
  });

  it("lists findings without any timestamp as untimed, and is the same whatever the map order", () => {
    const t = buildTimeline(input);
    expect(t.untimed).toEqual(["from-facts"]);
    const reversed = new Map([...signals.byPattern].reverse());
    expect(JSON.stringify(buildTimeline({ ...input, signals: reversed }))).toBe(JSON.stringify(t));
  });

  it("keeps the busiest nodes apart and merges the rest into one row", () => {
    const s3 = new SignalSet();
    for (let n = 0; n < 9; n++) for (let i = 0; i <= n; i++) s3.add({ pattern: a, captures: {} }, line(`f${n}.log`, "2025-05-05T15:00:00.000Z", `node-${n}`));
    const t = buildTimeline({ ...input, files: [], signals: s3.byPattern, findings: [finding("many", ["agent-dial"])] });
    const spans = t.entries[0]?.spans ?? [];
    expect(spans).toHaveLength(6);
    expect(spans.reduce((x, s) => x + s.count, 0)).toBe(45);
    expect(spans.find((s) => s.nodes.length > 1)?.nodes).toEqual(["node-0", "node-1", "node-2", "node-3"]);
  });

  it("is empty, with no grid, when nothing had a timestamp", () => {
    const t = buildTimeline({ ...input, signals: new Map(), findings: [finding("facts-only", [])] });
    expect(t).toEqual({ entries: [], events: [], untimed: ["facts-only"], omitted: 0 });
  });
});

describe("time scale", () => {
  it("labels round ticks, with the date only where the day changes", () => {
    const ticks = axisTicks(ms("2025-05-05T22:10:00Z"), ms("2025-05-06T03:00:00Z"), 7);
    expect(ticks.map((t) => t.label)).toEqual(["05-05 23:00", "05-06 00:00", "01:00", "02:00", "03:00"]);
  });
  it("says durations in words", () => {
    expect([formatDuration(45_000), formatDuration(7_080_000), formatDuration(3 * 86_400_000)]).toEqual(["45 s", "1 h 58 min", "3 days"]);
  });
});

describe("timeline in the reports of a real-shaped sample", () => {
  const sample = join(repoRoot, "samples", "k0s-konnectivity-firewalld.tar.gz");

  it("JSON: the konnectivity finding per node, and the agent restart seconds before it started", () => {
    const run = runCli([sample, "--format", "json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    const entry = report.timeline.entries.find((e) => e.ref === "konnectivity-agent-unreachable");
    const worker = entry?.spans.find((s) => s.nodes.includes("worker-1"));
    expect(worker).toMatchObject({ first: "2025-05-05T15:03:47.400Z", count: 677 });
    expect(entry?.spans.some((s) => s.nodes.includes("ctrl-0"))).toBe(true);
    const near = (entry?.nearStart ?? []).map((i) => report.timeline.events[i]?.text ?? "");
    expect(near.some((t) => /container konnectivity-agent of pod kube-system\/konnectivity-agent-sh4hz restarted/.test(t))).toBe(true);
  });

  it("Markdown: a Mermaid gantt GitHub can parse, and the same data as a table", () => {
    const run = runCli([sample]);
    expect(run.code).toBe(0);
    const md = run.stdout;
    const block = /```mermaid\n([\s\S]*?)```/.exec(md)?.[1] ?? "";
    const lines = block.split("\n").filter((l) => l.trim());
    expect(lines[1]?.trim()).toBe("gantt");
    expect(block).toContain("dateFormat YYYY-MM-DD HH:mm:ss");
    const tasks = lines.filter((l) => /:(crit|active|done|milestone), /.test(l));
    expect(tasks.length).toBeGreaterThanOrEqual(3);
    for (const t of tasks) {
      // Mermaid reads `:` `;` `#` in a task name as syntax: names must not hold them.
      expect(t).toMatch(/^ {4}[^:;#]+ :(crit|active|done|milestone), [a-z]\d+, \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
    expect(block).toMatch(/section 1 konnectivity-agent-unreachable/);
    expect(md).toContain("| 1 | konnectivity agents cannot reach the controller on port 8132 (error) | worker-1 | 2025-05-05 15:03:47 | 2025-05-05 17:02:06 |");
    expect(md).toMatch(/\| 2025-05-05 15:03:44 \| worker-1 \| container konnectivity-agent of pod kube-system\/konnectivity-agent-sh4hz restarted .* \| 3 s before #1 \|/);
  });
});

describe("timeline in every sample's JSON", () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(repoRoot, "docs", "report-schema.json"), "utf8")));
  const samples = readdirSync(join(repoRoot, "samples")).filter((n) => n.endsWith(".tar.gz")).sort();
  it.each(samples)("%s: valid against the schema; every timed finding is on it or counted", (name) => {
    const run = runCli([join(repoRoot, "samples", name), "--format", "json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const t = report.timeline;
    const onTimeline = new Set(t.entries.filter((e) => e.kind === "finding").map((e) => e.ref));
    const timed = report.findings.filter((f) => !t.untimed.includes(f.id));
    expect(timed.filter((f) => !onTimeline.has(f.id)).length).toBeLessThanOrEqual(t.omitted);
    for (const e of t.entries) {
      for (const s of e.spans) {
        expect(s.first <= s.last).toBe(true);
        if (s.histogram.length) expect(s.histogram.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(s.count);
      }
      for (const i of e.nearStart) expect(t.events[i]).toBeDefined();
    }
  });
});

describe("timeline window", () => {
  const dial = 'E0722 15:45:17.000000       1 clientset.go:204] "cannot connect once" err="rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial tcp 192.168.1.41:8132: connect: no route to host\\""';
  const cri = (iso: string): string => `${iso} stderr F ${dial}`;
  const minutes = (base: string, n: number): string[] => Array.from({ length: n }, (_, i) => cri(new Date(Date.parse(base) + i * 60_000).toISOString()));

  it("shows where the findings are when one node's lines are dated a year off, and says so", async () => {
    const bundle = await writeTemp(
      "skewed.tar.gz",
      await makeTarGz([
        { name: "b/node-a/hostname", content: "node-a\n" },
        { name: "b/node-a/var/log/pods/kube-system_konnectivity-agent-aaaaa_1/konnectivity-agent/0.log", content: `${minutes("2024-07-22T15:45:00Z", 30).join("\n")}\n` },
        { name: "b/node-b/hostname", content: "node-b\n" },
        { name: "b/node-b/var/log/pods/kube-system_konnectivity-agent-bbbbb_1/konnectivity-agent/0.log", content: `${minutes("2025-07-22T15:45:00Z", 5).join("\n")}\n` },
      ]),
    );
    const report = JSON.parse(runCli([bundle, "--format", "json"]).stdout) as Report;
    const t = report.timeline;
    // Every row stays in the data; the grid covers the part with most finding lines.
    expect(t.entries[0]?.spans.map((s) => s.nodes[0])).toEqual(["node-a", "node-b"]);
    expect(t.start?.slice(0, 10)).toBe("2024-07-22");
    expect(t.end?.slice(0, 10)).toBe("2024-07-22");
    expect((ms(t.end as string) - ms(t.start as string)) / 1000 / (t.bucketSeconds as number)).toBeLessThanOrEqual(60);

    const md = runCli([bundle]).stdout;
    const gantt = /```mermaid\n([\s\S]*?)```/.exec(md)?.[1] ?? "";
    expect(gantt).toContain("node-a - 30 lines");
    expect(gantt).not.toContain("2025-");
    expect(md).toContain("1 row is dated far from the rest (2025-07-22) and is in the table only");
    expect(md).toMatch(/\| {2}\| {2}\| node-b \| 2025-07-22 15:45:00 \|/);
  });
});
