import { severities, type Severity } from "../match/pattern.js";
import type { Report } from "../report/model.js";
import type { BundleSummary } from "./types.js";

/** How many unclassified templates of one bundle the index keeps for the fleet view. */
const templatesPerBundle = 15;

/** {kubernetes: "v1.24.4", distribution: "k3s v1.24.4+k3s1"} for the index; reports before schema 1.2 have none. */
function versionsOf(report: Report): Record<string, string> {
  const v = report.inventory.versions;
  const out: Record<string, string> = {};
  if (v?.distribution.length) out.distribution = v.distribution.join(", ");
  if (v?.kubernetes.length) out.kubernetes = v.kubernetes.join(", ");
  return out;
}

/** The index's view of one report. Takes the report as rendered (redacted) JSON parsed back. */
export function summarizeReport(report: Report): BundleSummary {
  const severityCounts = Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of report.findings) severityCounts[f.severity]++;
  return {
    producers: [...report.inventory.producers],
    nodes: report.inventory.nodes.map((n) => n.name),
    versions: versionsOf(report),
    ...(report.timeSpan ? { timeSpan: { first: report.timeSpan.first, last: report.timeSpan.last } } : {}),
    severityCounts,
    findings: report.findings.map((f) => ({ id: f.id, title: f.title, severity: f.severity, count: f.count, ...(f.firstSeen ? { firstSeen: f.firstSeen } : {}), ...(f.lastSeen ? { lastSeen: f.lastSeen } : {}) })),
    unclassified: report.unclassified.slice(0, templatesPerBundle).map((u) => ({ template: u.template, count: u.count })),
    unclassifiedTotal: report.unclassifiedTotal,
    files: report.stats.files,
    lines: report.stats.lines,
    warnings: report.warnings.length,
  };
}
