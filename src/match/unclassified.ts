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
}

const maxClusters = 5000;
const maxFilesPerCluster = 20;

/** Streaming template clustering (Drain-like, keyed by masked shape) with a hard cap on clusters. */
export class UnclassifiedClusters {
  readonly clusters = new Map<string, UnclassifiedCluster>();
  /** Lines that arrived after the cluster cap: counted, not grouped. */
  overflow = 0;

  add(message: string, level: string, evidence: Evidence): void {
    const template = templateOf(message);
    let c = this.clusters.get(template);
    if (!c) {
      if (this.clusters.size >= maxClusters) {
        this.overflow++;
        return;
      }
      c = { template, count: 0, level, hosts: new Set(), files: new Set(), example: evidence };
      this.clusters.set(template, c);
    }
    c.count++;
    if (evidence.timestamp) {
      if (!c.firstSeen || evidence.timestamp < c.firstSeen) c.firstSeen = evidence.timestamp;
      if (!c.lastSeen || evidence.timestamp > c.lastSeen) c.lastSeen = evidence.timestamp;
    }
    if (evidence.host) c.hosts.add(evidence.host);
    if (c.files.size < maxFilesPerCluster) c.files.add(evidence.file);
  }

  /** The largest clusters, ties broken by template so the order never changes. */
  top(n: number): UnclassifiedCluster[] {
    return [...this.clusters.values()].sort((a, b) => b.count - a.count || a.template.localeCompare(b.template)).slice(0, n);
  }
}
