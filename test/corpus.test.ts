import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { repoRoot, runCli } from "./support/cli.js";

// Real bundles made by other tools live beside the checkout (CI has them); we never copy them in.
const corpus = join(repoRoot, "..", "shared", "corpus");
const haveCorpus = existsSync(corpus);
if (!haveCorpus) console.warn(`corpus tests SKIPPED: ${corpus} is absent (CI provides it beside the checkout)`);

const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(repoRoot, "docs", "report-schema.json"), "utf8")));

function analyseJson(path: string): Report {
  const run = runCli([path, "--format", "json"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout) as Report;
  expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  return report;
}

describe.runIf(haveCorpus)("real bundles from other tools (../shared/corpus)", () => {
  it("reads the troubleshoot v0.123 baseline: producer, node, sysctl, nested archive, no serious finding", () => {
    const r = analyseJson(join(corpus, "troubleshoot-baseline-k3s.tar.gz"));
    expect(r.inventory.producers).toContain("troubleshoot.sh support-bundle");
    expect(r.inventory.nodes.map((n) => n.name)).toContain("primary-node");
    expect(r.inventory.filesByKind.sysctl).toBeGreaterThanOrEqual(1);
    expect(r.inventory.filesByKind["kube-objects"]).toBeGreaterThan(50);
    expect(r.findings.filter((f) => f.severity === "critical")).toEqual([]);
    expect(r.inventory.versions).toEqual({ kubernetes: ["v1.31.2"], distribution: ["k3s v1.31.2+k3s1"] });
  });

  it("reads the older troubleshoot v0.50 k3d bundle with -previous.log files", () => {
    const r = analyseJson(join(corpus, "troubleshoot-k3d.tar.gz"));
    expect(r.stats.logFiles).toBeGreaterThan(10);
    expect(r.inventory.components).toContain("coredns");
    // cluster-info/cluster_version.json
    expect(r.inventory.versions).toEqual({ kubernetes: ["v1.24.4"], distribution: ["k3s v1.24.4+k3s1"] });
  });

  it("reads the real sosreport of a Kubernetes worker: the server version from kubectl version", () => {
    const r = analyseJson(join(corpus, "sosreport-k8s-worker.tar.xz"));
    expect(r.inventory.producers.join(" ")).toMatch(/sosreport/);
    expect(r.inventory.versions).toEqual({ kubernetes: ["v1.23.3"], distribution: [] });
    // Re-packed here, so every entry's mtime is recent: the logs' year comes from sos_commands/date/date (2022).
    expect(r.findings.length).toBeGreaterThan(3);
    for (const f of r.findings) expect(f.firstSeen?.slice(0, 5), f.id).toBe("2022-");
    expect(r.inventory.nodes.map((n) => n.name)).not.toContain("kernel:");
  });

  it("gives a partial report with a warning for a truncated real bundle", async () => {
    const { writeTemp } = await import("./support/archives.js");
    const whole = readFileSync(join(corpus, "troubleshoot-baseline-k3s.tar.gz"));
    const cut = await writeTemp("cut.tar.gz", whole.subarray(0, 80_000));
    const r = analyseJson(cut);
    expect(r.stats.files).toBeGreaterThan(10);
    expect(r.warnings.some((w) => w.code === "truncated-archive")).toBe(true);
  });
});

describe("JSON schema", () => {
  it("validates a report with findings, evidence and warnings", () => {
    const r = analyseJson(join(repoRoot, "test", "fixtures", "konnectivity"));
    expect(r.findings.length).toBeGreaterThan(0);
  });
});
