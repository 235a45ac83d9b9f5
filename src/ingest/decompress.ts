import { Readable, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
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

const gunzip: Decompressor = (input) => {
  const { source, count } = counting(input);
  // Large chunks: zlib's per-call overhead dominates with the 16 KiB default.
  const inflater = createGunzip({ chunkSize: 256 * 1024 });
  // pipeline (not pipe) so a failing source destroys the inflater too: no hang on a read error.
  // One compressed chunk read ahead, not Readable.from's default 16 (16 MiB of file reads).
  pipeline(Readable.from(source, { highWaterMark: 1 }), inflater, () => {});
  return { output: inflater, compressedBytes: count };
};

const registry = new Map<ContainerFormat, Decompressor>([["gzip", gunzip]]);

/** Plug-in point for more formats (xz, zip members): add a decompressor here. */
export function registerDecompressor(format: ContainerFormat, decompressor: Decompressor): void {
  registry.set(format, decompressor);
}

export function decompressorFor(format: ContainerFormat): Decompressor | undefined {
  return registry.get(format);
}
