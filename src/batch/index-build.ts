import { severityRank, type Severity } from "../match/pattern.js";
import type { Shard } from "./shard.js";
import { compareStrings } from "./sort.js";
import { batchSchemaVersion, type BatchIndex, type BundleRecord, type FindingFrequency, type FleetTemplate } from "./types.js";

export interface IndexMeta {
  toolVersion: string;
  libraryVersion: string;
  patterns: number;
  shard?: Shard;
}

/** How many unclassified templates the fleet view lists. */
const fleetTemplates = 20;

/** The most frequent value, ties broken by code-unit order, so any input order gives the same pick. */
function mostFrequent(counts: Map<string, number>): string {
  return [...counts].sort(([a, x], [b, y]) => y - x || compareStrings(a, b))[0]?.[0] ?? "";
}

/** Each bundle content once: copies of the same bytes name the first path (sorted) as the original. */
function splitDuplicates(ok: BundleRecord[]): { primaries: BundleRecord[]; duplicates: BatchIndex["duplicates"] } {
  const byHash = new Map<string, BundleRecord>();
  const primaries: BundleRecord[] = [];
  const duplicates: BatchIndex["duplicates"] = [];
  for (const r of ok) {
    const original = r.contentHash ? byHash.get(r.contentHash) : undefined;
    if (original) {
      duplicates.push({ path: r.path, sameAs: original.path });
      continue;
    }
    if (r.contentHash) byHash.set(r.contentHash, r);
    primaries.push(r);
  }
  return { primaries, duplicates };
}

interface FindingTally {
  titles: Map<string, number>;
  severity: Severity;
  paths: string[];
  firstSeen?: string;
  lastSeen?: string;
  kubernetes: Map<string, number>;
}

/** "v1.24.4, v1.23.9" (a bundle with skew counts for each). */
function kubernetesVersions(r: BundleRecord): string[] {
  const listed = r.summary?.versions.kubernetes;
  return listed ? listed.split(", ").filter((v) => v !== "") : [];
}

function findingFrequencies(primaries: BundleRecord[]): FindingFrequency[] {
  const byId = new Map<string, FindingTally>();
  for (const r of primaries) {
    const seen = new Set<string>();
    for (const f of r.summary?.findings ?? []) {
      if (seen.has(f.id)) continue;
      seen.add(f.id);
      let entry = byId.get(f.id);
      if (!entry) {
        entry = { titles: new Map(), severity: f.severity, paths: [], kubernetes: new Map() };
        byId.set(f.id, entry);
      }
      entry.titles.set(f.title, (entry.titles.get(f.title) ?? 0) + 1);
      if (severityRank(f.severity) > severityRank(entry.severity)) entry.severity = f.severity;
      entry.paths.push(r.path);
      if (f.firstSeen && (!entry.firstSeen || f.firstSeen < entry.firstSeen)) entry.firstSeen = f.firstSeen;
      if (f.lastSeen && (!entry.lastSeen || f.lastSeen > entry.lastSeen)) entry.lastSeen = f.lastSeen;
      for (const v of kubernetesVersions(r)) entry.kubernetes.set(v, (entry.kubernetes.get(v) ?? 0) + 1);
    }
  }
  return [...byId]
    .map(([id, e]) => ({
      id,
      title: mostFrequent(e.titles),
      severity: e.severity,
      bundles: e.paths.length,
      paths: e.paths,
      ...(e.firstSeen ? { firstSeen: e.firstSeen } : {}),
      ...(e.lastSeen ? { lastSeen: e.lastSeen } : {}),
      kubernetes: [...e.kubernetes].sort(([a, x], [b, y]) => y - x || compareStrings(a, b)).map(([version, bundles]) => ({ version, bundles })),
    }))
    .sort((a, b) => b.bundles - a.bundles || severityRank(b.severity) - severityRank(a.severity) || compareStrings(a.id, b.id));
}

function fleetUnclassified(primaries: BundleRecord[]): FleetTemplate[] {
  const byTemplate = new Map<string, FleetTemplate>();
  for (const r of primaries) {
    for (const u of r.summary?.unclassified ?? []) {
      let t = byTemplate.get(u.template);
      if (!t) {
        t = { template: u.template, bundles: 0, lines: 0, paths: [] };
        byTemplate.set(u.template, t);
      }
      if (t.paths[t.paths.length - 1] !== r.path) {
        t.bundles++;
        t.paths.push(r.path);
      }
      t.lines += u.count;
    }
  }
  return [...byTemplate.values()].sort((a, b) => b.bundles - a.bundles || b.lines - a.lines || compareStrings(a.template, b.template)).slice(0, fleetTemplates);
}

/**
 * The index from bundle records alone, independent of their order: a single run and the
 * merge of its shards build it from the same records and so get the same bytes.
 */
export function buildIndex(records: readonly BundleRecord[], meta: IndexMeta): BatchIndex {
  const sorted = [...records].sort((a, b) => compareStrings(a.path, b.path));
  const ok = sorted.filter((r) => r.status === "ok");
  const failedRecords = sorted.filter((r) => r.status !== "ok");
  const { primaries, duplicates } = splitDuplicates(ok);
  return {
    batchSchemaVersion,
    tool: { name: "bundle-analyze", version: meta.toolVersion },
    library: { version: meta.libraryVersion, patterns: meta.patterns },
    ...(meta.shard ? { shard: { index: meta.shard.index, count: meta.shard.count } } : {}),
    totals: {
      bundles: sorted.length,
      read: ok.length,
      failed: failedRecords.length,
      duplicates: duplicates.length,
      distinct: primaries.length,
      withFindings: primaries.filter((r) => (r.summary?.findings.length ?? 0) > 0).length,
    },
    findings: findingFrequencies(primaries),
    unclassified: fleetUnclassified(primaries),
    failed: failedRecords.map((r) => ({ path: r.path, code: r.error?.code ?? "E_UNEXPECTED", reason: r.error?.message ?? "unknown error" })),
    duplicates,
    bundles: sorted,
  };
}

/** index.json: two-space JSON with a final newline, like the per-bundle reports. */
export function renderIndexJson(index: BatchIndex): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}

/** Any bundle content with a finding at or above the threshold (for --fail-on). */
export function indexHasFindingAtOrAbove(index: BatchIndex, threshold: Severity): boolean {
  const rank = severityRank(threshold);
  return index.findings.some((f) => severityRank(f.severity) >= rank);
}
