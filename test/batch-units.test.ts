import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isBundleFolder } from "../src/batch/bundle-folder.js";
import { discoverBundles } from "../src/batch/discover.js";
import { expandGlob, segmentRegExp } from "../src/batch/glob.js";
import { buildIndex, renderIndexJson } from "../src/batch/index-build.js";
import { renderIndexMarkdown } from "../src/batch/index-markdown.js";
import { parseShard, shardOf } from "../src/batch/shard.js";
import { reportSlug } from "../src/batch/slug.js";
import { batchSchemaVersion, type BundleRecord, type BundleSummary } from "../src/batch/types.js";
import { parseConfig } from "../src/cli/config.js";
import { BundleAnalyzeError } from "../src/errors.js";
import { tempDir } from "./support/archives.js";

async function touch(root: string, rel: string, content = "x\n"): Promise<void> {
  const full = join(root, rel);
  await mkdir(join(full, ".."), { recursive: true });
  await writeFile(full, content);
}

describe("glob expansion", () => {
  it("translates *, ?, classes and braces per segment, and * skips dot files", () => {
    const re = segmentRegExp("b?-{one,two}[0-9]*.tar.gz");
    expect(re.test("b1-one7.tar.gz")).toBe(true);
    expect(re.test("bx-two3-extra.tar.gz")).toBe(true);
    expect(re.test("b1-three7.tar.gz")).toBe(false);
    expect(re.test("b1-onex.tar.gz")).toBe(false);
    expect(segmentRegExp("*").test(".hidden")).toBe(false);
    expect(segmentRegExp("[!a]*").test("abc")).toBe(false);
    expect(segmentRegExp("[!a]*").test("bcd")).toBe(true);
  });

  it("expands ** across any number of folders, sorted, relative to the working folder", async () => {
    const root = await tempDir();
    await touch(root, "archive/2025-01/a.tar.gz");
    await touch(root, "archive/2025-02/deep/er/b.tar.gz");
    await touch(root, "archive/2024-12/c.tar.gz");
    await touch(root, "archive/2025-02/notes.txt");
    const hits = await expandGlob("archive/2025-*/**/*.tar.gz", root);
    expect(hits).toEqual([join(root, "archive/2025-01/a.tar.gz"), join(root, "archive/2025-02/deep/er/b.tar.gz")]);
    expect(await expandGlob(`${root}/archive/*/`, "/")).toEqual(["2024-12", "2025-01", "2025-02"].map((d) => join(root, "archive", d)));
  });
});

describe("what counts as a bundle folder", () => {
  it("recognises troubleshoot, sosreport and k0s layouts and per-node folders; not a folder of bundles", async () => {
    const root = await tempDir();
    await touch(root, "ts/cluster-resources/nodes.json", "{}");
    await touch(root, "sos/sos_commands/kernel/uname_-a");
    await touch(root, "k0s/k0s.yaml");
    await touch(root, "multi/ctrl-0/hostname", "ctrl-0\n");
    await touch(root, "multi/worker-1/hostname", "worker-1\n");
    await touch(root, "collection/one/version.yaml");
    await touch(root, "collection/two/hostname", "two\n");
    await touch(root, "logs/app.log");
    expect(await isBundleFolder(join(root, "ts"))).toBe(true);
    expect(await isBundleFolder(join(root, "sos"))).toBe(true);
    expect(await isBundleFolder(join(root, "k0s"))).toBe(true);
    expect(await isBundleFolder(join(root, "multi"))).toBe(true);
    // A sub-folder is a bundle by its own markers: this folder holds bundles, it is not one.
    expect(await isBundleFolder(join(root, "collection"))).toBe(false);
    expect(await isBundleFolder(join(root, "logs"))).toBe(false);
  });

  it("discovers archives by name and bundle folders, does not look inside a bundle, skips the output folder", async () => {
    const root = await tempDir();
    await touch(root, "in/a.tar.gz");
    await touch(root, "in/b.TGZ");
    await touch(root, "in/c.zip");
    await touch(root, "in/d.tar.xz");
    await touch(root, "in/readme.txt");
    await touch(root, "in/sub/e.txz");
    await touch(root, "in/sub/f.tar");
    await touch(root, "in/folder-bundle/version.yaml");
    await touch(root, "in/folder-bundle/inner.tar.gz");
    await touch(root, "in/out/old.tar.gz");
    const found = await discoverBundles(["in", "in/a.tar.gz"], { cwd: root, exclude: [join(root, "in/out")] });
    expect(found.map((b) => [b.key, b.kind])).toEqual([
      ["in/a.tar.gz", "file"],
      ["in/b.TGZ", "file"],
      ["in/c.zip", "file"],
      ["in/d.tar.xz", "file"],
      ["in/folder-bundle", "folder"],
      ["in/sub/e.txz", "file"],
      ["in/sub/f.tar", "file"],
    ]);
  });

  it("takes an explicitly named file whatever its name, and a named folder with no bundle inside as one bundle", async () => {
    const root = await tempDir();
    await touch(root, "x/journal.txt");
    await touch(root, "loose/app.log");
    const found = await discoverBundles(["x/journal.txt", "loose"], { cwd: root });
    expect(found.map((b) => [b.key, b.kind])).toEqual([
      ["loose", "folder"],
      ["x/journal.txt", "file"],
    ]);
  });

  it("follows a link named on the command line, but not links met while searching", async () => {
    const root = await tempDir();
    await touch(root, "store/real.tar.gz");
    await mkdir(join(root, "view"));
    await symlink(join(root, "store", "real.tar.gz"), join(root, "view", "latest.tgz"));
    expect((await discoverBundles(["view/latest.tgz"], { cwd: root })).map((b) => b.key)).toEqual(["store/real.tar.gz"]);
    // Searching view/ finds nothing (the link is skipped), so the named folder itself is the bundle.
    expect((await discoverBundles(["view"], { cwd: root })).map((b) => [b.key, b.kind])).toEqual([["view", "folder"]]);
  });

  it("says which argument does not exist", async () => {
    const root = await tempDir();
    await expect(discoverBundles(["missing-folder"], { cwd: root })).rejects.toThrow(/cannot open missing-folder/);
  });
});

