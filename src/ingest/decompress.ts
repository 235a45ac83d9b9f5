import { Readable, pipeline } from "node:stream";
import { createGunzip, type ZlibOptions } from "node:zlib";
import { ChangeSignal } from "./change-signal.js";
import type { ContainerFormat } from "./sniff.js";

/** A compressed stream in, its counted input size, and the inflated stream out. */
export interface Inflation {
  output: AsyncIterable<Buffer>;
  compressedBytes: () => number;
}

export type Decompressor = (input: AsyncIterable<Buffer>) => Inflation;

/** Passes a compressed stream through, counting its bytes (for the compression-ratio guard). */
export function counting(input: AsyncIterable<Buffer>): { source: AsyncIterable<Buffer>; count: () => number } {
  let n = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of input) {
      n += chunk.length;
      yield chunk;
    }
  }
  return { source: counted(), count: () => n };
}

/** zlib's output chunk: one call of zlib on the thread pool each. */
export const gzipChunkBytes = 512 * 1024;
/** Inflated bytes zlib may hold ahead of the reader. */
const gzipAheadBytes = 1024 * 1024;

/**
 * Inflates a gzip stream (all its members) in 512 KiB chunks, up to 1 MiB ahead of the
 * reader. zlib runs on the thread pool but is handed its next call only when this
 * thread's event loop turns: each chunk is a turn in which zlib may sit idle. Measured on
 * the 1 GiB benchmark (CPU profile of the main thread): 64 KiB chunks left it idle
 * 0.85-0.93 s, 256 KiB with the default 16 KiB read-ahead 0.50-0.59 s, 512 KiB to 1 MiB
 * chunks with 1-2 MiB read-ahead 0.32-0.40 s; the pass went from a median of 4.12 s to
 * 3.59-3.78 s over six interleaved runs. Bigger than that costs memory for nothing (4 MiB
 * chunks: idle 0.52 s, peak RSS 207-216 MiB against 158-167 MiB with 512 KiB).
 * zlib waits while its output is unread, so memory stays bounded whatever the
 * compression ratio.
 *
 * When the stream fails (a truncated or damaged bundle), every byte inflated before the
 * damage is read first, then zlib's own error ("unexpected end of file") is thrown. A
 * plain `for await` over the inflater drops what zlib still holds when it fails: with a
 * slow reader, 16 KB of a truncated 2.5 MB stream (test/damaged-reading.test.ts compares
 * with zlib's one-shot inflation of the same bytes), so the report of a damaged bundle
 * depended on how fast it was read.
 */
export async function* inflateGzip(source: AsyncIterable<Buffer>, chunkBytes = gzipChunkBytes): AsyncGenerator<Buffer> {
  // readableHighWaterMark is a stream option zlib's own option type leaves out.
  const inflater = createGunzip({ chunkSize: chunkBytes, readableHighWaterMark: Math.max(chunkBytes, gzipAheadBytes) } as ZlibOptions);
  // pipeline (not pipe) so a failing source destroys the inflater too: no hang on a read error.
  // One compressed chunk read ahead, not Readable.from's default 16 (16 MiB of file reads).
  pipeline(Readable.from(source, { highWaterMark: 1 }), inflater, () => {});
  yield* readThenFail(inflater);
}

/**
 * The chunks of a byte stream, then its end or its error. Unlike `for await`, what the
 * stream still holds when it fails is read before the error is thrown (a destroyed
 * Readable still gives its buffer to `read()`).
 */
export async function* readThenFail(stream: Readable): AsyncGenerator<Buffer> {
  let failure: Error | undefined;
  let ended = false;
  let closed = false;
  // Data to read (Node emits 'readable' again only after read() has returned null).
  let readable = false;
  const changed = new ChangeSignal();
  stream.on("readable", () => {
    readable = true;
    changed.notify();
  });
  stream.on("end", () => {
    ended = true;
    changed.notify();
  });
  stream.on("error", (err: Error) => {
    failure ??= err;
    changed.notify();
  });
  stream.on("close", () => {
    closed = true;
    changed.notify();
  });
  try {
    for (;;) {
      readable = false;
      let chunk: Buffer | null;
      while ((chunk = stream.read() as Buffer | null) !== null) yield chunk;
      if (failure) throw failure;
      if (ended) return;
      // Closed without an end or an error ('close' comes after both): destroyed from outside.
      if (closed) throw new Error("the stream was closed before its end");
      await changed.until(() => readable || ended || closed || failure !== undefined);
    }
  } finally {
    stream.destroy();
  }
}

const gunzip: Decompressor = (input) => {
  const { source, count } = counting(input);
  return { output: inflateGzip(source), compressedBytes: count };
};

const registry = new Map<ContainerFormat, Decompressor>([["gzip", gunzip]]);

/** Plug-in point for more formats (xz, zip members): add a decompressor here. */
export function registerDecompressor(format: ContainerFormat, decompressor: Decompressor): void {
  registry.set(format, decompressor);
}

export function decompressorFor(format: ContainerFormat): Decompressor | undefined {
  return registry.get(format);
}
