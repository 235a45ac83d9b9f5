import { Worker } from "node:worker_threads";
import type { LogFileContext } from "./collect-log.js";
import type { FromWorker, SegmentResult, SegmentTask, ToWorker, WorkerSetup } from "./parallel-protocol.js";

export interface ScanPoolOptions {
  workers: number;
  /** Size of the buffers bytes are copied into for the workers (and given back for reuse). */
  bufferBytes: number;
  /** A file is cut into segments of about this many bytes (at line starts). */
  segmentBytes: number;
  /** Segments are sent in batches of about this many bytes (many small files: one message). */
  batchBytes: number;
  /** Bytes sent to workers and not scanned yet: the main thread waits above this. */
  maxInflightBytes: number;
}

export const defaultScanPoolOptions: Omit<ScanPoolOptions, "workers"> = {
  bufferBytes: 1024 * 1024,
  segmentBytes: 4 * 1024 * 1024,
  batchBytes: 1024 * 1024,
  maxInflightBytes: 24 * 1024 * 1024,
};

interface Batch {
  worker: number;
  bytes: number;
  segments: number[];
}

/** The batch being gathered: its segments and the buffers their bytes were copied into. */
interface OpenBatch {
  tasks: SegmentTask[];
  bytes: number;
  buffers: ArrayBuffer[];
  /** Bytes used in the last buffer. */
  fill: number;
}

/** Free buffers kept for reuse; more are dropped. */
const maxFreeBuffers = 48;

interface Waiting {
  resolve: (r: SegmentResult) => void;
  reject: (e: unknown) => void;
}

const workerUrl = new URL("./parallel-worker.js", import.meta.url);

/**
 * Worker threads that scan log segments. Segments are copied out of the archive's chunks
 * into buffers that are transferred to a worker (never shared) and transferred back for
 * reuse; the number of bytes in flight is bounded, so memory stays flat however large
 * the bundle is. Small files share buffers and messages.
 */
export class ScanPool {
  private readonly workers: { worker: Worker; inflight: number }[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private readonly batches = new Map<number, Batch>();
  private open: OpenBatch = { tasks: [], bytes: 0, buffers: [], fill: 0 };
  private readonly free: ArrayBuffer[] = [];
  private inflight = 0;
  private nextId = 0;
  private nextBatch = 0;
  private capacityWaiters: (() => void)[] = [];
  private broken: Error | undefined;
  private closing = false;

  constructor(
    setup: WorkerSetup,
    readonly options: ScanPoolOptions,
  ) {
    for (let i = 0; i < options.workers; i++) {
      const worker = new Worker(workerUrl, { workerData: setup });
      worker.on("message", (m: FromWorker) => this.onMessage(m));
      worker.on("error", (err) => this.fail(err));
      worker.on("exit", (code) => {
        if (!this.closing) this.fail(new Error(`log scan worker exited with code ${code}`));
      });
      this.workers.push({ worker, inflight: 0 });
    }
  }

  /** A log file to send, piece by piece. */
  file(ctx: LogFileContext): FileJob {
    return new FileJob(this, ctx);
  }

  /**
   * Copies bytes into the batch being gathered; returns the copies. The segment they
   * belong to must be submitted before the batch is sent (`submit` is what sends it).
   */
  copy(piece: Uint8Array, parts: Uint8Array[]): void {
    const open = this.open;
    let done = 0;
    while (done < piece.length) {
      let last = open.buffers[open.buffers.length - 1];
      if (!last || open.fill === last.byteLength) {
        last = this.free.pop() ?? new ArrayBuffer(this.options.bufferBytes);
        open.buffers.push(last);
        open.fill = 0;
      }
      const n = Math.min(piece.length - done, last.byteLength - open.fill);
      const view = new Uint8Array(last, open.fill, n);
      view.set(piece.subarray(done, done + n));
      parts.push(view);
      open.fill += n;
      done += n;
    }
  }

  /** Queues a segment (its parts copied with `copy`); a full batch is sent. */
  submit(ctx: LogFileContext, parts: Uint8Array[], bytes: number, complete: boolean): Promise<SegmentResult> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    const result = new Promise<SegmentResult>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.open.tasks.push({ id, ctx, parts, complete });
    this.open.bytes += bytes;
    if (this.open.bytes >= this.options.batchBytes) this.flush();
    return result;
  }