describe("sharding", () => {
  it("parses K/N and rejects what is not a slice", () => {
    expect(parseShard("3/8")).toEqual({ index: 3, count: 8 });
    for (const bad of ["0/2", "3/2", "1/0", "a/b", "2", "1/2/3"]) expect(() => parseShard(bad), bad).toThrow(BundleAnalyzeError);
  });

  it("puts every key in exactly one shard, the same one every time, whatever else is in the list", () => {
    const keys = Array.from({ length: 200 }, (_, i) => `incidents/2025-${i}.tar.gz`);
    const shards = keys.map((k) => shardOf(k, 4));
    expect(shards.every((s) => s >= 1 && s <= 4)).toBe(true);
    expect(keys.map((k) => shardOf(k, 4))).toEqual(shards);
    // Each shard gets a real share of 200 keys (a broken hash would put all in one).
    for (let s = 1; s <= 4; s++) expect(shards.filter((x) => x === s).length).toBeGreaterThan(20);
  });
});

describe("report folder names", () => {
  it("keeps the file name readable and tells same-named bundles apart", () => {
    const a = reportSlug("2025/01/bundle.tar.gz");
    const b = reportSlug("2025/02/bundle.tar.gz");
    expect(a).toMatch(/^bundle\.tar\.gz-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(reportSlug("../../we ird/..name?.tgz")).toMatch(/^name_\.tgz-[0-9a-f]{8}$/);
  });
});

function summary(findings: [string, "critical" | "error" | "warning" | "info"][], templates: [string, number][] = []): BundleSummary {
  const severityCounts = { critical: 0, error: 0, warning: 0, info: 0 };
  for (const [, s] of findings) severityCounts[s]++;
  return {
    producers: ["k0s"],
    nodes: ["n1"],
    versions: {},
    severityCounts,
    findings: findings.map(([id, severity]) => ({ id, title: `title of ${id}`, severity, count: 1 })),
    unclassified: templates.map(([template, count]) => ({ template, count })),
    unclassifiedTotal: templates.reduce((n, [, c]) => n + c, 0),
    files: 1,
    lines: 1,
    warnings: 0,
  };
}

function record(path: string, hash: string, s?: BundleSummary): BundleRecord {
  return {
    batchSchemaVersion,
    path,
    slug: reportSlug(path),
    kind: "file",
    contentHash: hash,
    bytes: 10,
    toolVersion: "0.0.0",
    libraryVersion: "lib",
    settings: "set",
    ...(s ? { status: "ok" as const, reports: { markdown: `${reportSlug(path)}/report.md`, json: `${reportSlug(path)}/report.json` }, summary: s } : { status: "failed" as const, error: { code: "E_NOTHING_READABLE", message: `${path} is empty` } }),
  };
}

describe("the index", () => {
  const records = [
    record("b.tar.gz", "h2", summary([["etcd-database-space-exceeded", "critical"], ["kernel-oom-kill", "error"]], [["disk <N> | failing `x`", 4]])),
    record("a.tar.gz", "h1", summary([["kernel-oom-kill", "error"]], [["disk <N> | failing `x`", 2], ["other <IP>", 9]])),
    record("c-copy.tar.gz", "h1", summary([["kernel-oom-kill", "error"]], [["disk <N> | failing `x`", 2]])),
    record("empty.tgz", "h3"),
  ];
  const meta = { toolVersion: "0.0.0", libraryVersion: "lib", patterns: 3 };

  it("counts each finding per distinct bundle, lists duplicates and failures, sorts deterministically", () => {
    const index = buildIndex(records, meta);
    expect(index.totals).toEqual({ bundles: 4, read: 3, failed: 1, duplicates: 1, distinct: 2, withFindings: 2 });
    expect(index.findings.map((f) => [f.id, f.bundles, f.paths])).toEqual([
      ["kernel-oom-kill", 2, ["a.tar.gz", "b.tar.gz"]],
      ["etcd-database-space-exceeded", 1, ["b.tar.gz"]],
    ]);
    expect(index.duplicates).toEqual([{ path: "c-copy.tar.gz", sameAs: "a.tar.gz" }]);
    expect(index.failed).toEqual([{ path: "empty.tgz", code: "E_NOTHING_READABLE", reason: "empty.tgz is empty" }]);
    expect(index.unclassified.map((u) => [u.template, u.bundles, u.lines])).toEqual([
      ["disk <N> | failing `x`", 2, 6],
      ["other <IP>", 1, 9],
    ]);
    expect(index.bundles.map((b) => b.path)).toEqual(["a.tar.gz", "b.tar.gz", "c-copy.tar.gz", "empty.tgz"]);
  });

  it("is the same bytes whatever order the records arrive in (what makes shard merging exact)", () => {
    const once = renderIndexJson(buildIndex(records, meta));
    const reversed = renderIndexJson(buildIndex([...records].reverse(), meta));
    expect(reversed).toBe(once);
    expect(renderIndexMarkdown(buildIndex([...records].reverse(), meta))).toBe(renderIndexMarkdown(buildIndex(records, meta)));
  });

  it("renders a Mermaid chart and keeps table cells intact when templates hold pipes and backticks", () => {
    const md = renderIndexMarkdown(buildIndex(records, meta));
    expect(md).toContain("```mermaid\npie showData title Bundles per finding (top 2)\n    \"kernel-oom-kill\" : 2\n");
    expect(md).toContain("| `` disk <N> \\| failing `x` `` | 2 | 6 |");
    expect(md).toContain("| empty.tgz | E_NOTHING_READABLE | empty.tgz is empty |");
    // The copy is listed once, under Duplicates, not as a second row of the bundles table.
    expect(md.split("\n").filter((l) => l.startsWith("| [c-copy.tar.gz]"))).toHaveLength(1);
  });

  it("tells since when a finding breaks across the fleet and on which Kubernetes versions", () => {
    const dated = (first: string, last: string, kubernetes?: string): BundleSummary => {
      const s = summary([["kernel-oom-kill", "error"]]);
      return { ...s, versions: kubernetes ? { kubernetes } : {}, findings: s.findings.map((f) => ({ ...f, firstSeen: first, lastSeen: last })) };
    };
    const fleet = [
      record("2025/06/a.tar.gz", "d1", dated("2025-06-11T08:00:00.000Z", "2025-06-11T09:00:00.000Z", "v1.30.2")),
      record("2025/03/b.tar.gz", "d2", dated("2025-03-02T10:15:00.000Z", "2025-03-02T10:20:00.000Z", "v1.29.6, v1.30.2")),
      record("2025/07/c.tar.gz", "d3", dated("2025-07-01T00:00:00.000Z", "2025-07-04T12:00:00.000Z")),
      // The same bytes again: not counted twice, not in the span.
      record("2025/07/z-copy.tar.gz", "d3", dated("2020-01-01T00:00:00.000Z", "2030-01-01T00:00:00.000Z", "v1.1.0")),
    ];
    const index = buildIndex(fleet, meta);
    expect(index.findings[0]).toMatchObject({
      id: "kernel-oom-kill",
      bundles: 3,
      firstSeen: "2025-03-02T10:15:00.000Z",
      lastSeen: "2025-07-04T12:00:00.000Z",
      kubernetes: [
        { version: "v1.30.2", bundles: 2 },
        { version: "v1.29.6", bundles: 1 },
      ],
    });
    expect(renderIndexMarkdown(index)).toContain("| `kernel-oom-kill` | error | 3 | 100% | title of kernel-oom-kill | 2025-03-02 10:15 → 2025-07-04 12:00 | v1.30.2 (2), v1.29.6 (1) |");
  });
});

describe("config file", () => {
  it("resolves pattern folders against the file's folder and maps limit names", () => {
    const c = parseConfig({ patterns: ["mine", "/abs/other"], failOn: "error", format: "json", jobs: 3, limits: { maxDepth: 2, maxTotalBytes: 1000 } }, ".bundle-analyze.yaml", "/team/.bundle-analyze.yaml");
    expect(c.patterns).toEqual(["/team/mine", "/abs/other"]);
    expect(c.failOn).toBe("error");
    expect(c.format).toBe("json");
    expect(c.jobs).toBe(3);
    expect(c.limits).toEqual({ maxNestingDepth: 2, maxTotalBytes: 1000 });
  });

  it("rejects unknown keys and wrong values with the key's name", () => {
    expect(() => parseConfig({ failon: "error" }, "c.yaml")).toThrow(/unknown key "failon"/);
    expect(() => parseConfig({ failOn: "fatal" }, "c.yaml")).toThrow(/"failOn" must be one of/);
    expect(() => parseConfig({ limits: { maxBytes: 1 } }, "c.yaml")).toThrow(/unknown limit "maxBytes"/);
    expect(() => parseConfig({ jobs: 0 }, "c.yaml")).toThrow(/"jobs"/);
    expect(() => parseConfig(["a"], "c.yaml")).toThrow(/mapping/);
  });
});
