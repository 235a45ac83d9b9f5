import type { Evidence } from "./evidence.js";
import { templateOf } from "./template.js";

/** Error/warning lines no pattern knew, grouped by shape. */
export interface UnclassifiedCluster {
  template: string;
  count: number;
  level: string;
  firstSeen?: string;
  lastSeen?: string;
  hosts: Set<string>;
  files: Set<string>;
  example: Evidence;
  /** Per source (host named by the line and file, or file): count and span, for per-node timeline rows. */
  sources: Map<string, ClusterSource>;
}

/** Where a cluster's lines came from; the shared slot (key "") takes every source past the first few. */
export interface ClusterSource {
  file: string;
  host?: string;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
}

const maxClusters = 5000;
/**
 * Templates of recent messages. The same error is often logged again and again word for
 * word (37% of the unclassified messages of the 1 GiB benchmark repeat one of the last
 * thousand), and masking one costs a few microseconds. Started afresh when full.
 */
const maxRecentTemplates = 1024;
const maxFilesPerCluster = 20;
/** Sources kept one by one per cluster (clusters are many: kept small). */
const maxSourcesPerCluster = 16;

/** Streaming template clustering (Drain-like, keyed by masked shape) with a hard cap on clusters. */
export class UnclassifiedClusters {
  readonly clusters = new Map<string, UnclassifiedCluster>();
  /** Lines that arrived after the cluster cap: counted, not grouped. */
  overflow = 0;

  private recent = new Map<string, string>();

  add(message: string, level: string, evidence: Evidence): void {
    let template = this.recent.get(message);
    if (template === undefined) {
      template = templateOf(message);
      if (this.recent.size >= maxRecentTemplates) this.recent = new Map();
      this.recent.set(message, template);
    }
    let c = this.clusters.get(template);
    if (!c) {
      if (this.clusters.size >= maxClusters) {
        this.overflow++;
        return;
      }
      c = { template, count: 0, level, hosts: new Set(), files: new Set(), example: evidence, sources: new Map() };
      this.clusters.set(template, c);
    }
    c.count++;
    if (evidence.timestamp) {
      if (!c.firstSeen || evidence.timestamp < c.firstSeen) c.firstSeen = evidence.timestamp;
      if (!c.lastSeen || evidence.timestamp > c.lastSeen) c.lastSeen = evidence.timestamp;
    }
    if (evidence.host) c.hosts.add(evidence.host);
    if (c.files.size < maxFilesPerCluster) c.files.add(evidence.file);
    addToSource(c.sources, evidence);
  }

  /** The largest clusters, ties broken by template so the order never changes. */
  top(n: number): UnclassifiedCluster[] {
    return [...this.clusters.values()].sort((a, b) => b.count - a.count || a.template.localeCompare(b.template)).slice(0, n);
  }
}

/** The last source key built: lines come in runs from one file and host, so it is nearly always the next one too (no string built per line). */
let lastKey = { host: "", file: "", key: "" };

function sourceKey(host: string | undefined, file: string): string {
  if (!host) return file;
  if (lastKey.host !== host || lastKey.file !== file) lastKey = { host, file, key: `${host}\u0000${file}` };
  return lastKey.key;
}

function addToSource(sources: Map<string, ClusterSource>, evidence: Evidence): void {
  let key = sourceKey(evidence.host, evidence.file);
  let source = sources.get(key);
  if (!source) {
    if (sources.size >= maxSourcesPerCluster) key = "";
    source = sources.get(key);
    if (!source) {
      source = key === "" ? { file: "", count: 0 } : { file: evidence.file, ...(evidence.host ? { host: evidence.host } : {}), count: 0 };
      sources.set(key, source);
    }
  }
  source.count++;
  const t = evidence.timestamp;
  if (t) {
    if (!source.firstSeen || t < source.firstSeen) source.firstSeen = t;
    if (!source.lastSeen || t > source.lastSeen) source.lastSeen = t;
  }
}