  /** Sends the batch being gathered to the least busy worker (only between segments). */
  flush(): void {
    const { tasks, bytes, buffers } = this.open;
    if (tasks.length === 0) return;
    this.open = { tasks: [], bytes: 0, buffers: [], fill: 0 };
    let index = 0;
    for (let i = 1; i < this.workers.length; i++) if ((this.workers[i]?.inflight ?? 0) < (this.workers[index]?.inflight ?? 0)) index = i;
    const target = this.workers[index] as { worker: Worker; inflight: number };
    const batch = this.nextBatch++;
    this.batches.set(batch, { worker: index, bytes, segments: tasks.map((t) => t.id) });
    target.inflight += bytes;
    this.inflight += bytes;
    const message: ToWorker = { type: "scan", batch, segments: tasks, buffers };
    target.worker.postMessage(message, buffers);
  }

  /** Resolves when fewer than the maximum bytes are in flight. */
  async capacity(): Promise<void> {
    while (this.inflight >= this.options.maxInflightBytes && !this.broken) {
      await new Promise<void>((resolve) => this.capacityWaiters.push(resolve));
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private onMessage(m: FromWorker): void {
    const batch = this.batches.get(m.batch);
    if (!batch) return;
    this.batches.delete(m.batch);
    const worker = this.workers[batch.worker];
    if (worker) worker.inflight -= batch.bytes;
    this.inflight -= batch.bytes;
    if (m.type === "scanned") {
      for (const b of m.buffers) if (this.free.length < maxFreeBuffers && b.byteLength === this.options.bufferBytes) this.free.push(b);
      for (const r of m.results) {
        this.waiting.get(r.id)?.resolve(r);
        this.waiting.delete(r.id);
      }
    } else {
      const err = new Error(`log scan worker failed: ${m.message}`);
      for (const id of batch.segments) {
        this.waiting.get(id)?.reject(err);
        this.waiting.delete(id);
      }
    }
    const waiters = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const w of waiters) w();
  }

  /** A worker died: everything it held, and everything after, fails. */
  private fail(err: Error): void {
    this.broken ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    const waiters = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const w of waiters) w();
  }
}

const newline = 0x0a;

/**
 * One log file on its way to the workers: its bytes are copied into segments that end at
 * a line end once they reach the segment size, so every segment holds whole lines.
 */
export class FileJob {
  private parts: Uint8Array[] = [];
  private bytes = 0;
  private readonly results: Promise<SegmentResult>[] = [];

  constructor(
    private readonly pool: ScanPool,
    private readonly ctx: LogFileContext,
  ) {}

  async push(chunk: Buffer): Promise<void> {
    const size = this.pool.options.segmentBytes;
    let rest = chunk;
    if (this.bytes + rest.length >= size) {
      const nl = rest.lastIndexOf(newline);
      if (nl >= 0) {
        this.add(rest.subarray(0, nl + 1));
        this.cut(true);
        rest = rest.subarray(nl + 1);
      }
    }
    if (rest.length > 0) this.add(rest);
    await this.pool.capacity();
  }

  /** Sends what is left; resolves with every segment's result, in order. */
  finish(complete: boolean): Promise<SegmentResult[]> {
    if (!complete || this.bytes > 0 || this.results.length === 0) this.cut(complete);
    return Promise.all(this.results);
  }

  private add(piece: Buffer): void {
    // Copied: the chunk is a view into the archive's buffers, which are not ours to send.
    this.pool.copy(piece, this.parts);
    this.bytes += piece.length;
  }

  private cut(complete: boolean): void {
    this.results.push(this.pool.submit(this.ctx, this.parts, this.bytes, complete));
    this.parts = [];
    this.bytes = 0;
  }
}
