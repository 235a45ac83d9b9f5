import { parentPort, workerData } from "node:worker_threads";
import { LineMatcher } from "../match/matcher.js";
import { scanSegment } from "./collect-log.js";
import { recordingSinks, type Effect, type FromWorker, type SegmentResult, type ToWorker, type WorkerSetup } from "./parallel-protocol.js";

/**
 * A log-scanning worker: scans the segments it is sent (whole lines of one file each)
 * with the same code as the main thread and sends back, per segment, what the scan found
 * and the effects it had on the shared sets.
 */
const setup = workerData as WorkerSetup;
const matcher = new LineMatcher(setup.patterns, { alsoFlag: setup.alsoFlag });

/** Thrown into a scan whose file could not be read to the end. */
class Interrupted extends Error {}

async function* chunksOf(parts: readonly Uint8Array[], interrupted: boolean): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p.buffer, p.byteOffset, p.byteLength);
  if (interrupted) throw new Interrupted("interrupted");
}

async function scan(message: Extract<ToWorker, { type: "scan" }>): Promise<SegmentResult[]> {
  const results: SegmentResult[] = [];
  for (const segment of message.segments) {
    const effects: Effect[] = [];
    const sinks = recordingSinks(matcher, setup.limits, (e) => effects.push(e));
    const { scan: result, error } = await scanSegment(chunksOf(segment.parts, !segment.complete), segment.ctx, sinks);
    const failure = error === undefined || error instanceof Interrupted ? undefined : error instanceof Error ? error.message : String(error);
    results.push({ id: segment.id, scan: result, effects, complete: error === undefined, ...(failure !== undefined ? { failure } : {}) });
  }
  return results;
}

parentPort?.on("message", (message: ToWorker) => {
  scan(message).then(
    // The buffers go back to the main thread to carry the next segments.
    (results) => parentPort?.postMessage({ type: "scanned", batch: message.batch, results, buffers: message.buffers } satisfies FromWorker, message.buffers),
    (err: unknown) => parentPort?.postMessage({ type: "crashed", batch: message.batch, message: err instanceof Error ? err.message : String(err) } satisfies FromWorker),
  );
});
