import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { BundleAnalyzeError } from "../errors.js";
import { checkArchiveContent } from "../ingest/archive-check.js";
import { ByteBudget, ReadLimitReached } from "../ingest/budget.js";
import { gunzipInThread, wantsGunzipThread } from "../ingest/gunzip-thread.js";
import { walkBundle, type WalkSummary } from "../ingest/walk.js";
import { WarningLog } from "../ingest/warnings.js";
import { defaultLimits, type Limits } from "../limits.js";
import type { PatternLibrary } from "../match/load.js";
import { LineMatcher } from "../match/matcher.js";
import type { Report } from "../report/model.js";
import { hasSpareCore } from "../spare-core.js";
import { buildReport } from "./build-report.js";
import { BundleCollector, type Collected } from "./collect.js";
import { errorishTriggers, type LineScanMode } from "./collect-log.js";
import { LineWorker, wantsLineWork } from "./line-work.js";
import { defaultOffloadOptions, ScanOffload, type ScanOffloadOptions } from "./parallel-offload.js";

export interface AnalyzeOptions {
  library: PatternLibrary;
  limits?: Partial<Limits>;
  /** How many unclassified templates the report lists. */
  unclassifiedTop?: number;
  /** How log files are read: "blocks" (default, fast) or "lines" (the reference, for equivalence tests). */
  lineScan?: LineScanMode;
  /** Filled with how long each phase took (for the benchmark and profiling; never in the report). */
  timings?: AnalyzeTimings;
  /**
   * Worker threads (0 or 1) that run the keyword automaton over big log blocks while this
   * thread reads the bundle. Default: see `defaultScanWorkers`. The report is the same either way.
   */
  scanWorkers?: number;
  /** Tuning of the offload (the tests use a tiny ring and tiny blocks). */
  offloadTuning?: Partial<ScanOffloadOptions>;
  /**
   * Inspect flagged lines and build the report in a second thread (line-work.ts). Default:
   * for archives of 32 MiB or more with a core to spare (`wantsLineWork`). Same report either way.
   */
  lineWork?: boolean;
  /**
   * Inflate the bundle's outer gzip stream in a thread of its own (gunzip-thread.ts).
   * Default: for archives of 32 MiB or more on two cores or more (`wantsGunzipThread`).
   * Same report either way.
   */
  gunzipThread?: boolean;
}

/**
 * A worker only with a core to spare for it: decompression already runs on a second
 * thread (zlib in libuv's pool), so on two cores the worker has none and only adds the
 * cost of handing blocks over (measured: same speed, 35 MB more memory). Three cores or
 * more, an idle one (1-minute load average below cores - 2), and the main thread (inside
 * a worker, a batch of bundles is already spread over the cores).
 */
export function defaultScanWorkers(): number {
  return hasSpareCore() ? 1 : 0;
}

/** Milliseconds per phase of one analysis. */
export interface AnalyzeTimings {
  /** Building the matcher (the keyword automaton). */
  compileMs?: number;
  /** The pass over the bundle: reading, decompressing, matching, parsing facts. */
  passMs?: number;
  /** Diagnosis and report data. */
  reportMs?: number;
}

