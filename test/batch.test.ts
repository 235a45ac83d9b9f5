import { spawn, spawnSync } from "node:child_process";
import { cp, mkdir, readdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { BatchIndex, BundleRecord } from "../src/batch/types.js";
import { packSample } from "../src/tools/pack-samples.js";
import { endlessLogBundle, makeTar, tempDir } from "./support/archives.js";
import { repoRoot } from "./support/cli.js";

// A folder of bundles as a support team keeps them: field cases and their near misses packed
// the way customers send them, a copy of one, an extracted folder, and broken files.
const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const fixtures = join(repoRoot, "test", "fixtures");
const slow = 240_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI run from `cwd`, so bundle paths in the index are relative like a user's. */
function run(cwd: string, args: string[]): Run {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function readIndex(dir: string): Promise<BatchIndex> {
  return JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as BatchIndex;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(join(e.parentPath, e.name).slice(dir.length + 1));
  }
  return out.sort();
}

let root: string;

beforeAll(async () => {
  root = await tempDir("ba-batch-");
  const bundles = join(root, "incidents");
  await mkdir(join(bundles, "2025-06"), { recursive: true });
  for (const name of ["konnectivity", "konnectivity-sysctl-ok", "kubespray", "nllb-localhost", "tailscale-physical"]) {
    await packSample(join(fixtures, name), name, join(bundles, `${name}.tar.gz`));
  }
  // The same bytes under another name: counted once.
  await cp(join(bundles, "konnectivity.tar.gz"), join(bundles, "2025-06", "konnectivity-again.tgz"));
  // An extracted troubleshoot bundle (cluster-resources/ marks it).
  await cp(join(fixtures, "nllb"), join(bundles, "2025-06", "nllb-extracted"), { recursive: true });
  // A plain tar with one kubelet log.
  await writeFile(
    join(bundles, "2025-06", "plain.tar"),
    await makeTar([{ name: "node-a/hostname", content: "node-a\n" }, { name: "node-a/kubelet.log", content: 'E0612 10:00:00.000000    1 kubelet.go:1] "Failed to get system container stats" err="failed to get cgroup stats for \\"/system.slice\\""\n' }]),
  );
  // Broken: a download cut in the middle, an empty file, an HTML page saved as .tar.gz.
  const whole = await readFile(join(bundles, "kubespray.tar.gz"));
  await writeFile(join(bundles, "2025-06", "cut-download.tar.gz"), whole.subarray(0, Math.floor(whole.length * 0.6)));
  await writeFile(join(bundles, "empty.tgz"), "");
  await writeFile(join(bundles, "error-page.tar.gz"), "<html><body>502 Bad Gateway</body></html>\n");
  // Not a bundle: ignored when the folder is searched.
  await writeFile(join(bundles, "README.txt"), "bundles of 2025\n");
}, slow);

const expectedPaths = [
  "incidents/2025-06/cut-download.tar.gz",
  "incidents/2025-06/konnectivity-again.tgz",
  "incidents/2025-06/nllb-extracted",
  "incidents/2025-06/plain.tar",
  "incidents/empty.tgz",
  "incidents/error-page.tar.gz",
  "incidents/konnectivity-sysctl-ok.tar.gz",
  "incidents/konnectivity.tar.gz",
  "incidents/kubespray.tar.gz",
  "incidents/nllb-localhost.tar.gz",
  "incidents/tailscale-physical.tar.gz",
];

describe("batch over a folder of mixed bundles", () => {
  let index: BatchIndex;
  let first: Run;

  beforeAll(async () => {
    first = run(root, ["batch", "incidents", "--out", "reports", "--jobs", "2"]);
    index = await readIndex(join(root, "reports"));
  }, slow);

  it("reads every bundle, lists the broken ones with their reason, and exits 0", () => {
    expect(first.stderr).not.toMatch(/bundle-analyze:/);
    expect(first.code).toBe(0);
    expect(index.bundles.map((b) => b.path)).toEqual(expectedPaths);
    expect(index.failed).toEqual([
      { path: "incidents/empty.tgz", code: "E_NOTHING_READABLE", reason: "incidents/empty.tgz is empty: there is nothing to analyse" },
      { path: "incidents/error-page.tar.gz", code: "E_NOT_A_BUNDLE", reason: "incidents/error-page.tar.gz is named like an archive but its content is not one (a broken download or a renamed file?)" },
    ]);
    // The cut download still gives a report of what could be read, with a warning.
    const cut = index.bundles.find((b) => b.path === "incidents/2025-06/cut-download.tar.gz");
    expect(cut?.status).toBe("ok");
    expect(cut?.summary?.warnings).toBeGreaterThan(0);
  });

  it("counts a finding once per distinct bundle and names the duplicate", () => {
    expect(index.duplicates).toEqual([{ path: "incidents/konnectivity.tar.gz", sameAs: "incidents/2025-06/konnectivity-again.tgz" }]);
    const konnectivity = index.findings.find((f) => f.id === "konnectivity-agent-unreachable");
    expect(konnectivity?.paths).toEqual(["incidents/2025-06/konnectivity-again.tgz", "incidents/konnectivity-sysctl-ok.tar.gz"]);
    expect(index.findings.find((f) => f.id === "nllb-hostnetwork-service-host")?.paths).toEqual(["incidents/2025-06/nllb-extracted"]);
    expect(index.findings.find((f) => f.id === "kubespray-kube-vip-first-master")?.paths).toContain("incidents/kubespray.tar.gz");
    expect(index.totals).toEqual({ bundles: 11, read: 9, failed: 2, duplicates: 1, distinct: 8, withFindings: index.totals.withFindings });
    // Most frequent first; among equals, the most severe.
    const rank = { critical: 3, error: 2, warning: 1, info: 0 };
    for (const [a, b] of index.findings.slice(1).map((f, i) => [index.findings[i], f] as const)) {
      expect(a && (a.bundles > b.bundles || (a.bundles === b.bundles && rank[a.severity] >= rank[b.severity])), `${a?.id} before ${b.id}`).toBe(true);
    }
    expect(index.findings[0]?.bundles).toBe(2);
  });

  it("writes per-bundle reports identical to analysing the bundle alone", async () => {
    const rec = index.bundles.find((b) => b.path === "incidents/kubespray.tar.gz") as BundleRecord;
    const alone = run(root, ["incidents/kubespray.tar.gz", "--format", "json"]);
    expect(await readFile(join(root, "reports", rec.reports?.json ?? "-"), "utf8")).toBe(alone.stdout);
    const aloneMd = run(root, ["incidents/kubespray.tar.gz"]);
    expect(await readFile(join(root, "reports", rec.reports?.markdown ?? "-"), "utf8")).toBe(aloneMd.stdout);
    expect(rec.summary?.severityCounts.critical).toBe(1);
    expect(rec.summary?.nodes).toEqual(["k8s-cp1"]);
  });

  it("writes an index.md with the chart, the per-bundle table, the unclassified shapes and the failures", async () => {
    const md = await readFile(join(root, "reports", "index.md"), "utf8");
    expect(md).toMatch(/^# Batch analysis of 11 bundles\n/);
    expect(md).toContain("```mermaid\npie showData title Bundles per finding");
    expect(md).toContain('    "konnectivity-agent-unreachable" : 2');
    expect(md).toMatch(/\| \[incidents\/kubespray\.tar\.gz\]\(kubespray\.tar\.gz-[0-9a-f]{8}\/report\.md\) \| 1 \| 0 \| 0 \| 0 \| `kubespray-kube-vip-first-master` \|/);
    expect(md).toContain("## Most frequent unclassified errors");
    // Versions column: kubespray's kube_version.
    expect(md).toMatch(/\| \[incidents\/kubespray\.tar\.gz\][^\n]*\| kubernetes v1\.30\.4 \|/);
    expect(md).toContain("| incidents/error-page.tar.gz | E_NOT_A_BUNDLE |");
    expect(md).not.toContain(root);
  });

  it("with --fail-on, exits 1 when any bundle has a finding that severe, 0 otherwise", () => {
    expect(run(root, ["batch", "incidents", "--out", "reports", "--fail-on", "critical", "-q"]).code).toBe(1);
    expect(run(root, ["batch", "incidents/tailscale-physical.tar.gz", "incidents/nllb-localhost.tar.gz", "--out", "reports-healthy", "--fail-on", "warning", "-q"]).code).toBe(0);
  }, slow);

  it("resumes: unchanged bundles are not analysed again, a changed one is, --force redoes all", async () => {
    const rec = index.bundles.find((b) => b.path === "incidents/konnectivity-sysctl-ok.tar.gz") as BundleRecord;
    const reportFile = join(root, "reports", rec.reports?.markdown ?? "-");
    const before = await stat(reportFile);
    const again = run(root, ["batch", "incidents", "--out", "reports"]);
    expect(again.code).toBe(0);
    // The two broken ones are retried: a failure may have been a transient read error.
    expect(again.stderr).toContain("batch: 11 bundles: 0 analysed, 9 unchanged, 2 failed");
    expect((await stat(reportFile)).mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(join(root, "reports", "index.json"), "utf8")).toBe(`${JSON.stringify(index, null, 2)}\n`);

    // New bytes under the same name: analysed again.
    await writeFile(join(root, "incidents", "2025-06", "plain.tar"), await makeTar([{ name: "node-b/hostname", content: "node-b\n" }, { name: "node-b/syslog", content: "Jun 12 10:00:00 node-b kernel: Out of memory: Killed process 42 (java)\n" }]));
    const changed = run(root, ["batch", "incidents", "--out", "reports"]);
    expect(changed.stderr).toContain("batch: 11 bundles: 1 analysed, 8 unchanged, 2 failed");
    const plain = (await readIndex(join(root, "reports"))).bundles.find((b) => b.path === "incidents/2025-06/plain.tar");
    expect(plain?.summary?.nodes).toEqual(["node-b"]);

    const forced = run(root, ["batch", "incidents", "--out", "reports", "--force", "--jobs", "1"]);
    expect(forced.stderr).toContain("batch: 11 bundles: 9 analysed, 0 unchanged, 2 failed");
    expect((await stat(reportFile)).mtimeMs).not.toBe(before.mtimeMs);
  }, slow);

  it("re-analyses everything when the pattern library changes (a user pattern directory added)", async () => {
    const patterns = join(root, "my-patterns", "kernel");
    await mkdir(patterns, { recursive: true });
    await writeFile(
      join(patterns, "java-oom.yaml"),
      [
        "id: java-oom",
        "title: Java process OOM-killed",
        "area: kernel",
        "severity: warning",
        'keywords: ["Killed process"]',
        "regex: 'Killed process \\d+ \\(java\\)'",
        "summary: the kernel killed a Java process",
        "explanation: The kernel OOM killer chose a Java process; its heap is larger than the memory left.",
        "fix: Lower the heap (-Xmx) or raise the container memory limit so both fit together.",
        "source: https://www.kernel.org/doc/gorman/html/understand/understand016.html",
        "examples:",
        "  match:",
        "    - line: 'kernel: Out of memory: Killed process 42 (java)'",
        "  noMatch:",
        "    - 'kernel: Out of memory: Killed process 42 (python)'",
        "",
      ].join("\n"),
    );
    const withMine = run(root, ["batch", "incidents", "--out", "reports", "--patterns", "my-patterns"]);
    expect(withMine.stderr).toContain("batch: 11 bundles: 9 analysed, 0 unchanged, 2 failed");
    const after = await readIndex(join(root, "reports"));
    expect(after.library.version).not.toBe(index.library.version);
    expect(after.findings.find((f) => f.id === "java-oom")?.paths).toEqual(["incidents/2025-06/plain.tar"]);
  }, slow);
});

describe("sharding and merging", () => {
  it("two shards merged give the same index, byte for byte, as one run over everything", async () => {
    const whole = run(root, ["batch", "incidents", "--out", "all", "-q"]);
    const one = run(root, ["batch", "incidents", "--out", "shard-1", "--shard", "1/2", "-q"]);
    const two = run(root, ["batch", "incidents", "--out", "shard-2", "--shard", "2/2", "-q"]);
    expect([whole.code, one.code, two.code]).toEqual([0, 0, 0]);
    const a = await readIndex(join(root, "shard-1"));
    const b = await readIndex(join(root, "shard-2"));
    // A real split: both shards have work, together they hold every bundle exactly once.
    expect(a.bundles.length).toBeGreaterThan(0);
    expect(b.bundles.length).toBeGreaterThan(0);
    expect([...a.bundles, ...b.bundles].map((r) => r.path).sort()).toEqual(expectedPaths);
    expect(a.shard).toEqual({ index: 1, count: 2 });

    const merged = run(root, ["merge", "shard-1", "shard-2", "--out", "merged"]);
    expect(merged.code).toBe(0);
    expect(merged.stderr).toContain("merge: 2 folders, 11 bundles (2 failed)");
    for (const file of ["index.json", "index.md"]) {
      expect(await readFile(join(root, "merged", file), "utf8"), file).toBe(await readFile(join(root, "all", file), "utf8"));
    }
    // The reports came along: the merged folder is the single run's folder.
    expect(await filesUnder(join(root, "merged"))).toEqual(await filesUnder(join(root, "all")));
  }, slow);

  it("refuses to merge shards made with different pattern libraries", () => {
    const mine = run(root, ["batch", "incidents/kubespray.tar.gz", "--out", "lib-a", "-q"]);
    const other = run(root, ["batch", "incidents/tailscale-physical.tar.gz", "--out", "lib-b", "--patterns", "my-patterns", "-q"]);
    expect([mine.code, other.code]).toEqual([0, 0]);
    const merged = run(root, ["merge", "lib-a", "lib-b", "--out", "lib-merged"]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toMatch(/^bundle-analyze: lib-b used pattern library [0-9a-f]+, lib-a used [0-9a-f]+: re-run the shards with the same patterns\n$/);
  }, slow);
});

describe("batch usage and output", () => {
  it("exits 2 with one line when nothing is found or the arguments are wrong", async () => {
    const empty = join(root, "nothing-here");
    await mkdir(join(empty, "sub"), { recursive: true });
    await writeFile(join(empty, "sub", "notes.md"), "# notes\n");
    const none = run(root, ["batch", "nothing-here/*.tar.gz", "--out", "r0"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^bundle-analyze: no bundles found in nothing-here\/\*\.tar\.gz/);
    expect(run(root, ["batch", "incidents", "--out", "r0", "--shard", "3/2"]).stderr).toBe("bundle-analyze: --shard 3/2: expected K/N with 1 <= K <= N, e.g. --shard 3/8\n");
    expect(run(root, ["batch", "incidents"]).code).toBe(2);
    expect(run(root, ["batch", "incidents", "--out", "r0", "--jobs", "0"]).code).toBe(2);
  });

  it("--obfuscate reaches the per-bundle reports and the index, and re-analyses reports made without it", async () => {
    const first = run(root, ["batch", "incidents/konnectivity.tar.gz", "--out", "obfuscated"]);
    expect(first.stderr).toContain("1 analysed");
    expect(await readFile(join(root, "obfuscated", "index.md"), "utf8")).toContain("worker-1");
    const hidden = run(root, ["batch", "incidents/konnectivity.tar.gz", "--out", "obfuscated", "--obfuscate"]);
    expect(hidden.stderr).toContain("1 analysed, 0 unchanged");
    const index = await readIndex(join(root, "obfuscated"));
    const report = await readFile(join(root, "obfuscated", index.bundles[0]?.reports?.markdown ?? "-"), "utf8");
    for (const text of [report, await readFile(join(root, "obfuscated", "index.md"), "utf8"), JSON.stringify(index)]) {
      expect(text).not.toContain("192.168.1.41");
      expect(text).not.toContain("worker-1");
    }
  }, slow);

  it("prints plain progress lines when stderr is not a terminal, and nothing with --quiet", () => {
    const plain = run(root, ["batch", "incidents/kubespray.tar.gz", "--out", "progress"]);
    expect(plain.stderr.split("\n")[0]).toBe("batch: 1 bundle to process with 1 worker");
    expect(plain.stderr).not.toContain("\r");
    const quiet = run(root, ["batch", "incidents/kubespray.tar.gz", "--out", "progress", "--force", "--quiet"]);
    expect(quiet.stderr).toBe("");
    expect(quiet.code).toBe(0);
  });

  it("on Ctrl-C stops, keeps finished reports whole, leaves no temp file and no index", async () => {
    // Enough work that the interrupt lands mid-run: every bundle twice over, one worker.
    const many = join(root, "many");
    for (let i = 0; i < 4; i++) await cp(join(root, "incidents"), join(many, `copy-${i}`), { recursive: true });
    const child = spawn(process.execPath, [cli, "batch", "many", "--out", "interrupted", "--jobs", "1", "-q"], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Wait for the first finished bundle, then interrupt.
    for (let i = 0; i < 600; i++) {
      const entries = await readdir(join(root, "interrupted")).catch(() => [] as string[]);
      if (entries.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGINT");
    const code = await exited;
    expect(code).toBe(130);
    expect(stderr).toMatch(/^bundle-analyze: batch interrupted after \d+ of 44 bundles; finished reports are kept: run the same command again to resume\n$/);
    const files = await filesUnder(join(root, "interrupted"));
    expect(files.filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect(files).not.toContain("index.json");
    // Whatever was written is whole: every JSON file parses, every report has its record.
    for (const f of files.filter((x) => x.endsWith(".json"))) JSON.parse(await readFile(join(root, "interrupted", f), "utf8"));
    for (const f of files.filter((x) => x.endsWith("/report.json"))) expect(files, f).toContain(f.replace("report.json", "report.md"));
  }, slow);
});

describe("a bundle that never finishes", () => {
  it("is stopped at --bundle-timeout and listed as failed; the other bundles go on", async () => {
    const dir = await tempDir("ba-batch-timeout-");
    await mkdir(join(dir, "incidents"));
    await writeFile(join(dir, "incidents", "a-small.tar"), await makeTar([{ name: "node-a/hostname", content: "node-a\n" }, { name: "node-a/kubelet.log", content: 'E0612 10:00:00.000000    1 kubelet.go:1] "x" err="y"\n' }]));
    // 4 GiB of log lines in a 10 MB file: far more than a worker reads in 2 s.
    await writeFile(join(dir, "incidents", "z-endless.tar.gz"), endlessLogBundle(4096));
    const r = run(dir, ["batch", "incidents", "--out", "reports", "--jobs", "1", "--bundle-timeout", "2", "--max-compression-ratio", "1000000"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("batch: 2 bundles: 1 analysed, 0 unchanged, 1 failed");
    const index = await readIndex(join(dir, "reports"));
    expect(index.failed).toEqual([{ path: "incidents/z-endless.tar.gz", code: "E_TIMEOUT", reason: "analysis did not finish within 2 s and was stopped (raise or turn off the limit with --bundle-timeout)" }]);
    expect(index.bundles.find((b) => b.path === "incidents/a-small.tar")?.status).toBe("ok");
    expect(run(dir, ["batch", "incidents", "--out", "reports", "--bundle-timeout", "-1"]).code).toBe(2);
  }, slow);
});

describe("re-running over unchanged archives", () => {
  it("does not read them again while size, mtime and inode are unchanged; --force does", async () => {
    const dir = await tempDir("ba-batch-stamp-");
    await mkdir(join(dir, "incidents"));
    const log = (word: string): string => `E0612 10:00:00.000000    1 kubelet.go:1] "Failed to get system container stats" err="${word}"\n`;
    const bundle = join(dir, "incidents", "a.tar");
    await writeFile(bundle, await makeTar([{ name: "node-a/hostname", content: "node-a\n" }, { name: "node-a/kubelet.log", content: log("alpha") }]));
    // A whole second: exact whatever the float conversions on the way.
    const mtime = new Date("2025-06-12T10:00:00Z");
    await utimes(bundle, mtime, mtime);
    expect(run(dir, ["batch", "incidents", "--out", "reports"]).stderr).toContain("1 analysed, 0 unchanged");
    const stamp = JSON.parse(await readFile(join(dir, "reports", (await readIndex(join(dir, "reports"))).bundles[0]?.slug ?? "-", "hash-stamp.json"), "utf8")) as { hash: string };
    expect(stamp.hash).toMatch(/^sha256:[0-9a-f]{64}$/);

    // Same size, same mtime, other bytes: taken as unchanged, which proves it was not read.
    const edited = (await readFile(bundle)).toString("latin1").replace("alpha", "omega");
    await writeFile(bundle, Buffer.from(edited, "latin1"));
    await utimes(bundle, mtime, mtime);
    expect(run(dir, ["batch", "incidents", "--out", "reports"]).stderr).toContain("0 analysed, 1 unchanged");
    // --force hashes and analyses again and sees the edit.
    expect(run(dir, ["batch", "incidents", "--out", "reports", "--force"]).stderr).toContain("1 analysed, 0 unchanged");
    const report = await readFile(join(dir, "reports", (await readIndex(join(dir, "reports"))).bundles[0]?.reports?.markdown ?? "-"), "utf8");
    expect(report).toContain("omega");
    // A new mtime alone makes it hash again: same bytes, so the report is reused.
    await utimes(bundle, new Date(), new Date(Date.now() + 5000));
    expect(run(dir, ["batch", "incidents", "--out", "reports"]).stderr).toContain("0 analysed, 1 unchanged");
  }, slow);
});
