import type { BatchJobSettings, BundleOutcome, BundleTask } from "./process-bundle.js";

/** What a worker thread is started with. */
export interface WorkerSetup {
  patternDirs: string[];
  job: BatchJobSettings;
}

export type ToWorker = { type: "task"; task: BundleTask };

export type FromWorker = { type: "ready"; libraryVersion: string } | { type: "done"; outcome: BundleOutcome } | { type: "fatal"; message: string };
