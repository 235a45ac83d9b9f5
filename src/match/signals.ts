import type { Evidence } from "./evidence.js";
import type { MatchHit } from "./matcher.js";
import { templateOf } from "./template.js";

const maxSamples = 5;
const maxDistinctValues = 64;
const maxFiles = 200;

/** All distinct capture values seen, with how often and where first. */
export interface CaptureTally {
  captures: Record<string, string>;
  count: number;
  first: Evidence;
}

/** Everything one pattern matched in the bundle, in bounded memory. */
export interface Signal {
  patternId: string;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  hosts: Set<string>;
  files: Map<string, number>;
  samples: Evidence[];
  values: Map<string, CaptureTally>;
}

/** Aggregates matches per pattern: counts, time span, a few distinct example lines. */
export class SignalSet {
  readonly byPattern = new Map<string, Signal>();
  private readonly sampleTemplates = new Map<string, Set<string>>();

  add(hit: MatchHit, evidence: Evidence): void {
    const id = hit.pattern.id;
    let s = this.byPattern.get(id);
    if (!s) {
      s = { patternId: id, count: 0, hosts: new Set(), files: new Map(), samples: [], values: new Map() };
      this.byPattern.set(id, s);
      this.sampleTemplates.set(id, new Set());
    }
    s.count++;
    if (evidence.timestamp) {
      if (!s.firstSeen || evidence.timestamp < s.firstSeen) s.firstSeen = evidence.timestamp;
      if (!s.lastSeen || evidence.timestamp > s.lastSeen) s.lastSeen = evidence.timestamp;
    }
    if (evidence.host) s.hosts.add(evidence.host);
    if (s.files.has(evidence.file) || s.files.size < maxFiles) s.files.set(evidence.file, (s.files.get(evidence.file) ?? 0) + 1);
    if (s.samples.length < maxSamples) {
      // Distinct by shape: five copies of the same line prove less than five different ones.
      const templates = this.sampleTemplates.get(id) as Set<string>;
      const t = templateOf(evidence.text);
      if (!templates.has(t)) {
        templates.add(t);
        s.samples.push(evidence);
      }
    }
    const key = JSON.stringify(hit.captures);
    const tally = s.values.get(key);
    if (tally) tally.count++;
    else if (s.values.size < maxDistinctValues) s.values.set(key, { captures: hit.captures, count: 1, first: evidence });
  }
}
