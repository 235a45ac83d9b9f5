import type { Signal } from "../../match/signals.js";
import type { DiagnoseContext } from "../context.js";
import type { FindingEvidence } from "../finding.js";
import { signalEvidence, signalNodes } from "../generic.js";

/** Signals of the given patterns that fired, in the order given. */
export function firedSignals(ctx: DiagnoseContext, ids: readonly string[]): Signal[] {
  return ids.map((id) => ctx.signals.get(id)).filter((s): s is Signal => !!s);
}

/** Count, time span, nodes and evidence summed over several signals. */
export function combineSignals(ctx: DiagnoseContext, signals: Signal[]): {
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  nodes: string[];
  files: string[];
  evidence: FindingEvidence[];
} {
  let count = 0;
  let firstSeen: string | undefined;
  let lastSeen: string | undefined;
  const nodes = new Set<string>();
  const files = new Set<string>();
  const evidence: FindingEvidence[] = [];
  for (const s of signals) {
    count += s.count;
    if (s.firstSeen && (!firstSeen || s.firstSeen < firstSeen)) firstSeen = s.firstSeen;
    if (s.lastSeen && (!lastSeen || s.lastSeen > lastSeen)) lastSeen = s.lastSeen;
    for (const n of signalNodes(s, ctx.view)) nodes.add(n);
    for (const f of s.files.keys()) files.add(f);
    evidence.push(...signalEvidence(s, ctx.view).slice(0, 3));
  }
  return { count, ...(firstSeen ? { firstSeen } : {}), ...(lastSeen ? { lastSeen } : {}), nodes: [...nodes].sort(), files: [...files].sort(), evidence };
}

/** Every distinct value one capture took across a signal, most frequent first. */
export function captureValues(signal: Signal | undefined, name: string): { value: string; count: number }[] {
  if (!signal) return [];
  const counts = new Map<string, number>();
  for (const t of signal.values.values()) {
    const v = t.captures[name];
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + t.count);
  }
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

export function factEvidence(file: string, line: number | undefined, text: string, node?: string): FindingEvidence {
  return { file, ...(line ? { line } : {}), text, kind: "fact", ...(node ? { node } : {}) };
}

export function bullet(lines: string[]): string {
  return lines.map((l) => `- ${l}`).join("\n");
}

/** The count and time span of combined signals, as a finding carries them. */
export function spanOf(combined: { count: number; firstSeen?: string; lastSeen?: string }): { count: number; firstSeen?: string; lastSeen?: string } {
  return { count: combined.count, ...(combined.firstSeen ? { firstSeen: combined.firstSeen } : {}), ...(combined.lastSeen ? { lastSeen: combined.lastSeen } : {}) };
}