/** ingest → detect/parse → match → diagnose → report data. Rendering is the caller's. */
export async function analyzeBundle(inputPath: string, options: AnalyzeOptions): Promise<Report> {
  const limits: Limits = { ...defaultLimits, ...options.limits };
  const warnings = new WarningLog();
  for (const o of options.library.overridden) {
    warnings.add({ code: "pattern-override", path: o.by, message: `user pattern replaces the built-in pattern ${o.id}` });
  }
  const timings = options.timings ?? {};
  // A missing path is the walker's to report; a file named like an archive must be one.
  if ((await stat(inputPath).catch(() => undefined))?.isFile()) await checkArchiveContent(inputPath, inputPath);
  let started = performance.now();
  const matcher = LineMatcher.forLibrary(options.library.patterns, errorishTriggers);
  timings.compileMs = performance.now() - started;
  const useLineWork = options.lineScan !== "lines" && (options.lineWork ?? wantsLineWork(inputPath));
  const lineWorker = useLineWork ? new LineWorker(options.library.patterns) : undefined;
  try {
    started = performance.now();
    const { collected, container } = await readBundle(inputPath, options, { matcher, limits, warnings, lineWorker });
    timings.passMs = performance.now() - started;
    const name = basename(inputPath);
    assertReadable(name, collected, warnings);
    started = performance.now();
    const report = lineWorker
      ? await lineWorker.finish({
          name,
          container,
          facts: collected.facts,
          files: collected.files,
          totalLines: collected.totalLines,
          totalBytes: collected.totalBytes,
          warnings: warnings.list(),
          ...(options.unclassifiedTop !== undefined ? { unclassifiedTop: options.unclassifiedTop } : {}),
        })
      : buildReport(name, container, collected, options.library, warnings, options.unclassifiedTop);
    timings.reportMs = performance.now() - started;
    return report;
  } finally {
    await lineWorker?.close();
  }
}

interface PassSetup {
  matcher: LineMatcher;
  limits: Limits;
  warnings: WarningLog;
  lineWorker: LineWorker | undefined;
}

/** The single pass over the bundle: walk, classify, parse facts, scan logs. */
async function readBundle(inputPath: string, options: AnalyzeOptions, pass: PassSetup): Promise<{ collected: Collected; container: string }> {
  const { limits, warnings, lineWorker } = pass;
  const workers = options.scanWorkers ?? defaultScanWorkers();
  let offload: ScanOffload | undefined;
  const offloadOptions: ScanOffloadOptions = { ...defaultOffloadOptions, ...options.offloadTuning };
  // Started on the first log file big enough (or of unknown size): small bundles never pay for it.
  const offloadFor = (fileBytes: number | undefined): ScanOffload | undefined =>
    workers > 0 && (fileBytes ?? Infinity) >= offloadOptions.minFileBytes ? (offload ??= new ScanOffload(options.library.patterns, errorishTriggers, offloadOptions)) : undefined;
  // One helper thread at a time: with the line worker, the automaton stays in this thread.
  const collector = new BundleCollector(pass.matcher, limits, warnings, options.lineScan, lineWorker ? undefined : offloadFor, lineWorker);
  const summary: WalkSummary = { container: "none" };
  try {
    const rootGunzip = (options.gunzipThread ?? wantsGunzipThread(inputPath)) ? gunzipInThread : undefined;
    for await (const entry of walkBundle(inputPath, { limits, warnings, budget: new ByteBudget(limits), ...(rootGunzip ? { rootGunzip } : {}) }, summary)) {
      await collector.add(entry);
    }
  } catch (err) {
    // A limit hit while a file was being read ends the reading, not the analysis.
    if (!(err instanceof ReadLimitReached)) throw err;
    warnings.add({ code: err.code, message: err.message });
  } finally {
    await offload?.close();
  }
  return { collected: collector.result(), container: summary.container };
}

/** A bundle of which nothing, or nothing but empty and binary files, could be read is an error, not a report without findings. */
function assertReadable(name: string, collected: Collected, warnings: WarningLog): void {
  if (collected.files.length === 0) {
    const why = warnings.list().map((w) => w.message).join("; ");
    throw new BundleAnalyzeError(`nothing in ${name} could be read${why ? `: ${why}` : ""}; the archive has no entries or is damaged from its start`, "E_NOTHING_READABLE");
  }
  // Files that are all empty or binary are no bundle: saying "no finding" would mislead.
  if (collected.files.every((f) => f.kind === "empty" || f.kind === "binary")) {
    const what = collected.files.every((f) => f.kind === "empty") ? "only empty files" : "no text bundle-analyze can read: not a gzip, xz, zip or tar archive, nor a log";
    const why = warnings.list().map((w) => w.message).join("; ");
    throw new BundleAnalyzeError(`${name} holds ${what}${why ? ` (${why})` : ""}`, "E_NOTHING_READABLE");
  }
}
