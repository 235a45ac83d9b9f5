import { Worker } from "node:worker_threads";
import { BundleAnalyzeError } from "../errors.js";
import { wantsHelperThread } from "../spare-core.js";
import { ChangeSignal } from "./change-signal.js";
import { counting, gzipChunkBytes, type Decompressor } from "./decompress.js";
import type { FromGunzip, GunzipSetup, ToGunzip } from "./gunzip-protocol.js";

const workerUrl = new URL("./gunzip-worker.js", import.meta.url);

/** Inflated chunks of 512 KiB the thread may run ahead by: 8 MiB. */
const aheadChunks = 16;
const chunkBytes = gzipChunkBytes;
/** Compressed chunks sent but not yet taken by zlib. */
const maxInFlight = 4;
/** Archives smaller than this are inflated in the main thread: the thread's start would not pay off. */
export const gunzipThreadMinBytes = 32 * 1024 * 1024;

/**
 * Whether the bundle's outer gzip stream is inflated in a thread of its own: a file big
 * enough and a core to spare (see spare-core.ts).
 *
 * Why: in the main thread, zlib works on the thread pool but is handed its next call only
 * when the main thread's event loop turns, so inflating and reading partly take turns: on
 * the 1 GiB benchmark bundle the main thread sat idle for 0.5 s of a 5.5 s pass (1.8 s
 * with the line-work thread). In its own thread zlib never waits: the main thread's idle
 * time fell to 0.13 s and its GC time from 0.64 to 0.24 s.
 *
 * Not on two cores: there the inflating thread competes with the main thread for the
 * second core, and the automaton's scan ran 40% slower beside it (1.5 s to 2.1 s), so the
 * pass took as long (5.2 to 6.3 s either way over four runs) for 60 MB more peak RSS.
 */
export function wantsGunzipThread(inputPath: string): boolean {
  return wantsHelperThread(inputPath, workerUrl, gunzipThreadMinBytes);
}

/**
 * A gzip decompressor that inflates in a worker thread. Same output, same errors (zlib's
 * own messages, after every byte inflated before the damage) as the in-thread one; memory
 * is bounded by the chunks in flight both ways. Breaking out of the output stops the
 * thread and stops reading the input.
 */
export const gunzipInThread: Decompressor = (input) => {
  const { source, count } = counting(input);
  return { output: inflateRemote(source), compressedBytes: count };
};

/** The inflated stream of `source`, from a worker running `script` (the tests give one that fails). */
export async function* inflateRemote(source: AsyncIterable<Buffer>, script: URL = workerUrl): AsyncGenerator<Buffer> {
  const setup: GunzipSetup = { credit: aheadChunks, chunkBytes };
  const worker = new Worker(script, { workerData: setup });
  const ready: Buffer[] = [];
  let ended = false;
  let failure: Error | undefined;
  let closed = false;
  let inFlight = 0;
  // The reader waits for output, the feeder for zlib to take input.
  const changed = new ChangeSignal();
  const fail = (err: Error): void => {
    failure ??= err;
    changed.notify();
  };
  const post = (m: ToGunzip, transfer?: ArrayBuffer[]): void => {
    if (!closed && !failure) worker.postMessage(m, transfer);
  };

  worker.on("message", (m: FromGunzip) => {
    if (m.t === "out") ready.push(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.length));
    else if (m.t === "took") inFlight--;
    else if (m.t === "end") ended = true;
    else fail(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}));
    changed.notify();
  });
  // Not the bundle's fault, so not reported as damage: the analysis stops and says how to get it anyway.
  worker.on("error", (err) => fail(new BundleAnalyzeError(`the gunzip thread failed: ${err.message}; run again with the environment variable BUNDLE_ANALYZE_ONE_THREAD=1`, "E_INTERNAL")));
  worker.on("exit", (code) => {
    if (!closed && !ended) fail(new BundleAnalyzeError(`the gunzip thread stopped (exit code ${code}); run again with the environment variable BUNDLE_ANALYZE_ONE_THREAD=1`, "E_INTERNAL"));
  });

  // Feeds the compressed stream, a few chunks ahead of zlib. A read error of the input
  // is the stream's error, as with the in-thread decompressor.
  const feeding = (async () => {
    try {
      for await (const chunk of source) {
        if (closed || failure) return;
        const bytes = new Uint8Array(chunk.length);
        bytes.set(chunk);
        inFlight++;
        post({ t: "in", bytes }, [bytes.buffer]);
        await changed.until(() => inFlight < maxInFlight || closed || failure !== undefined);
      }
      post({ t: "end" });
    } catch (err) {
      fail(err instanceof Error ? err : new Error(String(err)));
    }
  })();

  try {
    for (;;) {
      const chunk = ready.shift();
      if (chunk) {
        post({ t: "credit", n: 1 });
        yield chunk;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await changed.until(() => ready.length > 0 || ended || failure !== undefined);
    }
  } finally {
    closed = true;
    changed.notify();
    await worker.terminate();
    await feeding;
  }
}
