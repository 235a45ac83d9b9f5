import { existsSync, statSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { isMainThread } from "node:worker_threads";

/**
 * Whether a helper thread has a core of its own here: the main thread (inside a batch
 * worker the cores are already shared out), 3 cores or more with one idle by the 1-minute
 * load average, and not turned off with BUNDLE_ANALYZE_ONE_THREAD=1. On two cores the
 * second one already inflates (zlib in libuv's pool); each helper's measurements there are
 * in its own module and in docs/performance.md.
 */
export function hasSpareCore(): boolean {
  const cores = availableParallelism();
  return !process.env.BUNDLE_ANALYZE_ONE_THREAD && isMainThread && cores >= 3 && (loadavg()[0] ?? 0) < cores - 2;
}

/** `hasSpareCore`, the helper's module built at `workerUrl`, and an input file of at least `minBytes` (smaller ones do not pay for the thread's start). */
export function wantsHelperThread(inputPath: string, workerUrl: URL, minBytes: number): boolean {
  if (!hasSpareCore() || !existsSync(fileURLToPath(workerUrl))) return false;
  try {
    const info = statSync(inputPath);
    return info.isFile() && info.size >= minBytes;
  } catch {
    return false;
  }
}
