import { Worker } from "node:worker_threads";
import type { Pattern } from "../match/pattern.js";
import type { HitsMessage, ScanMessage, WorkerSetup } from "./parallel-protocol.js";

/** Blocks of whole lines copied into shared memory, scanned by a worker, read back here in order. */
export interface Offloaded {
  /** The whole ring: the lines are bytes[start, end). */
  bytes: Buffer;
  start: number;
  end: number;
  /** Ends of the lines that may match, as `KeywordAutomaton.scanLines` gives them. */
  hits: Promise<ArrayLike<number>>;
  /** True once `hits` has resolved: the block can be read without waiting. */
  ready: () => boolean;
  /** Gives the block's room back; blocks must be released in the order they were placed. */
  release: () => void;
}

export interface ScanOffloadOptions {
  /** Size of the shared ring blocks are copied into: what can be in flight. */
  ringBytes: number;
  /** Blocks smaller than this are scanned in this thread: not worth a round trip. */
  minBlockBytes: number;
  /** Files smaller than this (by their archive header) never use the worker. */
  minFileBytes: number;
}

export const defaultOffloadOptions: ScanOffloadOptions = { ringBytes: 8 * 1024 * 1024, minBlockBytes: 32 * 1024, minFileBytes: 1024 * 1024 };

const workerUrl = new URL("./parallel-worker.js", import.meta.url);

/**
 * A worker thread that runs the keyword automaton over blocks of log lines while this
 * thread reads the bundle and handles the lines the automaton flagged. The blocks are
 * copied into a ring of shared memory (no allocation per block, no transfer); only the
 * positions of flagged lines come back. Everything that touches the report stays in this
 * thread and in bundle order, so the report does not depend on the worker.
 */
export class ScanOffload {
  private readonly ring: Buffer;
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (h: ArrayLike<number>) => void; reject: (e: unknown) => void }>();
  /** Ring positions: `head` is the oldest placed byte, `tail` the next free one. */
  private head = 0;
  private tail = 0;
  private used = 0;
  /** Where each placed block ends, oldest first (its room is freed up to there). */
  private readonly placed: { start: number; end: number }[] = [];
  private nextId = 0;
  private broken: Error | undefined;

  constructor(
    patterns: readonly Pattern[],
    alsoFlag: readonly string[],
    readonly options: ScanOffloadOptions,
  ) {
    const shared = new SharedArrayBuffer(options.ringBytes);
    this.ring = Buffer.from(shared);
    const setup: WorkerSetup = { patterns: [...patterns], alsoFlag, ring: shared };
    // The worker only scans: its heap stays small.
    this.worker = new Worker(workerUrl, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    this.worker.on("message", (m: HitsMessage) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) this.worker.unref();
      w?.resolve(m.hits);
    });
    this.worker.on("error", (err) => this.fail(err));
    this.worker.on("exit", (code) => this.fail(new Error(`log scan worker exited with code ${code}`)));
    // Idle, it is no reason for the process to stay alive; while it owes an answer, it is.
    this.worker.unref();
  }

  /**
   * Copies bytes[start, end) into the ring and has the worker scan it (or, for blocks too
   * small to be worth the trip, scans it here at once: they still queue behind the big
   * ones, in order). Undefined when the ring has no room now (release older blocks first).
   */
  tryPlace(bytes: Buffer, start: number, end: number, scanHere: (block: Buffer, start: number, end: number) => number[]): Offloaded | undefined {
    const length = end - start;
    if (length > this.options.ringBytes) return undefined;
    const at = this.room(length);
    if (at < 0) return undefined;
    bytes.copy(this.ring, at, start, end);
    const region = { start: at, end: at + length };
    this.placed.push(region);
    this.tail = region.end;
    this.used += length;
    const release = (): void => this.release(region);
    if (length < this.options.minBlockBytes || this.broken) {
      const hits = scanHere(this.ring, region.start, region.end);
      return { bytes: this.ring, start: region.start, end: region.end, hits: Promise.resolve(hits), ready: () => true, release };
    }
    const id = this.nextId++;
    if (this.waiting.size === 0) this.worker.ref();
    let done = false;
    const hits = new Promise<ArrayLike<number>>((resolve, reject) => this.waiting.set(id, { resolve, reject }))
      // A worker that died leaves the block to this thread: same automaton, same hits.
      .catch(() => scanHere(this.ring, region.start, region.end))
      .finally(() => {
        done = true;
      });
    const message: ScanMessage = { id, start: region.start, end: region.end };
    this.worker.postMessage(message);
    return {
      bytes: this.ring,
      start: region.start,
      end: region.end,
      hits,
      ready: () => done,
      release,
    };
  }

  /** How full the ring is (0 to 1). */
  load(): number {
    return this.used / this.options.ringBytes;
  }

  async close(): Promise<void> {
    this.broken ??= new Error("closed");
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }

  /** Where `length` contiguous bytes fit after the newest block (wrapping to 0), or -1. */
  private room(length: number): number {
    const size = this.options.ringBytes;
    if (this.used === 0) {
      this.head = 0;
      this.tail = 0;
      return length <= size ? 0 : -1;
    }
    if (this.tail > this.head) {
      if (this.tail + length <= size) return this.tail;
      // Wrap: the bytes at the end stay unused until the ring empties past them.
      return length <= this.head ? 0 : -1;
    }
    // Wrapped (tail === head: full).
    return this.tail + length <= this.head ? this.tail : -1;
  }

  private release(region: { start: number; end: number }): void {
    const oldest = this.placed.shift();
    if (oldest !== region) throw new Error("ring blocks released out of order");
    this.used -= region.end - region.start;
    this.head = this.placed[0]?.start ?? this.tail;
  }

  private fail(err: Error): void {
    this.broken ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    this.worker.unref();
  }
}
