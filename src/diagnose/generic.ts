import type { Pattern } from "../match/pattern.js";
import type { CaptureTally, Signal } from "../match/signals.js";
import type { BundleView } from "./bundle-view.js";
import { fillTemplate } from "./fill.js";
import type { Finding, FindingEvidence } from "./finding.js";

/** The most frequent capture values of a signal (ties: first seen wins, by insertion order). */
export function dominantValues(signal: Signal): CaptureTally | undefined {
  let best: CaptureTally | undefined;
  for (const tally of signal.values.values()) if (!best || tally.count > best.count) best = tally;
  return best;
}

export function signalEvidence(signal: Signal, view: BundleView): FindingEvidence[] {
  return signal.samples.map((e) => {
    const node = view.nodeOf(e);
    return { ...e, kind: "log" as const, ...(node ? { node } : {}) };
  });
}

export function signalNodes(signal: Signal, view: BundleView): string[] {
  const nodes = new Set<string>();
  for (const h of signal.hosts) if (h !== "localhost") nodes.add(h);
  for (const file of signal.files.keys()) {
    const n = view.nodeOfFile(file);
    if (n) nodes.add(n);
  }
  return [...nodes].sort();
}

/** A finding straight from one pattern: its templates filled with what the lines captured. */
export function findingFromSignal(pattern: Pattern, signal: Signal, view: BundleView): Finding {
  const nodes = signalNodes(signal, view);
  const files = [...signal.files.keys()].sort();
  const values: Record<string, string> = {
    ...(dominantValues(signal)?.captures ?? {}),
    count: String(signal.count),
    nodes: nodes.join(", ") || "(node unknown)",
    files: files.slice(0, 5).join(", "),
  };
  return {
    id: pattern.id,
    title: pattern.title,
    severity: pattern.severity,
    confidence: "medium",
    summary: fillTemplate(pattern.summary, values),
    cause: fillTemplate(pattern.explanation, values),
    fix: fillTemplate(pattern.fix, values),
    missingProof: [],
    evidence: signalEvidence(signal, view),
    count: signal.count,
    ...(signal.firstSeen ? { firstSeen: signal.firstSeen } : {}),
    ...(signal.lastSeen ? { lastSeen: signal.lastSeen } : {}),
    nodes,
    files,
    references: pattern.references,
    patterns: [pattern.id],
    keyValues: dominantValues(signal)?.captures ?? {},
  };
}
