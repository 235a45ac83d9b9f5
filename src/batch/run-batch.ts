import { mkdir, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { BundleAnalyzeError, errorMessage } from "../errors.js";
import type { Limits } from "../limits.js";
import { loadLibrary } from "../match/load.js";
import { toolVersion } from "../version.js";
import { sweepTempFiles } from "./atomic-write.js";
import { discoverBundles } from "./discover.js";
import { buildIndex } from "./index-build.js";
import { BundlePool } from "./pool.js";
import type { BatchJobSettings, BundleOutcome, BundleTask } from "./process-bundle.js";
import { writeFailure } from "./process-bundle.js";
import type { Progress } from "./progress.js";
import { inShard, type Shard } from "./shard.js";
import { reportSlug } from "./slug.js";
import type { BatchIndex } from "./types.js";
import { libraryVersion, settingsKey } from "./versions.js";
import { writeIndex } from "./write-index.js";

export interface BatchRunOptions {
  inputs: string[];
  outDir: string;
  jobs: number;
  /** Per-bundle time limit in milliseconds; 0 = none. */
  bundleTimeoutMs: number;
  force: boolean;
  shard?: Shard;
  patternDirs: string[];
  limits: Partial<Limits>;
  redact: boolean;
  obfuscate: boolean;
  progress: Progress;
  /** Aborting (Ctrl-C, SIGTERM) stops the workers; finished reports stay, no index is written. */
  signal?: AbortSignal;
}

export interface BatchRunResult {
  /** Undefined when the run was interrupted. */
  index?: BatchIndex;
  selected: number;
  /** Bundles done (analysed, unchanged or failed); less than selected when interrupted. */
  finished: number;
  analysed: number;
  skipped: number;
  failed: number;
  interrupted: boolean;
}

async function prepareOutDir(outDir: string): Promise<void> {
  const info = await stat(outDir).catch(() => undefined);
  if (info && !info.isDirectory()) throw new BundleAnalyzeError(`--out ${outDir} is a file; name a folder for the reports`, "E_USAGE");
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new BundleAnalyzeError(`cannot create the output folder ${outDir}: ${errorMessage(err)}`, "E_OUTPUT", { cause: err });
  }
  await sweepTempFiles(outDir);
}

/**
 * discover → (shard) → analyse in worker threads, resuming what is unchanged → index.
 * A bundle that cannot be read is a failed entry, never the end of the run.
 */
export async function runBatch(options: BatchRunOptions): Promise<BatchRunResult> {
  const outDir = resolve(options.outDir);
  const library = await loadLibrary(options.patternDirs);
  const found = await discoverBundles(options.inputs, { exclude: [outDir] });
  if (found.length === 0) {
    throw new BundleAnalyzeError(`no bundles found in ${options.inputs.join(", ")} (archives named .tar.gz/.tgz/.tar/.tar.xz/.txz/.zip, or bundle folders: see docs/batch.md)`, "E_INPUT_NOT_FOUND");
  }
  const selected = found.filter((b) => inShard(b.key, options.shard));
  await prepareOutDir(outDir);

  const job: BatchJobSettings = {
    outDir,
    force: options.force,
    redact: options.redact,
    obfuscate: options.obfuscate,
    limits: options.limits,
    toolVersion,
    libraryVersion: libraryVersion(library),
    settings: settingsKey({ limits: options.limits, redact: options.redact, obfuscate: options.obfuscate }),
  };
  const tasks: BundleTask[] = selected.map((b) => ({ path: b.path, key: b.key, kind: b.kind, slug: reportSlug(b.key) }));
  const progress = options.progress;
  let finished = 0;
  const pool = new BundlePool(
    { size: options.jobs, bundleTimeoutMs: options.bundleTimeoutMs },
    { patternDirs: options.patternDirs, job },
    {
      onStart: (w, task) => progress.started(w, task.key),
      onDone: (w, _task, outcome) => {
        finished++;
        progress.done(w, outcome);
      },
    },
    async (task, failure) => ({ record: await writeFailure(task, job, failure, undefined), skipped: false }),
  );

  let interrupted = false;
  const onAbort = (): void => {
    interrupted = true;
    void pool.abort();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  progress.start(tasks.length, Math.max(1, Math.min(options.jobs, tasks.length)));
  let outcomes: BundleOutcome[] = [];
  try {
    outcomes = await pool.run(tasks);
  } catch (err) {
    if (!interrupted) throw err;
  } finally {
    progress.finish();
    options.signal?.removeEventListener("abort", onAbort);
  }
  if (interrupted) {
    await sweepTempFiles(outDir);
    return { selected: tasks.length, finished, analysed: 0, skipped: 0, failed: 0, interrupted: true };
  }

  const records = outcomes.map((o) => o.record);
  const index = buildIndex(records, { toolVersion, libraryVersion: job.libraryVersion, patterns: library.patterns.length, ...(options.shard ? { shard: options.shard } : {}) });
  await writeIndex(outDir, index);
  return {
    index,
    selected: tasks.length,
    finished,
    analysed: outcomes.filter((o) => !o.skipped && o.record.status === "ok").length,
    skipped: outcomes.filter((o) => o.skipped).length,
    failed: outcomes.filter((o) => o.record.status !== "ok").length,
    interrupted: false,
  };
}
