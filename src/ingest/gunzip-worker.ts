import { parentPort, workerData } from "node:worker_threads";
import { ChangeSignal } from "./change-signal.js";
import { inflateGzip } from "./decompress.js";
import type { FromGunzip, GunzipSetup, ToGunzip } from "./gunzip-protocol.js";

/**
 * Inflates a gzip stream for the main thread (see gunzip-thread.ts), with the same
 * inflater as the main thread's. This thread's event loop does nothing else, so zlib gets
 * its next slice as soon as it is done with the last, instead of when the busy main thread
 * next turns its loop.
 */
const port = parentPort;
if (!port) throw new Error("the gunzip worker must run in a worker thread");
const setup = workerData as GunzipSetup;
const post = (m: FromGunzip, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer);

const input: Buffer[] = [];
let inputEnded = false;
let credit = setup.credit;
const changed = new ChangeSignal();

port.on("message", (m: ToGunzip) => {
  if (m.t === "in") input.push(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.length));
  else if (m.t === "end") inputEnded = true;
  else credit += m.n;
  changed.notify();
});

/** The compressed chunks as they arrive; each one taken is acknowledged, so the main thread may send another. */
async function* compressed(): AsyncGenerator<Buffer> {
  for (;;) {
    await changed.until(() => input.length > 0 || inputEnded);
    const chunk = input.shift();
    if (!chunk) return;
    post({ t: "took" });
    yield chunk;
  }
}

async function run(): Promise<void> {
  try {
    for await (const chunk of inflateGzip(compressed(), setup.chunkBytes)) {
      await changed.until(() => credit > 0);
      credit--;
      // A full chunk is zlib's whole output buffer (it takes a new one when one is full):
      // it is handed over as it is. A partial one shares its buffer with what comes next.
      const whole = chunk.byteOffset === 0 && chunk.length === chunk.buffer.byteLength;
      const bytes = whole ? new Uint8Array(chunk.buffer, 0, chunk.length) : Uint8Array.from(chunk);
      post({ t: "out", bytes }, [bytes.buffer as ArrayBuffer]);
    }
    post({ t: "end" });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    post({ t: "error", message: e.message, ...(e.code ? { code: e.code } : {}) });
  }
}

void run();
