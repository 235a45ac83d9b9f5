import { Worker } from "node:worker_threads";
import { BundleAnalyzeError, errorMessage } from "../errors.js";
import type { BundleOutcome, BundleTask } from "./process-bundle.js";
import type { FromWorker, ToWorker, WorkerSetup } from "./worker-protocol.js";

export interface PoolEvents {
  onStart(worker: number, task: BundleTask): void;
  onDone(worker: number, task: BundleTask, outcome: BundleOutcome): void;
}

/** Turns a crashed or stopped worker's task into a failure outcome (and records it). */
export type CrashHandler = (task: BundleTask, failure: Error) => Promise<BundleOutcome>;

export interface PoolOptions {
  /** Worker threads. */
  size: number;
  /** A bundle still being analysed after this long is stopped and listed as failed; 0 = no limit. */
  bundleTimeoutMs: number;
}

interface Slot {
  id: number;
  worker?: Worker;
  busy?: { task: BundleTask; index: number };
  /** Fires when the bundle in hand takes longer than the per-bundle limit. */
  timer?: NodeJS.Timeout;
  /** Set once this worker instance crashed or was stopped, so 'error' and 'exit' are handled once. */
  gone: boolean;
  /** The worker loaded the library and asked for work; dying before that is not a bundle's fault. */
  ready: boolean;
}

const workerUrl = new URL("./worker.js", import.meta.url);

/**
 * A fixed number of worker threads, each analysing one bundle at a time. A worker that
 * dies (out of memory, a crash in a parser) or outlives the per-bundle time limit (a
 * parser stuck on hostile input) fails only the bundle it held and is replaced.
 */
export class BundlePool {
  private readonly queue: { task: BundleTask; index: number }[] = [];
  private readonly outcomes: (BundleOutcome | undefined)[] = [];
  private readonly slots: Slot[] = [];
  private remaining = 0;
  private settle: { resolve: (o: BundleOutcome[]) => void; reject: (e: unknown) => void } | undefined;
  private stopped = false;

  constructor(
    private readonly options: PoolOptions,
    private readonly setup: WorkerSetup,
    private readonly events: PoolEvents,
    private readonly onCrash: CrashHandler,
  ) {}

  run(tasks: BundleTask[]): Promise<BundleOutcome[]> {
    tasks.forEach((task, index) => this.queue.push({ task, index }));
    this.outcomes.length = tasks.length;
    this.remaining = tasks.length;
    if (tasks.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      const count = Math.max(1, Math.min(this.options.size, tasks.length));
      for (let id = 0; id < count; id++) {
        const slot: Slot = { id, gone: false, ready: false };
        this.slots.push(slot);
        this.spawn(slot);
      }
    });
  }

  /** Stops every worker now (Ctrl-C). Reports already renamed into place stay; nothing half-written does. */
  async abort(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.slots.map((s) => this.stop(s)));
    this.settle?.reject(new Error("interrupted"));
  }

  private spawn(slot: Slot): void {
    const worker = new Worker(workerUrl, { workerData: this.setup });
    slot.worker = worker;
    slot.gone = false;
    slot.ready = false;
    worker.on("message", (message: FromWorker) => this.onMessage(slot, worker, message));
    worker.on("error", (err) => void this.onGone(slot, worker, new Error(`worker crashed: ${errorMessage(err)}`)));
    worker.on("exit", (code) => void this.onGone(slot, worker, new Error(`worker exited with code ${code}`)));
  }

  private onMessage(slot: Slot, worker: Worker, message: FromWorker): void {
    if (slot.worker !== worker || this.stopped) return;
    if (message.type === "fatal") {
      this.fail(new BundleAnalyzeError(`batch worker could not start: ${message.message}`, "E_PATTERN_INVALID"));
      return;
    }
    if (message.type === "ready") slot.ready = true;
    if (message.type === "done" && slot.busy) {
      const { task, index } = slot.busy;
      slot.busy = undefined;
      clearTimeout(slot.timer);
      this.finish(slot.id, task, index, message.outcome);
    }
    this.dispatch(slot);
  }

  private dispatch(slot: Slot): void {
    if (this.stopped || !slot.worker) return;
    const next = this.queue.shift();
    if (!next) {
      void this.stop(slot);
      return;
    }
    slot.busy = next;
    this.events.onStart(slot.id, next.task);
    const message: ToWorker = { type: "task", task: next.task };
    const worker = slot.worker;
    worker.postMessage(message);
    const limit = this.options.bundleTimeoutMs;
    if (limit > 0) {
      slot.timer = setTimeout(() => {
        const seconds = Math.round(limit / 100) / 10;
        const failure = new BundleAnalyzeError(`analysis did not finish within ${seconds} s and was stopped (raise or turn off the limit with --bundle-timeout)`, "E_TIMEOUT");
        void worker.terminate();
        void this.onGone(slot, worker, failure);
      }, limit);
    }
  }

  private async onGone(slot: Slot, worker: Worker, reason: Error): Promise<void> {
    if (slot.worker !== worker || slot.gone || this.stopped) return;
    slot.gone = true;
    slot.worker = undefined;
    clearTimeout(slot.timer);
    if (!slot.ready) {
      // Replacing it would only fail the same way, forever.
      this.fail(new Error(`batch worker could not start: ${reason.message}`));
      return;
    }
    const held = slot.busy;
    slot.busy = undefined;
    if (held) {
      try {
        this.finish(slot.id, held.task, held.index, await this.onCrash(held.task, reason));
      } catch (err) {
        this.fail(err);
        return;
      }
    }
    if (this.queue.length > 0 && !this.stopped) this.spawn(slot);
  }

  private finish(workerId: number, task: BundleTask, index: number, outcome: BundleOutcome): void {
    this.outcomes[index] = outcome;
    this.remaining--;
    this.events.onDone(workerId, task, outcome);
    if (this.remaining === 0) {
      this.stopped = true;
      void Promise.all(this.slots.map((s) => this.stop(s))).then(() => this.settle?.resolve(this.outcomes as BundleOutcome[]));
    }
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    void Promise.all(this.slots.map((s) => this.stop(s))).then(() => this.settle?.reject(err));
  }

  private async stop(slot: Slot): Promise<void> {
    clearTimeout(slot.timer);
    const worker = slot.worker;
    slot.gone = true;
    slot.worker = undefined;
    if (worker) await worker.terminate();
  }
}
