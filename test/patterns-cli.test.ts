import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { fieldDiagnoses } from "../src/cli/field-diagnoses.js";
import { builtinPatternDir, loadLibrary } from "../src/match/load.js";
import type { Report } from "../src/report/model.js";
import { packSample } from "../src/tools/pack-samples.js";
import { catalogueFile, renderPatternCatalogue } from "../src/tools/pattern-catalogue.js";
import { tempDir } from "./support/archives.js";
import { repoRoot, runCli } from "./support/cli.js";

// What a user writing or looking up patterns sees: list, show, test, explain, and the
// generated catalogue in docs/.
function patternFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(name)) out.push(full);
    }
  };
  walk(builtinPatternDir);
  return out;
}

const fieldIds = ["dual-stack-service-cidr-order", "konnectivity-agent-unreachable", "kubelet-node-ip-vpn-interface", "kubespray-kube-vip-first-master", "nllb-hostnetwork-service-host"];

describe("patterns list", () => {
  it("lists every pattern and the five field diagnoses with id, area, severity and title, and counts them", () => {
    const r = runCli(["patterns", "list"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+AREA\s+SEVERITY\s+KIND\s+TITLE$/);
    const files = patternFiles();
    const rows = lines.slice(1, -2);
    expect(rows).toHaveLength(files.length + 5);
    for (const row of rows) expect(row).toMatch(/^[a-z0-9-]+\s+[a-z0-9-]+\s+(critical|error|warning|info)\s+(pattern|field diagnosis)\s+\S/);
    for (const id of fieldIds) expect(rows.some((row) => row.startsWith(`${id} `) && row.includes("field diagnosis"))).toBe(true);
    const areas = new Set(files.map((f) => f.split("/").slice(-2)[0]));
    expect(lines[lines.length - 1]).toBe(`${files.length + 5} entries: ${files.length} patterns in ${areas.size} areas and 5 field diagnoses.`);
  });

  it("filters by --area, and names the areas when one does not exist", () => {
    const etcd = runCli(["patterns", "list", "--area", "etcd"]);
    const rows = etcd.stdout.trimEnd().split("\n").slice(1, -2);
    expect(rows.length).toBe(readdirSync(join(builtinPatternDir, "etcd")).length);
    for (const row of rows) expect(row.split(/\s+/)[1]).toBe("etcd");
    const none = runCli(["patterns", "list", "--area", "nope"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^bundle-analyze: no pattern in area "nope" \(areas: apiserver, .*etcd.*\)\n$/);
  });

  it("adds each entry's source with --long", () => {
    const lines = runCli(["patterns", "list", "--long", "--area", "k0s"]).stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/TITLE\s+SOURCE$/);
    expect(lines.find((l) => l.startsWith("konnectivity-agent-unreachable "))).toMatch(/ docs\/findings\/konnectivity-agent-unreachable\.md$/);
    for (const row of lines.slice(1, -2)) expect(row).toMatch(/ (https?:\/\/\S+|docs\/findings\/\S+\.md|[\w.-]+\/[\w.-]+ .*)$/);
  });

  it("prints JSON with --json", () => {
    const rows = JSON.parse(runCli(["patterns", "list", "--json"]).stdout) as { id: string; source: string }[];
    expect(rows.length).toBe(patternFiles().length + 5);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.every((r) => r.source.length > 0)).toBe(true);
  });
});

