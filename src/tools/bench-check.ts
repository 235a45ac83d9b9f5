import { readFile } from "node:fs/promises";
import type { BundleManifest } from "./bench-bundle.js";

interface ReportShape {
  stats?: { lines?: number };
  findings?: { id: string; count: number; evidence?: { kind?: string; text?: string; node?: string }[] }[];
}

/**
 * What a run of the analyzer must have found in the synthetic bundle: every planted
 * failure with every one of its lines, the ip_forward = 0 fact joined to the konnectivity
 * diagnosis, and every log line read. A fast wrong answer is not a result.
 */
export async function checkReport(reportPath: string, manifest: BundleManifest): Promise<string[]> {
  const report = JSON.parse(await readFile(reportPath, "utf8")) as ReportShape;
  const problems: string[] = [];
  const findings = report.findings ?? [];
  for (const planted of manifest.injected) {
    const finding = findings.find((f) => f.id === planted.findingId);
    if (!finding) problems.push(`${planted.findingId}: not found (planted ${planted.count} lines in ${planted.file})`);
    else if (finding.count !== planted.count) problems.push(`${planted.findingId}: ${finding.count} lines counted, ${planted.count} planted`);
  }
  const konnectivity = findings.find((f) => f.id === "konnectivity-agent-unreachable");
  const forwardFact = konnectivity?.evidence?.some((e) => e.kind === "fact" && /net\.ipv4\.ip_forward = 0/.test(e.text ?? "") && e.node === manifest.ipForwardOffNode);
  if (konnectivity && !forwardFact) problems.push(`konnectivity-agent-unreachable: the ip_forward = 0 dump of ${manifest.ipForwardOffNode} is not among its evidence`);
  if (report.stats?.lines !== manifest.lines) problems.push(`${report.stats?.lines ?? "?"} log lines read, ${manifest.lines} generated`);
  return problems;
}
