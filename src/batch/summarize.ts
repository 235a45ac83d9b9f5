import { severities, type Severity } from "../match/pattern.js";
import type { Report } from "../report/model.js";
import type { BundleSummary } from "./types.js";

/** How many unclassified templates of one bundle the index keeps for the fleet view. */
const templatesPerBundle = 15;

/**
 * Versions the report names, if its model carries them (`inventory.versions`, e.g.
 * {kubernetes: ["v1.30.2"], distribution: ["k0s v1.30.2+k0s.0"]}); read defensively (a
 * string or a list per key) so reports without the field still summarise.
 */
function versionsOf(report: Report): Record<string, string> {
  const raw = (report.inventory as unknown as { versions?: unknown }).versions;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const values = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string" && x !== "");
    if (values.length) out[k] = [...new Set(values)].sort().join(", ");
  }
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
    findings: report.findings.map((f) => ({ id: f.id, title: f.title, severity: f.severity, count: f.count })),
    unclassified: report.unclassified.slice(0, templatesPerBundle).map((u) => ({ template: u.template, count: u.count })),
    unclassifiedTotal: report.unclassifiedTotal,
    files: report.stats.files,
    lines: report.stats.lines,
    warnings: report.warnings.length,
  };
}
