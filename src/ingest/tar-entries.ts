import * as tar from "tar-stream";
import { ChangeSignal } from "./change-signal.js";

/** One member of a tar stream: its header and its bytes, read once, in order. */
export interface TarEntry {
  header: tar.Header;
  body: AsyncIterable<Buffer>;
}

/** An entry as tar-stream's iterator gives it (a streamx Readable). */
type EntryStream = tar.Extract extends AsyncIterable<infer S> ? S : never;

/** Inflated bytes handed to tar-stream but not yet read by the consumer of an entry. */
const maxQueuedBytes = 1024 * 1024;

/**
 * The entries of a tar stream, with every byte that arrived before a failure of the stream
 * delivered before the failure itself.
 *
 * Why not simply pipe into tar-stream: a failing source (a truncated or damaged gzip
 * stream, the usual state of a bundle from a broken machine) destroyed the extractor, and
 * with it whatever it and the entry in progress still held. How much that was depended on
 * how far the reader had got, so the same damaged bundle could give a slightly different
 * report from one run to the next (two entries fewer under load, in a test). Here the
 * entries are read in flowing mode into a queue of our own, and back-pressure is applied
 * where the bytes come in, so nothing sits in a stream that can be destroyed. When the
 * source fails, tar-stream is ended instead; the entry in progress then ends with the
 * source's own error ("unexpected end of file"), as does the iteration after the entries
 * that were complete.
 */
export async function* tarEntries(source: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
  const extract = tar.extract({ allowUnknownFormat: true } as Parameters<typeof tar.extract>[0]);
  let queued = 0;
  let sourceError: unknown;
  let stopped = false;
  const changed = new ChangeSignal();

  let extractDrained = false;
  extract.on("drain", () => {
    extractDrained = true;
    changed.notify();
  });
  const feeding = (async () => {
    try {
      for await (const chunk of source) {
        await changed.until(() => queued < maxQueuedBytes || stopped);
        if (stopped) return;
        if (!extract.write(chunk as never)) await changed.until(() => extractDrained || stopped);
        extractDrained = false;
      }
    } catch (err) {
      sourceError = err;
    }
    // streamx's end() takes an optional last chunk; its types make it required.
    if (!stopped) extract.end(undefined);
  })();

  /** The entry's bytes as they were pushed, then its end or error (the source's, when the source failed). */
  const bodyOf = (stream: EntryStream): AsyncIterable<Buffer> => {
    const chunks: Buffer[] = [];
    let ended = false;
    let failure: unknown;
    stream.on("data", (data: unknown) => {
      const chunk = data as Buffer;
      chunks.push(chunk);
      queued += chunk.length;
      changed.notify();
    });
    stream.on("end", () => {
      ended = true;
      changed.notify();
    });
    stream.on("error", (err: unknown) => {
      failure ??= err;
      changed.notify();
    });
    stream.on("close", () => {
      if (!ended) failure ??= new Error("the archive entry was cut short");
      changed.notify();
    });
    return {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const chunk = chunks.shift();
          if (chunk) {
            queued -= chunk.length;
            changed.notify();
            yield chunk;
            continue;
          }
          if (failure !== undefined) throw sourceError ?? failure;
          if (ended) return;
          await changed.until(() => chunks.length > 0 || failure !== undefined || ended);
        }
      },
    };
  };

  try {
    for await (const entry of extract) {
      yield { header: entry.header, body: bodyOf(entry) };
    }
    await feeding;
    if (sourceError !== undefined) throw sourceError;
  } catch (err) {
    // tar-stream's "Unexpected end of data" is the consequence; the source's failure is the cause.
    throw sourceError ?? err;
  } finally {
    stopped = true;
    changed.notify();
    extract.destroy();
    await feeding;
  }
}
