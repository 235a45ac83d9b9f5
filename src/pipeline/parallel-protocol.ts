import type { IngestWarning } from "../ingest/types.js";
import type { Limits } from "../limits.js";
import type { Evidence } from "../match/evidence.js";
import type { MatchHit } from "../match/matcher.js";
import type { Pattern } from "../match/pattern.js";
import type { LogFileContext, LogSinks, SegmentScan } from "./collect-log.js";

/**
 * Messages between the main thread and the log-scanning workers. A worker scans segments
 * of log files (whole lines, cut at line starts); what the scan would have done to the
 * shared sets (signals, unclassified clusters, warnings) comes back as a list of effects
 * that the main thread replays in bundle order, so the report is the same as a scan in
 * the main thread.
 */
export interface WorkerSetup {
  patterns: Pattern[];
  alsoFlag: readonly string[];
  limits: Limits;
}

/** Whole lines of one log file; `complete` false: the file's reading failed after them. */
export interface SegmentTask {
  id: number;
  ctx: LogFileContext;
  /** The bytes, in order: views into the message's buffers. */
  parts: Uint8Array[];
  complete: boolean;
}

/** `buffers`: the memory all the segments' parts are views of (transferred, and given back). */
export type ToWorker = { type: "scan"; batch: number; segments: SegmentTask[]; buffers: ArrayBuffer[] };

/** One call a log scan made on a shared set. */
export type Effect =
  | { kind: "signal"; hits: { id: string; captures: Record<string, string> }[]; evidence: Evidence }
  | { kind: "unclassified"; message: string; level: string; evidence: Evidence }
  | { kind: "warning"; warning: IngestWarning };

export interface SegmentResult {
  id: number;
  scan: SegmentScan;
  /** In call order; line numbers counted from the segment's start. */
  effects: Effect[];
  /** False when the scan stopped early (the read failed, or `failure`). */
  complete: boolean;
  /** An error the scan itself raised: reported as the file's read failure. */
  failure?: string;
}

export type FromWorker = { type: "scanned"; batch: number; results: SegmentResult[]; buffers: ArrayBuffer[] } | { type: "crashed"; batch: number; message: string };

/** Sinks that record every call as an effect, for a worker. */
export function recordingSinks(matcher: LogSinks["matcher"], limits: Limits, record: (e: Effect) => void): LogSinks {
  // One evidence object is shared by the hits of one line: record them as one effect.
  let last: { evidence: Evidence; effect: Extract<Effect, { kind: "signal" }> } | undefined;
  return {
    matcher,
    limits,
    signals: {
      add(hit: MatchHit, evidence: Evidence): void {
        const one = { id: hit.pattern.id, captures: hit.captures };
        if (last && last.evidence === evidence) {
          last.effect.hits.push(one);
          return;
        }
        const effect: Extract<Effect, { kind: "signal" }> = { kind: "signal", hits: [one], evidence };
        last = { evidence, effect };
        record(effect);
      },
    },
    unclassified: {
      add(message: string, level: string, evidence: Evidence): void {
        record({ kind: "unclassified", message, level, evidence });
      },
    },
    warnings: {
      add(warning: IngestWarning): void {
        record({ kind: "warning", warning });
      },
    },
  };
}

/**
 * Replays recorded effects into the real sets, in the order they were recorded, with
 * `lineOffset` added to their line numbers (the lines of the file before the segment).
 */
export function replayEffects(effects: readonly Effect[], sinks: Omit<LogSinks, "matcher" | "limits">, patterns: ReadonlyMap<string, Pattern>, lineOffset: number): void {
  for (const e of effects) {
    if (e.kind !== "warning" && lineOffset > 0 && e.evidence.line !== undefined) e.evidence.line += lineOffset;
    if (e.kind === "signal") {
      for (const h of e.hits) {
        const pattern = patterns.get(h.id);
        if (pattern) sinks.signals.add({ pattern, captures: h.captures }, e.evidence);
      }
    } else if (e.kind === "unclassified") {
      sinks.unclassified.add(e.message, e.level, e.evidence);
    } else {
      sinks.warnings.add(e.warning);
    }
  }
}
