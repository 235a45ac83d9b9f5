/** Messages between the main thread and the gunzip thread (gunzip-thread.ts); all plain data. */

export interface GunzipSetup {
  /** Inflated chunks the thread may send ahead of what the reader has taken. */
  credit: number;
  /** zlib's output chunk size. */
  chunkBytes: number;
}

export type ToGunzip =
  /** Compressed bytes; the buffer is transferred. */
  | { t: "in"; bytes: Uint8Array }
  /** No more compressed bytes. */
  | { t: "end" }
  /** The reader took this many chunks: the thread may send as many more. */
  | { t: "credit"; n: number };

export type FromGunzip =
  /** Inflated bytes; the buffer is transferred. */
  | { t: "out"; bytes: Uint8Array }
  /** zlib took one "in" message: the main thread may send another. */
  | { t: "took" }
  /** The stream ended cleanly after the last "out". */
  | { t: "end" }
  /** zlib failed (damaged or truncated data) after the last "out". */
  | { t: "error"; message: string; code?: string };
