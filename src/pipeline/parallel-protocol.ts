import type { Pattern } from "../match/pattern.js";

/**
 * Messages between the main thread and the log-scanning worker. The worker holds the
 * same keyword automaton as the main thread and the shared ring the main thread copies
 * blocks of log lines into; it only answers which lines of a block may match.
 */
export interface WorkerSetup {
  patterns: Pattern[];
  alsoFlag: readonly string[];
  ring: SharedArrayBuffer;
}

/** Scan ring[start, end): whole lines, starting at a line start. */
export interface ScanMessage {
  id: number;
  start: number;
  end: number;
}

/** The ends of the block's lines that may match (ring positions), transferred. */
export interface HitsMessage {
  id: number;
  hits: Int32Array;
}