describe("patterns show", () => {
  it("prints the whole pattern, examples and source included, as the YAML it was written in", () => {
    const file = join(builtinPatternDir, "etcd", "etcd-database-space-exceeded.yaml");
    const r = runCli(["patterns", "show", "etcd-database-space-exceeded"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("# etcd-database-space-exceeded: built-in pattern, patterns/etcd/etcd-database-space-exceeded.yaml");
    const shown = parseYaml(r.stdout) as Record<string, unknown>;
    const written = parseYaml(readFileSync(file, "utf8")) as Record<string, unknown>;
    for (const key of ["id", "title", "area", "severity", "keywords", "regex", "summary", "explanation", "fix", "references", "source", "examples"]) {
      expect(shown[key], key).toEqual(written[key]);
    }
  });

  it("shows a field diagnosis with its documentation page, and suggests ids for a typo", () => {
    const field = runCli(["patterns", "show", "konnectivity-agent-unreachable"]);
    expect(field.stdout).toContain("documentation: docs/findings/konnectivity-agent-unreachable.md");
    expect(field.stdout).toContain("  - ip-forward-disabled");
    const typo = runCli(["patterns", "show", "etcd-database-space-exeeded"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^bundle-analyze: no pattern or field diagnosis has the id "etcd-database-space-exeeded"; did you mean etcd-database-space-exceeded/);
  });
});

describe("patterns test", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir("ba-user-patterns-");
    await mkdir(join(dir, "storage"), { recursive: true });
    const good = [
      "id: nfs-server-not-responding",
      "title: NFS server not responding",
      "area: storage",
      "severity: error",
      'keywords: ["not responding"]',
      "regex: 'nfs: server (?<server>\\S+) not responding'",
      "summary: the NFS server {{server}} stopped answering",
      "explanation: Pods with NFS volumes hang in D state while the server does not answer.",
      "fix: Check the NFS server and the network path to it; remount with soft,timeo if hangs are worse than errors.",
      "source: https://www.kernel.org/doc/html/latest/admin-guide/nfs/nfs-client.html",
      "examples:",
      "  match:",
      "    - line: 'kernel: nfs: server 10.0.0.5 not responding, still trying'",
      "      captures: { server: 10.0.0.5 }",
      "  noMatch:",
      "    - 'kernel: nfs: server 10.0.0.5 OK'",
      "",
    ].join("\n");
    await writeFile(join(dir, "storage", "nfs-server-not-responding.yaml"), good);
    // Three ways to get it wrong: a capture, a prefilter keyword, a near miss that matches.
    await writeFile(
      join(dir, "storage", "nfs-stale-handle.yaml"),
      good
        .replace(/nfs-server-not-responding/g, "nfs-stale-handle")
        .replace("      captures: { server: 10.0.0.5 }", "      captures: { server: 10.0.0.6 }\n    - line: 'kernel: nfs: server 10.0.0.5 Not Responding'")
        .replace("'kernel: nfs: server 10.0.0.5 OK'", "'kernel: nfs: server 10.0.0.5 not responding (timeout)'"),
    );
    await writeFile(join(dir, "storage", "broken.yaml"), "id: broken\ntitle: no area\n");
  });

  it("passes on the built-in library", () => {
    const r = runCli(["patterns", "test"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^patterns: ${patternFiles().length} patterns, \\d+ examples: ok\\n`));
    expect(r.stdout.trimEnd().split("\n").pop()).toMatch(/^\d+ patterns, \d+ examples: all examples pass$/);
  });

  it("exits 1 with one clear line per failure, and still checks the good files", () => {
    const r = runCli(["patterns", "test", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        `${dir}: 2 patterns, 5 examples: 4 failures`,
        `  FAIL ${dir}/storage/broken.yaml: field "area" is required`,
        `  FAIL ${dir}/storage/nfs-stale-handle.yaml (nfs-stale-handle): match example 1: capture "server" is "10.0.0.5", expected "10.0.0.6"`,
        `  FAIL ${dir}/storage/nfs-stale-handle.yaml (nfs-stale-handle): match example 2 does not match the regex: "kernel: nfs: server 10.0.0.5 Not Responding"`,
        `  FAIL ${dir}/storage/nfs-stale-handle.yaml (nfs-stale-handle): noMatch example 1 matches but must not: "kernel: nfs: server 10.0.0.5 not responding (timeout)"`,
        "2 patterns, 5 examples: 4 failures",
        "",
      ].join("\n"),
    );
  });

  it("exits 2 for a folder that does not exist", () => {
    const r = runCli(["patterns", "test", join(dir, "missing")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bundle-analyze: cannot read pattern directory .*missing: /);
  });
});

describe("explain", () => {
  it("prints the documentation page of a field diagnosis", () => {
    const r = runCli(["explain", "nllb-hostnetwork-service-host"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(repoRoot, "docs", "findings", "nllb-hostnetwork-service-host.md"), "utf8"));
  });

  it("prints a pattern's explanation, fix, references and source", async () => {
    const pattern = (await loadLibrary()).patterns.find((p) => p.id === "etcd-database-space-exceeded");
    const r = runCli(["explain", "etcd-database-space-exceeded"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# etcd-database-space-exceeded — /);
    expect(r.stdout).toContain(`## What it means\n\n${pattern?.explanation.trim()}`);
    expect(r.stdout).toContain(`## Fix\n\n${pattern?.fix.trim()}`);
    expect(r.stdout).toContain(`Source of the example lines: ${pattern?.source}`);
  });

  it("exits 2 for an unknown id", () => {
    const r = runCli(["explain", "no-such-finding"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bundle-analyze: no pattern or field diagnosis has the id "no-such-finding"/);
  });
});

describe("field diagnoses as the CLI and the catalogue describe them", () => {
  it("has the severity each rule reports on its field case", async () => {
    const dir = await tempDir("ba-field-");
    const cases: [string, string][] = [
      ["konnectivity-agent-unreachable", "konnectivity"],
      ["kubespray-kube-vip-first-master", "kubespray"],
      ["nllb-hostnetwork-service-host", "nllb"],
    ];
    const bundles: [string, string][] = [];
    for (const [id, fixture] of cases) {
      const target = join(dir, `${fixture}.tar.gz`);
      await packSample(join(repoRoot, "test", "fixtures", fixture), fixture, target);
      bundles.push([id, target]);
    }
    bundles.push(["kubelet-node-ip-vpn-interface", join(repoRoot, "samples", "k0s-tailscale-node-ip.tar.gz")]);
    bundles.push(["dual-stack-service-cidr-order", join(repoRoot, "samples", "k0s-dual-stack-cidr-order.tar.gz")]);
    const info = new Map(fieldDiagnoses().map((f) => [f.id, f]));
    expect([...info.keys()].sort()).toEqual(fieldIds);
    for (const [id, bundle] of bundles) {
      const report = JSON.parse(runCli([bundle, "--format", "json"]).stdout) as Report;
      const finding = report.findings.find((f) => f.id === id);
      expect(finding, `${id} fires on ${bundle}`).toBeDefined();
      expect(info.get(id)?.severity, id).toBe(finding?.severity);
    }
  }, 120_000);
});

describe("docs/pattern-catalogue.md", () => {
  it("is up to date with patterns/ (regenerate: npm run build && node dist/tools/pattern-catalogue.js)", async () => {
    const fresh = renderPatternCatalogue(await loadLibrary(), fieldDiagnoses());
    expect(readFileSync(catalogueFile, "utf8")).toBe(fresh);
    expect(fresh).toContain(`${patternFiles().length} patterns in `);
  });
});
