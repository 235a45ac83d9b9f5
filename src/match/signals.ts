import type { Evidence } from "./evidence.js";
import type { MatchHit } from "./matcher.js";
import { templateOf } from "./template.js";

const maxSamples = 5;
const maxDistinctValues = 64;
const maxFiles = 200;
/** Sources (file, or host named by the line) tracked one by one; later ones share one slot. */
const maxSources = 64;

/** All distinct capture values seen, with how often and where first. */
export interface CaptureTally {
  captures: Record<string, string>;
  count: number;
  first: Evidence;
}

/**
 * Counts over time in at most `maxBuckets` buckets. Buckets are aligned to the epoch and
 * their width is one second times a power of two, so any two histograms can be re-binned
 * exactly onto the coarser of their grids; the width doubles when a new time falls outside.
 */
export class TimeHistogram {
  static readonly maxBuckets = 64;
  widthMs = 1000;
  /** Bucket index (floor(ms / widthMs)) → count. */
  readonly counts = new Map<number, number>();
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;

  add(ms: number, n = 1): void {
    let index = Math.floor(ms / this.widthMs);
    while (Math.max(this.hi, index) - Math.min(this.lo, index) >= TimeHistogram.maxBuckets) {
      this.coarsen();
      index = Math.floor(ms / this.widthMs);
    }
    if (index < this.lo) this.lo = index;
    if (index > this.hi) this.hi = index;
    this.counts.set(index, (this.counts.get(index) ?? 0) + n);
  }

  /** Counts on a grid of `widthMs` (a power-of-two multiple of this one's width). */
  rebin(widthMs: number): Map<number, number> {
    const factor = widthMs / this.widthMs;
    if (factor < 1 || !Number.isInteger(factor)) throw new RangeError(`cannot re-bin a ${this.widthMs} ms histogram onto ${widthMs} ms buckets`);
    const out = new Map<number, number>();
    for (const [i, n] of this.counts) {
      const j = Math.floor(i / factor);
      out.set(j, (out.get(j) ?? 0) + n);
    }
    return out;
  }

  private coarsen(): void {
    const old = [...this.counts];
    this.counts.clear();
    this.widthMs *= 2;
    for (const [i, n] of old) {
      const j = Math.floor(i / 2);
      this.counts.set(j, (this.counts.get(j) ?? 0) + n);
    }
    this.lo = Math.floor(this.lo / 2);
    this.hi = Math.floor(this.hi / 2);
  }
}

/** Where one signal's lines came from: enough to draw it per node on a timeline. */
export interface SignalSource {
  /** The file, or "" for the shared slot once `maxSources` were tracked. */
  file: string;
  /** Host the lines named (journald, event source), if any. */
  host?: string;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  histogram: TimeHistogram;
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
  /** Per file (and named host): count, span and time histogram, for the timeline. */
  sources: Map<string, SignalSource>;
}

/** Aggregates matches per pattern: counts, time span, a few distinct example lines. */
export class SignalSet {
  readonly byPattern = new Map<string, Signal>();
  private readonly sampleTemplates = new Map<string, Set<string>>();
  // One line often matches several patterns: parse its timestamp once.
  private lastStamp = "";
  private lastMs = Number.NaN;

  add(hit: MatchHit, evidence: Evidence): void {
    const id = hit.pattern.id;
    let s = this.byPattern.get(id);
    if (!s) {
      s = { patternId: id, count: 0, hosts: new Set(), files: new Map(), samples: [], values: new Map(), sources: new Map() };
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
    this.addToSource(s, evidence);
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

  private addToSource(s: Signal, evidence: Evidence): void {
    const key = evidence.host ? `${evidence.host}\u0000${evidence.file}` : evidence.file;
    let source = s.sources.get(key);
    if (!source) {
      const shared = s.sources.size >= maxSources;
      source = shared ? s.sources.get("") : undefined;
      if (!source) {
        source = { file: shared ? "" : evidence.file, ...(evidence.host && !shared ? { host: evidence.host } : {}), count: 0, histogram: new TimeHistogram() };
        s.sources.set(shared ? "" : key, source);
      }
    }
    source.count++;
    const stamp = evidence.timestamp;
    if (!stamp) return;
    if (!source.firstSeen || stamp < source.firstSeen) source.firstSeen = stamp;
    if (!source.lastSeen || stamp > source.lastSeen) source.lastSeen = stamp;
    if (stamp !== this.lastStamp) {
      this.lastStamp = stamp;
      this.lastMs = Date.parse(stamp);
    }
    if (Number.isFinite(this.lastMs)) source.histogram.add(this.lastMs);
  }
}
