import { spawn, spawnSync } from "node:child_process";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import xzDecompress from "xz-decompress";
import { counting, type Decompressor } from "./decompress.js";

/**
 * xz (sosreport's default). The xz tool, when installed (xz-utils is on nearly every Linux
 * host), is native and fast; xz-decompress (xz-embedded compiled to WebAssembly, no native
 * build, no install-time download) is the fallback. The WebAssembly decoder serialises
 * all streams through one lock, so while it is busy a nested .xz cannot be opened: that
 * case is reported instead of waiting forever.
 */
let xzToolAvailable: boolean | undefined;

function hasXzTool(): boolean {
  if (xzToolAvailable === undefined) {
    try {
      xzToolAvailable = spawnSync("xz", ["--version"], { stdio: "ignore", timeout: 5000 }).status === 0;
    } catch {
      xzToolAvailable = false;
    }
  }
  return xzToolAvailable;
}

const viaTool: Decompressor = (input) => {
  const { source, count } = counting(input);
  // Fixed arguments, no shell: the data never becomes a command line.
  const child = spawn("xz", ["--decompress", "--stdout", "--quiet"], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < 2000) stderr += d.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const feeding = (async () => {
    try {
      for await (const chunk of source) {
        if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once("drain", resolve));
      }
    } catch {
      // The source failed (outer archive damaged): end the input; xz reports the cut stream.
    } finally {
      child.stdin.end();
    }
  })();
  child.stdin.on("error", () => undefined);
  async function* output(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
      await feeding;
      const code = await exited;
      if (code !== 0) throw new Error(`xz stream is damaged: ${stderr.trim().split("\n")[0] || `xz exited with ${code}`}`);
    } finally {
      if (child.exitCode === null) child.kill();
    }
  }
  return { output: output(), compressedBytes: count };
};

let wasmBusy = false;

const viaWasm: Decompressor = (input) => {
  const { source, count } = counting(input);
  if (wasmBusy) {
    async function* refused(): AsyncGenerator<Buffer> {
      throw new Error("a second xz stream inside an xz stream needs the xz tool (install xz-utils)");
    }
    return { output: refused(), compressedBytes: count };
  }
  wasmBusy = true;
  const web = Readable.toWeb(Readable.from(source)) as unknown as ReadableStream<Uint8Array>;
  const inflated = new xzDecompress.XzReadableStream(web) as unknown as WebReadableStream<Uint8Array>;
  async function* output(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of Readable.fromWeb(inflated)) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    } finally {
      wasmBusy = false;
    }
  }
  return { output: output(), compressedBytes: count };
};

export const unxz: Decompressor = (input) => (hasXzTool() ? viaTool(input) : viaWasm(input));
