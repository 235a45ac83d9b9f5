import { severityRank } from "../match/pattern.js";
import type { DiagnoseContext, Diagnoser } from "./context.js";
import type { Confidence, Finding } from "./finding.js";
import { findingFromSignal, signalEvidence } from "./generic.js";
import { fieldDiagnosers } from "./rules/index.js";

const confidenceRank: Record<Confidence, number> = { high: 2, medium: 1, low: 0 };

/** Runs the cross-file diagnoses first, then turns every unclaimed pattern signal into a finding. */
export function diagnose(ctx: DiagnoseContext, diagnosers: readonly Diagnoser[] = fieldDiagnosers): Finding[] {
  const findings: Finding[] = [];
  const claimed = new Set<string>();
  for (const d of diagnosers) {
    const finding = d.diagnose(ctx);
    if (!finding) continue;
    for (const id of finding.patterns) claimed.add(id);
    for (const id of d.consequences) {
      const signal = ctx.signals.get(id);
      if (!signal || claimed.has(id)) continue;
      claimed.add(id);
      finding.patterns.push(id);
      // The finding accounts for these lines too: its count and time span include them.
      finding.count += signal.count;
      if (signal.firstSeen && (!finding.firstSeen || signal.firstSeen < finding.firstSeen)) finding.firstSeen = signal.firstSeen;
      if (signal.lastSeen && (!finding.lastSeen || signal.lastSeen > finding.lastSeen)) finding.lastSeen = signal.lastSeen;
      // One line per downstream symptom: enough to show the blast radius.
      finding.evidence.push(...signalEvidence(signal, ctx.view).slice(0, 1));
    }
    findings.push(finding);
  }
  for (const [id, signal] of ctx.signals) {
    if (claimed.has(id)) continue;
    const pattern = ctx.patterns.get(id);
    if (pattern) findings.push(findingFromSignal(pattern, signal, ctx.view));
  }
  return sortFindings(findings);
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      confidenceRank[b.confidence] - confidenceRank[a.confidence] ||
      b.count - a.count ||
      a.id.localeCompare(b.id),
  );
}
