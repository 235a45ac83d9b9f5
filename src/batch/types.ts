import type { Severity } from "../match/pattern.js";

/** Bumped when index.json or batch.json change in a way a consumer could notice. */
export const batchSchemaVersion = "2";

/** What the index keeps of one bundle's report (already redacted). */
export interface BundleSummary {
  producers: string[];
  nodes: string[];
  /** Kubernetes / k0s versions when the report names them. */
  versions: Record<string, string>;
  timeSpan?: { first: string; last: string };
  severityCounts: Record<Severity, number>;
  /** firstSeen/lastSeen (UTC) when the finding's lines had timestamps (batch schema 2). */
  findings: { id: string; title: string; severity: Severity; count: number; firstSeen?: string; lastSeen?: string }[];
  unclassified: { template: string; count: number }[];
  unclassifiedTotal: number;
  files: number;
  lines: number;
  warnings: number;
}

/**
 * One bundle of a batch: `<out>/<slug>/batch.json` and an element of index.json's
 * `bundles`. Everything needed to rebuild the index, so `merge` needs only these.
 */
export interface BundleRecord {
  batchSchemaVersion: string;
  path: string;
  slug: string;
  kind: "file" | "folder";
  /** "sha256:<hex>", absent when the bundle could not even be read for hashing. */
  contentHash?: string;
  bytes: number;
  toolVersion: string;
  libraryVersion: string;
  settings: string;
  status: "ok" | "failed";
  /** Relative to the output folder. */
  reports?: { markdown: string; json: string };
  summary?: BundleSummary;
  error?: { code: string; message: string };
}

export interface FindingFrequency {
  id: string;
  title: string;
  severity: Severity;
  /** Distinct bundles (duplicates counted once). */
  bundles: number;
  paths: string[];
  /** Earliest and latest line of the finding across those bundles (UTC), when dated: since when it breaks. */
  firstSeen?: string;
  lastSeen?: string;
  /** Kubernetes versions of those bundles, where known, most frequent first. */
  kubernetes: { version: string; bundles: number }[];
}

export interface FleetTemplate {
  template: string;
  bundles: number;
  lines: number;
  paths: string[];
}

export interface BatchIndex {
  batchSchemaVersion: string;
  tool: { name: string; version: string };
  library: { version: string; patterns: number };
  /** Only in a shard's own index; a merged or single-machine index has none. */
  shard?: { index: number; count: number };
  totals: { bundles: number; read: number; failed: number; duplicates: number; distinct: number; withFindings: number };
  findings: FindingFrequency[];
  unclassified: FleetTemplate[];
  failed: { path: string; code: string; reason: string }[];
  duplicates: { path: string; sameAs: string }[];
  bundles: BundleRecord[];
}
