import { parentPort, workerData } from "node:worker_threads";
import { errorMessage } from "../errors.js";
import { loadLibrary } from "../match/load.js";
import { processBundle, writeFailure } from "./process-bundle.js";
import { libraryVersion } from "./versions.js";
import type { FromWorker, ToWorker, WorkerSetup } from "./worker-protocol.js";

/**
 * One batch worker thread: loads the pattern library once (compiled regexes cannot be
 * posted between threads), then analyses one bundle per message.
 */
async function start(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("batch worker must run in a worker thread");
  const setup = workerData as WorkerSetup;
  const post = (message: FromWorker): void => port.postMessage(message);
  let library;
  try {
    library = await loadLibrary(setup.patternDirs);
  } catch (err) {
    post({ type: "fatal", message: errorMessage(err) });
    return;
  }
  const lib = library;
  port.on("message", (message: ToWorker) => {
    const { task } = message;
    processBundle(task, setup.job, lib).then(
      (outcome) => post({ type: "done", outcome }),
      // A bug, not a bad bundle: still only this bundle fails.
      async (err: unknown) => post({ type: "done", outcome: { record: await writeFailure(task, setup.job, new Error(`unexpected error: ${errorMessage(err)}`), undefined), skipped: false } }),
    );
  });
  post({ type: "ready", libraryVersion: libraryVersion(lib) });
}

void start();
