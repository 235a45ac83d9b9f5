import { Worker } from "node:worker_threads";
import type { Evidence } from "../match/evidence.js";
import type { Pattern } from "../match/pattern.js";
import type { Report } from "../report/model.js";
import { wantsHelperThread } from "../spare-core.js";
import type { LogFileContext } from "./collect-log.js";
import type { RemoteInspection } from "./collect.js";
import type { FromLineWork, LineWorkFinish, LineWorkSetup, ToLineWork } from "./line-work-protocol.js";

const workerUrl = new URL("./line-work-worker.js", import.meta.url);

/** Lines messages the worker may be behind by before the reader waits: bounds the memory of the queue. */
const maxOutstanding = 8;

/** Archives smaller than this are read in one thread: the worker's start (about 0.15 s) would not pay off. */
export const lineWorkMinBytes = 32 * 1024 * 1024;

/**
 * Whether a bundle gets the line-work worker: a big enough archive and a core to spare for
 * it (see spare-core.ts).
 *
 * Not on two cores: there the second core already inflates (zlib in libuv's pool). Measured
 * on the 1 GiB benchmark bundle in five alternating pairs: a pass of 5.58 s against 5.76 s
 * (medians), for 210-217 MiB peak RSS against 178-185, over the 200 MB target.
 */
export function wantsLineWork(inputPath: string): boolean {
  return wantsHelperThread(inputPath, workerUrl, lineWorkMinBytes);
}

/**
 * The main thread's side of the two-stage pass. The main thread reads, decompresses,
 * scans blocks and counts lines; the lines the automaton flags (and the Kubernetes events
 * to match) go to a worker, in bundle order, which inspects them and finally builds the
 * report. Measured on the 1 GiB benchmark bundle: that work is about 3 s of the main
 * thread's 6.6 to 7.1 s, which a third core can take over. Every effect goes through the
 * one ordered channel, so the report is the one a single thread builds
 * (test/perf-equivalence.test.ts compares them).
 */
export class LineWorker implements RemoteInspection {
  private readonly worker: Worker;
  private pending: Extract<ToLineWork, { t: "lines" }> | undefined;
  private outstanding = 0;
  private readonly waiters: (() => void)[] = [];
  private failure: Error | undefined;
  private reportWaiter: { resolve: (r: Report) => void; reject: (e: Error) => void } | undefined;
  private closed = false;

  constructor(patterns: readonly Pattern[]) {
    const setup: LineWorkSetup = { patterns: [...patterns] };
    this.worker = new Worker(workerUrl, { workerData: setup });
    this.worker.on("message", (m: FromLineWork) => {
      if (m.t === "ack") {
        this.outstanding--;
        this.waiters.shift()?.();
      } else if (m.t === "report") {
        this.reportWaiter?.resolve(m.report);
      } else {
        this.fail(new Error(`the line-work thread failed: ${m.message}`));
      }
    });
    this.worker.on("error", (err) => this.fail(new Error(`the line-work thread failed: ${err.message}`)));
    this.worker.on("exit", (code) => {
      if (!this.closed) this.fail(new Error(`the line-work thread stopped (exit code ${code})`));
    });
  }

  take(ctx: LogFileContext, number: number, text: string): void {
    if (this.pending && this.pending.ctx !== ctx) this.send();
    this.pending ??= { t: "lines", ctx, numbers: [], texts: [] };
    this.pending.numbers.push(number);
    this.pending.texts.push(text);
  }

  async drain(): Promise<void> {
    this.send();
    while (!this.failure && this.outstanding > maxOutstanding) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure;
  }

  fileDone(ctx: LogFileContext, lastHost: string | undefined): void {
    this.send();
    if (ctx.file !== undefined) this.post({ t: "file-done", file: ctx.file, ...(lastHost ? { lastHost } : {}) });
  }

  event(text: string, evidence: Evidence): void {
    this.send();
    this.post({ t: "event", text, evidence });
  }

  /** Sends what only this thread knows and waits for the report the worker builds. */
  async finish(input: LineWorkFinish): Promise<Report> {
    this.send();
    if (this.failure) throw this.failure;
    const report = new Promise<Report>((resolve, reject) => (this.reportWaiter = { resolve, reject }));
    this.post({ t: "finish", input });
    return report;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }

  private send(): void {
    if (!this.pending) return;
    this.post(this.pending);
    this.pending = undefined;
    this.outstanding++;
  }

  private post(message: ToLineWork): void {
    if (!this.failure) this.worker.postMessage(message);
  }

  private fail(err: Error): void {
    if (this.failure) return;
    // Not the bundle's fault (a bug): say how to get the analysis anyway.
    this.failure = new Error(`${err.message}; run again with the environment variable BUNDLE_ANALYZE_ONE_THREAD=1 to analyse in one thread`);
    for (const wake of this.waiters.splice(0)) wake();
    this.reportWaiter?.reject(this.failure);
  }
}
